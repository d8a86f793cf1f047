import type { TrmLossConfig } from '../trmLoss';

/** Per-row targets of one minibatch (indexed by position in the batch). */
export interface BatchTargets {
  labels: Int32Array;
  /** sample (regime) weights */
  weights: Float32Array;
  /** class weight of each row's label */
  labelWeights: Float32Array;
  /** realised PnL of every class [rows, K], or null (profit term off) */
  pnl: Float32Array | null;
}

export interface LossValues {
  total: number;
  task: number;
  halt: number;
  profit: number;
}

/**
 * trmLoss (trmLoss.ts, the tfjs reference) and its gradient with respect to the heads, in one
 * pass over the active rows. `head` is [rows, Kh]: K logits then Q; row r is batch position
 * `active[r]`. Writes d(loss)/d(head) to `dhead` (padded columns zero). The halting target,
 * the predicted class and the profit weight come from argmax and carry no gradient.
 */
export function lossAndGradient(head: Float32Array, dhead: Float32Array, Kh: number, K: number, active: Int32Array, t: BatchTargets, cfg: TrmLossConfig): LossValues {
  const A = active.length;
  let wSum = 0;
  for (let r = 0; r < A; r++) wSum += t.weights[active[r]];
  wSum = Math.max(wSum, 1e-12);
  const gamma = cfg.focalGamma;
  const p = new Float64Array(K);
  let task = 0;
  let halt = 0;
  let profit = 0;
  dhead.fill(0, 0, A * Kh);
  for (let r = 0; r < A; r++) {
    const b = active[r];
    const o = r * Kh;
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, head[o + k]);
    let sum = 0;
    for (let k = 0; k < K; k++) sum += Math.exp(head[o + k] - max);
    const logSum = Math.log(sum) + max;
    let pred = 0;
    for (let k = 0; k < K; k++) {
      p[k] = Math.exp(head[o + k] - logSum);
      if (p[k] > p[pred]) pred = k;
    }
    const label = t.labels[b];
    const w = t.weights[b] / wSum;
    const pT = p[label];
    const ce = logSum - head[o + label];
    const focal = gamma > 0 ? (1 - pT) ** gamma : 1;
    const c = t.labelWeights[b] * w;
    task += ce * focal * c;
    // d(ce * focal)/d logit_k = (p_k - 1[k = label]) focal + ce d(focal)/d logit_k
    const dFocal = gamma > 0 ? -gamma * (1 - pT) ** (gamma - 1) * pT : 0;
    let pw = 0;
    if (t.pnl) {
      pw = 1 - Math.tanh(t.pnl[b * K + pred] / cfg.profitScale);
      profit += ce * pw * w;
    }
    for (let k = 0; k < K; k++) {
      const oh = k === label ? 1 : 0;
      dhead[o + k] = c * ((p[k] - oh) * focal + ce * dFocal * (oh - p[k])) + cfg.lambdaProfit * pw * w * (p[k] - oh);
    }
    const q = head[o + K];
    const target = pred === label && p[pred] >= cfg.haltConfidence ? 1 : 0;
    halt += (Math.max(q, 0) - q * target + Math.log1p(Math.exp(-Math.abs(q)))) * w;
    dhead[o + K] = cfg.lambdaHalt * w * (1 / (1 + Math.exp(-q)) - target);
  }
  return { total: task + cfg.lambdaHalt * halt + cfg.lambdaProfit * profit, task, halt, profit };
}
