import { mean, neweyWestStandardError, sampleMoments } from './stats/descriptive';
import { normalCdf } from './stats/normal';

/** Signal strength per row: P(buy) − P(sell) from probability rows (rows x classes). */
export function buySellScore(proba: Float64Array, classes: number, sell = 0, buy = classes - 1): Float64Array {
  const rows = proba.length / classes;
  if (!Number.isInteger(rows)) throw new RangeError(`buySellScore: ${proba.length} probabilities is not a multiple of ${classes} classes`);
  return Float64Array.from({ length: rows }, (_, i) => proba[i * classes + buy] - proba[i * classes + sell]);
}

export interface MeanWithUncertainty {
  mean: number;
  /** Newey–West standard error (lags = horizon): daily ICs of overlapping h-day returns are correlated. */
  se: number;
  tStat: number;
  /** One-sided p-value of mean <= 0 (normal approximation). */
  pValue: number;
  ci95: [number, number];
}

export interface InformationCoefficient {
  /** Days with at least `minSymbols` symbols with a finite, non-constant score and return. */
  days: number;
  ic: MeanWithUncertainty;
  rankIc: MeanWithUncertainty;
  daily: { day: number; ic: number; rankIc: number; symbols: number }[];
}

function summarize(x: number[], lags: number): MeanWithUncertainty {
  const m = mean(x);
  const se = neweyWestStandardError(x, lags);
  const t = se > 0 ? m / se : NaN;
  return { mean: m, se, tStat: t, pValue: Number.isFinite(t) ? 1 - normalCdf(t) : NaN, ci95: [m - 1.959963984540054 * se, m + 1.959963984540054 * se] };
}

