import { forEachRun } from './blockRuns';
import type { ResampledStatistic } from './resampledStatistics';

/**
 * Means of daily series on one calendar grid, for the paired stationary bootstrap. Each column
 * holds one value per grid day, NaN where it has none (a regime's days only; a day with too
 * few symbols for an IC). A resample draws grid days; every column's mean is taken over the
 * drawn days where it has a value, so all columns are scored on the same days and their
 * differences keep their correlation. A column with no value among the drawn days gives NaN.
 */
export function dailyMeanStatistic(columns: ArrayLike<number>[], name = 'daily mean'): ResampledStatistic {
  const C = columns.length;
  if (C === 0) throw new RangeError('dailyMeanStatistic: no columns');
  const n = columns[0].length;
  if (n === 0) throw new RangeError('dailyMeanStatistic: the grid has no days');
  // Running sums and counts per column, day-major (prefix[i * C + c] covers the days before i):
  // a resample is a run of blocks of consecutive days, so each block costs one difference per
  // column instead of a pass over its days. The full sample sums in day order, as before.
  const sum = new Float64Array((n + 1) * C);
  const count = new Float64Array((n + 1) * C);
  columns.forEach((x, c) => {
    if (x.length !== n) throw new RangeError(`dailyMeanStatistic: column ${c} has ${x.length} days, column 0 has ${n}`);
    for (let i = 0; i < n; i++) {
      const value = x[i];
      const has = !Number.isNaN(value);
      if (has && !Number.isFinite(value)) throw new RangeError(`dailyMeanStatistic: column ${c} day ${i} is ${value}`);
      sum[(i + 1) * C + c] = sum[i * C + c] + (has ? value : 0);
      count[(i + 1) * C + c] = count[i * C + c] + (has ? 1 : 0);
    }
  });
  const s = new Float64Array(C);
  const k = new Float64Array(C);
  return {
    name,
    rows: n,
    candidates: C,
    higherIsBetter: true,
    compute(idx, len, out) {
      s.fill(0);
      k.fill(0);
      forEachRun(idx, len, (first, last) => {
        const hi = (last + 1) * C;
        const lo = first * C;
        for (let c = 0; c < C; c++) {
          s[c] += sum[hi + c] - sum[lo + c];
          k[c] += count[hi + c] - count[lo + c];
        }
      });
      for (let c = 0; c < C; c++) out[c] = k[c] > 0 ? s[c] / k[c] : NaN;
    },
  };
}

/** How many days of a column hold a value. */
export function daysWithValue(column: ArrayLike<number>): number {
  let k = 0;
  for (let i = 0; i < column.length; i++) if (!Number.isNaN(column[i])) k++;
  return k;
}
