import { beforeAll, describe, expect, it } from 'vitest';
import { createSource } from '../../../../src/data/sources';
import { datasetsFromSource } from '../../../../src/datasets/datasetFromSource';
import type { Dataset } from '../../../../src/datasets/dataset';
import { shiftTargets } from '../../../../src/datasets/placebo';
import { protocolFolds, memoryFoldCache, runFold, runSelectionProtocol } from '../../../../src/evaluation/protocol';
import { MetaLearner } from '../../../../src/models/metaLearner';
import { parseRunConfig } from '../../../../src/pipeline/runConfig';

// A synthetic market with a planted edge: each stock's volume reveals the sign of its return two days later.
const cfg = parseRunConfig({
  asOf: '2014-06-30',
  tasks: ['signal'],
  models: ['logistic', 'random_forest'],
  config: {
    dataset: { split: { foldDays: 1008 }, signal: { sampleSize: 2500, symbols: ['XLK', 'XLF', 'XLE', 'AAPL'] } },
    gate: { bootstrapReps: 400 },
    modelParams: { random_forest: { nTrees: 20, maxDepth: 7 }, logistic: { maxIter: 200 } },
  },
});

async function signalDataset(planted: number): Promise<Dataset> {
  const b = await datasetsFromSource(createSource({ kind: 'synthetic', seed: 11, planted }), { asOf: cfg.asOf, tasks: ['signal'], config: cfg.config.dataset });
  return b.datasets.signal!;
}

describe('the selection protocol on a planted edge and on its placebo', () => {
  let planted: Dataset;
  beforeAll(async () => {
    planted = await signalDataset(0.03);
  }, 120_000);

  it('promotes a genuinely predictable signal, and refuses the same data with its labels permuted in blocks', async () => {
    const progress: string[] = [];
    const real = await runSelectionProtocol(planted, cfg, { onProgress: (w) => progress.push(w) });
    expect(real.decision.promoted).toBe(true);
    // The activity heartbeats between the walk-forward meta-learner's windows (one fit each).
    const windows = real.document.folds.length;
    expect(progress.filter((w) => /^meta-learner window \d+ of \d+$/.test(w))).toEqual(Array.from({ length: windows }, (_, k) => `meta-learner window ${k + 1} of ${windows}`));
    expect(real.decision.pValue!).toBeLessThanOrEqual(0.05);
    expect(real.document.folds.length).toBeGreaterThanOrEqual(3);
    // Every candidate and baseline is scored on the same pooled out-of-sample rows.
    const n = (real.document.candidates[0].metrics.all as { n: number }).n;
    for (const e of [...real.document.candidates, ...real.document.baselines]) expect((e.metrics.all as { n: number }).n).toBe(n);
    const placebo = await runSelectionProtocol(shiftTargets(planted, 1), cfg);
    expect(placebo.decision.promoted).toBe(false);
    expect(placebo.decision.reason).toMatch(/(long_short_beats_baseline|beats_static_twin) \(\w+ (long-short|net) return over (flat|its static twin): .* p = [0-9.]+ corrected for 3 candidates/);
  }, 240_000);

  it('a placebo rotates every target against the features by at least the minimum shift, the cross-section together', () => {
    const p = shiftTargets(planted, 3, 252);
    expect(p.placebo.offsetDays).toBeGreaterThanOrEqual(252);
    expect(p.placebo.offsetDays).toBeLessThanOrEqual(p.placebo.span[1] - p.placebo.span[0] + 1 - 252);
    expect(p.rows).toBe(planted.rows - p.placebo.droppedRows);
    const [a, b] = p.placebo.span;
    const rho = (d: number) => a + ((d - a + p.placebo.offsetDays) % (b - a + 1));
    const rowOf = new Map(Array.from({ length: planted.rows }, (_, i) => [`${planted.t[i]}:${planted.symbol[i]}`, i]));
    for (let i = 0; i < p.rows; i += 97) {
      const j = rowOf.get(`${p.t[i]}:${p.symbol[i]}`)!;
      // Features, day, symbol and regime stay; the label and forward return come from day rho(t).
      expect(Array.from(p.X.subarray(i * p.cols, (i + 1) * p.cols))).toEqual(Array.from(planted.X.subarray(j * p.cols, (j + 1) * p.cols)));
      expect(p.regime[i]).toBe(planted.regime[j]);
      const src = rowOf.get(`${rho(p.t[i])}:${p.symbol[i]}`)!;
      expect(p.y[i]).toBe(planted.y[src]);
      expect(p.pnl[i]).toBe(planted.pnl[src]);
    }
    // Each symbol's daily returns move with its labels.
    const n = planted.dates.length;
    const d = a + 500;
    expect(p.symbolReturns[n + d]).toBe(planted.symbolReturns[n + rho(d)]);
    expect(p.market.spy[d]).toBe(planted.market.spy[rho(d)]);
    expect(() => shiftTargets(planted, 1, 5000)).toThrow(/cannot be shifted by at least 5000 days/);
  });

  it('reuses a fold when configuration and training rows are unchanged, re-predicts a grown window, refits changed data', async () => {
    const plan = protocolFolds(planted, cfg.config.dataset);
    const s = { dataset: cfg.config.dataset, gap: plan.gap, feed: 't' };
    const spec = { kind: 'logistic', params: { maxIter: 50 } };
    const cache = memoryFoldCache();
    const first = await runFold(planted, plan.cv[0], spec, s, cache);
    expect(first.source).toBe('fitted');
    const again = await runFold(planted, plan.cv[0], spec, s, cache);
    expect(again.source).toBe('reused');
    expect(Array.from(again.proba)).toEqual(Array.from(first.proba));
    const grown = await runFold(planted, { ...plan.cv[0], test: { from: plan.cv[0].test!.from, to: plan.cv[0].test!.to + 5 } }, spec, s, cache);
    expect(grown.source).toBe('repredicted');
    const changed = { ...planted, X: Float32Array.from(planted.X) };
    changed.X[0] += 1; // one training value differs: a different training set
    expect((await runFold(changed, plan.cv[0], spec, s, cache)).source).toBe('fitted');
    expect((await runFold(planted, plan.cv[0], { ...spec, params: { maxIter: 51 } }, s, cache)).source).toBe('fitted');
  }, 120_000);
});

describe('meta-learner cross-fitting', () => {
  it('purges the days around the split of its two halves', async () => {
    const rows = 200;
    const y = Int32Array.from({ length: rows }, (_, i) => i % 2);
    // Member 0 knows the label, member 1 says 50/50: columns [m0 p0, m0 p1, m1 p0, m1 p1].
    const X = { data: Float64Array.from({ length: rows * 4 }, (_, q) => (q % 4 >= 2 ? 0.5 : (q % 4 === y[q >> 2] ? 0.8 : 0.2))), rows, cols: 4 };
    const days = Int32Array.from({ length: rows }, (_, i) => i);
    const meta = new MetaLearner({ method: 'soft_vote', stackL2: 0.01 });
    await meta.fit(X, y, undefined, { nClasses: 2 });
    const purged = await meta.crossFitProba(X, y, undefined, days, 1000);
    // Everything is within the purge of the boundary: nothing can be fitted, so predictions are uniform.
    expect(Array.from(purged).every((p) => p === 0.5)).toBe(true);
    const honest = await meta.crossFitProba(X, y, undefined, days, 5);
    expect(Array.from(honest).some((p) => p !== 0.5)).toBe(true);
  });
});
