import { describe, expect, it } from 'vitest';
import { mean, neweyWestStandardError, quantileSorted, sampleMoments, standardDeviation, normalCdf, normalQuantile } from '../../../../src/evaluation/stats';
import { Rng } from '../../../../src/util/rng';

// Reference values computed independently with mpmath (30 digits): erfc and erfinv.
describe('normal distribution', () => {
  it('Φ matches 30-digit references, in the tails too (relative error)', () => {
    const cases: [number, number][] = [
      [0, 0.5],
      [-0.5, 0.3085375387259869],
      [3, 0.9986501019683699],
      [-6, 9.86587645037698e-10],
      [-8.5, 9.479534822203318e-18],
      [-12, 1.776482112077679e-33],
    ];
    for (const [x, p] of cases) expect(Math.abs(normalCdf(x) - p) / p).toBeLessThan(1e-12);
    expect(normalCdf(8.5)).toBe(1 - 9.479534822203318e-18);
    expect(normalCdf(Infinity)).toBe(1);
  });

  it('Φ⁻¹ matches references and inverts Φ', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.9599639845400543, 13);
    expect(normalQuantile(0.99)).toBeCloseTo(2.326347874040841, 13);
    expect(normalQuantile(0.3)).toBeCloseTo(-0.5244005127080408, 13);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404057, 11);
    for (const p of [1e-8, 0.01, 0.2, 0.5, 0.77, 0.999]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 14);
    expect(() => normalQuantile(1.2)).toThrow(/p must be in \[0, 1\]/);
  });
});

describe('descriptive statistics', () => {
  it('moments of a small sample by hand', () => {
    const x = [1, 2, 3, 10];
    // mean 4; deviations -3 -2 -1 6; m2 = 50/4, m3 = (-27-8-1+216)/4 = 45, m4 = (81+16+1+1296)/4 = 348.5
    const m = sampleMoments(x);
    expect(m.mean).toBe(4);
    expect(m.sd).toBeCloseTo(Math.sqrt(50 / 3), 14);
    expect(m.skewness).toBeCloseTo(45 / 12.5 ** 1.5, 14);
    expect(m.kurtosis).toBeCloseTo(348.5 / 12.5 ** 2, 14);
    expect(mean(x)).toBe(4);
    expect(standardDeviation(x)).toBeCloseTo(Math.sqrt(50 / 3), 14);
    expect(quantileSorted([1, 2, 3, 10], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 10], 1)).toBe(10);
  });

  it('Newey–West widens the standard error of an MA(4) mean to its long-run value', () => {
    // Overlapping 5-day sums of iid noise: long-run variance 25 vs variance 5.
    const rng = new Rng(3);
    const e = Array.from({ length: 40_004 }, () => rng.normal());
    const x = Array.from({ length: 40_000 }, (_, t) => e[t] + e[t + 1] + e[t + 2] + e[t + 3] + e[t + 4]);
    const iid = standardDeviation(x) / Math.sqrt(x.length);
    const hac = neweyWestStandardError(x, 10);
    expect(iid).toBeCloseTo(Math.sqrt(5 / 40_000), 3);
    expect(hac / Math.sqrt(25 / 40_000)).toBeGreaterThan(0.9);
    expect(hac / Math.sqrt(25 / 40_000)).toBeLessThan(1.1);
    expect(neweyWestStandardError(x, 0)).toBeCloseTo(iid, 4);
  });
});
