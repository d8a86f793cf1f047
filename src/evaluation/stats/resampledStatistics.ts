/**
 * Statistics that score several candidates on the same resampled rows at once, without
 * allocating per resample: the paired bootstrap calls `compute` a thousand times.
 */
export interface ResampledStatistic {
  readonly name: string;
  readonly rows: number;
  readonly candidates: number;
  readonly higherIsBetter: boolean;
  /** Scores every candidate on rows idx[0..len) (repeats allowed) into out[0..candidates). */
  compute(idx: Int32Array, len: number, out: Float64Array): void;
}

export type ConfusionMetric = 'macro_f1' | 'balanced_accuracy' | 'accuracy' | 'kappa';

/**
 * Macro-F1, balanced accuracy, accuracy or Cohen's kappa of hard predictions, from resampled
 * confusion counts. Definitions match src/evaluation/metrics/metrics.ts: macro-F1 averages F1 = 2TP/(2TP+FP+FN)
 * over classes that occur or are predicted; balanced accuracy averages recall over classes
 * that occur.
 */
export function confusionStatistic(y: ArrayLike<number>, predictions: ArrayLike<number>[], classes: number, metric: ConfusionMetric): ResampledStatistic {
  const n = y.length;
  const K = classes;
  const C = predictions.length;
  if (C === 0) throw new RangeError('confusionStatistic: no candidates');
  const yy = Int32Array.from(y);
  const pred = new Int32Array(C * n);
  predictions.forEach((p, c) => {
    if (p.length !== n) throw new RangeError(`confusionStatistic: candidate ${c} has ${p.length} predictions for ${n} labels`);
    for (let i = 0; i < n; i++) pred[c * n + i] = p[i];
  });
  for (let i = 0; i < n; i++) if (!(yy[i] >= 0 && yy[i] < K)) throw new RangeError(`confusionStatistic: label ${yy[i]} at row ${i} is outside 0..${K - 1}`);
  for (let i = 0; i < C * n; i++) if (!(pred[i] >= 0 && pred[i] < K)) throw new RangeError(`confusionStatistic: candidate ${Math.floor(i / n)} predicts ${pred[i]} at row ${i % n}, outside 0..${K - 1}`);
  const support = new Float64Array(K);
  const tp = new Float64Array(C * K);
  const predicted = new Float64Array(C * K);
  return {
    name: metric,
    rows: n,
    candidates: C,
    higherIsBetter: true,
    compute(idx, len, out) {
      support.fill(0);
      tp.fill(0);
      predicted.fill(0);
      for (let k = 0; k < len; k++) {
        const r = idx[k];
        const t = yy[r];
        support[t]++;
        for (let c = 0, o = r; c < C; c++, o += n) {
          const p = pred[o];
          predicted[c * K + p]++;
          if (p === t) tp[c * K + p]++;
        }
      }
      for (let c = 0; c < C; c++) out[c] = metricFromCounts(metric, K, (k) => support[k], (k) => predicted[c * K + k], (k) => tp[c * K + k]);
    },
  };
}

/**
 * Macro-F1 (over classes that occur or are predicted), balanced accuracy (recall over classes
 * that occur) or accuracy from per-class counts: support (true), predicted and true positives.
 */
export function metricFromCounts(metric: ConfusionMetric, K: number, support: (k: number) => number, predicted: (k: number) => number, tp: (k: number) => number): number {
  let sum = 0;
  let counted = 0;
  let correct = 0;
  let total = 0;
  let chance = 0;
  for (let k = 0; k < K; k++) {
    const S = support(k);
    const P = predicted(k);
    const T = tp(k);
    correct += T;
    total += S;
    chance += S * P;
    if (metric === 'macro_f1' && (S > 0 || P > 0)) {
      sum += (2 * T) / (S + P);
      counted++;
    } else if (metric === 'balanced_accuracy' && S > 0) {
      sum += T / S;
      counted++;
    }
  }
  if (metric === 'accuracy') return total > 0 ? correct / total : NaN;
  if (metric === 'kappa') {
    if (!(total > 0)) return NaN;
    const pe = chance / (total * total);
    return pe < 1 ? (correct / total - pe) / (1 - pe) : 0;
  }
  return counted > 0 ? sum / counted : 0;
}

/**
 * Mean over rows of a per-row value (an additive metric: log loss, a daily return, a hit).
 * Say whether higher is better (returns) or lower (losses).
 */
export function meanStatistic(values: ArrayLike<number>[], opts: { name: string; higherIsBetter: boolean }): ResampledStatistic {
  const C = values.length;
  if (C === 0) throw new RangeError('meanStatistic: no candidates');
  const n = values[0].length;
  const v = new Float64Array(C * n);
  values.forEach((x, c) => {
    if (x.length !== n) throw new RangeError(`meanStatistic: candidate ${c} has ${x.length} values, candidate 0 has ${n}`);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(x[i])) throw new RangeError(`meanStatistic: candidate ${c} row ${i} is ${x[i]}`);
      v[c * n + i] = x[i];
    }
  });
  return {
    name: opts.name,
    rows: n,
    candidates: C,
    higherIsBetter: opts.higherIsBetter,
    compute(idx, len, out) {
      for (let c = 0; c < C; c++) {
        let s = 0;
        const base = c * n;
        for (let k = 0; k < len; k++) s += v[base + idx[k]];
        out[c] = s / len;
      }
    },
  };
}
