import type { Dataset } from '../../datasets/dataset';
import type { DatasetConfig } from '../../datasets/config';
import { planFolds, type FoldPlan, type FoldSpec } from '../../sampling/folds';
import type { CandidateSpec } from './fitCandidate';

/** The folds of a dataset under a configuration (pure: every activity derives the same ones). */
export function protocolFolds(ds: Dataset, cfg: DatasetConfig): FoldPlan {
  return planFolds(ds.t[0], ds.t[ds.rows - 1], { lag: ds.executionLag, horizon: ds.horizon, ...cfg.split });
}

/** CV folds, then the final window, then the refit: indices are positions in this list. */
export function allFolds(plan: FoldPlan): FoldSpec[] {
  return [...plan.cv, plan.final, plan.refit];
}

export function foldAt(plan: FoldPlan, index: number): FoldSpec {
  const f = allFolds(plan).find((x) => x.index === index);
  if (!f) throw new RangeError(`no fold ${index} (the plan has ${plan.cv.length} folds, a final window and a refit)`);
  return f;
}

export function foldRef(ds: Dataset, f: FoldSpec) {
  return {
    index: f.index,
    role: f.role,
    train: [ds.dates[f.train.from], ds.dates[f.train.to]] as [string, string],
    test: f.test ? ([ds.dates[f.test.from], ds.dates[f.test.to]] as [string, string]) : null,
  };
}

/** A stored evaluation plan: the candidates a run evaluates and the champion it measures them against. */
export interface StoredPlan {
  candidates: (CandidateSpec & { key: string })[];
  meta: boolean;
  /** The candidate key that holds the champion's configuration (a kind, `meta`, or `champion`). */
  championKey: string | null;
  champion: { modelId: string; kind: string; effectiveFrom: string; trainedThrough: string | null } | null;
  championIncomparable: boolean;
}
