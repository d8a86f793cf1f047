import type { Dataset } from '../datasets/dataset';
import { baselinesOnFold, BASELINE_NAMES } from '../evaluation/baselines';
import { concatOos, fromProba, sameRows, type Oos, type Predictor } from '../evaluation/protocol';
import type { FoldSpec } from '../sampling/folds';

/** One window's out-of-sample predictions of each candidate (the same rows for all). */
export type WindowOutcomes = { rows: Int32Array; proba: Float64Array }[];

/**
 * An arm's model on one window: the equal-weight mean of its candidates' probabilities. Fixed in
 * advance (no selection on the evaluated rows), so comparing arms compares how they train, not
 * which candidate happened to be picked on the same rows.
 */
export function armWindow(ds: Dataset, outs: WindowOutcomes): Oos {
  const K = ds.classNames.length;
  const rows = outs[0].rows;
  const proba = new Float64Array(rows.length * K);
  for (const o of outs) {
    if (!sameRows(o.rows, rows)) throw new Error('candidates of one window predicted different rows');
    for (let i = 0; i < proba.length; i++) proba[i] += o.proba[i] / outs.length;
  }
  return fromProba(rows, proba, K);
}

const emptyOos = (K: number): Oos => ({ rows: new Int32Array(0), pred: new Int32Array(0), proba: new Float64Array(0 * K) });

/** An arm as a predictor: its windows pooled in time order (`foldOf`: the fold index of each row, for the best-static benchmark). */
export function armPredictor(ds: Dataset, key: string, windows: Oos[], folds: FoldSpec[], final: Oos | null): Predictor {
  const K = ds.classNames.length;
  const cv = concatOos(windows, K);
  const foldOf = Int32Array.from(windows.flatMap((w, j) => Array.from(w.rows, () => folds[j].index)));
  return { key, kind: key, hash: null, role: 'candidate', cv, final: final ?? emptyOos(K), foldOf };
}

/** The protocol's baselines on the same windows (each knowing only its window's training rows). */
export function baselinePredictors(ds: Dataset, folds: FoldSpec[], foldOf: Int32Array, seed: number, final: FoldSpec | null): Predictor[] {
  const K = ds.classNames.length;
  const per = folds.map((f) => baselinesOnFold(ds, f, seed));
  const fin = final ? baselinesOnFold(ds, final, seed) : null;
  return BASELINE_NAMES.map((name) => ({ key: name, kind: name, hash: null, role: 'baseline' as const, cv: concatOos(per.map((b) => b[name]), K), final: fin ? fin[name] : emptyOos(K), foldOf }));
}
