import { sampleMoments } from './descriptive';
import { normalCdf, normalQuantile } from './normal';

/**
 * Sharpe-ratio statistics of Bailey & López de Prado: "The Sharpe Ratio Efficient Frontier"
 * (J. of Risk 15(2), 2012) for the PSR and "The Deflated Sharpe Ratio" (J. Portfolio Mgmt
 * 40(5), 2014) for E[max SR] and the DSR.
 *
 * UNITS: everything here is PER PERIOD (e.g. daily): SR = mean/sd of per-period excess
 * returns, n = number of periods, the trials' SR variance in per-period units. Annualise
 * only for display (`annualizeSharpe`); never feed an annualised SR into the PSR or DSR, whose
 * √(n − 1) already counts the periods.
 */

export const EULER_MASCHERONI = 0.5772156649015329;

/** Per-period Sharpe ratio of excess returns: mean / sample sd. NaN below two values or with sd = 0. */
export function sharpeRatio(excess: ArrayLike<number>): number {
  const m = sampleMoments(excess);
  return m.n >= 2 && m.sd > 0 ? m.mean / m.sd : NaN;
}

export function annualizeSharpe(perPeriod: number, periodsPerYear = 252): number {
  return perPeriod * Math.sqrt(periodsPerYear);
}

/** What the PSR/DSR need from a return series: per-period SR, n, skewness, kurtosis (non-excess). */
export interface SharpeSample {
  sharpe: number;
  n: number;
  skewness: number;
  kurtosis: number;
}

export function sharpeSample(excess: ArrayLike<number>): SharpeSample {
  const m = sampleMoments(excess);
  return { sharpe: m.n >= 2 && m.sd > 0 ? m.mean / m.sd : NaN, n: m.n, skewness: m.skewness, kurtosis: m.kurtosis };
}

/**
 * Standard error of an estimated per-period SR under non-normal iid returns (Mertens 2002):
 * √((1 − γ₃·SR + (γ₄ − 1)/4·SR²) / (n − 1)), γ₄ the non-excess kurtosis.
 */
export function sharpeStandardError(s: SharpeSample): number {
  const v = 1 - s.skewness * s.sharpe + ((s.kurtosis - 1) / 4) * s.sharpe * s.sharpe;
  return Math.sqrt(Math.max(v, 0) / (s.n - 1));
}

/** PSR(SR*) = Φ((SR − SR*) / se(SR)): the probability that the true per-period SR exceeds SR*. */
export function probabilisticSharpeRatio(s: SharpeSample, benchmarkSharpe = 0): number {
  if (!(s.n >= 2) || !Number.isFinite(s.sharpe)) return NaN;
  const se = sharpeStandardError(s);
  if (!(se > 0)) return s.sharpe > benchmarkSharpe ? 1 : 0;
  return normalCdf((s.sharpe - benchmarkSharpe) / se);
}

/**
 * Expected maximum of `trials` independent per-period SR estimates whose true SR is 0 and
 * whose variance across trials is `variance` (the False Strategy theorem):
 * √V · ((1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e))), γ = Euler–Mascheroni. One trial -> 0.
 */
export function expectedMaxSharpe(trials: number, variance: number): number {
  if (!(trials >= 1)) throw new RangeError(`expectedMaxSharpe: trials must be >= 1, got ${trials}`);
  if (!(variance >= 0)) throw new RangeError(`expectedMaxSharpe: variance must be >= 0, got ${variance}`);
  if (trials === 1) return 0;
  return Math.sqrt(variance) * ((1 - EULER_MASCHERONI) * normalQuantile(1 - 1 / trials) + EULER_MASCHERONI * normalQuantile(1 - 1 / (trials * Math.E)));
}

export interface DeflatedSharpe {
  /** DSR = PSR(E[max SR]): probability that the selected strategy's true SR beats the best of `trials` flukes. */
  dsr: number;
  /** The per-period benchmark SR the selected SR had to beat. */
  expectedMaxSharpe: number;
  trials: number;
  trialVariance: number;
}

/**
 * Deflated Sharpe Ratio of the selected strategy (`s`, per period) after `trials` trials whose
 * per-period SR estimates had variance `trialVariance`. With trials = 1 it is PSR(0).
 */
export function deflatedSharpeRatio(s: SharpeSample, trials: number, trialVariance: number): DeflatedSharpe {
  const sr0 = expectedMaxSharpe(trials, trialVariance);
  return { dsr: probabilisticSharpeRatio(s, sr0), expectedMaxSharpe: sr0, trials, trialVariance };
}
