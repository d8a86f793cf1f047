import { describe, expect, it } from 'vitest';
import { classificationMetrics } from '../../../../src/evaluation/metrics';
import { bootstrapReplicates, standardDeviation, pairedComparison, confusionStatistic, meanStatistic, defaultMeanBlock, StationaryBootstrap } from '../../../../src/evaluation/stats';
import { Rng } from '../../../../src/util/rng';

describe('stationary bootstrap', () => {
  it('documented default block lengths', () => {
    expect(defaultMeanBlock(252, 5)).toBe(10);
    expect(defaultMeanBlock(6000, 5)).toBe(19);
    expect(defaultMeanBlock(8, 1)).toBe(2);
  });

  it('blocks have geometric lengths of the requested mean and every row is drawn equally often', () => {
    const n = 200;
    const sb = new StationaryBootstrap(n, new Rng(1), { meanBlock: 8 });
    const idx = new Int32Array(sb.capacity);
    const freq = new Float64Array(n);
    let blocks = 0;
    let drawn = 0;
    const B = 5000;
    for (let b = 0; b < B; b++) {
      const len = sb.sample(idx);
      expect(len).toBe(n);
      blocks++;
      for (let k = 0; k < len; k++) {
        freq[idx[k]]++;
        if (k > 0 && idx[k] !== (idx[k - 1] + 1) % n) blocks++;
      }
      drawn += len;
    }
    // A new block may start at the next row by chance (1/n), so the count slightly undercounts.
    expect(drawn / blocks).toBeGreaterThan(7.6);
    expect(drawn / blocks).toBeLessThan(8.4);
    // Wrap-around makes the marginal uniform: each row about B times.
    for (const f of freq) expect(Math.abs(f / B - 1)).toBeLessThan(0.12);
  });

  it('moves whole days: grouped rows stay together and in order', () => {
    // 30 days with 1..4 symbols each.
    const groups: number[] = [];
    for (let d = 0; d < 30; d++) for (let s = 0; s <= d % 4; s++) groups.push(d);
    const sb = new StationaryBootstrap(groups.length, new Rng(2), { groups, meanBlock: 3 });
    expect(sb.units).toBe(30);
    const idx = new Int32Array(sb.capacity);
    for (let b = 0; b < 50; b++) {
      const len = sb.sample(idx);
      let k = 0;
      let days = 0;
      while (k < len) {
        const d = groups[idx[k]];
        const size = (d % 4) + 1;
        for (let j = 0; j < size; j++) expect(groups[idx[k + j]]).toBe(d);
        expect(idx[k + size - 1] - idx[k]).toBe(size - 1);
        k += size;
        days++;
      }
      expect(days).toBe(30);
    }
    expect(() => new StationaryBootstrap(3, new Rng(1), { groups: [0, 2, 1] })).toThrow(/time-ordered, but groups\[2\] = 1 < groups\[1\] = 2/);
  });

  it('keeps serial dependence: the SE of an AR(1) mean matches its long-run value, not the iid one', () => {
    const rng = new Rng(4);
    const n = 2000;
    const x = new Float64Array(n);
    for (let t = 1; t < n; t++) x[t] = 0.5 * x[t - 1] + rng.normal();
    const boot = bootstrapReplicates(meanStatistic([x], { name: 'mean', higherIsBetter: true }), { resamples: 1500, rng: new Rng(5), meanBlock: 25 });
    const se = standardDeviation(boot.replicates);
    const longRun = Math.sqrt(4 / n); // σ²/(1−φ)² = 4
    const iid = standardDeviation(x) / Math.sqrt(n);
    expect(se / longRun).toBeGreaterThan(0.8);
    expect(se / longRun).toBeLessThan(1.15);
    expect(se / iid).toBeGreaterThan(1.4);
  });

  it('is reproducible from its seed', () => {
    const a = new StationaryBootstrap(100, new Rng(9));
    const b = new StationaryBootstrap(100, new Rng(9));
    const c = new StationaryBootstrap(100, new Rng(10));
    const [ia, ib, ic] = [new Int32Array(100), new Int32Array(100), new Int32Array(100)];
    a.sample(ia);
    b.sample(ib);
    c.sample(ic);
    expect(Array.from(ia)).toEqual(Array.from(ib));
    expect(Array.from(ia)).not.toEqual(Array.from(ic));
  });
});

/** Predictions that are right with probability `skill`, else a uniform random class. */
function noisyPredictor(y: Int32Array, K: number, skill: number, rng: Rng): Int32Array {
  return Int32Array.from(y, (t) => (rng.next() < skill ? t : rng.int(K)));
}

