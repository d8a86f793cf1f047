import { BOND_SYMBOL, MARKET_SYMBOL } from '../data/bars';
import type { Panel } from '../features/panel';
import { validateStrategies, type StrategyDef } from './strategies';

export type StrategyObjective = 'return' | 'risk_adjusted';

export interface StrategyLabelConfig {
  strategies: StrategyDef[];
  horizon: number;
  objective: StrategyObjective;
  /** Drawdown penalty for the risk-adjusted objective: score = return - lambda * maxDrawdown. */
  lambda: number;
  /** Annual cash yield. */
  cashRate: number;
}

export const DEFAULT_STRATEGY_LABELS: StrategyLabelConfig = {
  strategies: [],
  horizon: 5,
  objective: 'risk_adjusted',
  lambda: 1.0,
  cashRate: 0.02,
};

export interface StrategyLabels {
  /** Strategy index per day, -1 where the horizon is not complete (the last `horizon` days). */
  label: Int32Array;
  /** Realised forward return of every strategy per day, row-major n x strategies. */
  pnl: Float64Array;
  /** Return of every strategy from day t's close to day t+1's (the backtest's daily step). */
  next: Float64Array;
}

/**
 * Day t's label looks at prices t..t+h (daily-rebalanced constant weights). The last h days
 * have no label: their future is not known as of the data's end, so they can never train.
 * Pure forward return favours the two extreme allocations; the risk-adjusted objective
 * subtracts lambda times the path's max drawdown to spread the labels.
 */
export function labelStrategies(panel: Panel, cfg: StrategyLabelConfig): StrategyLabels {
  validateStrategies(cfg.strategies);
  if (!(cfg.horizon >= 1)) throw new RangeError(`horizon must be >= 1, got ${cfg.horizon}`);
  const n = panel.dates.length;
  const k = cfg.strategies.length;
  const spy = panel.price.get(MARKET_SYMBOL)!;
  const tlt = panel.price.get(BOND_SYMBOL);
  const cashDaily = cfg.cashRate / 252;
  const label = new Int32Array(n).fill(-1);
  const pnl = new Float64Array(n * k).fill(NaN);
  const next = new Float64Array(n * k).fill(NaN);
  const h = cfg.horizon;
  for (let t = 0; t + 1 < n; t++) {
    if (!tlt || !Number.isFinite(tlt[t]) || !Number.isFinite(tlt[t + 1])) continue;
    for (let s = 0; s < k; s++) {
      const w = cfg.strategies[s];
      next[t * k + s] = w.spy * (spy[t + 1] / spy[t] - 1) + w.tlt * (tlt[t + 1] / tlt[t] - 1) + w.cash * cashDaily;
    }
  }
  for (let t = 0; t + h < n; t++) {
    if (!tlt || !Number.isFinite(tlt[t]) || !Number.isFinite(tlt[t + h]) || !Number.isFinite(spy[t])) continue;
    let best = -1;
    let bestScore = -Infinity;
    for (let s = 0; s < k; s++) {
      const w = cfg.strategies[s];
      let equity = 1;
      let peak = 1;
      let maxDd = 0;
      for (let j = t + 1; j <= t + h; j++) {
        const r = w.spy * (spy[j] / spy[j - 1] - 1) + w.tlt * (tlt[j] / tlt[j - 1] - 1) + w.cash * cashDaily;
        equity *= 1 + r;
        peak = Math.max(peak, equity);
        maxDd = Math.max(maxDd, 1 - equity / peak);
      }
      const ret = equity - 1;
      pnl[t * k + s] = ret;
      const score = cfg.objective === 'return' ? ret : ret - cfg.lambda * maxDd;
      if (score > bestScore) {
        bestScore = score;
        best = s;
      }
    }
    label[t] = best;
  }
  return { label, pnl, next };
}