function pearson(x: number[], y: number[]): number {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** Ranks 1..n with ties sharing their average rank. */
export function averageRanks(x: number[]): number[] {
  const order = x.map((_, i) => i).sort((a, b) => x[a] - x[b]);
  const r = new Array<number>(x.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && x[order[j + 1]] === x[order[i]]) j++;
    for (let k = i; k <= j; k++) r[order[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

/**
 * Cross-sectional information coefficient per day: Pearson (IC) and Spearman (rank IC)
 * correlation between each symbol's score and its realised forward return over the label
 * horizon, averaged over days with >= `minSymbols` symbols. This measures ranking skill, not a
 * tradable P&L (see `dailyLongShort` for that).
 */
export function informationCoefficient(rows: { day: ArrayLike<number>; score: ArrayLike<number>; forwardReturn: ArrayLike<number> }, opts: { horizon: number; minSymbols?: number }): InformationCoefficient {
  const minSymbols = opts.minSymbols ?? 3;
  const byDay = new Map<number, { s: number[]; r: number[] }>();
  for (let i = 0; i < rows.day.length; i++) {
    if (!Number.isFinite(rows.score[i]) || !Number.isFinite(rows.forwardReturn[i])) continue;
    const g = byDay.get(rows.day[i]) ?? { s: [], r: [] };
    g.s.push(rows.score[i]);
    g.r.push(rows.forwardReturn[i]);
    byDay.set(rows.day[i], g);
  }
  const daily: InformationCoefficient['daily'] = [];
  for (const day of [...byDay.keys()].sort((a, b) => a - b)) {
    const g = byDay.get(day)!;
    if (g.s.length < minSymbols) continue;
    const ic = pearson(g.s, g.r);
    const rankIc = pearson(averageRanks(g.s), averageRanks(g.r));
    if (!Number.isFinite(ic) || !Number.isFinite(rankIc)) continue;
    daily.push({ day, ic, rankIc, symbols: g.s.length });
  }
  return { days: daily.length, ic: summarize(daily.map((d) => d.ic), opts.horizon), rankIc: summarize(daily.map((d) => d.rankIc), opts.horizon), daily };
}

export interface LongShortResult {
  /** Calendar position of each return's day (close d−1 -> close d). */
  day: Int32Array;
  /** Net daily long-short return: mean of longs − mean of shorts − costs; 0 on flat days. */
  returns: Float64Array;
  /** Days on which one side was empty, so the book was flat. */
  flatDays: number;
  /** Mean daily traded notional (sum of |Δw| over both sides). */
  turnover: number;
  mean: number;
  /** Annualised (√252) Sharpe of the daily long-short returns; a long-short book is its own excess return. */
  sharpe: number;
  skewness: number;
  kurtosis: number;
}

/**
 * Daily long-short return of a signal, traded honestly: predictions made at close t (from data
 * up to t) execute at close t+1 and earn close t+1 -> close t+2 (the backtest's next-close
 * convention); the book is rebalanced daily and held one day, so returns never overlap (unlike
 * the h-day forward windows of the labels, whose overlap would inflate a Sharpe ratio).
 * Equal weights: +1/n_buy on each symbol predicted buy, −1/n_sell on each predicted sell; a
 * day with either side empty is flat (0), so the book never turns into a directional market
 * bet. `dailyReturns[s][d]` is symbol s's return on calendar day d (close d−1 -> close d); a
 * symbol with no return that day is left out of its side.
 */
export function dailyLongShort(
  rows: { day: ArrayLike<number>; symbol: ArrayLike<number>; prediction: ArrayLike<number> },
  dailyReturns: ArrayLike<number>[],
  opts: { buy: number; sell: number; costBps?: number },
): LongShortResult {
  const costRate = (opts.costBps ?? 0) / 1e4;
  const calendar = Math.min(...dailyReturns.map((r) => r.length));
  const decisions = new Map<number, { longs: number[]; shorts: number[] }>();
  for (let i = 0; i < rows.day.length; i++) {
    const t = rows.day[i];
    const s = rows.symbol[i];
    if (!(s >= 0 && s < dailyReturns.length)) throw new RangeError(`dailyLongShort: row ${i} symbol ${s} has no return series`);
    const g = decisions.get(t) ?? { longs: [], shorts: [] };
    if (rows.prediction[i] === opts.buy) g.longs.push(s);
    else if (rows.prediction[i] === opts.sell) g.shorts.push(s);
    decisions.set(t, g);
  }
  const days: number[] = [];
  const returns: number[] = [];
  let flatDays = 0;
  let turnoverSum = 0;
  let prevWeights = new Map<number, number>();
  for (const t of [...decisions.keys()].sort((a, b) => a - b)) {
    const d = t + 2;
    if (d >= calendar) continue;
    const g = decisions.get(t)!;
    const longs = g.longs.filter((s) => Number.isFinite(dailyReturns[s][d]));
    const shorts = g.shorts.filter((s) => Number.isFinite(dailyReturns[s][d]));
    const weights = new Map<number, number>();
    if (longs.length > 0 && shorts.length > 0) {
      for (const s of longs) weights.set(s, (weights.get(s) ?? 0) + 1 / longs.length);
      for (const s of shorts) weights.set(s, (weights.get(s) ?? 0) - 1 / shorts.length);
    } else flatDays++;
    let traded = 0;
    for (const s of new Set([...weights.keys(), ...prevWeights.keys()])) traded += Math.abs((weights.get(s) ?? 0) - (prevWeights.get(s) ?? 0));
    let r = 0;
    for (const [s, w] of weights) r += w * dailyReturns[s][d];
    days.push(d);
    returns.push(r - costRate * traded);
    turnoverSum += traded;
    prevWeights = weights;
  }
  const m = sampleMoments(returns);
  return {
    day: Int32Array.from(days),
    returns: Float64Array.from(returns),
    flatDays,
    turnover: days.length > 0 ? turnoverSum / days.length : 0,
    mean: m.mean,
    sharpe: m.sd > 0 ? (m.mean / m.sd) * Math.sqrt(252) : NaN,
    skewness: m.skewness,
    kurtosis: m.kurtosis,
  };
}
