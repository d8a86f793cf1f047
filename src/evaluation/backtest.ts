import type { StrategyDef } from '../labels/strategies';

export interface BacktestResult {
  days: number;
  totalReturn: number;
  cagr: number;
  /** Annualised, zero risk-free rate. */
  sharpe: number;
  /** Largest peak-to-trough loss of the equity curve, as a positive fraction. */
  maxDrawdown: number;
  /** Share of days with a positive net return. */
  hitRate: number;
  /** Mean daily turnover (sum of absolute weight changes). */
  turnover: number;
  /** Equity after each day, starting from 1 (for charts). */
  equity: number[];
}

const PERIODS_PER_YEAR = 252;

/**
 * Follows a daily sequence of allocation choices: at day t's close hold strategy choice[t] and
 * earn its return to t+1 (`next`, rows x strategies), paying `costBps` per unit of turnover
 * whenever the allocation changes (starting from cash). Weights are rebalanced daily, as the
 * labels assume. Rows must be consecutive trading days in time order.
 */
export function backtestChoices(choice: Int32Array, next: Float64Array, strategies: StrategyDef[], costBps: number): BacktestResult {
  const k = strategies.length;
  const daily: number[] = [];
  let prev = { spy: 0, tlt: 0, cash: 1 };
  let turnover = 0;
  for (let t = 0; t < choice.length; t++) {
    const r = next[t * k + choice[t]];
    if (!Number.isFinite(r)) continue;
    const w = strategies[choice[t]];
    const turn = Math.abs(w.spy - prev.spy) + Math.abs(w.tlt - prev.tlt) + Math.abs(w.cash - prev.cash);
    turnover += turn;
    prev = w;
    daily.push(r - (costBps / 1e4) * turn);
  }
  return summarize(daily, turnover);
}

/** Buy-and-hold of one return series (e.g. SPY), bought once at the start. */
export function backtestBuyAndHold(returns: Float64Array, costBps: number): BacktestResult {
  const daily = Array.from(returns).filter(Number.isFinite);
  if (daily.length > 0) daily[0] -= costBps / 1e4;
  return summarize(daily, daily.length > 0 ? 1 : 0);
}

function summarize(daily: number[], turnover: number): BacktestResult {
  const equity: number[] = [];
  let e = 1;
  let peak = 1;
  let maxDd = 0;
  let wins = 0;
  for (const r of daily) {
    e *= 1 + r;
    equity.push(e);
    peak = Math.max(peak, e);
    maxDd = Math.max(maxDd, 1 - e / peak);
    if (r > 0) wins++;
  }
  const n = daily.length;
  const mean = n > 0 ? daily.reduce((a, b) => a + b, 0) / n : 0;
  const sd = n > 1 ? Math.sqrt(daily.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return {
    days: n,
    totalReturn: e - 1,
    cagr: n > 0 ? e ** (PERIODS_PER_YEAR / n) - 1 : 0,
    sharpe: sd > 0 ? (mean / sd) * Math.sqrt(PERIODS_PER_YEAR) : 0,
    maxDrawdown: maxDd,
    hitRate: n > 0 ? wins / n : 0,
    turnover: n > 0 ? turnover / n : 0,
    equity,
  };
}

export const BACKTEST_METRICS = ['cagr', 'sharpe', 'maxDrawdown', 'hitRate', 'totalReturn', 'turnover'] as const;

/** Metric rows for the metrics table: backtest_<name>. */
export function backtestMetricRows(prefix: string, b: BacktestResult): { regime: 'all'; name: string; value: number }[] {
  return BACKTEST_METRICS.map((m) => ({ regime: 'all' as const, name: `${prefix}_${m.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`, value: b[m] }));
}
