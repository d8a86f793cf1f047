import { InsufficientDataError } from '../errors';

/**
 * Walk-forward split over day indices 0..lastLabelled (contiguous trading days):
 *   train | purge + embargo | validation | purge + embargo | test
 * A row at day t carries a label built from days (t, t + horizon]. The purge removes every
 * training day whose label window reaches into validation (t + horizon >= valStart), and
 * the embargo adds a further gap against serial correlation. The same gap separates
 * validation from test. Never a random split.
 */
export interface SplitConfig {
  horizon: number;
  embargo: number;
  valDays: number;
  testDays: number;
  minTrainDays: number;
}

export const DEFAULT_SPLIT: SplitConfig = { horizon: 5, embargo: 5, valDays: 252, testDays: 252, minTrainDays: 500 };

export interface Split {
  /** Inclusive day-index ranges; firstUsable is the first day with complete features. */
  train: [number, number];
  validation: [number, number];
  test: [number, number];
  purged: number;
}

export function walkForwardSplit(firstUsable: number, lastLabelled: number, cfg: SplitConfig): Split {
  const gap = cfg.horizon + cfg.embargo;
  const testEnd = lastLabelled;
  const testStart = testEnd - cfg.testDays + 1;
  const valEnd = testStart - gap - 1;
  const valStart = valEnd - cfg.valDays + 1;
  const trainEnd = valStart - gap - 1;
  if (trainEnd - firstUsable + 1 < cfg.minTrainDays) {
    throw new InsufficientDataError(
      `not enough history for a walk-forward split: ${Math.max(0, trainEnd - firstUsable + 1)} training days, need ${cfg.minTrainDays} ` +
        `(usable days ${firstUsable}..${lastLabelled}, validation ${cfg.valDays}, test ${cfg.testDays}, gap ${gap})`,
    );
  }
  return { train: [firstUsable, trainEnd], validation: [valStart, valEnd], test: [testStart, testEnd], purged: 2 * gap };
}

/** True if the label window (t, t + horizon] of any training day overlaps [start, end]. */
export function labelWindowOverlaps(trainDays: number[], horizon: number, start: number, end: number): boolean {
  return trainDays.some((t) => t + horizon >= start && t + 1 <= end);
}
