import { describe, expect, it } from 'vitest';
import type { Classifier } from '../../../src/models/classifier';
import { createModel, DEFAULT_MODEL_KINDS, ENSEMBLE_KINDS, modelFromJSON } from '../../../src/models/modelKinds';
import { accuracyOf, agreement, maxAbsDiff, meanAbsDiff, nonlinearProblem, pickRows } from '../../helpers/problems';

/**
 * Every ensemble member on the same contract. Params keep each fit to a second or two;
 * `exact` are the settings under which weights must be exactly equivalent to duplication or
 * removal (no bootstrap or row subsampling, row-count leaf limits at 1, full batches, bin
 * edges by weight: the boosters' default edges count rows, see tree/binning.ts).
 */
const CASES: [kind: string, params: Record<string, unknown>, floor: number, exact: Record<string, unknown>][] = [
  ['random_forest', { nTrees: 30, maxDepth: 8 }, 0.85, { bootstrap: false, minSamplesLeaf: 1 }],
  ['extra_trees', { nTrees: 30, maxDepth: 10 }, 0.8, { minSamplesLeaf: 1 }],
  ['xgboost', { nRounds: 60, maxDepth: 4 }, 0.85, { earlyStoppingRounds: 0, binning: 'weighted' }],
  ['lightgbm', { nRounds: 60, maxLeaves: 15, minDataInLeaf: 10 }, 0.85, { minDataInLeaf: 1, earlyStoppingRounds: 0, binning: 'weighted' }],
  ['gradient_boosting', { nRounds: 60 }, 0.85, {}],
  ['mlp', { hidden: [32, 16], epochs: 40, batchSize: 128, learningRate: 5e-3 }, 0.85, { batchSize: 100000, epochs: 15 }],
  ['logistic', { maxIter: 300 }, 0.5, {}],
  ['svm', { kernel: 'rbf', nComponents: 128, gamma: 0.5, maxIter: 200 }, 0.8, { kernel: 'linear', maxIter: 100 }],
];

it('covers all eight ensemble kinds', () => {
  expect(CASES.map((c) => c[0]).sort()).toEqual([...ENSEMBLE_KINDS].sort());
  expect(ENSEMBLE_KINDS).toHaveLength(8);
  expect(DEFAULT_MODEL_KINDS).toEqual([...ENSEMBLE_KINDS, 'trm']);
});

describe.each(CASES)('%s', (kind, params, floor, exact) => {
  const train = nonlinearProblem(1500, 1);
  const test = nonlinearProblem(800, 2);

  it(`beats ${floor} accuracy on a known nonlinear problem, is seeded, and round-trips through JSON`, async () => {
    const m = createModel(kind, params);
    await m.fit(train.X, train.y, undefined, { nClasses: 3, seed: 5 });
    expect(accuracyOf(m, test.X, test.y)).toBeGreaterThan(floor);
    const back = modelFromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    expect(back.name).toBe(kind);
    expect(Array.from(back.predictProba(test.X))).toEqual(Array.from(m.predictProba(test.X)));
    const again = createModel(kind, params);
    await again.fit(train.X, train.y, undefined, { nClasses: 3, seed: 5 });
    expect(Array.from(again.predictProba(test.X))).toEqual(Array.from(m.predictProba(test.X)));
  });

  it('weight 0 is the row removed, weight 2 is the row duplicated, and weights move predictions', async () => {
    const n = 400;
    const sub = nonlinearProblem(n, 3);
    const p = { ...params, ...exact };
    const fitted = async (X: typeof sub.X, y: Int32Array, w?: Float64Array) => {
      const m = createModel(kind, p);
      await m.fit(X, y, w, { nClasses: 3, seed: 9 });
      return m.predictProba(test.X);
    };
    const all = Array.from({ length: n }, (_, i) => i);
    const kept = all.filter((i) => i % 4 !== 0);
    const zero = await fitted(sub.X, sub.y, Float64Array.from(all, (i) => (i % 4 === 0 ? 0 : 1)));
    const removed = await fitted(pickRows(sub.X, kept), Int32Array.from(kept, (i) => sub.y[i]));
    expect(maxAbsDiff(zero, removed)).toBeLessThan(kind === 'mlp' ? 1e-4 : 1e-6);

    // Duplication changes float summation order, which can flip an exact tie between two
    // splits for a handful of points; on average the models must agree to 1e-3.

    const doubledRows = all.flatMap((i) => (i % 3 === 0 ? [i, i] : [i]));
    const twice = await fitted(sub.X, sub.y, Float64Array.from(all, (i) => (i % 3 === 0 ? 2 : 1)));
    const duplicated = await fitted(pickRows(sub.X, doubledRows), Int32Array.from(doubledRows, (i) => sub.y[i]));
    expect(meanAbsDiff(twice, duplicated)).toBeLessThan(1e-3);
    expect(agreement(twice, duplicated, 3)).toBeGreaterThan(0.99);

    // Weights matter where classes overlap: with noisy labels, weighting class 2 by 8 must
    // widen its region (on clean data a strong model can learn every region whatever the weights).
    const noisy = nonlinearProblem(n, 3, 0.25);
    const heavy = await fitted(noisy.X, noisy.y, Float64Array.from(noisy.y, (c) => (c === 2 ? 8 : 1)));
    const plain = await fitted(noisy.X, noisy.y);
    const count2 = (proba: Float64Array) => {
      let c = 0;
      for (let i = 0; i < proba.length / 3; i++) if (proba[i * 3 + 2] > proba[i * 3] && proba[i * 3 + 2] > proba[i * 3 + 1]) c++;
      return c;
    };
    const meanP2 = (proba: Float64Array) => Array.from({ length: proba.length / 3 }, (_, i) => proba[i * 3 + 2]).reduce((a, b) => a + b, 0) / (proba.length / 3);
    expect(meanP2(heavy)).toBeGreaterThan(meanP2(plain) + 0.02);
    expect(count2(heavy)).toBeGreaterThan(count2(plain) + 10);
  });

  it('handles a class missing from the training data', async () => {
    const keep = Array.from({ length: train.X.rows }, (_, i) => i).filter((i) => train.y[i] !== 1);
    const m = createModel(kind, params);
    await m.fit(pickRows(train.X, keep), Int32Array.from(keep, (i) => train.y[i]), undefined, { nClasses: 3, seed: 1 });
    const proba = m.predictProba(test.X);
    expect(proba.length).toBe(test.X.rows * 3);
    for (let i = 0; i < test.X.rows; i++) expect(proba[i * 3] + proba[i * 3 + 1] + proba[i * 3 + 2]).toBeCloseTo(1, 6);
    expect(Array.from(proba).every(Number.isFinite)).toBe(true);
  });

  it('rejects NaN and shape errors with clear messages', async () => {
    const m = createModel(kind, params);
    const bad = { data: Float64Array.from(train.X.data), rows: train.X.rows, cols: 5 };
    bad.data[7] = NaN;
    await expect(m.fit(bad, train.y, undefined, { nClasses: 3 })).rejects.toThrow(/non-finite value NaN at row 1, column 2/);
    await expect(m.fit(train.X, train.y.subarray(1), undefined, { nClasses: 3 })).rejects.toThrow(/y has 1499 labels but X has 1500 rows/);
    await m.fit(train.X, train.y, undefined, { nClasses: 3, seed: 1 });
    expect(() => m.predictProba({ data: new Float64Array(8), rows: 2, cols: 4 })).toThrow(/expected 5 features, got 4/);
  });

  it('reports progress and stops when cancelled', async () => {
    const m = createModel(kind, params);
    const ac = new AbortController();
    let steps = 0;
    const fit = m.fit(train.X, train.y, undefined, {
      nClasses: 3,
      signal: ac.signal,
      onProgress: () => {
        steps++;
        ac.abort();
      },
    });
    await expect(fit).rejects.toThrow(/cancelled|aborted/);
    expect(steps).toBe(1);
  });
});

