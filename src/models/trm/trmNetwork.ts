// The TRM as a tfjs graph: the reference the WebAssembly engine (engine/trmEngine.ts) is
// tested against, forward and every gradient (tests/unit/models/trmEngine.test.ts), and the home of
// the seeded initial values both use. Training and prediction run on the engine.
import { Rng } from '../../util/rng';
import { tf } from '../tf/backend';
import { matMulFast } from '../tf/matmul';

/** Architecture hyperparameters (Jolicoeur-Martineau 2025, "Less is More"). */
export interface TrmArchitecture {
  /** Width of the answer state y and the latent z. */
  hidden: number;
  /** Width of the shared network's inner layer, as a multiple of hidden. */
  mlpRatio: number;
  /** Latent steps per recursion: z = net(x + y + z), n times, then y = net(y + z). */
  n: number;
  /** Recursion cycles per supervision step: T - 1 without gradients, then one with. */
  T: number;
}

/** Trainable tensors. y0/z0 are fixed (seeded) initial states, as in the paper. */
export type TrmParams = Record<ParamName, tf.Tensor>;

export const PARAM_NAMES = ['Win', 'bin', 'W1', 'b1', 'W2', 'b2', 'gain', 'Wout', 'bout', 'Wq', 'bq'] as const;
export type ParamName = (typeof PARAM_NAMES)[number];

export interface TrmState {
  y: tf.Tensor2D;
  z: tf.Tensor2D;
}

/** Seeded initial values for every parameter (plain arrays, so they also serve as checkpoints). */
export function initialValues(inputDim: number, classes: number, a: TrmArchitecture, seed: number): { params: ParamValues; y0: Float32Array; z0: Float32Array } {
  const rng = new Rng(seed);
  const H = a.hidden;
  const F = Math.max(1, Math.round(a.hidden * a.mlpRatio));
  const normal = (shape: number[], sd: number) => ({ shape, values: Float32Array.from({ length: shape.reduce((x, y) => x * y, 1) }, () => sd * rng.normal()) });
  const zeros = (shape: number[]) => ({ shape, values: new Float32Array(shape.reduce((x, y) => x * y, 1)) });
  const params = {
    Win: normal([inputDim, H], Math.sqrt(1 / inputDim)),
    bin: zeros([H]),
    W1: normal([H, F], Math.sqrt(2 / H)),
    b1: zeros([F]),
    // Small output layer: each residual block starts close to the identity.
    W2: normal([F, H], 0.1 * Math.sqrt(1 / F)),
    b2: zeros([H]),
    gain: { shape: [H], values: new Float32Array(H).fill(1) },
    Wout: normal([H, classes], Math.sqrt(1 / H)),
    bout: zeros([classes]),
    Wq: normal([H, 1], 0.1 * Math.sqrt(1 / H)),
    // Start with "keep thinking" (Q < 0) so early training uses every supervision step.
    bq: { shape: [1], values: Float32Array.of(-1) },
  };
  return { params, y0: normal([H], 1).values, z0: normal([H], 1).values };
}

export type ParamValues = Record<ParamName, { shape: number[]; values: Float32Array }>;

let variableSeq = 0;

/**
 * Trainable variables from values. tfjs keys gradients by variable name and names are global,
 * so each set gets a unique prefix; `gradsByParam` maps a gradient map back to param names.
 */
export function toVariables(values: ParamValues): Record<ParamName, tf.Variable> {
  const prefix = `trm${++variableSeq}`;
  const out = {} as Record<ParamName, tf.Variable>;
  for (const name of PARAM_NAMES) out[name] = variableFrom(tf.tensor(values[name].values, values[name].shape), true, `${prefix}/${name}`);
  return out;
}

/** tf.variable shares the initial tensor's data; the initial handle itself must be released. */
export function variableFrom(initial: tf.Tensor, trainable: boolean, name?: string): tf.Variable {
  const v = tf.variable(initial, trainable, name);
  initial.dispose();
  return v;
}

export function gradsByParam(vars: Record<ParamName, tf.Variable>, grads: Record<string, tf.Tensor>): Record<ParamName, tf.Tensor> {
  const out = {} as Record<ParamName, tf.Tensor>;
  for (const k of PARAM_NAMES) out[k] = grads[vars[k].name];
  return out;
}

export function toTensors(values: ParamValues): TrmParams {
  const out = {} as TrmParams;
  for (const name of PARAM_NAMES) out[name] = tf.tensor(values[name].values, values[name].shape);
  return out;
}

function silu(x: tf.Tensor): tf.Tensor {
  return tf.mul(x, tf.sigmoid(x));
}

/** The one shared network: post-norm residual MLP, net(s) = RMSNorm(s + W2 silu(W1 s)). */
export function net(p: TrmParams, s: tf.Tensor2D): tf.Tensor2D {
  const h = tf.add(s, tf.add(matMulFast(silu(tf.add(matMulFast(s, p.W1), p.b1)) as tf.Tensor2D, p.W2), p.b2));
  const rms = tf.sqrt(tf.add(tf.mean(tf.square(h), -1, true), 1e-6));
  return tf.mul(tf.div(h, rms), p.gain) as tf.Tensor2D;
}

export function embed(p: TrmParams, x: tf.Tensor2D): tf.Tensor2D {
  return tf.add(matMulFast(x, p.Win), p.bin) as tf.Tensor2D;
}

/** latent_recursion: n times z = net(x + y + z), then y = net(y + z). */
export function latentRecursion(p: TrmParams, xe: tf.Tensor2D, s: TrmState, n: number): TrmState {
  let { y, z } = s;
  for (let i = 0; i < n; i++) z = net(p, tf.add(tf.add(xe, y), z) as tf.Tensor2D);
  y = net(p, tf.add(y, z) as tf.Tensor2D);
  return { y, z };
}

/**
 * The T - 1 gradient-free cycles of deep_recursion. Run outside any gradient tape (and in its
 * own tidy), their outputs enter the taped cycle as constants: no parameter can receive a
 * gradient through them.
 */
export function noGradCycles(p: TrmParams, x: tf.Tensor2D, s: TrmState, a: TrmArchitecture): TrmState {
  if (a.T <= 1) return { y: tf.clone(s.y), z: tf.clone(s.z) };
  const out = tf.tidy(() => {
    const xe = embed(p, x);
    let st = s;
    for (let j = 0; j < a.T - 1; j++) st = latentRecursion(p, xe, st, a.n);
    return [st.y, st.z];
  });
  return { y: out[0] as tf.Tensor2D, z: out[1] as tf.Tensor2D };
}

/** The last cycle (the one with gradients when called under a tape) and both heads. */
export function gradCycle(p: TrmParams, x: tf.Tensor2D, s: TrmState, a: TrmArchitecture): { state: TrmState; logits: tf.Tensor2D; q: tf.Tensor2D } {
  const state = latentRecursion(p, embed(p, x), s, a.n);
  const logits = tf.add(matMulFast(state.y, p.Wout), p.bout) as tf.Tensor2D;
  const q = tf.add(matMulFast(state.y, p.Wq), p.bq) as tf.Tensor2D;
  return { state, logits, q };
}

/** Initial (y, z) for a batch: the fixed y0/z0 broadcast to `rows`. */
export function initialState(y0: tf.Tensor1D, z0: tf.Tensor1D, rows: number): TrmState {
  return tf.tidy(() => ({ y: tf.tile(tf.expandDims(y0, 0), [rows, 1]) as tf.Tensor2D, z: tf.tile(tf.expandDims(z0, 0), [rows, 1]) as tf.Tensor2D }));
}
