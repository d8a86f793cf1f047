import { describe, expect, it } from 'vitest';
import { XGBoostStyle } from '../../src/models/boosting/xgboostStyle';
import { LightGBMStyle } from '../../src/models/boosting/lightgbmStyle';
import { nonlinearProblem } from '../helpers/problems';

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
