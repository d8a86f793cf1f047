import type { Rng } from '../../util/rng';

/**
 * Baselines every candidate must beat, scored on the same rows. Each returns hard predictions
 * and, where the baseline defines them, probability rows (rows x classes) for log loss.
 */
export interface BaselinePredictions {
  name: 'class_prior' | 'majority' | 'label_persistence';
  pred: Int32Array;
  /** rows x classes; null where the baseline has no probabilities (label persistence). */
  proba: Float64Array | null;
  /** Rows that fell back to the majority class (label persistence only). */
  fallbackRows: number;
}

/** Share of each class among the training labels (optionally weighted). */
export function classFrequencies(trainLabels: ArrayLike<number>, classes: number, weights?: ArrayLike<number>): Float64Array {
  if (trainLabels.length === 0) throw new RangeError('classFrequencies: no training labels');
  const f = new Float64Array(classes);
  let total = 0;
  for (let i = 0; i < trainLabels.length; i++) {
    const y = trainLabels[i];
    if (!(Number.isInteger(y) && y >= 0 && y < classes)) throw new RangeError(`classFrequencies: training label ${y} at row ${i} is outside 0..${classes - 1}`);
    const w = weights ? weights[i] : 1;
    f[y] += w;
    total += w;
  }
  if (!(total > 0)) throw new RangeError('classFrequencies: training weights sum to 0');
  for (let k = 0; k < classes; k++) f[k] /= total;
  return f;
}

function priorRows(prior: Float64Array, rows: number): Float64Array {
  const out = new Float64Array(rows * prior.length);
  for (let i = 0; i < rows; i++) out.set(prior, i * prior.length);
  return out;
}

/** Index of the largest training frequency (lowest index on ties). */
export function majorityOf(prior: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < prior.length; k++) if (prior[k] > prior[best]) best = k;
  return best;
}

/**
 * A guess that knows only the training class frequencies: each row's class is drawn from them
 * (seeded), and its probability row is the frequencies themselves.
 */
export function classPriorGuess(trainLabels: ArrayLike<number>, classes: number, rows: number, rng: Rng): BaselinePredictions {
  const prior = classFrequencies(trainLabels, classes);
  const cdf = new Float64Array(classes);
  let acc = 0;
  for (let k = 0; k < classes; k++) cdf[k] = acc += prior[k];
  const pred = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const u = rng.next() * acc;
    let k = 0;
    while (k < classes - 1 && u >= cdf[k]) k++;
    pred[i] = k;
  }
  return { name: 'class_prior', pred, proba: priorRows(prior, rows), fallbackRows: 0 };
}

/** Always the training majority class; its probability row is the training frequencies. */
export function majorityClass(trainLabels: ArrayLike<number>, classes: number, rows: number): BaselinePredictions {
  const prior = classFrequencies(trainLabels, classes);
  return { name: 'majority', pred: new Int32Array(rows).fill(majorityOf(prior)), proba: priorRows(prior, rows), fallbackRows: 0 };
}

/** Labelled rows known to the baseline: trading-day position, symbol and label of each. */
export interface LabelHistory {
  day: ArrayLike<number>;
  symbol: ArrayLike<number>;
  label: ArrayLike<number>;
}

/**
 * Label persistence without look-ahead: a row at trading day t (symbol s) predicts the label of
 * s at day t − horizon, the newest label whose window (t − h, t] has closed by t's close — not
 * the label of t − 1, whose window reaches t + h − 1. If that day has no label, the newest
 * earlier one of the same symbol; with none at all, `fallback` (the training majority class).
 * `day` values are positions on the trading calendar (not yyyymmdd), so `t − horizon` counts
 * trading days.
 */
export function labelPersistence(target: { day: ArrayLike<number>; symbol: ArrayLike<number> }, history: LabelHistory, horizon: number, fallback: number): BaselinePredictions {
  if (!(Number.isInteger(horizon) && horizon >= 1)) throw new RangeError(`labelPersistence: horizon must be a positive integer, got ${horizon}`);
  if (target.day.length !== target.symbol.length) throw new RangeError(`labelPersistence: ${target.day.length} days for ${target.symbol.length} symbols`);
  if (history.day.length !== history.symbol.length || history.day.length !== history.label.length) throw new RangeError('labelPersistence: history day, symbol and label lengths differ');
  const bySymbol = new Map<number, { day: number; label: number }[]>();
  for (let i = 0; i < history.day.length; i++) {
    const list = bySymbol.get(history.symbol[i]) ?? [];
    list.push({ day: history.day[i], label: history.label[i] });
    bySymbol.set(history.symbol[i], list);
  }
  for (const list of bySymbol.values()) list.sort((a, b) => a.day - b.day);
  const rows = target.day.length;
  const pred = new Int32Array(rows);
  let fallbackRows = 0;
  for (let i = 0; i < rows; i++) {
    const list = bySymbol.get(target.symbol[i]);
    const limit = target.day[i] - horizon;
    // Newest history entry with day <= limit (binary search).
    let lo = 0;
    let hi = list ? list.length : 0;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list![mid].day <= limit) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) {
      pred[i] = fallback;
      fallbackRows++;
    } else pred[i] = list![lo - 1].label;
  }
  return { name: 'label_persistence', pred, proba: null, fallbackRows };
}
