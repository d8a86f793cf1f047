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
  const v = new Float64Array(C * n);
  const has = new Uint8Array(C * n);
  columns.forEach((x, c) => {
    if (x.length !== n) throw new RangeError(`dailyMeanStatistic: column ${c} has ${x.length} days, column 0 has ${n}`);
    for (let i = 0; i < n; i++) {
      const value = x[i];
      if (Number.isNaN(value)) continue;
      if (!Number.isFinite(value)) throw new RangeError(`dailyMeanStatistic: column ${c} day ${i} is ${value}`);
      v[c * n + i] = value;
      has[c * n + i] = 1;
    }
  });
  return {
    name,
    rows: n,
    candidates: C,
    higherIsBetter: true,
    compute(idx, len, out) {
      for (let c = 0; c < C; c++) {
        const base = c * n;
        let s = 0;
        let k = 0;
        for (let j = 0; j < len; j++) {
          const r = base + idx[j];
          if (has[r]) {
            s += v[r];
            k++;
          }
        }
        out[c] = k > 0 ? s / k : NaN;
      }
    },
  };
}

/** How many days of a column hold a value. */
export function daysWithValue(column: ArrayLike<number>): number {
  let k = 0;
  for (let i = 0; i < column.length; i++) if (!Number.isNaN(column[i])) k++;
  return k;
}
