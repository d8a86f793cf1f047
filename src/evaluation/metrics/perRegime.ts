import { REGIMES, type Regime } from '../../regimes/regimes';
import { classificationMetrics, predictionMetrics, type ClassificationMetrics } from './metrics';

export type RegimeKey = 'all' | Regime;

/** Overall and per-regime metrics; a regime with no rows maps to null ("no samples"). */
export type RegimeMetrics = Record<RegimeKey, ClassificationMetrics | null>;

export function evaluatePerRegime(proba: Float64Array, y: Int32Array, regime: Int8Array, K: number): RegimeMetrics {
  const out = { all: classificationMetrics(proba, y, K) } as RegimeMetrics;
  REGIMES.forEach((r, ri) => {
    const idx: number[] = [];
    for (let i = 0; i < y.length; i++) if (regime[i] === ri) idx.push(i);
    const p = new Float64Array(idx.length * K);
    idx.forEach((i, k) => p.set(proba.subarray(i * K, (i + 1) * K), k * K));
    out[r] = classificationMetrics(p, Int32Array.from(idx, (i) => y[i]), K);
  });
  return out;
}

/** Per-regime metrics of hard predictions (probabilities, when given, for log loss and calibration). */
export function predictionsPerRegime(pred: Int32Array, proba: Float64Array | null, y: Int32Array, regime: Int8Array, K: number): RegimeMetrics {
  const out = { all: predictionMetrics(pred, proba, y, K) } as RegimeMetrics;
  REGIMES.forEach((r, ri) => {
    const idx: number[] = [];
    for (let i = 0; i < y.length; i++) if (regime[i] === ri) idx.push(i);
    let p: Float64Array | null = null;
    if (proba) {
      p = new Float64Array(idx.length * K);
      idx.forEach((i, k) => p!.set(proba.subarray(i * K, (i + 1) * K), k * K));
    }
    out[r] = predictionMetrics(Int32Array.from(idx, (i) => pred[i]), p, Int32Array.from(idx, (i) => y[i]), K);
  });
  return out;
}

/** Flat rows for the metrics table (confusion matrices are kept in the step summary). */
export function metricRows(m: RegimeMetrics): { regime: RegimeKey; name: string; value: number | null }[] {
  const rows: { regime: RegimeKey; name: string; value: number | null }[] = [];
  const names = ['samples', 'accuracy', 'balanced_accuracy', 'macro_f1', 'kappa', 'log_loss', 'brier', 'ece', 'classes_predicted', 'max_pred_share'] as const;
  for (const [regime, v] of Object.entries(m) as [RegimeKey, ClassificationMetrics | null][]) {
    for (const name of names) rows.push({ regime, name, value: v ? v[name] : name === 'samples' ? 0 : null });
  }
  return rows;
}

/** Rebuilds per-regime metrics (without confusion matrices) from stored metric rows. */
export function fromMetricRows(rows: { regime: string; name: string; value: number | null }[]): RegimeMetrics {
  const out = {} as RegimeMetrics;
  for (const key of ['all', ...REGIMES] as RegimeKey[]) {
    const mine = rows.filter((r) => r.regime === key);
    const samples = mine.find((r) => r.name === 'samples')?.value ?? 0;
    if (!samples) {
      out[key] = null;
      continue;
    }
    const get = (n: string) => mine.find((r) => r.name === n)?.value ?? NaN;
    out[key] = {
      samples,
      accuracy: get('accuracy'),
      balanced_accuracy: get('balanced_accuracy'),
      macro_f1: get('macro_f1'),
      kappa: get('kappa'),
      log_loss: get('log_loss'),
      brier: get('brier'),
      ece: get('ece'),
      classes_predicted: get('classes_predicted'),
      max_pred_share: get('max_pred_share'),
      confusion: [],
    };
  }
  return out;
}
