import { Rng } from '../util/rng';

/**
 * At most `max` of a window's rows for early stopping, drawn uniformly without replacement with
 * the run's seed and kept in time order. Early stopping only picks an iteration count; a large
 * universe's inner validation window (126 days x 500 stocks = 63,000 rows) would otherwise be
 * predicted after every epoch and cost more than the training it steers.
 */
export function capValidationRows(rows: Int32Array, max: number, seed: number): Int32Array {
  if (rows.length <= max) return rows;
  // Partial Fisher-Yates over positions: the first `max` slots end up a uniform sample.
  const pos = Int32Array.from({ length: rows.length }, (_, i) => i);
  const rng = new Rng(seed ^ 0x5bd1e995);
  for (let i = 0; i < max; i++) {
    const j = i + rng.int(rows.length - i);
    const t = pos[i];
    pos[i] = pos[j];
    pos[j] = t;
  }
  const keep = pos.subarray(0, max).sort();
  return Int32Array.from(keep, (p) => rows[p]);
}
