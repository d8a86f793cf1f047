import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../../src/models/classifier';
import { EnsemblePipeline } from '../../../src/models/ensemblePipeline';
import { MetaLearner } from '../../../src/models/metaLearner';
import { ModelPipeline } from '../../../src/models/pipeline';
import type { Predictor } from '../../../src/models/predictor';
import { createModel } from '../../../src/models/modelKinds';
import { accuracyOf, nonlinearProblem } from '../../helpers/problems';

const identity = { mean: [0, 0, 0, 0, 0], std: [1, 1, 1, 1, 1] };

async function members(): Promise<ModelPipeline[]> {
  const train = nonlinearProblem(1200, 11);
  const out: ModelPipeline[] = [];
  for (const [kind, params] of [
    ['random_forest', { nTrees: 20, maxDepth: 8 }],
    ['logistic', { maxIter: 200 }],
    ['xgboost', { nRounds: 40, maxDepth: 3, earlyStoppingRounds: 0 }],
  ] as const) {
    const m = createModel(kind, params);
    await m.fit(train.X, train.y, undefined, { nClasses: 3, seed: 3 });
    out.push(new ModelPipeline(m, identity, ['a', 'b', 'c', 'd', 'e'], ['inside', 'right', 'left']));
  }
  return out;
}

describe('meta-learner', () => {
  it('soft vote weights members by validation accuracy; auto picks the lower cross-fitted log loss; round-trips', async () => {
    const ms = await members();
    const val = nonlinearProblem(600, 12);
    const test = nonlinearProblem(600, 13);
    const ids = ['m-rf', 'm-lr', 'm-xgb'];
    const voteOnly = new MetaLearner({ method: 'soft_vote', stackL2: 1e-2 });
    const ens = new EnsemblePipeline(voteOnly, ids, ms, ['a', 'b', 'c', 'd', 'e'], ['inside', 'right', 'left']);
    const Z = ens.memberProba(val.X);
    expect(Z.cols).toBe(9);
    await voteOnly.fit(Z, val.y, undefined, { nClasses: 3 });
    const accs = ms.map((m) => accuracyOf({ predict: (X: Matrix) => argmax(m.predictProba(X)) } as never, val.X, val.y));
    const sum = accs.reduce((a, b) => a + b, 0);
    accs.forEach((a, j) => expect(voteOnly.voteWeights[j]).toBeCloseTo(a / sum, 10));
    // The weak linear member gets the smallest say.
    expect(voteOnly.voteWeights[1]).toBeLessThan(voteOnly.voteWeights[0]);

    const auto = new MetaLearner();
    await auto.fit(Z, val.y, undefined, { nClasses: 3 });
    expect(auto.selection).not.toBeNull();
    const s = auto.selection!;
    expect(auto.method).toBe(s.stacked.logLoss < s.soft_vote.logLoss ? 'stacked' : 'soft_vote');
    const ensAuto = new EnsemblePipeline(auto, ids, ms, ['a', 'b', 'c', 'd', 'e'], ['inside', 'right', 'left']);
    const pTest = ensAuto.predictProba(test.X);
    const metaAcc = argmax(pTest).reduce((a, p, i) => a + (p === test.y[i] ? 1 : 0), 0) / test.y.length;
    const worst = Math.min(...ms.map((m) => argmax(m.predictProba(test.X)).reduce((a, p, i) => a + (p === test.y[i] ? 1 : 0), 0) / test.y.length));
    expect(metaAcc).toBeGreaterThan(worst);

    // Cross-fitted predictions are honest: each half comes from a fit on the other half.
    const cf = await auto.crossFitProba(Z, val.y);
    expect(cf.length).toBe(val.y.length * 3);
    expect(Array.from(cf)).not.toEqual(Array.from(auto.predictProba(Z)));

    const byId = new Map<string, Predictor>(ids.map((id, j) => [id, ModelPipeline.fromArtifact(ms[j].toArtifact())]));
    const back = await EnsemblePipeline.fromArtifact(ensAuto.toArtifact(), async (id) => byId.get(id)!);
    expect(back.memberIds).toEqual(ids);
    expect(Array.from(back.predictProba(test.X))).toEqual(Array.from(pTest));
  });

  it('rejects inputs that are not member probabilities and members with other classes', async () => {
    const m = new MetaLearner();
    await expect(m.fit({ data: new Float64Array(20), rows: 4, cols: 5 }, new Int32Array(4), undefined, { nClasses: 3 })).rejects.toThrow(/5 input columns is not a multiple of 3 classes/);
    const ms = await members();
    expect(() => new EnsemblePipeline(new MetaLearner(), ['x'], [ms[0]], ['a'], ['up', 'flat', 'down'])).toThrow(/member x predicts other classes/);
  });
});

function argmax(p: Float64Array, K = 3): Int32Array {
  const out = new Int32Array(p.length / K);
  for (let i = 0; i < out.length; i++) {
    let b = 0;
    for (let k = 1; k < K; k++) if (p[i * K + k] > p[i * K + b]) b = k;
    out[i] = b;
  }
  return out;
}
