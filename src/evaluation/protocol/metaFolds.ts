import type { Dataset } from '../../datasets/dataset';
import type { Matrix } from '../../models/classifier';
import { DEFAULT_META, MetaLearner, type MetaParams } from '../../models/metaLearner';
import type { FoldSpec } from '../../sampling/folds';
import { REGIMES } from '../../regimes/regimes';
import type { DatasetConfig } from '../../datasets/config';

/**
 * At most this many (newest) out-of-sample rows fit a meta-learner: ~740 rows per input for 9
 * members x 3 classes. It was 60,000; at 500 stocks the 14 walk-forward meta fits then took
 * 115 s of the assessment (an auto choice = two cross-fits and a final fit each).
 */
export const MAX_META_ROWS = 20_000;

/** Out-of-sample member predictions on one evaluation window. */
export interface MemberFold {
  fold: FoldSpec;
  /** Dataset rows of the window, time-ordered. */
  rows: Int32Array;
  /** One rows x K probability matrix per member, in member order. */
  proba: Float64Array[];
}

function sideBySide(proba: Float64Array[], K: number, pick: (k: number) => number, n: number): Matrix {
  const M = proba.length;
  const out = new Float64Array(n * M * K);
  for (let r = 0; r < n; r++) {
    const src = pick(r);
    for (let m = 0; m < M; m++) out.set(proba[m].subarray(src * K, (src + 1) * K), (r * M + m) * K);
  }
  return { data: out, rows: n, cols: M * K };
}

/**
 * Fits the meta-learner on every member prediction that was out of sample and whose label was
 * known before `decisionDay` - gap (purged): the walk-forward way to stack, with no extra member
 * fits. Null when there is nothing to fit on yet (the first fold: members are averaged).
 */
export async function fitMetaOnHistory(ds: Dataset, history: MemberFold[], decisionDay: number, gap: number, cfg: DatasetConfig, params: Partial<MetaParams> = {}): Promise<MetaLearner | null> {
  const K = ds.classNames.length;
  // A large universe pools millions of out-of-sample rows: the newest MAX_META_ROWS are plenty
  // for a combiner with a few dozen inputs, and they are the most relevant. Windows and their
  // rows are time-ordered, so walk back from the newest and stop there.
  const newest: { f: number; r: number }[] = [];
  for (let f = history.length - 1; f >= 0 && newest.length < MAX_META_ROWS; f--) {
    const rows = history[f].rows;
    for (let r = rows.length - 1; r >= 0 && newest.length < MAX_META_ROWS; r--) {
      if (ds.t[rows[r]] <= decisionDay - gap - 1) newest.push({ f, r });
    }
  }
  if (newest.length < 50) return null;
  const picks = newest.reverse();
  const M = history[0].proba.length;
  const X = new Float64Array(picks.length * M * K);
  picks.forEach((p, k) => {
    for (let m = 0; m < M; m++) X.set(history[p.f].proba[m].subarray(p.r * K, (p.r + 1) * K), (k * M + m) * K);
  });
  const rowIdx = picks.map((p) => history[p.f].rows[p.r]);
  const y = Int32Array.from(rowIdx, (i) => ds.y[i]);
  const w = Float64Array.from(rowIdx, (i) => cfg.regimeWeights[REGIMES[ds.regime[i]]]);
  const meta = new MetaLearner({ ...DEFAULT_META, ...params });
  await meta.fit({ data: X, rows: picks.length, cols: M * K }, y, w, { nClasses: K, seed: cfg.seed, rowDays: Int32Array.from(rowIdx, (i) => ds.t[i]), purgeDays: gap });
  return meta;
}

/** Meta-learner predictions on each window from the folds before it; the first fold averages the members. */
export async function metaOutOfSample(
  ds: Dataset,
  folds: MemberFold[],
  gap: number,
  cfg: DatasetConfig,
  params: Partial<MetaParams> = {},
  onProgress?: (what: string) => void,
): Promise<Float64Array[]> {
  const K = ds.classNames.length;
  const out: Float64Array[] = [];
  for (let k = 0; k < folds.length; k++) {
    // One meta-learner per window: the activity heartbeats between them (a large universe makes each take seconds).
    onProgress?.(`meta-learner window ${k + 1} of ${folds.length}`);
    const f = folds[k];
    const n = f.rows.length;
    const meta = f.fold.test ? await fitMetaOnHistory(ds, folds.slice(0, k), f.fold.test.from, gap, cfg, params) : null;
    if (meta) out.push(meta.predictProba(sideBySide(f.proba, K, (r) => r, n)));
    else {
      const avg = new Float64Array(n * K);
      for (const p of f.proba) for (let q = 0; q < avg.length; q++) avg[q] += p[q] / f.proba.length;
      out.push(avg);
    }
  }
  return out;
}
