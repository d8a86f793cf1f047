/** Classification metrics. Every function takes probabilities (rows x K) and labels. */

export interface ClassificationMetrics {
  samples: number;
  accuracy: number;
  balanced_accuracy: number;
  macro_f1: number;
  /** Cohen's kappa: 0 for any prediction independent of the truth, whatever its class mix. */
  kappa: number;
  log_loss: number;
  /** Multi-class Brier score (mean squared error of the probability rows; NaN without probabilities). */
  brier: number;
  ece: number;
  classes_predicted: number;
  /** Share of rows given the most frequently predicted class (1.0 = always the same answer). */
  max_pred_share: number;
  confusion: number[][];
}

export function confusionMatrix(pred: ArrayLike<number>, y: ArrayLike<number>, K: number): number[][] {
  const m = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  for (let i = 0; i < y.length; i++) m[y[i]][pred[i]]++;
  return m;
}

/** Expected calibration error over `bins` equal-width confidence bins. */
export function expectedCalibrationError(proba: Float64Array, y: ArrayLike<number>, K: number, bins = 10): number {
  const n = y.length;
  const conf = new Float64Array(bins);
  const acc = new Float64Array(bins);
  const cnt = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (proba[i * K + k] > proba[i * K + best]) best = k;
    const c = proba[i * K + best];
    const b = Math.min(bins - 1, Math.floor(c * bins));
    conf[b] += c;
    acc[b] += best === y[i] ? 1 : 0;
    cnt[b]++;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (cnt[b] > 0) ece += (cnt[b] / n) * Math.abs(acc[b] / cnt[b] - conf[b] / cnt[b]);
  return ece;
}

export function classificationMetrics(proba: Float64Array, y: ArrayLike<number>, K: number): ClassificationMetrics | null {
  const n = y.length;
  const pred = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (proba[i * K + k] > proba[i * K + best]) best = k;
    pred[i] = best;
  }
  return predictionMetrics(pred, proba, y, K);
}

/**
 * Metrics of hard predictions, with log loss and calibration from probabilities when the
 * predictor has them (a random class-prior guess predicts draws, not the argmax of its prior).
 */
export function predictionMetrics(pred: ArrayLike<number>, proba: Float64Array | null, y: ArrayLike<number>, K: number): ClassificationMetrics | null {
  const n = y.length;
  if (n === 0) return null; // "no samples", never 0.0
  let ll = 0;
  let brier = 0;
  if (proba)
    for (let i = 0; i < n; i++) {
      ll -= Math.log(Math.min(1, Math.max(1e-15, proba[i * K + y[i]])));
      for (let k = 0; k < K; k++) brier += (proba[i * K + k] - (k === y[i] ? 1 : 0)) ** 2;
    }
  const cm = confusionMatrix(pred, y, K);
  let correct = 0;
  let recallSum = 0;
  let presentClasses = 0;
  let f1Sum = 0;
  let f1Classes = 0;
  let chance = 0;
  for (let k = 0; k < K; k++) {
    correct += cm[k][k];
    const support = cm[k].reduce((a, b) => a + b, 0);
    const predicted = cm.reduce((a, row) => a + row[k], 0);
    chance += (support / n) * (predicted / n);
    if (support > 0) {
      recallSum += cm[k][k] / support;
      presentClasses++;
    }
    if (support > 0 || predicted > 0) {
      const p = predicted > 0 ? cm[k][k] / predicted : 0;
      const r = support > 0 ? cm[k][k] / support : 0;
      f1Sum += p + r > 0 ? (2 * p * r) / (p + r) : 0;
      f1Classes++;
    }
  }
  return {
    samples: n,
    accuracy: correct / n,
    balanced_accuracy: presentClasses > 0 ? recallSum / presentClasses : 0,
    macro_f1: f1Classes > 0 ? f1Sum / f1Classes : 0,
    kappa: chance < 1 ? (correct / n - chance) / (1 - chance) : 0,
    log_loss: proba ? ll / n : NaN,
    brier: proba ? brier / n : NaN,
    ece: proba ? expectedCalibrationError(proba, y, K) : NaN,
    classes_predicted: new Set(Array.from(pred)).size,
    max_pred_share: Math.max(...cm.map((_, k) => cm.reduce((a, row) => a + row[k], 0))) / n,
    confusion: cm,
  };
}
