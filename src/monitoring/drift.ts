import type { Dataset } from '../datasets/dataset';
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

/** Rows of the newest `days` distinct days, oldest first. */
export function recentRows(ds: Dataset, days: number): Int32Array {
  const lastT = ds.t[ds.rows - 1];
  const from = lastT - days + 1;
  const out: number[] = [];
  for (let i = 0; i < ds.rows; i++) if (ds.t[i] >= from) out.push(i);
  return Int32Array.from(out);
}

/** PSI of every feature between all earlier rows and the most recent days. */
export function featureDrift(ds: Dataset, cfg: DriftConfig): FeatureDrift[] {
  const recent = recentRows(ds, cfg.recentDays);
  const before = recent.length ? recent[0] : ds.rows;
  return ds.featureNames.map((feature, j) => {
    const ref: number[] = [];
    for (let i = 0; i < before; i++) ref.push(ds.X[i * ds.cols + j]);
    const psi = populationStabilityIndex(ref, Array.from(recent, (i) => ds.X[i * ds.cols + j]));
    return { feature, psi, flagged: Number.isFinite(psi) && psi > cfg.psiThreshold };
  });
}
