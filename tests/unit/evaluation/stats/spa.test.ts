import { describe, expect, it } from 'vitest';
import { bootstrapReplicates, pairedComparison, confusionStatistic, meanStatistic, superiorPredictiveAbility } from '../../../../src/evaluation/stats';
import { Rng } from '../../../../src/util/rng';

const noisy = (y: Int32Array, K: number, skill: number, rng: Rng) => Int32Array.from(y, (t) => (rng.next() < skill ? t : rng.int(K)));

describe('best-of-K correction (Hansen SPA, White RC)', () => {
  it('ten candidates no better than the benchmark: SPA rejects at ~5%, the best candidate\'s naive p at ~20%', () => {
    const sims = 150;
    let spa = 0;
    let rc = 0;
    let naive = 0;
    for (let s = 0; s < sims; s++) {
      const rng = new Rng(5000 + s);
      const y = Int32Array.from({ length: 400 }, () => rng.int(3));
      const preds = Array.from({ length: 11 }, () => noisy(y, 3, 0.2, rng));
      const boot = bootstrapReplicates(confusionStatistic(y, preds, 3, 'macro_f1'), { resamples: 250, rng: rng.fork(3), horizon: 1 });
      const r = superiorPredictiveAbility(boot, 0);
      if (r.pValue <= 0.05) spa++;
      if (r.pRealityCheck <= 0.05) rc++;
      if (pairedComparison(boot, r.best, 0).pValue <= 0.05) naive++;
    }
    expect(spa / sims).toBeLessThanOrEqual(0.07);
    expect(rc / sims).toBeLessThanOrEqual(0.07);
    expect(naive / sims).toBeGreaterThan(0.12);
  });

  it('finds the one candidate with a real edge among nine placebos', () => {
    const rng = new Rng(21);
    const y = Int32Array.from({ length: 1500 }, () => rng.int(3));
    const preds = [noisy(y, 3, 0.2, rng), ...Array.from({ length: 9 }, () => noisy(y, 3, 0.2, rng)), noisy(y, 3, 0.32, rng)];
    const boot = bootstrapReplicates(confusionStatistic(y, preds, 3, 'balanced_accuracy'), { resamples: 500, rng: new Rng(22), horizon: 5 });
    const r = superiorPredictiveAbility(boot, 0);
    expect(r.best).toBe(10);
    expect(r.pValue).toBeLessThan(0.01);
    expect(r.candidates).toHaveLength(10);
    expect(r.statistic).toBeGreaterThan(3);
  });

  it('the consistent recentring ignores clearly bad candidates; the upper bound does not', () => {
    // One candidate a bit better than the benchmark (daily gains), five hopeless ones.
    const rng = new Rng(23);
    const n = 500;
    const bench = Float64Array.from({ length: n }, () => rng.normal());
    const fair = Float64Array.from(bench, (b) => b + 0.1 + 0.5 * rng.normal());
    const hopeless = Array.from({ length: 5 }, () => Float64Array.from(bench, (b) => b - 1 + 0.5 * rng.normal()));
    const boot = bootstrapReplicates(meanStatistic([bench, fair, ...hopeless], { name: 'gain', higherIsBetter: true }), { resamples: 1000, rng: new Rng(24) });
    const r = superiorPredictiveAbility(boot, 0);
    expect(r.best).toBe(1);
    expect(r.pLower).toBeLessThanOrEqual(r.pValue);
    expect(r.pValue).toBeLessThanOrEqual(r.pUpper);
    // With only hopeless rivals the consistent p equals the single-candidate test of `fair`.
    const alone = superiorPredictiveAbility(boot, 0, { candidates: [1] });
    expect(Math.abs(r.pValue - alone.pValue)).toBeLessThan(0.01);
    // A benchmark listed as its own candidate is a usage error.
    expect(() => superiorPredictiveAbility(boot, 0, { candidates: [0, 1] })).toThrow(/also listed as a candidate/);
  });

  it('nothing beats the benchmark: p = 1', () => {
    const rng = new Rng(25);
    const bench = Float64Array.from({ length: 300 }, () => rng.normal() + 1);
    const worse = Float64Array.from(bench, (b) => b - 0.5);
    const boot = bootstrapReplicates(meanStatistic([bench, worse], { name: 'gain', higherIsBetter: true }), { resamples: 200, rng: new Rng(26) });
    const r = superiorPredictiveAbility(boot, 0);
    expect(r.statistic).toBe(0);
    expect(r.pValue).toBe(1);
  });
});
