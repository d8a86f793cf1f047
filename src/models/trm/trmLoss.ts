import { tf } from '../tf/backend';

export type ClassWeighting = 'none' | 'inverse' | 'sqrt_inverse';

export interface TrmLossConfig {
  classWeighting: ClassWeighting;
  /** Focal loss exponent; 0 = plain cross-entropy. */
  focalGamma: number;
  lambdaHalt: number;
  lambdaProfit: number;
  /** Halting target is 1 iff the prediction is correct and at least this confident. */
  haltConfidence: number;
  /** Profit weight 1 - tanh(pnl / profitScale). */
  profitScale: number;
}

export const DEFAULT_TRM_LOSS: TrmLossConfig = { classWeighting: 'sqrt_inverse', focalGamma: 0, lambdaHalt: 0.5, lambdaProfit: 0.5, haltConfidence: 0.7, profitScale: 0.05 };

/**
 * Per-class weights from (sample-weighted) training frequencies, scaled so the weighted mean
 * over training rows is 1. Linear inverse frequency made the original collapse onto the rarest
 * class; the square root (default) lifts rare classes without letting them dominate.
 * A class absent from training gets weight 0 (there is nothing to weight).
 */
export function classWeights(y: Int32Array, w: Float64Array | undefined, K: number, mode: ClassWeighting): Float64Array {
  const freq = new Float64Array(K);
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    const wi = w ? w[i] : 1;
    freq[y[i]] += wi;
    total += wi;
  }
  const present = freq.filter((f) => f > 0).length;
  const raw = Float64Array.from(freq, (f) => {
    if (f <= 0) return 0;
    if (mode === 'none') return 1;
    const inv = total / (present * f);
    return mode === 'inverse' ? inv : Math.sqrt(inv);
  });
  let mean = 0;
  for (let k = 0; k < K; k++) mean += (raw[k] * freq[k]) / total;
  return Float64Array.from(raw, (r) => (mean > 0 ? r / mean : r));
}

/** Profit weight of a realised PnL: 2 for a heavy loss, 1 at zero, towards 0 for a big gain. */
export function profitWeight(pnl: number, scale: number): number {
  return 1 - Math.tanh(pnl / scale);
}

export interface LossInputs {
  logits: tf.Tensor2D;
  q: tf.Tensor2D;
  /** one-hot labels [B, K] */
  onehot: tf.Tensor2D;
  /** sample (regime) weights [B] */
  weights: tf.Tensor1D;
  /** class weight of each row's label [B] */
  labelWeights: tf.Tensor1D;
  /** realised PnL of every class per row [B, K], or null (profit term off) */
  pnl: tf.Tensor2D | null;
}

export interface LossParts {
  total: tf.Scalar;
  task: tf.Scalar;
  halt: tf.Scalar;
  profit: tf.Scalar;
}

/**
 * The three components of the original system, each sample multiplied by its regime weight:
 * task = class-weighted (optionally focal) cross-entropy; halt = BCE of Q against "correct and
 * confident"; profit = cross-entropy weighted by 1 - tanh(pnl of the predicted class / scale).
 * Targets and weights derived from predictions go through argMax, so they carry no gradient.
 */
export function trmLoss(inp: LossInputs, cfg: TrmLossConfig): LossParts {
  const wSum = tf.maximum(tf.sum(inp.weights), 1e-12);
  const logp = tf.logSoftmax(inp.logits);
  const p = tf.exp(logp);
  const ce = tf.neg(tf.sum(tf.mul(inp.onehot, logp), -1)); // [B]
  const pTrue = tf.sum(tf.mul(inp.onehot, p), -1);
  // Focal loss differentiates through its modulating factor, as in Lin et al.
  const focal = cfg.focalGamma > 0 ? tf.pow(tf.sub(1, pTrue), cfg.focalGamma) : tf.onesLike(ce);
  const task = tf.div(tf.sum(tf.mul(tf.mul(tf.mul(ce, focal), inp.labelWeights), inp.weights)), wSum) as tf.Scalar;

  const pred = tf.argMax(p, -1);
  const predOneHot = tf.oneHot(pred, inp.logits.shape[1]);
  const correct = tf.sum(tf.mul(predOneHot, inp.onehot), -1);
  const confident = tf.cast(tf.greaterEqual(tf.max(p, -1), cfg.haltConfidence), 'float32');
  // argMax / greaterEqual have zero gradients: the target is a constant for backprop.
  const haltTarget = tf.mul(correct, confident);
  const qv = tf.reshape(inp.q, [-1]);
  // Numerically stable BCE with logits: max(q,0) - q*t + log(1 + exp(-|q|)).
  const bce = tf.add(tf.sub(tf.relu(qv), tf.mul(qv, haltTarget)), tf.log1p(tf.exp(tf.neg(tf.abs(qv)))));
  const halt = tf.div(tf.sum(tf.mul(bce, inp.weights)), wSum) as tf.Scalar;

  let profit = tf.scalar(0);
  if (inp.pnl) {
    const pnlPred = tf.sum(tf.mul(predOneHot, inp.pnl), -1);
    const pw = tf.sub(1, tf.tanh(tf.div(pnlPred, cfg.profitScale))); // constant: via argMax
    profit = tf.div(tf.sum(tf.mul(tf.mul(ce, pw), inp.weights)), wSum) as tf.Scalar;
  }
  const total = tf.addN([task, tf.mul(halt, cfg.lambdaHalt), tf.mul(profit, cfg.lambdaProfit)]) as tf.Scalar;
  return { total, task, halt, profit };
}