describe('model registry', () => {
  it('rejects unknown kinds and bad hyperparameters', () => {
    expect(() => createModel('nope')).toThrow(/unknown model kind "nope"/);
    expect(() => createModel('random_forest', { nTrees: 0 })).toThrow(/nTrees must be >= 1/);
    expect(() => createModel('xgboost', { learningRate: 2 })).toThrow(/learningRate must be in \(0, 1\]/);
    expect(() => createModel('lightgbm', { binning: 'hessian' })).toThrow(/binning must be "rows" or "weighted", got "hessian"/);
    expect(() => createModel('extra_trees', { binning: 'hessian' })).toThrow(/binning must be "rows" or "weighted"/);
    expect(() => createModel('svm', { kernel: 'poly' })).toThrow(/kernel must be "linear" or "rbf"/);
  });
  it('refuses to load an artifact of another kind', () => {
    const json = createModel('logistic').toJSON();
    expect(() => modelFromJSON({ ...json, name: 'mystery' })).toThrow(/unknown model kind "mystery"/);
  });
});

export type { Classifier };

describe.each([
  ['random_forest', { nTrees: 30, maxDepth: 6 }],
  ['extra_trees', { nTrees: 30, maxDepth: 6 }],
  ['xgboost', { nRounds: 40, maxDepth: 3 }],
  ['lightgbm', { nRounds: 40, maxLeaves: 8 }],
  ['gradient_boosting', { nRounds: 40 }],
])('%s checkpoints', (kind, params) => {
  it('resuming from a checkpoint gives exactly the uninterrupted model', async () => {
    const train = nonlinearProblem(800, 31);
    const val = nonlinearProblem(300, 32);
    const test = nonlinearProblem(300, 33);
    const opts = { nClasses: 3, seed: 2, validation: val, checkpointEvery: 10 };
    const straight = createModel(kind, params);
    await straight.fit(train.X, train.y, undefined, opts);
    // Crash after the second checkpoint...
    const crashed = createModel(kind, params);
    let saved: { state: unknown; it: number } | null = null;
    await expect(
      crashed.fit(train.X, train.y, undefined, {
        ...opts,
        onCheckpoint: async (state, it) => {
          saved = { state: JSON.parse(JSON.stringify(state())), it };
          if (it >= 20) throw new Error('worker died');
        },
      }),
    ).rejects.toThrow('worker died');
    expect(saved!.it).toBe(20);
    // ...and resume in a fresh process-like model.
    const resumed = createModel(kind, params);
    const report = await resumed.fit(train.X, train.y, undefined, { ...opts, resumeFrom: saved!.state as never });
    expect(report.resumedFrom).toBe(20);
    expect(Array.from(resumed.predictProba(test.X))).toEqual(Array.from(straight.predictProba(test.X)));
    // A checkpoint of another configuration is refused.
    await expect(createModel(kind, { ...params, seed: 99, maxDepth: 2 }).fit(train.X, train.y, undefined, { ...opts, resumeFrom: saved!.state as never })).rejects.toThrow(/checkpoint does not match/);
  });
});