describe('resampled statistics', () => {
  it('macro-F1 and balanced accuracy on all rows equal src/evaluation/metrics/metrics.ts', () => {
    const rng = new Rng(7);
    const K = 4;
    // Class 3 never occurs and class 2 is never predicted by the first candidate: both edge cases count.
    const y = Int32Array.from({ length: 300 }, () => rng.int(3));
    const p1 = Int32Array.from(y, (t) => (rng.next() < 0.6 ? t : [0, 1, 3][rng.int(3)])).map((p) => (p === 2 ? 1 : p));
    const p2 = noisyPredictor(y, K, 0.3, rng);
    const all = Int32Array.from({ length: 300 }, (_, i) => i);
    const oneHot = (p: Int32Array) => Float64Array.from({ length: p.length * K }, (_, q) => (p[Math.floor(q / K)] === q % K ? 1 : 0));
    for (const metric of ['macro_f1', 'balanced_accuracy', 'accuracy'] as const) {
      const stat = confusionStatistic(y, [p1, p2], K, metric);
      const out = new Float64Array(2);
      stat.compute(all, all.length, out);
      expect(out[0]).toBeCloseTo(classificationMetrics(oneHot(p1), y, K)![metric], 14);
      expect(out[1]).toBeCloseTo(classificationMetrics(oneHot(p2), y, K)![metric], 14);
    }
    // Repeated rows count with their multiplicity.
    const stat = confusionStatistic(y, [p1], K, 'accuracy');
    const out = new Float64Array(1);
    stat.compute(Int32Array.from([0, 0, 0, 1]), 4, out);
    expect(out[0]).toBe((3 * (p1[0] === y[0] ? 1 : 0) + (p1[1] === y[1] ? 1 : 0)) / 4);
  });
});

describe('paired bootstrap comparison', () => {
  it('placebo: two equally skilled predictors are declared different at the nominal 5% rate', () => {
    let rejections = 0;
    const sims = 200;
    for (let s = 0; s < sims; s++) {
      const rng = new Rng(1000 + s);
      const y = Int32Array.from({ length: 300 }, () => rng.int(3));
      const a = noisyPredictor(y, 3, 0.3, rng);
      const b = noisyPredictor(y, 3, 0.3, rng);
      const boot = bootstrapReplicates(confusionStatistic(y, [a, b], 3, 'macro_f1'), { resamples: 300, rng: rng.fork(1), horizon: 1 });
      if (pairedComparison(boot, 0, 1).pValue <= 0.05) rejections++;
    }
    expect(rejections / sims).toBeLessThanOrEqual(0.08);
    expect(rejections / sims).toBeGreaterThanOrEqual(0.01);
  });

  it('detects a real macro-F1 advantage, with a CI around the true gap', () => {
    const rng = new Rng(11);
    const y = Int32Array.from({ length: 2000 }, () => rng.int(3));
    const a = noisyPredictor(y, 3, 0.5, rng); // accuracy ≈ 0.667
    const b = noisyPredictor(y, 3, 0.3, rng); // accuracy ≈ 0.533
    const boot = bootstrapReplicates(confusionStatistic(y, [a, b], 3, 'macro_f1'), { resamples: 1000, rng: new Rng(12), horizon: 5 });
    const c = pairedComparison(boot, 0, 1);
    expect(c.pValue).toBeLessThan(0.01);
    expect(c.advantage).toBeCloseTo(boot.observed[0] - boot.observed[1], 14);
    expect(c.ci[0]).toBeGreaterThan(0.08);
    expect(c.ci[1]).toBeLessThan(0.19);
    expect(c.se).toBeGreaterThan(0.005);
    // B better than A: p near 1.
    expect(pairedComparison(boot, 1, 0).pValue).toBeGreaterThan(0.95);
  });

  it('lower-is-better metrics flip the sign: lower log loss is the advantage', () => {
    const rng = new Rng(13);
    const good = Float64Array.from({ length: 500 }, () => 0.9 + 0.3 * rng.normal());
    const bad = Float64Array.from(good, (v) => v + 0.1 + 0.3 * rng.normal());
    const boot = bootstrapReplicates(meanStatistic([good, bad], { name: 'log_loss', higherIsBetter: false }), { resamples: 500, rng: new Rng(14) });
    const c = pairedComparison(boot, 0, 1);
    expect(c.advantage).toBeGreaterThan(0.05);
    expect(c.pValue).toBeLessThan(0.01);
  });

  it('day groups: the SE of a cross-sectional mean reflects the day-level shock, not the row count', () => {
    // 400 days x 10 symbols: value = common day shock (sd 1) + idiosyncratic noise (sd 1).
    const rng = new Rng(15);
    const days = 400;
    const groups: number[] = [];
    const v: number[] = [];
    for (let d = 0; d < days; d++) {
      const shock = rng.normal();
      for (let s = 0; s < 10; s++) {
        groups.push(d);
        v.push(shock + rng.normal());
      }
    }
    const stat = meanStatistic([Float64Array.from(v)], { name: 'mean', higherIsBetter: true });
    const byDay = standardDeviation(bootstrapReplicates(stat, { resamples: 800, rng: new Rng(16), groups, meanBlock: 1 }).replicates);
    const byRow = standardDeviation(bootstrapReplicates(stat, { resamples: 800, rng: new Rng(16), meanBlock: 1 }).replicates);
    const truth = Math.sqrt((1 + 1 / 10) / days);
    expect(byDay / truth).toBeGreaterThan(0.88);
    expect(byDay / truth).toBeLessThan(1.12);
    expect(byRow / truth).toBeLessThan(0.5);
  });
});

