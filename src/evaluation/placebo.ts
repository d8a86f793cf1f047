import type { Dataset } from '../datasets/dataset';
import { Rng } from '../util/rng';

/**
 * A placebo copy of a dataset: each symbol's targets (label and realised PnL, together) are
 * moved in blocks of `block` consecutive rows to other times, the features stay where they
 * are. Blocks at least as long as the label horizon keep the labels' own overlap structure,
 * so a selection rule that promotes on this data is promoting noise. The same block order is
 * used for every symbol, so the cross-section moves together.
 */
export function permuteTargetsInBlocks(ds: Dataset, block: number, seed: number): Dataset {
  if (!(block >= ds.horizon)) throw new RangeError(`placebo blocks must be at least the horizon (${ds.horizon}), got ${block}`);
  const rng = new Rng(seed);
  const y = new Int32Array(ds.rows);
  const pnl = new Float64Array(ds.pnl.length);
  const bySymbol = new Map<number, number[]>();
  for (let i = 0; i < ds.rows; i++) {
    const list = bySymbol.get(ds.symbol[i]) ?? [];
    list.push(i);
    bySymbol.set(ds.symbol[i], list);
  }
  const longest = Math.max(...[...bySymbol.values()].map((l) => l.length));
  const order = rng.permutation(Math.ceil(longest / block));
  for (const rows of bySymbol.values()) {
    const blocks = Math.ceil(rows.length / block);
    const src: number[] = [];
    for (const b of order) if (b < blocks) for (let k = b * block; k < Math.min(rows.length, (b + 1) * block); k++) src.push(rows[k]);
    rows.forEach((dst, k) => {
      y[dst] = ds.y[src[k]];
      pnl.set(ds.pnl.subarray(src[k] * ds.pnlCols, (src[k] + 1) * ds.pnlCols), dst * ds.pnlCols);
    });
  }
  return { ...ds, y, pnl };
}
