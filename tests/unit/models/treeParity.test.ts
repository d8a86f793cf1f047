import { describe, expect, it } from 'vitest';
import { XGBoostStyle } from '../../../src/models/boosting/xgboostStyle';
import { LightGBMStyle } from '../../../src/models/boosting/lightgbmStyle';
import { ExtraTrees } from '../../../src/models/extraTrees';
import { createModel } from '../../../src/models/modelKinds';
import { DEFAULT_FOREST } from '../../../src/models/randomForest';
import { nonlinearProblem } from '../../helpers/problems';

describe('boosting hessian scale and initial scores', () => {
  const train = nonlinearProblem(600, 41);

  it("the XGBoost-style model uses XGBoost's softmax hessian 2p(1 - p): one round moves scores about half as far", async () => {
    const one = { nRounds: 1, earlyStoppingRounds: 0, colsampleByTree: 1, lambda: 0, minChildWeight: 0 };
    const xgb = new XGBoostStyle(one);
    expect(xgb.params.hessianScale).toBe(2);
    const plain = new XGBoostStyle({ ...one, hessianScale: 1 });
    await xgb.fit(train.X, train.y, undefined, { nClasses: 3, seed: 1 });
    await plain.fit(train.X, train.y, undefined, { nClasses: 3, seed: 1 });
    const leaves = (m: XGBoostStyle) => (m.toJSON().trees as { value: number[] }[][])[0][0].value;
    const a = leaves(xgb);
    const b = leaves(plain);
    // Same splits (the gain ranks them the same), leaf values halved (lambda 0).
    expect(a.length).toBe(b.length);
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i] / 2, 6);
    expect(new LightGBMStyle().params.hessianScale).toBeUndefined();
  });

  it('zero initial scores start every class equal; bad values are refused', async () => {
    const m = new XGBoostStyle({ nRounds: 1, earlyStoppingRounds: 0, initialScore: 'zero' });
    await m.fit(train.X, train.y, undefined, { nClasses: 3, seed: 1 });
    expect(m.toJSON().baseScore).toEqual([0, 0, 0]);
    expect(() => new XGBoostStyle({ hessianScale: 0 })).toThrow(/hessianScale must be > 0, got 0/);
    expect(() => new XGBoostStyle({ initialScore: 'mean' as never })).toThrow(/initialScore must be prior or zero, got "mean"/);
  });
});

describe('extra trees threshold draw', () => {
  it("'value' draws thresholds uniformly in value space (sklearn's), 'quantile' over equal-mass bins; both predict, and bad values are refused", async () => {
    const train = nonlinearProblem(800, 43);
    const fitWith = async (thresholdDraw: 'value' | 'quantile') => {
      const m = new ExtraTrees({ ...DEFAULT_FOREST, bootstrap: false, nTrees: 20, thresholdDraw });
      await m.fit(train.X, train.y, undefined, { nClasses: 3, seed: 5 });
      return m.toJSON().trees as { threshold: number[]; feature: number[] }[];
    };
    const value = await fitWith('value');
    const quantile = await fitWith('quantile');
    expect(JSON.stringify(value)).not.toEqual(JSON.stringify(quantile));
    // Value-uniform draws on normal features land in the sparse tails more often than
    // quantile-uniform ones: the root thresholds sit further from the median (0).
    const rootSpread = (trees: { threshold: number[] }[]) => trees.reduce((a, t) => a + Math.abs(t.threshold[0]), 0) / trees.length;
    expect(rootSpread(value)).toBeGreaterThan(rootSpread(quantile));
    expect((createModel('extra_trees', {}) as ExtraTrees).params.thresholdDraw).toBe('value');
    expect(() => new ExtraTrees({ ...DEFAULT_FOREST, bootstrap: false, thresholdDraw: 'mid' as never })).toThrow(/thresholdDraw must be value or quantile, got "mid"/);
  });
});