describe('day-aggregated confusion statistic', () => {
  it('gives the same observed metrics and the same resampled ones as the row version resampling whole days', async () => {
    const { dayConfusionStatistic } = await import('../../../../src/evaluation/stats');
    const { confusionStatistic } = await import('../../../../src/evaluation/stats');
    const { bootstrapReplicates } = await import('../../../../src/evaluation/stats');
    const { Rng } = await import('../../../../src/util/rng');
    const rng = new Rng(4);
    const days = 300;
    const day: number[] = [];
    const y: number[] = [];
    const a: number[] = [];
    const b: number[] = [];
    for (let d = 0; d < days; d++) {
      for (let s = 0; s < 1 + (d % 4); s++) {
        day.push(d);
        const t = rng.int(3);
        y.push(t);
        a.push(rng.next() < 0.5 ? t : rng.int(3));
        b.push(rng.int(3));
      }
    }
    for (const metric of ['macro_f1', 'balanced_accuracy', 'accuracy', 'kappa'] as const) {
      const byDay = bootstrapReplicates(dayConfusionStatistic(y, [a, b], day, 3, metric), { resamples: 50, rng: new Rng(9), meanBlock: 7 });
      const byRow = bootstrapReplicates(confusionStatistic(y, [a, b], 3, metric), { resamples: 50, rng: new Rng(9), meanBlock: 7, groups: day });
      expect(Array.from(byDay.observed)).toEqual(Array.from(byRow.observed).map((v) => expect.closeTo(v, 12)));
      expect(byDay.units).toBe(days);
      for (let k = 0; k < byDay.replicates.length; k++) expect(byDay.replicates[k]).toBeCloseTo(byRow.replicates[k], 12);
    }
  });
});

describe('daily means for the paired bootstrap', () => {
  it('scores each column over the drawn days where it has a value, as a direct average does, and the full sample exactly', async () => {
    const { dailyMeanStatistic } = await import('../../../../src/evaluation/stats');
    const { Rng } = await import('../../../../src/util/rng');
    const rng = new Rng(12);
    const n = 400;
    // A dense column, a regime-masked one (mostly NaN) and one with no value at all.
    const cols = [Float64Array.from({ length: n }, () => rng.normal() * 0.01), Float64Array.from({ length: n }, (_, i) => (i % 7 < 2 ? rng.normal() : NaN)), new Float64Array(n).fill(NaN)];
    const stat = dailyMeanStatistic(cols);
    const direct = (idx: ArrayLike<number>, len: number) =>
      cols.map((c) => {
        let s = 0;
        let k = 0;
        for (let j = 0; j < len; j++) {
          if (Number.isNaN(c[idx[j]])) continue;
          s += c[idx[j]];
          k++;
        }
        return k ? s / k : NaN;
      });
    const all = Int32Array.from({ length: n }, (_, i) => i);
    const out = new Float64Array(3);
    stat.compute(all, n, out);
    expect(Array.from(out)).toEqual(direct(all, n)); // the same summation order: bit for bit
    for (let r = 0; r < 50; r++) {
      // Blocks of consecutive days, wrapping at the end, and repeats, as the stationary bootstrap draws them.
      const idx: number[] = [];
      while (idx.length < n) for (let d = rng.int(n), L = 1 + rng.int(30); L > 0 && idx.length < n; L--, d = (d + 1) % n) idx.push(d);
      stat.compute(Int32Array.from(idx), idx.length, out);
      const want = direct(idx, idx.length);
      expect(out[0]).toBeCloseTo(want[0], 14);
      expect(out[1]).toBeCloseTo(want[1], 12);
      expect(out[2]).toBeNaN();
    }
  });
});
