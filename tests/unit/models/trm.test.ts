import { beforeAll, describe, expect, it } from 'vitest';
import { CsvFolderSource } from '../../../src/data/sources/csvFolder';
import { datasetConfig } from '../../../src/datasets/config';
import { windowProblem } from '../../../src/evaluation/protocol';
import { datasetsFromSource } from '../../../src/datasets/datasetFromSource';
import type { Matrix } from '../../../src/models/classifier';
import { modelFromJSON } from '../../../src/models/modelKinds';
import { initTfBackend, tf } from '../../../src/models/tf/backend';
import { TrmEngine } from '../../../src/models/trm/engine/trmEngine';
import { Trm } from '../../../src/models/trm/trm';
import { classWeights, DEFAULT_TRM_LOSS, profitWeight, trmLoss } from '../../../src/models/trm/trmLoss';
import { gradCycle, gradsByParam, initialState, latentRecursion, noGradCycles, PARAM_NAMES, toVariables, type ParamValues } from '../../../src/models/trm/trmNetwork';
import { accuracyOf, nonlinearProblem } from '../../helpers/problems';
import { realDataDir } from '../../helpers/realData';

const SMALL = { hidden: 32, mlpRatio: 2, n: 3, T: 2, nSup: 4, epochs: 6, batchSize: 128, learningRate: 3e-3, warmupSteps: 10, patience: 0 };
const X8: Matrix = nonlinearProblem(8, 4).X;

beforeAll(async () => {
  await initTfBackend();
});

describe('TRM architecture', () => {
  it('has effective depth T(n+1)*2 = 42 by default and a [batch, 1] halting head', () => {
    expect(new Trm().effectiveDepth).toBe(42);
    const m = new Trm({ ...SMALL }).initialise(5, 8, 1);
    const out = m.forwardOnce(X8);
    expect(out.qShape).toEqual([8, 1]);
    expect(out.logits.length).toBe(8 * 8);
  });

  it('changing T and changing n each change the outputs', () => {
    const m = new Trm({ ...SMALL, n: 6, T: 3 }).initialise(5, 8, 1);
    const base = Array.from(m.forwardOnce(X8).logits);
    expect(Array.from(m.forwardOnce(X8, { T: 2 }).logits)).not.toEqual(base);
    expect(Array.from(m.forwardOnce(X8, { n: 3 }).logits)).not.toEqual(base);
    expect(Array.from(m.forwardOnce(X8, { T: 3, n: 6 }).logits)).toEqual(base);
  });

  it('every parameter gets a gradient from the last cycle and none from the no-grad cycles', () => {
    const arch = { hidden: 16, mlpRatio: 2, n: 3, T: 3 };
    const m = new Trm({ ...SMALL, ...arch }).initialise(5, 3, 2);
    const vars = toVariables(m.parameterValues as ParamValues);
    const varList = PARAM_NAMES.map((k) => vars[k]);
    const x = tf.tensor2d(Float32Array.from(X8.data), [8, 5]);
    const onehot = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3) as tf.Tensor2D;
    const lossOf = (logits: tf.Tensor2D, q: tf.Tensor2D) => trmLoss({ logits, q, onehot, weights: tf.ones([8]), labelWeights: tf.ones([8]), pnl: null }, DEFAULT_TRM_LOSS).total;
    const s0 = initialState(tf.tensor1d(m.fixedStates.y0), tf.tensor1d(m.fixedStates.z0), 8);
    const norms = (g: Record<string, tf.Tensor>) => Object.fromEntries(PARAM_NAMES.map((k) => [k, tf.norm(g[k]).dataSync()[0]]));

    // Ours: T-1 cycles outside the tape, the last one taped.
    const carried = noGradCycles(vars, x, s0, arch);
    const grads = (f: () => tf.Scalar) => gradsByParam(vars, tf.variableGrads(f, varList).grads);
    const ours = grads(() => {
      const o = gradCycle(vars, x, carried, arch);
      return lossOf(o.logits, o.q);
    });
    for (const [k, v] of Object.entries(norms(ours))) expect(v, `gradient of ${k}`).toBeGreaterThan(0);

    // Same gradients when the last cycle starts from a copied (constant) state: the no-grad
    // cycles contribute nothing ...
    const copied = { y: tf.tensor2d(carried.y.dataSync(), carried.y.shape as [number, number]), z: tf.tensor2d(carried.z.dataSync(), carried.z.shape as [number, number]) };
    const fromConst = grads(() => {
      const o = gradCycle(vars, x, copied, arch);
      return lossOf(o.logits, o.q);
    });
    for (const k of PARAM_NAMES) expect(Array.from(ours[k].dataSync())).toEqual(Array.from(fromConst[k].dataSync()));

    // ... while backpropagating through all T cycles would give different gradients.
    const full = grads(() => {
      let st = s0;
      for (let j = 0; j < arch.T - 1; j++) st = latentRecursion(vars, tf.add(tf.matMul(x, vars.Win), vars.bin) as tf.Tensor2D, st, arch.n);
      const o = gradCycle(vars, x, st, arch);
      return lossOf(o.logits, o.q);
    });
    const diff = tf.norm(tf.sub(full.W1, ours.W1)).dataSync()[0];
    expect(diff).toBeGreaterThan(1e-6);
    tf.dispose([...varList, x, onehot, carried.y, carried.z, copied.y, copied.z, s0.y, s0.z, ...Object.values(ours), ...Object.values(fromConst), ...Object.values(full)]);
  });
});

