import { metricFromCounts, type ConfusionMetric, type ResampledStatistic } from './resampledStatistics';

/**
 * `confusionStatistic` with days as the resampled units: each day's confusion counts are
 * summed once, so a resample costs days x candidates x K² instead of rows x candidates —
 * what keeps the bootstrap fast when a day holds hundreds of symbols. Resampling whole days
 * is what the row version does with `groups`, so the numbers agree (tested).
 * `day` is each row's day, rows in time order.
 */
export function dayConfusionStatistic(y: ArrayLike<number>, predictions: ArrayLike<number>[], day: ArrayLike<number>, classes: number, metric: ConfusionMetric): ResampledStatistic & { days: number } {
  const n = y.length;
  const K = classes;
  const C = predictions.length;
  if (C === 0) throw new RangeError('dayConfusionStatistic: no candidates');
  if (day.length !== n) throw new RangeError(`dayConfusionStatistic: ${n} labels for ${day.length} days`);
  let D = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && day[i] < day[i - 1]) throw new RangeError(`dayConfusionStatistic: rows must be time-ordered (row ${i})`);
    if (i === 0 || day[i] !== day[i - 1]) D++;
  }
  // counts[(d * C + c) * K * K + t * K + p]
  const counts = new Float64Array(D * C * K * K);
  let d = -1;
  for (let i = 0; i < n; i++) {
    if (i === 0 || day[i] !== day[i - 1]) d++;
    const t = y[i];
    if (!(t >= 0 && t < K)) throw new RangeError(`dayConfusionStatistic: label ${t} at row ${i} is outside 0..${K - 1}`);
    for (let c = 0; c < C; c++) {
      const p = predictions[c][i];
      if (!(p >= 0 && p < K)) throw new RangeError(`dayConfusionStatistic: candidate ${c} predicts ${p} at row ${i}, outside 0..${K - 1}`);
      counts[(d * C + c) * K * K + t * K + p]++;
    }
  }
  const cm = new Float64Array(C * K * K);
  const support = new Float64Array(K);
  const predicted = new Float64Array(K);
  return {
    name: metric,
    rows: D,
    days: D,
    candidates: C,
    higherIsBetter: true,
    compute(idx, len, out) {
      cm.fill(0);
      for (let k = 0; k < len; k++) {
        const base = idx[k] * C * K * K;
        for (let q = 0; q < C * K * K; q++) cm[q] += counts[base + q];
      }
      for (let c = 0; c < C; c++) {
        const m = cm.subarray(c * K * K, (c + 1) * K * K);
        support.fill(0);
        predicted.fill(0);
        for (let t = 0; t < K; t++)
          for (let p = 0; p < K; p++) {
            support[t] += m[t * K + p];
            predicted[p] += m[t * K + p];
          }
        out[c] = metricFromCounts(metric, K, (k) => support[k], (k) => predicted[k], (k) => m[k * K + k]);
      }
    },
  };
}
