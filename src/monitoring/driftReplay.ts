import { calibratedMatrixDrift, DEFAULT_CALIBRATED_DRIFT, type CalibratedDriftConfig } from './calibratedDrift';

export interface DriftReplay {
  runs: number;
  /** Per feature: share of runs in which it was flagged. */
  flagRate: Record<string, number>;
  /** Per feature: the as-of days of the runs that flagged it. */
  flaggedAt: Record<string, number[]>;
}

/**
 * How often the calibrated drift monitor would have fired: one run per as-of day, each seeing
 * only rows dated up to it (rows time-ordered by `day`). The evidence for its false-alarm rate.
 */
export function replayDrift(names: string[], X: Float64Array, day: ArrayLike<number>, asOfDays: number[], cfg: CalibratedDriftConfig = DEFAULT_CALIBRATED_DRIFT): DriftReplay {
  const cols = names.length;
  const flaggedAt: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, [] as number[]]));
  const days = Float64Array.from(day);
  let end = 0;
  for (const asOf of [...asOfDays].sort((a, b) => a - b)) {
    while (end < days.length && days[end] <= asOf) end++;
    for (const r of calibratedMatrixDrift(names, X.subarray(0, end * cols), days.subarray(0, end), cfg)) if (r.flagged) flaggedAt[r.feature].push(asOf);
  }
  const runs = asOfDays.length;
  return { runs, flagRate: Object.fromEntries(names.map((n) => [n, runs > 0 ? flaggedAt[n].length / runs : 0])), flaggedAt };
}