describe('TRM loss', () => {
  it('class weights: none, inverse and sqrt inverse (normalised to a mean of 1)', () => {
    const y = Int32Array.from([0, 0, 0, 0, 0, 0, 0, 0, 1, 2]);
    expect(Array.from(classWeights(y, undefined, 4, 'none'))).toEqual([1, 1, 1, 0]);
    const inv = classWeights(y, undefined, 4, 'inverse');
    expect(inv[1] / inv[0]).toBeCloseTo(8, 10);
    const sq = classWeights(y, undefined, 4, 'sqrt_inverse');
    expect(sq[1] / sq[0]).toBeCloseTo(Math.sqrt(8), 10);
    expect(sq[3]).toBe(0);
    // weighted mean over rows is 1
    expect((8 * sq[0] + sq[1] + sq[2]) / 10).toBeCloseTo(1, 10);
  });

  it('task, focal, halt and profit components', () => {
    const logits = tf.tensor2d([[2, 0, 0], [0, 0, 3]]);
    const onehot = tf.tensor2d([[1, 0, 0], [1, 0, 0]]);
    const q = tf.tensor2d([[1], [-1]]);
    const pnl = tf.tensor2d([[0.02, 0, 0], [0, 0, -0.03]]);
    const base = { logits, q, onehot, weights: tf.tensor1d([1, 1]), labelWeights: tf.tensor1d([1, 1]), pnl };
    const L = trmLoss(base, { ...DEFAULT_TRM_LOSS, focalGamma: 0 });
    const p0 = Math.exp(2) / (Math.exp(2) + 2);
    const p1 = 1 / (2 + Math.exp(3));
    const ce = [-Math.log(p0), -Math.log(p1)];
    expect(L.task.dataSync()[0]).toBeCloseTo((ce[0] + ce[1]) / 2, 5);
    // Row 0 is correct with p0 = 0.79 >= 0.7: halt target 1; row 1 is wrong: target 0.
    const bce = (z: number, t: number) => Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
    expect(L.halt.dataSync()[0]).toBeCloseTo((bce(1, 1) + bce(-1, 0)) / 2, 5);
    // Profit weight of the predicted class's PnL: row 0 predicted 0 (+2%), row 1 predicted 2 (-3%).
    expect(L.profit.dataSync()[0]).toBeCloseTo((ce[0] * profitWeight(0.02, 0.05) + ce[1] * profitWeight(-0.03, 0.05)) / 2, 5);
    expect(profitWeight(-1, 0.05)).toBeCloseTo(2, 6);
    expect(L.total.dataSync()[0]).toBeCloseTo(L.task.dataSync()[0] + 0.5 * L.halt.dataSync()[0] + 0.5 * L.profit.dataSync()[0], 5);
    // Focal (gamma 2) shrinks the loss of the easy, correct row the most.
    const F = trmLoss(base, { ...DEFAULT_TRM_LOSS, focalGamma: 2 });
    expect(F.task.dataSync()[0]).toBeCloseTo((ce[0] * (1 - p0) ** 2 + ce[1] * (1 - p1) ** 2) / 2, 5);
    // Regime weights multiply each sample.
    const W = trmLoss({ ...base, weights: tf.tensor1d([2, 0]) }, { ...DEFAULT_TRM_LOSS, focalGamma: 0 });
    expect(W.task.dataSync()[0]).toBeCloseTo(ce[0], 5);
  });
});

