import { InsufficientDataError } from '../errors';

/** Inclusive range of calendar-day indices. */
export interface DayWindow {
  from: number;
  to: number;
}

/**
 * One fit of the protocol. `cv` folds choose; the `final` window after them is reported only;
 * the `refit` trains on every labelled row up to as-of and is what gets deployed.
 */
export interface FoldSpec {
  index: number;
  role: 'cv' | 'final' | 'refit';
  train: DayWindow;
  test: DayWindow | null;
}

export interface FoldConfig {
  /** Label reach: a row at day t is labelled from returns up to t + lag + horizon. */
  lag: number;
  horizon: number;
  embargo: number;
  minTrainDays: number;
  foldDays: number;
  holdoutDays: number;
  trainWindowDays: number | null;
}

export interface FoldPlan {
  cv: FoldSpec[];
  final: FoldSpec;
  refit: FoldSpec;
  /** Days between a training window's end and the next test window's start (purge + embargo). */
  gap: number;
}

/**
 * Purged, expanding walk-forward folds over the usable days [first, last]:
 *
 *   train ........................| gap |  test fold k  |
 *   train .......................................| gap |  test fold k+1  | ...  | final |
 *
 * A training row at day u is labelled from returns up to u + lag + horizon; it trains for a
 * test window starting at s only if u + lag + horizon + embargo < s (the purge and the
 * embargo). Test folds are `foldDays` long and anchored at `first`, so week after week the
 * same folds come out (and their results can be reused); the window after the last full fold
 * (at least `holdoutDays`) is the final, report-only window.
 */
export function planFolds(first: number, last: number, cfg: FoldConfig): FoldPlan {
  const gap = cfg.lag + cfg.horizon + cfg.embargo;
  const s0 = first + cfg.minTrainDays + gap;
  const k = Math.floor((last - cfg.holdoutDays + 1 - s0) / cfg.foldDays);
  if (k < 1) {
    throw new InsufficientDataError(
      `not enough history for purged walk-forward evaluation: ${last - first + 1} usable days, need at least ` +
        `${cfg.minTrainDays} training + ${gap} gap + ${cfg.foldDays} for one test fold + ${cfg.holdoutDays} final days`,
    );
  }
  const window = (to: number): DayWindow => ({ from: cfg.trainWindowDays ? Math.max(first, to - cfg.trainWindowDays + 1) : first, to });
  const cv: FoldSpec[] = [];
  for (let i = 0; i < k; i++) {
    const from = s0 + i * cfg.foldDays;
    cv.push({ index: i, role: 'cv', train: window(from - gap - 1), test: { from, to: from + cfg.foldDays - 1 } });
  }
  const finalFrom = s0 + k * cfg.foldDays;
  return {
    cv,
    final: { index: k, role: 'final', train: window(finalFrom - gap - 1), test: { from: finalFrom, to: last } },
    refit: { index: k + 1, role: 'refit', train: window(last), test: null },
    gap,
  };
}

/**
 * The inner split of a training window for early stopping: the last `valDays` days validate,
 * and the rows before them (purged by the same gap) train. Null when the window is too short.
 */
export function innerSplit(train: DayWindow, valDays: number, gap: number): { fit: DayWindow; validation: DayWindow } | null {
  const validation = { from: train.to - valDays + 1, to: train.to };
  const fit = { from: train.from, to: validation.from - gap - 1 };
  if (fit.to - fit.from + 1 < Math.max(2 * valDays, 60)) return null;
  return { fit, validation };
}
