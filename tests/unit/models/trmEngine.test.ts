import { beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend, tf } from '../../../src/models/tf/backend';
import { lossAndGradient } from '../../../src/models/trm/engine/lossGradient';
import { TrmEngine } from '../../../src/models/trm/engine/trmEngine';
import { DEFAULT_TRM_LOSS, trmLoss, type TrmLossConfig } from '../../../src/models/trm/trmLoss';
import { gradCycle, gradsByParam, initialState, initialValues, noGradCycles, PARAM_NAMES, toVariables, type ParamValues } from '../../../src/models/trm/trmNetwork';
import { Rng } from '../../../src/util/rng';
import { relErr } from '../../helpers/floatAgreement';

// The tfjs graph in trmNetwork.ts / trmLoss.ts is the reference the engine must reproduce.
// Widths that are not multiples of 8 exercise the engine's zero padding.
const D = 5;
const K = 3;
const ROWS = 11;
const arch = { hidden: 20, mlpRatio: 2, n: 3, T: 2 };
const shape = { inputDim: D, classes: K, hidden: 20, ffn: 40, n: 3, T: 2 };

beforeAll(async () => {
  await initTfBackend();
});

function problem(seed: number) {
  const rng = new Rng(seed);
  const x = Float32Array.from({ length: ROWS * D }, () => rng.normal());
  const labels = Int32Array.from({ length: ROWS }, () => rng.int(K));
  const weights = Float32Array.from({ length: ROWS }, () => 0.5 + rng.next());
  const labelWeights = Float32Array.from({ length: ROWS }, () => 0.5 + rng.next());
  const pnl = Float32Array.from({ length: ROWS * K }, () => 0.05 * rng.normal());
  return { x, labels, weights, labelWeights, pnl };
}

/** Perturbed initial weights, so biases and gains are not all 0 / 1 and Q crosses zero. */
function weightsFor(seed: number): { params: ParamValues; y0: Float32Array; z0: Float32Array } {
  const init = initialValues(D, K, arch, seed);
  const rng = new Rng(seed + 1);
  for (const k of PARAM_NAMES) for (let i = 0; i < init.params[k].values.length; i++) init.params[k].values[i] += 0.2 * rng.normal();
  return init;
}

function reference(init: ReturnType<typeof weightsFor>, p: ReturnType<typeof problem>, cfg: TrmLossConfig) {
  const vars = toVariables(init.params);
  const varList = PARAM_NAMES.map((k) => vars[k]);
  const x = tf.tensor2d(p.x, [ROWS, D]);
  const s0 = initialState(tf.tensor1d(init.y0), tf.tensor1d(init.z0), ROWS);
  const carried = noGradCycles(vars, x, s0, arch);
  let out: { logits: Float32Array; q: Float32Array; y: Float32Array; z: Float32Array; total: number } | null = null;
  const { grads } = tf.variableGrads(() => {
    const o = gradCycle(vars, x, carried, arch);
    const L = trmLoss({ logits: o.logits, q: o.q, onehot: tf.oneHot(tf.tensor1d(p.labels, 'int32'), K) as tf.Tensor2D, weights: tf.tensor1d(p.weights), labelWeights: tf.tensor1d(p.labelWeights), pnl: tf.tensor2d(p.pnl, [ROWS, K]) }, cfg);
    out = { logits: o.logits.dataSync() as Float32Array, q: o.q.dataSync() as Float32Array, y: o.state.y.dataSync() as Float32Array, z: o.state.z.dataSync() as Float32Array, total: L.total.dataSync()[0] };
    return L.total;
  }, varList);
  const g = gradsByParam(vars, grads as Record<string, tf.Tensor>);
  const gradValues = Object.fromEntries(PARAM_NAMES.map((k) => [k, g[k].dataSync() as Float32Array]));
  tf.dispose([...varList, x, s0.y, s0.z, carried.y, carried.z, ...Object.values(grads)]);
  return { ...out!, grads: gradValues };
}

function engineStep(init: ReturnType<typeof weightsFor>, p: ReturnType<typeof problem>, cfg: TrmLossConfig) {
  const e = new TrmEngine(shape, 16, true);
  e.setParams(init.params);
  e.x.set(p.x);
  e.startRows(ROWS, init.y0, init.z0);
  e.supervisionStep(true);
  const logits: number[] = [];
  const q: number[] = [];
  for (let r = 0; r < ROWS; r++) {
    for (let k = 0; k < K; k++) logits.push(e.head[r * e.Kh + k]);
    q.push(e.head[r * e.Kh + K]);
  }
  const unpad = (a: Float32Array) => Float32Array.from({ length: ROWS * arch.hidden }, (_, i) => a[Math.floor(i / arch.hidden) * e.Hp + (i % arch.hidden)]);
  const L = lossAndGradient(e.head, e.dhead, e.Kh, K, Int32Array.from({ length: ROWS }, (_, r) => r), p, cfg);
  e.backward();
  return { logits, q, y: unpad(e.y), z: unpad(e.z), total: L.total, grads: e.paramValues(e.grads), padding: { y: e.y, Hp: e.Hp } };
}

describe('TRM engine against the tfjs reference', () => {
  for (const [label, cfg] of [
    ['cross-entropy + halt + profit', DEFAULT_TRM_LOSS],
    ['focal loss (gamma 2)', { ...DEFAULT_TRM_LOSS, focalGamma: 2 }],
  ] as const) {
    it(`forward (logits, Q, carried state) and every gradient match in float32: ${label}`, () => {
      const init = weightsFor(7);
      const p = problem(8);
      const ref = reference(init, p, cfg);
      const ours = engineStep(init, p, cfg);
      expect(relErr(ours.logits, ref.logits)).toBeLessThan(1e-5);
      expect(relErr(ours.q, ref.q)).toBeLessThan(1e-5);
      expect(relErr(ours.y, ref.y)).toBeLessThan(1e-5);
      expect(relErr(ours.z, ref.z)).toBeLessThan(1e-5);
      expect(ours.total).toBeCloseTo(ref.total, 5);
      for (const k of PARAM_NAMES) {
        expect(ours.grads[k].values.length, k).toBe(ref.grads[k].length);
        expect(relErr(ours.grads[k].values, ref.grads[k]), `gradient of ${k}`).toBeLessThan(1e-4);
      }
      // Padded hidden columns stay exactly zero.
      for (let r = 0; r < ROWS; r++) for (let j = arch.hidden; j < ours.padding.Hp; j++) expect(ours.padding.y[r * ours.padding.Hp + j]).toBe(0);
    });
  }

  it('round-trips parameters through the padded layout exactly', () => {
    const init = weightsFor(3);
    const e = new TrmEngine(shape, 4, false);
    e.setParams(init.params);
    const back = e.paramValues();
    for (const k of PARAM_NAMES) {
      expect(back[k].shape).toEqual(init.params[k].shape);
      expect(Array.from(back[k].values)).toEqual(Array.from(init.params[k].values));
    }
  });
});
