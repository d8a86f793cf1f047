import type { Dataset } from '../../datasets/dataset';

/**
 * Realised PnL of choosing each class, per row (rows x classes): the strategies' own returns
 * over the label window for the strategy task; for sell / hold / buy, -r / 0 / +r of the
 * symbol's forward return r. The classes are matched by position (SIGNAL_CLASSES order).
 */
export function classPnl(ds: Dataset, idx: ArrayLike<number>): Float64Array {
  const K = ds.classNames.length;
  const out = new Float64Array(idx.length * K);
  for (let r = 0; r < idx.length; r++) {
    const i = idx[r];
    if (ds.pnlCols === K) {
      out.set(ds.pnl.subarray(i * K, (i + 1) * K), r * K);
      continue;
    }
    const fwd = ds.pnl[i * ds.pnlCols];
    const v = Number.isFinite(fwd) ? fwd : 0;
    // sell, hold, buy
    out[r * K] = -v;
    out[r * K + 2] = v;
  }
  return out;
}
