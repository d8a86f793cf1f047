import { Rng } from '../util/rng';

/**
 * At most `max` of a window's rows for early stopping, drawn uniformly without replacement with
 * the run's seed and kept in time order. Early stopping only picks an iteration count; a large
 * universe's inner validation window (126 days x 500 stocks = 63,000 rows) would otherwise be
 * predicted after every epoch and cost more than the training it steers.
 */
export function capValidationRows(rows: Int32Array, max: number, seed: number): Int32Array {
  if (rows.length <= max) return rows;
  const keep = new Rng(seed ^ 0x5bd1e995).permutation(rows.length).subarray(0, max).sort();
  return Int32Array.from(keep, (p) => rows[p]);
}