describe('TRM training', () => {
  const train = nonlinearProblem(1200, 21);
  const test = nonlinearProblem(500, 22);

  it('learns a nonlinear problem without leaking tensors, reports components per epoch, and round-trips exactly', async () => {
    const m = new Trm({ ...SMALL, epochs: 10 });
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const bytes: number[] = [];
    const engines = TrmEngine.constructed;
    const report = await m.fit(train.X, train.y, undefined, {
      nClasses: 3,
      seed: 3,
      onProgress: () => {
        counts.push(tf.memory().numTensors);
        bytes.push(m.trainingMemoryBytes);
      },
    });
    expect(tf.memory().numTensors).toBe(before);
    // Same number of live tensors and the same engine memory at every batch boundary: nothing
    // accumulates across epochs (the engine lays its memory out once per fit).
    expect(new Set(counts).size).toBe(1);
    expect(bytes[0]).toBeGreaterThan(0);
    expect(new Set(bytes).size).toBe(1);
    expect(m.trainingMemoryBytes).toBe(0);
    expect(TrmEngine.constructed - engines).toBe(1);
    expect(accuracyOf(m, test.X, test.y)).toBeGreaterThan(0.75);
    expect(report.history).toHaveLength(10);
    for (const h of report.history!) for (const k of ['loss', 'task', 'halt', 'profit', 'meanSupervisionSteps']) expect(Number.isFinite(h[k]), k).toBe(true);
    // The halting head learns to stop early on easy samples.
    expect(report.history!.at(-1)!.meanSupervisionSteps).toBeLessThan(SMALL.nSup);
    const back = modelFromJSON(JSON.parse(JSON.stringify(m.toJSON()))) as Trm;
    expect(Array.from(back.predictProba(test.X))).toEqual(Array.from(m.predictProba(test.X)));
    const d = back.predictDetailed(test.X);
    expect(d.haltingStep.every((s) => s >= 1 && s <= SMALL.nSup)).toBe(true);
    expect(d.haltProbability.every((p) => p >= 0 && p <= 1)).toBe(true);
    // Seeded: the same seed trains the same model.
    const again = new Trm({ ...SMALL, epochs: 10 });
    await again.fit(train.X, train.y, undefined, { nClasses: 3, seed: 3 });
    expect(Array.from(again.predictProba(test.X))).toEqual(Array.from(m.predictProba(test.X)));
  });

  it('stops early when validation stops improving and keeps the best epoch', async () => {
    const noise = nonlinearProblem(300, 23);
    const shuffled = Int32Array.from(noise.y, (_, i) => noise.y[(i * 7919) % noise.y.length]);
    const m = new Trm({ ...SMALL, epochs: 40, patience: 2 });
    const report = await m.fit(train.X, train.y, undefined, { nClasses: 3, seed: 4, validation: { X: noise.X, y: shuffled } });
    expect(report.history!.length).toBeLessThan(40);
    expect(report.notes!.some((n) => /early stopping: best epoch/.test(n))).toBe(true);
  });

  it('rejects bad input and a pnl matrix of the wrong shape', async () => {
    const m = new Trm(SMALL);
    await expect(m.fit(train.X, train.y, undefined, { nClasses: 3, pnl: new Float64Array(5) })).rejects.toThrow(/pnl has 5 values, expected rows x classes = 3600/);
    expect(() => new Trm({ classWeighting: 'linear' as never })).toThrow(/classWeighting must be/);
    const bad = { ...train.X, data: Float64Array.from(train.X.data) };
    bad.data[0] = Infinity;
    await expect(m.fit(bad, train.y, undefined, { nClasses: 3 })).rejects.toThrow(/non-finite value Infinity at row 0, column 0/);
  });
});

const DIR = realDataDir('market');
describe.skipIf(!DIR)('TRM on the real strategy task', () => {
  it('predicts at least 3 different strategies on the final walk-forward window', async () => {
    const b = await datasetsFromSource(new CsvFolderSource(DIR!, 'csv'), { asOf: '2020-12-31', tasks: ['strategy'] });
    const ds = b.datasets.strategy!;
    const p = windowProblem(ds, datasetConfig({}));
    const m = new Trm({ hidden: 64, n: 3, T: 2, nSup: 4, epochs: 6, batchSize: 256, learningRate: 2e-3, warmupSteps: 20, patience: 0 });
    await m.fit(p.train.X, p.train.y, p.train.w, { nClasses: p.K, seed: 1, pnl: p.train.pnl });
    const pred = m.predict(p.test.X);
    expect(new Set(pred).size).toBeGreaterThanOrEqual(3);
  }, 300_000);
});
