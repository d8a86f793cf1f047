import { describe, expect, it } from 'vitest';
import { mean, sampleMoments, standardDeviation, annualizeSharpe, deflatedSharpeRatio, expectedMaxSharpe, probabilisticSharpeRatio, sharpeRatio, sharpeSample, sharpeStandardError } from '../../../../src/evaluation/stats';
import { Rng } from '../../../../src/util/rng';

describe('Sharpe statistics (Bailey & López de Prado)', () => {
  it('reproduces the worked example of "The Deflated Sharpe Ratio" (2014)', () => {
    // 100 trials, annualised SR variance 1/2, best annualised SR 2.5 over 5 years of daily
    // data (T = 1250, 250 days a year), skewness −3, kurtosis 10. The paper reports
    // E[max SR] ≈ 0.1132 per day and DSR ≈ 0.9004 (mpmath to 30 digits: 0.113172, 0.900397).
    const perDaySr = 2.5 / Math.sqrt(250);
    const sr0 = expectedMaxSharpe(100, 0.5 / 250);
    expect(sr0).toBeCloseTo(0.113172001865132, 12);
    const d = deflatedSharpeRatio({ sharpe: perDaySr, n: 1250, skewness: -3, kurtosis: 10 }, 100, 0.5 / 250);
    expect(d.dsr).toBeCloseTo(0.900396834449391, 12);
    expect(d.expectedMaxSharpe).toBe(sr0);
    // Feeding the ANNUALISED SR would be a units bug: it would give a DSR of 1.
    expect(deflatedSharpeRatio({ sharpe: 2.5, n: 1250, skewness: -3, kurtosis: 10 }, 100, 0.5).dsr).toBeGreaterThan(0.999);
    expect(probabilisticSharpeRatio({ sharpe: perDaySr, n: 1250, skewness: -3, kurtosis: 10 }, 0)).toBeCloseTo(0.999996859507898, 12);
  });

  it('E[max SR] matches the simulated mean maximum of N standard normals', () => {
    const rng = new Rng(1);
    for (const N of [10, 100]) {
      let s = 0;
      const reps = 20_000;
      for (let r = 0; r < reps; r++) {
        let m = -Infinity;
        for (let k = 0; k < N; k++) m = Math.max(m, rng.normal());
        s += m;
      }
      expect(Math.abs(expectedMaxSharpe(N, 1) / (s / reps) - 1)).toBeLessThan(0.03);
    }
    expect(expectedMaxSharpe(1, 4)).toBe(0);
    expect(expectedMaxSharpe(50, 4)).toBeCloseTo(2 * expectedMaxSharpe(50, 1), 14);
  });

  it('per-period Sharpe and its annualisation', () => {
    const r = [0.01, -0.005, 0.02, 0.0, 0.003];
    expect(sharpeRatio(r)).toBeCloseTo(mean(r) / standardDeviation(r), 15);
    expect(annualizeSharpe(0.1)).toBeCloseTo(0.1 * Math.sqrt(252), 15);
    expect(sharpeRatio([0.01, 0.01])).toBeNaN();
  });

  it('the SE formula with skewness matches the simulated spread of SR estimates', () => {
    // Strongly left-skewed returns (a sold-volatility profile) with a true per-period SR of 0.2.
    const draw = (rng: Rng) => -Math.exp(0.8 * rng.normal());
    const pop = new Rng(2);
    const big = Float64Array.from({ length: 1_000_000 }, () => draw(pop));
    const pm = sampleMoments(big);
    const shift = 0.2 * pm.sd - pm.mean; // makes the true SR 0.2
    const n = 400;
    const rng = new Rng(3);
    const srs: number[] = [];
    for (let s = 0; s < 3000; s++) srs.push(sharpeRatio(Float64Array.from({ length: n }, () => draw(rng) + shift)));
    const simulated = standardDeviation(srs);
    const formula = sharpeStandardError({ sharpe: 0.2, n, skewness: pm.skewness, kurtosis: pm.kurtosis });
    const normalOnly = sharpeStandardError({ sharpe: 0.2, n, skewness: 0, kurtosis: 3 });
    expect(pm.skewness).toBeLessThan(-2);
    expect(Math.abs(formula / simulated - 1)).toBeLessThan(0.1);
    expect(Math.abs(normalOnly / simulated - 1)).toBeGreaterThan(0.15);
  });

  it('PSR(0) of a zero-edge strategy exceeds 0.95 in about 5% of samples', () => {
    const rng = new Rng(4);
    let hits = 0;
    const sims = 2000;
    for (let s = 0; s < sims; s++) {
      const r = Float64Array.from({ length: 250 }, () => 0.01 * rng.normal());
      if (probabilisticSharpeRatio(sharpeSample(r), 0) > 0.95) hits++;
    }
    expect(hits / sims).toBeGreaterThan(0.035);
    expect(hits / sims).toBeLessThan(0.065);
  });

  it('selecting the best of 20 noise strategies: DSR >= 0.95 in at most 5% of runs, PSR in far more', () => {
    const rng = new Rng(5);
    const sims = 300;
    let dsrHits = 0;
    let psrHits = 0;
    for (let s = 0; s < sims; s++) {
      const samples = Array.from({ length: 20 }, () => sharpeSample(Float64Array.from({ length: 500 }, () => 0.01 * rng.fatTail(5))));
      const srs = samples.map((x) => x.sharpe);
      const best = samples[srs.indexOf(Math.max(...srs))];
      const variance = standardDeviation(srs) ** 2;
      if (deflatedSharpeRatio(best, 20, variance).dsr >= 0.95) dsrHits++;
      if (probabilisticSharpeRatio(best, 0) >= 0.95) psrHits++;
    }
    expect(dsrHits / sims).toBeLessThanOrEqual(0.05);
    expect(psrHits / sims).toBeGreaterThan(0.4);
  });

  it('a real edge survives deflation', () => {
    const rng = new Rng(6);
    const samples = Array.from({ length: 20 }, (_, k) => sharpeSample(Float64Array.from({ length: 1500 }, () => (k === 7 ? 0.002 : 0) + 0.01 * rng.normal())));
    const srs = samples.map((x) => x.sharpe);
    expect(srs.indexOf(Math.max(...srs))).toBe(7);
    expect(deflatedSharpeRatio(samples[7], 20, standardDeviation(srs) ** 2).dsr).toBeGreaterThan(0.95);
  });
});
