import { BOND_SYMBOL, MARKET_SYMBOL } from '../data/bars';
import { isFresh, type Panel } from '../features/panel';
import { validateStrategies, type StrategyDef } from './strategies';

export type StrategyObjective = 'return' | 'risk_adjusted';

export interface StrategyLabelConfig {
  strategies: StrategyDef[];
  horizon: number;
  objective: StrategyObjective;
  /** Drawdown penalty for the risk-adjusted objective: score = return - lambda * maxDrawdown. */
  lambda: number;
  /**
   * Trading days between the decision (close t) and the trade: 1 = the next close. The label
   * scores what the decision can actually earn, so its window starts after the trade.
   */
  executionLag: number;
}

export interface StrategyLabels {
  /** Strategy index per day, -1 where the window is not complete (the last lag + horizon days). */
  label: Int32Array;
  /** Realised return of every strategy over the label window, row-major n x strategies. */
  pnl: Float64Array;
}

/**
 * Day t's label is the strategy that scores best over the return days t+lag+1 .. t+lag+h
 * (daily-rebalanced constant weights; cash earns `cashDaily[day]`), and only when SPY and TLT
 * have real bars at the trade (t+lag) and at the window's end (never a carried-forward close). The last lag + h days have
 * no label: their future is not known as of the data's end, so they can never train. Pure
 * forward return favours the extreme allocations; the risk-adjusted objective subtracts
 * lambda times the path's max drawdown.
 */
export function labelStrategies(panel: Panel, cfg: StrategyLabelConfig, cashDaily: Float64Array): StrategyLabels {
  validateStrategies(cfg.strategies);
  if (!(cfg.horizon >= 1)) throw new RangeError(`horizon must be >= 1, got ${cfg.horizon}`);
  if (!(cfg.executionLag >= 0)) throw new RangeError(`executionLag must be >= 0, got ${cfg.executionLag}`);
  const n = panel.dates.length;
  const k = cfg.strategies.length;
  const spy = panel.price.get(MARKET_SYMBOL)!;
  const tlt = panel.price.get(BOND_SYMBOL);
  const label = new Int32Array(n).fill(-1);
  const pnl = new Float64Array(n * k).fill(NaN);
  const h = cfg.horizon;
  const lag = cfg.executionLag;
  if (!tlt) return { label, pnl };
  for (let t = 0; t + lag + h < n; t++) {
    const first = t + lag + 1;
    const last = t + lag + h;
    // The trade (close first − 1) and the window's end need real bars: a carried-forward close
    // would score a return that could not be earned.
    if (!isFresh(panel, BOND_SYMBOL, first - 1) || !isFresh(panel, BOND_SYMBOL, last) || !isFresh(panel, MARKET_SYMBOL, first - 1) || !isFresh(panel, MARKET_SYMBOL, last)) continue;
    let complete = Number.isFinite(spy[first - 1]) && Number.isFinite(tlt[first - 1]);
    for (let j = first; complete && j <= last; j++) complete = Number.isFinite(spy[j]) && Number.isFinite(tlt[j]) && Number.isFinite(cashDaily[j]);
    if (!complete) continue;
    let best = -1;
    let bestScore = -Infinity;
    for (let s = 0; s < k; s++) {
      const w = cfg.strategies[s];
      let equity = 1;
      let peak = 1;
      let maxDd = 0;
      for (let j = first; j <= last; j++) {
        const r = w.spy * (spy[j] / spy[j - 1] - 1) + w.tlt * (tlt[j] / tlt[j - 1] - 1) + w.cash * cashDaily[j];
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
  return { label, pnl };
}
