import { SPLIT_TRAIN, type Dataset } from '../datasets/dataset';
import { populationStabilityIndex } from './psi';

export interface DriftConfig {
  /** PSI above this flags a feature. */
  psiThreshold: number;
  /** The newest this-many trading days of the dataset are "recent". */
  recentDays: number;
}

export const DEFAULT_DRIFT: DriftConfig = { psiThreshold: 0.25, recentDays: 60 };

export interface FeatureDrift {
  feature: string;
  psi: number;
  flagged: boolean;
}

/** Rows of the newest `days` distinct days (any split), oldest first. */
export function recentRows(ds: Dataset, days: number): Int32Array {
  const distinct = [...new Set(ds.day)].sort((a, b) => a - b);
  const from = distinct[Math.max(0, distinct.length - days)] ?? Infinity;
  const out: number[] = [];
  for (let i = 0; i < ds.rows; i++) if (ds.day[i] >= from) out.push(i);
  return Int32Array.from(out).sort((a, b) => ds.day[a] - ds.day[b] || a - b);
}

/** PSI of every feature between the training window and the most recent days. */
export function featureDrift(ds: Dataset, cfg: DriftConfig): FeatureDrift[] {
  const train: number[] = [];
  for (let i = 0; i < ds.rows; i++) if (ds.split[i] === SPLIT_TRAIN) train.push(i);
  const recent = recentRows(ds, cfg.recentDays);
  return ds.featureNames.map((feature, j) => {
    const psi = populationStabilityIndex(
      train.map((i) => ds.X[i * ds.cols + j]),
      Array.from(recent, (i) => ds.X[i * ds.cols + j]),
    );
    return { feature, psi, flagged: Number.isFinite(psi) && psi > cfg.psiThreshold };
  });
}
