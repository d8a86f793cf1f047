import { argmaxRows } from './classifier';

/** Mean (optionally weighted) log loss of row-major probabilities; 0 for no rows. */
export function probaLogLoss(p: Float64Array, y: ArrayLike<number>, K: number, w?: ArrayLike<number>): number {
  let s = 0;
  let t = 0;
  for (let i = 0; i < y.length; i++) {
    const wi = w ? w[i] : 1;
    s -= wi * Math.log(Math.max(p[i * K + y[i]], 1e-15));
    t += wi;
  }
  return t > 0 ? s / t : 0;
}

/** (Optionally weighted) share of rows whose most probable class is the label; 0 for no rows. */
export function probaAccuracy(p: Float64Array, y: ArrayLike<number>, K: number, w?: ArrayLike<number>): number {
  const pred = argmaxRows(p, K);
  let c = 0;
  let t = 0;
  for (let i = 0; i < y.length; i++) {
    const wi = w ? w[i] : 1;
    if (pred[i] === y[i]) c += wi;
    t += wi;
  }
  return t > 0 ? c / t : 0;
}
