import type { DatasetConfig } from '../../datasets/config';
import type { Dataset } from '../../datasets/dataset';
import { DEFAULT_META } from '../../models/metaLearner';
import type { FoldPlan } from '../../sampling/folds';
import { baselinesOnFold, BASELINE_NAMES } from '../baselines/baselineFolds';
import { META_KIND, metaCandidateHash } from './candidates';
import { metaOutOfSample } from './metaFolds';
import type { FoldCache } from './runFold';
import { concatOos, fromProba, sameRows, type Oos } from './pooling';

/** One candidate's out-of-sample predictions: every CV fold, then the final window. */
export interface CandidateOos {
  key: string;
  kind: string;
  hash: string;
  cv: { rows: Int32Array; proba: Float64Array }[];
  final: { rows: Int32Array; proba: Float64Array };
}

/** Everything scored on the pooled out-of-sample rows: candidates, the champion's configuration, the meta-learner, baselines. */
export interface Predictor {
  key: string;
  kind: string;
  hash: string | null;
  role: 'candidate' | 'champion' | 'baseline';
  cv: Oos;
  final: Oos;
  /** Fold index of each pooled CV row. */
  foldOf: Int32Array;
}

/**
 * Pools every candidate's CV predictions (checked to cover the same rows), adds the
 * walk-forward meta-learner over the members (when `meta` is given and there are two or more)
 * and the classification baselines on the same rows, each knowing only its fold's training
 * window. The baselines are diagnostics and declared references, never selected.
 */
export async function pooledPredictors(ds: Dataset, plan: FoldPlan, candidates: CandidateOos[], o: { dataset: DatasetConfig; meta: Record<string, unknown> | null; metaCache?: { cache: FoldCache; feed: string }; onProgress?: (what: string) => void }): Promise<Predictor[]> {
  const K = ds.classNames.length;
  const cvFolds = plan.cv;
  const cvRows = concatOos(candidates[0].cv.map((f) => fromProba(f.rows, f.proba, K)), K).rows;
  for (const c of candidates) {
    const rows = concatOos(c.cv.map((f) => fromProba(f.rows, f.proba, K)), K).rows;
    if (!sameRows(rows, cvRows)) throw new Error(`candidate ${c.key} was evaluated on other rows than ${candidates[0].key}`);
  }
  const foldOf = Int32Array.from(cvFolds.flatMap((f, j) => Array.from(candidates[0].cv[j].rows, () => f.index)));
  const predictors: Predictor[] = candidates.map((c) => ({
    key: c.key,
    kind: c.kind,
    hash: c.hash,
    role: c.key === 'champion' ? 'champion' : 'candidate',
    cv: concatOos(c.cv.map((f) => fromProba(f.rows, f.proba, K)), K),
    final: fromProba(c.final.rows, c.final.proba, K),
    foldOf,
  }));
  const members = candidates.filter((c) => c.key !== 'champion');
  if (o.meta && members.length >= 2) {
    o.onProgress?.('meta-learner');
    const windows = [...cvFolds, plan.final].map((f, j) => ({ fold: f, rows: j < cvFolds.length ? members[0].cv[j].rows : members[0].final.rows, proba: members.map((m) => (j < cvFolds.length ? m.cv[j].proba : m.final.proba)) }));
    const params = { ...DEFAULT_META, ...o.meta };
    const hash = metaCandidateHash(ds.task, params as unknown as Record<string, unknown>, members.map((m) => m.hash));
    const store = o.metaCache ? { ...o.metaCache, candidateHash: hash } : undefined;
    const metaProba = await metaOutOfSample(ds, windows, plan.gap, o.dataset, params, o.onProgress, store);
    predictors.push({
      key: META_KIND,
      kind: META_KIND,
      hash,
      role: 'candidate',
      cv: concatOos(cvFolds.map((f, j) => fromProba(windows[j].rows, metaProba[j], K)), K),
      final: fromProba(windows[cvFolds.length].rows, metaProba[cvFolds.length], K),
      foldOf,
    });
  }
  o.onProgress?.('baselines');
  const perFold = [...cvFolds, plan.final].map((f) => baselinesOnFold(ds, f, o.dataset.seed));
  for (const name of BASELINE_NAMES) {
    predictors.push({ key: name, kind: name, hash: null, role: 'baseline', cv: concatOos(perFold.slice(0, -1).map((b) => b[name]), K), final: perFold[perFold.length - 1][name], foldOf });
  }
  return predictors;
}

/** Members of the meta-learner: every candidate but the champion's extra configuration. */
export function metaMembers(candidates: CandidateOos[]): string[] {
  return candidates.filter((c) => c.key !== 'champion').map((c) => c.key);
}
