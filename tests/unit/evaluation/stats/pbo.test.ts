import { describe, expect, it } from 'vitest';
import { InsufficientDataError } from '../../../../src/errors';
import { defaultPartitions, probabilityOfBacktestOverfitting } from '../../../../src/evaluation/stats';
import { Rng } from '../../../../src/util/rng';

/** T x N matrix whose rows within each of 4 partitions (2 rows each) repeat the given partition values. */
function blocks(perCandidate: number[][]): Float64Array {
  const N = perCandidate.length;
  const out = new Float64Array(8 * N);
  for (let t = 0; t < 8; t++) for (let j = 0; j < N; j++) out[t * N + j] = perCandidate[j][Math.floor(t / 2)];
  return out;
}

describe('probability of backtest overfitting (CSCV)', () => {
  it('hand-computed: a candidate that shone once is always the wrong pick', () => {
    // Partition means: A = [3, 0, 0, 0], B = [1, 1, 1, 1]. Of the 6 in-sample halves, the 3
    // containing partition 0 pick A (IS mean 1.5 > 1) which then scores 0 < 1 out of sample;
    // the other 3 pick B (0 < 1 in sample) which then scores 1 < 1.5. Rank 1 of 2 every time:
    // ω = 1/3, λ = ln(1/2), PBO = 1. IS -> OOS pairs (1.5, 0) x3 and (1, 1) x3: slope −2, intercept 3.
    const r = probabilityOfBacktestOverfitting(blocks([[3, 0, 0, 0], [1, 1, 1, 1]]), 8, 2, { partitions: 4, metric: 'mean' });
    expect(r.combinations).toBe(6);
    expect(r.pbo).toBe(1);
    for (const l of r.logits) expect(l).toBeCloseTo(Math.log(0.5), 14);
    expect(r.degradation.slope).toBeCloseTo(-2, 12);
    expect(r.degradation.intercept).toBeCloseTo(3, 12);
    expect(r.probabilityOfLoss).toBe(0);
    // A consistently better candidate: always picked, always ranked first out of sample.
    const good = probabilityOfBacktestOverfitting(blocks([[2, 2, 2, 2], [1, 1, 1, 1]]), 8, 2, { partitions: 4, metric: 'mean' });
    expect(good.pbo).toBe(0);
    for (const l of good.logits) expect(l).toBeCloseTo(Math.log(2), 14);
  });

  it('pure noise: PBO near 1/2; one real edge among noise: PBO near 0', () => {
    const T = 1000;
    const N = 10;
    const noisePbo: number[] = [];
    for (let s = 0; s < 8; s++) {
      const rng = new Rng(100 + s);
      const m = Float64Array.from({ length: T * N }, () => rng.normal());
      const r = probabilityOfBacktestOverfitting(m, T, N);
      expect(r.partitions).toBe(16);
      expect(r.combinations).toBe(12870);
      noisePbo.push(r.pbo);
    }
    const avg = noisePbo.reduce((a, b) => a + b, 0) / noisePbo.length;
    expect(avg).toBeGreaterThan(0.35);
    expect(avg).toBeLessThan(0.65);
    const rng = new Rng(200);
    const edge = Float64Array.from({ length: T * N }, (_, i) => rng.normal() + (i % N === 3 ? 0.25 : 0));
    const r = probabilityOfBacktestOverfitting(edge, T, N);
    expect(r.pbo).toBeLessThan(0.05);
    expect(r.probabilityOfLoss).toBeLessThan(0.05);
  });

  it('fewer partitions for short histories, and clear errors', () => {
    expect(defaultPartitions(1000)).toBe(16);
    expect(defaultPartitions(100)).toBe(10);
    expect(defaultPartitions(45)).toBe(4);
    expect(() => probabilityOfBacktestOverfitting(new Float64Array(30 * 2), 30, 2)).toThrow(InsufficientDataError);
    expect(() => probabilityOfBacktestOverfitting(new Float64Array(10), 8, 2)).toThrow(/10 values, expected 8 x 2/);
    const bad = new Float64Array(100 * 2);
    bad[77] = NaN;
    expect(() => probabilityOfBacktestOverfitting(bad, 100, 2)).toThrow(/row 38, candidate 1 is NaN/);
  });
});
