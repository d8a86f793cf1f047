import { forEachRun } from './blockRuns';
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
  // Running sums of the day counts: prefix[(d * C + c) * K * K + t * K + p] sums the days before d.
  // A stationary-bootstrap resample is a run of blocks of consecutive days, so a block's counts
  // are one difference of two prefixes (integers: exact), not a sum over its days.
  const Q = C * K * K;
  const prefix = new Float64Array((D + 1) * Q);
  let d = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && day[i] !== day[i - 1]) d++;
    if (i === 0 || day[i] !== day[i - 1]) prefix.copyWithin((d + 1) * Q, d * Q, (d + 1) * Q);
    const t = y[i];
    if (!(t >= 0 && t < K)) throw new RangeError(`dayConfusionStatistic: label ${t} at row ${i} is outside 0..${K - 1}`);
    for (let c = 0; c < C; c++) {
      const p = predictions[c][i];
      if (!(p >= 0 && p < K)) throw new RangeError(`dayConfusionStatistic: candidate ${c} predicts ${p} at row ${i}, outside 0..${K - 1}`);
      prefix[(d + 1) * Q + c * K * K + t * K + p]++;
    }
  }
  const cm = new Float64Array(Q);
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
      forEachRun(idx, len, (first, last) => {
        const hi = (last + 1) * Q;
        const lo = first * Q;
        for (let q = 0; q < Q; q++) cm[q] += prefix[hi + q] - prefix[lo + q];
      });
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
