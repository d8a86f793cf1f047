import type { Dataset } from '../../datasets/dataset';
import { argmaxRows } from '../../models/classifier';

/** Out-of-sample predictions of one predictor over one or more evaluation windows. */
export interface Oos {
  /** Dataset rows, time-ordered. */
  rows: Int32Array;
  /** Hard predictions per row. */
  pred: Int32Array;
  /** rows x classes probabilities, or null for a predictor without them (label persistence). */
  proba: Float64Array | null;
}

export function fromProba(rows: Int32Array, proba: Float64Array, K: number): Oos {
  return { rows, pred: argmaxRows(proba, K), proba };
}

/** Concatenates windows in time order; every predictor must cover the same rows. */
export function concatOos(parts: Oos[], K: number): Oos {
  const n = parts.reduce((a, p) => a + p.rows.length, 0);
  const rows = new Int32Array(n);
  const pred = new Int32Array(n);
  const withProba = parts.every((p) => p.proba);
  const proba = withProba ? new Float64Array(n * K) : null;
  let o = 0;
  for (const p of parts) {
    rows.set(p.rows, o);
    pred.set(p.pred, o);
    if (proba) proba.set(p.proba!, o * K);
    o += p.rows.length;
  }
  return { rows, pred, proba };
}

export function labelsOf(ds: Dataset, rows: Int32Array): { y: Int32Array; regime: Int8Array; day: Int32Array } {
  return { y: Int32Array.from(rows, (i) => ds.y[i]), regime: Int8Array.from(rows, (i) => ds.regime[i]), day: Int32Array.from(rows, (i) => ds.t[i]) };
}

export function sameRows(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
