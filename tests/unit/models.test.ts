import { describe, expect, it } from 'vitest';
import type { Classifier, Matrix } from '../../src/models/classifier';
import { createModel, modelFromJSON } from '../../src/models/registry';
import { Rng } from '../../src/util/rng';

/** Three classes by a nonlinear rule on 2 informative features + 3 noise features. */
function problem(n: number, seed: number): { X: Matrix; y: Int32Array } {
  const rng = new Rng(seed);
  const cols = 5;
  const data = new Float64Array(n * cols);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < cols; j++) data[i * cols + j] = rng.normal();
    const a = data[i * cols];
    const b = data[i * cols + 1];
    y[i] = a * a + b * b < 0.8 ? 0 : a > 0 ? 1 : 2;
  }
  return { X: { data, rows: n, cols }, y };
}

const acc = (m: Classifier, X: Matrix, y: Int32Array) => m.predict(X).reduce((s, p, i) => s + (p === y[i] ? 1 : 0), 0) / y.length;

describe.each([
  ['random_forest', { nTrees: 30, maxDepth: 8 }, 0.85],
  ['extra_trees', { nTrees: 30, maxDepth: 10 }, 0.8],
  ['logistic', { maxIter: 300 }, 0.5],
])('%s', (kind, params, floor) => {
  const train = problem(1500, 1);
  const test = problem(800, 2);
  it(`beats ${floor} accuracy on a known problem and round-trips through JSON`, async () => {
    const m = createModel(kind, params);
    await m.fit(train.X, train.y, undefined, { nClasses: 3, seed: 5 });
    expect(acc(m, test.X, test.y)).toBeGreaterThan(floor);
    const back = modelFromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    expect(Array.from(back.predictProba(test.X))).toEqual(Array.from(m.predictProba(test.X)));
  });
  it('zero weight is the same as removing the row', async () => {
    const n = 400;
    const sub = problem(n, 3);
    const w = Float64Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 0 : 1));
    const keep = Array.from({ length: n }, (_, i) => i).filter((i) => i % 4 !== 0);
    const Xr = { data: Float64Array.from(keep.flatMap((i) => Array.from(sub.X.data.subarray(i * 5, i * 5 + 5)))), rows: keep.length, cols: 5 };
    const yr = Int32Array.from(keep, (i) => sub.y[i]);
    const a = createModel(kind, { ...params, bootstrap: false });
    const b = createModel(kind, { ...params, bootstrap: false });
    await a.fit(sub.X, sub.y, w, { nClasses: 3, seed: 9 });
    await b.fit(Xr, yr, undefined, { nClasses: 3, seed: 9 });
    const pa = a.predictProba(test.X);
    const pb = b.predictProba(test.X);
    let maxDiff = 0;
    for (let i = 0; i < pa.length; i++) maxDiff = Math.max(maxDiff, Math.abs(pa[i] - pb[i]));
    expect(maxDiff).toBeLessThan(1e-6);
    // and weights measurably matter: upweighting class 2 shifts predictions towards it
    const heavy = Float64Array.from(sub.y, (c) => (c === 2 ? 8 : 1));
    const c = createModel(kind, params);
    await c.fit(sub.X, sub.y, heavy, { nClasses: 3, seed: 9 });
    const count2 = (m: Classifier) => m.predict(test.X).filter((p) => p === 2).length;
    expect(count2(c)).toBeGreaterThan(count2(a));
  });
  it('rejects NaN and shape errors with clear messages', async () => {
    const m = createModel(kind, params);
    const bad = { data: Float64Array.from(train.X.data), rows: train.X.rows, cols: 5 };
    bad.data[7] = NaN;
    await expect(m.fit(bad, train.y, undefined, { nClasses: 3 })).rejects.toThrow(/non-finite value NaN at row 1, column 2/);
    await expect(m.fit(train.X, train.y.subarray(1), undefined, { nClasses: 3 })).rejects.toThrow(/y has 1499 labels but X has 1500 rows/);
  });
});

describe('model registry', () => {
  it('rejects unknown kinds and bad hyperparameters', () => {
    expect(() => createModel('nope')).toThrow(/unknown model kind "nope"/);
    expect(() => createModel('random_forest', { nTrees: 0 })).toThrow(/nTrees must be >= 1/);
  });
  it('refuses to load an artifact of another kind', () => {
    const json = createModel('logistic').toJSON();
    expect(() => modelFromJSON({ ...json, name: 'mystery' })).toThrow(/unknown model kind "mystery"/);
  });
});
