import type { BacktestAsset } from '../../datasets/assetReturns';
import type { StrategyDef } from '../../labels/strategies';
import { sampleMoments } from '../stats/descriptive';

/**
 * Portfolio backtest on a trading calendar.
 *
 * Conventions (issue 12):
 * - A decision taken with day t's close executes AFTER it: at the next close (default; the old
 *   weights earn close t -> close t+1, the new ones from close t+1) or at the next open
 *   (`next_open`; old weights earn close t -> open t+1, new ones open t+1 -> close t+1). Never
 *   at the close it observed: features of day t (VIX closes 15 minutes after SPY) would
 *   otherwise trade on their own information.
 * - Holdings drift with returns between trades; a decision row rebalances back to its target,
 *   so a daily-rebalanced strategy pays for the drift it trades away.
 * - Costs: `costBps` per unit of traded RISKY notional, Σ|Δw| over the assets; the cash leg is
 *   the other side of those trades and is not charged again.
 * - Cash earns the given daily cash-rate series (the result names its source).
 * - Sharpe and Sortino are of daily EXCESS returns over that cash rate, annualised by √252.
 */
export type Execution = 'next_close' | 'next_open';


/** The market a backtest trades in: calendar, risky assets, cash. */
export interface BacktestMarket {
  dates: string[];
  assets: BacktestAsset[];
  /** Simple cash return of each calendar day and where it came from (see src/data/rates.ts). */
  cash: { daily: ArrayLike<number>; source: string };
}

export interface BacktestOptions {
  costBps: number;
  execution?: Execution;
  /**
   * Last decision day of the window (calendar position); default: the last row with a
   * decision. A buy-and-hold has one decision row but is held through its window.
   */
  through?: number;
}

export interface BacktestResult {
  days: number;
  /** Calendar dates of the returns below (close d−1 -> close d); empty for the row-based `backtestChoices` / `backtestBuyAndHold`. */
  dates: string[];
  /** Daily net return after costs. */
  net: Float64Array;
  /** Daily net return minus the cash rate: what Sharpe, Sortino, PSR, DSR and PBO use. */
  excess: Float64Array;
  totalReturn: number;
  cagr: number;
  /** Annualised Sharpe of daily excess returns. */
  sharpe: number;
  /** Annualised Sortino of daily excess returns: mean / √(mean of squared negative excess). */
  sortino: number;
  /** Largest peak-to-trough loss of the equity curve, as a positive fraction. */
  maxDrawdown: number;
  /** Share of days with a positive net return. */
  hitRate: number;
  /** Mean daily traded risky notional (Σ|Δw|). */
  turnover: number;
  /** Equity after each day, starting from 1. */
  equity: number[];
  execution: Execution | 'next_close_strategy_returns';
  costBps: number;
  cashRateSource: string;
  /** Held legs whose returns are price-only (dividends missing): the report flags them. */
  priceOnly: string[];
}

const PERIODS_PER_YEAR = 252;

/** Metric names stored per backtest: backtest_<snake_case>. */
export const BACKTEST_METRICS = ['cagr', 'sharpe', 'sortino', 'maxDrawdown', 'hitRate', 'totalReturn', 'turnover'] as const;

/** Metric rows for the metrics table: backtest_<name>. */
export function backtestMetricRows(prefix: string, b: BacktestResult): { regime: 'all'; name: string; value: number }[] {
  return BACKTEST_METRICS.map((m) => ({ regime: 'all' as const, name: `${prefix}_${m.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`, value: b[m] }));
}

/** Performance summary of daily net returns against the cash return of the same days. */
export function summarizeReturns(
  dates: string[],
  net: Float64Array,
  cash: Float64Array,
  turnoverSum: number,
  meta: Pick<BacktestResult, 'execution' | 'costBps' | 'cashRateSource' | 'priceOnly'>,
): BacktestResult {
  const n = net.length;
  const excess = Float64Array.from(net, (r, i) => r - cash[i]);
  const equity: number[] = [];
  let e = 1;
  let peak = 1;
  let maxDd = 0;
  let wins = 0;
  for (const r of net) {
    e *= 1 + r;
    equity.push(e);
    peak = Math.max(peak, e);
    maxDd = Math.max(maxDd, 1 - e / peak);
    if (r > 0) wins++;
  }
  const m = sampleMoments(excess);
  let downside = 0;
  for (const x of excess) if (x < 0) downside += x * x;
  downside = Math.sqrt(downside / Math.max(n, 1));
  const ann = Math.sqrt(PERIODS_PER_YEAR);
  return {
    days: n,
    dates,
    net,
    excess,
    totalReturn: e - 1,
    cagr: n > 0 ? e ** (PERIODS_PER_YEAR / n) - 1 : 0,
    sharpe: n > 1 && m.sd > 0 ? (m.mean / m.sd) * ann : 0,
    sortino: downside > 0 ? (m.mean / downside) * ann : 0,
    maxDrawdown: maxDd,
    hitRate: n > 0 ? wins / n : 0,
    turnover: n > 0 ? turnoverSum / n : 0,
    equity,
    ...meta,
  };
}

/**
 * Follows target risky weights over the calendar. `targets` is dates.length x assets.length,
 * row-major: row t holds the weights decided at day t's close, cash = 1 − Σ weights; a row of
 * NaN means "no decision", and holdings drift. Long-only, Σ weights <= 1. The portfolio starts
 * in cash at the first decision's close and runs until what was decided on day `through` has
 * been held for a session: through + 2 with next-close execution, through + 1 with next-open
 * (or the calendar's end).
 */
export function runBacktest(market: BacktestMarket, targets: Float64Array, opts: BacktestOptions): BacktestResult {
  const { dates, assets } = market;
  const n = dates.length;
  const A = assets.length;
  const execution = opts.execution ?? 'next_close';
  if (targets.length !== n * A) throw new RangeError(`runBacktest: targets have ${targets.length} values, expected ${n} days x ${A} assets`);
  if (!(opts.costBps >= 0)) throw new RangeError(`runBacktest: costBps must be >= 0, got ${opts.costBps}`);
  for (const a of assets) {
    if (a.returns.length !== n) throw new RangeError(`runBacktest: ${a.name} has ${a.returns.length} returns for ${n} dates`);
    if (execution === 'next_open' && (!a.overnight || a.overnight.length !== n)) throw new RangeError(`runBacktest: next_open execution needs ${a.name}'s overnight (close -> open) returns for every date`);
  }
  if (market.cash.daily.length !== n) throw new RangeError(`runBacktest: cash rate has ${market.cash.daily.length} values for ${n} dates`);
  const decided = (t: number) => Number.isFinite(targets[t * A]);
  let first = -1;
  let last = -1;
  for (let t = 0; t < n; t++) {
    const row = targets.subarray(t * A, t * A + A);
    const any = row.some((w) => !Number.isNaN(w));
    if (!any) continue;
    let sum = 0;
    for (let a = 0; a < A; a++) {
      if (!(row[a] >= 0)) throw new RangeError(`runBacktest: ${dates[t]}: weight of ${assets[a].name} is ${row[a]} (long-only, no partial NaN rows)`);
      sum += row[a];
    }
    if (sum > 1 + 1e-9) throw new RangeError(`runBacktest: ${dates[t]}: risky weights sum to ${sum} > 1 (no leverage)`);
    if (first < 0) first = t;
    last = t;
  }
  const costRate = opts.costBps / 1e4;
  const cashSource = market.cash.source;
  const held = new Set<number>();
  const outDates: string[] = [];
  const net: number[] = [];
  const cashOut: number[] = [];
  let turnoverSum = 0;
  if (first >= 0) {
    const through = opts.through ?? last;
    if (!(Number.isInteger(through) && through >= last && through < n)) throw new RangeError(`runBacktest: through = ${through} must be a calendar position at or after the last decision (${last})`);
    const end = Math.min(n - 1, through + (execution === 'next_close' ? 2 : 1));
    const h = new Float64Array(A); // risky weights; cash = 1 − Σ h
    const ret = (a: number, d: number, r: number) => {
      if (!Number.isFinite(r)) throw new RangeError(`runBacktest: ${dates[d]}: no return for ${assets[a].name}, which the portfolio holds`);
      return r;
    };
    // One holding period with returns r(a); the weights drift with it.
    const step = (r: (a: number) => number, c: number): number => {
      let cashW = 1;
      let R = 0;
      for (let a = 0; a < A; a++) {
        if (h[a] === 0) continue;
        cashW -= h[a];
        R += h[a] * r(a);
      }
      R += cashW * c;
      for (let a = 0; a < A; a++) if (h[a] !== 0) h[a] = (h[a] * (1 + r(a))) / (1 + R);
      return R;
    };
    const trade = (t: number): number => {
      let traded = 0;
      for (let a = 0; a < A; a++) {
        const w = targets[t * A + a];
        traded += Math.abs(w - h[a]);
        h[a] = w;
        if (w !== 0) held.add(a);
      }
      turnoverSum += traded;
      return traded * costRate;
    };
    for (let d = first + 1; d <= end; d++) {
      const c = market.cash.daily[d];
      if (!Number.isFinite(c)) throw new RangeError(`runBacktest: ${dates[d]}: no cash rate (${cashSource})`);
      const executes = decided(d - 1);
      let growth: number;
      if (execution === 'next_close') {
        growth = 1 + step((a) => ret(a, d, assets[a].returns[d]), c);
        if (executes) growth *= 1 - trade(d - 1);
      } else if (executes) {
        growth = 1 + step((a) => ret(a, d, assets[a].overnight![d]), c);
        growth *= 1 - trade(d - 1);
        growth *= 1 + step((a) => (1 + ret(a, d, assets[a].returns[d])) / (1 + ret(a, d, assets[a].overnight![d])) - 1, 0);
      } else {
        growth = 1 + step((a) => ret(a, d, assets[a].returns[d]), c);
      }
      outDates.push(dates[d]);
      net.push(growth - 1);
      cashOut.push(c);
    }
  }
  return summarizeReturns(outDates, Float64Array.from(net), Float64Array.from(cashOut), turnoverSum, {
    execution,
    costBps: opts.costBps,
    cashRateSource: cashSource,
    // A leg counts as price-only when its returns ignore distributions on some day the backtest ran.
    priceOnly: [...held].sort((a, b) => a - b).filter((a) => assets[a].priceOnly && (assets[a].priceOnlyFrom == null || outDates.length === 0 || assets[a].priceOnlyFrom! <= outDates[outDates.length - 1])).map((a) => assets[a].name),
  });
}

/**
 * Backtest from the dataset's per-row strategy returns, for callers that have no asset
 * returns: `next[t, s]` is strategy s's daily-rebalanced return from row t's close to row t+1's
 * (rows = consecutive trading days). Next-close execution: the choice made at row t earns
 * next[t+1] (close t+1 -> t+2); the last row's choice is never executed and the first row's
 * session, earned by whatever was held before, is left out. Costs on the change in risky
 * weights between consecutive choices (entry from cash); excess over the constant annual
 * `cashRate` the strategy returns were built with. Drift between daily rebalances is ignored.
 * Prefer `runBacktest` with asset returns and a cash-rate series.
 */
export function backtestChoices(choice: Int32Array, next: Float64Array, strategies: StrategyDef[], costBps: number, cashRate = 0.02): BacktestResult {
  const k = strategies.length;
  const costRate = costBps / 1e4;
  const net: number[] = [];
  let prev = { spy: 0, tlt: 0 };
  let turnoverSum = 0;
  for (let t = 0; t + 1 < choice.length; t++) {
    const r = next[(t + 1) * k + choice[t]];
    if (!Number.isFinite(r)) continue;
    const w = strategies[choice[t]];
    const traded = Math.abs(w.spy - prev.spy) + Math.abs(w.tlt - prev.tlt);
    turnoverSum += traded;
    prev = w;
    net.push((1 + r) * (1 - costRate * traded) - 1);
  }
  const cash = new Float64Array(net.length).fill(cashRate / PERIODS_PER_YEAR);
  return summarizeReturns([], Float64Array.from(net), cash, turnoverSum, { execution: 'next_close_strategy_returns', costBps, cashRateSource: `constant ${(cashRate * 100).toFixed(2)}% a year`, priceOnly: [] });
}

/**
 * Buy-and-hold of one asset from per-row next-day returns (`returns[t]` = close t -> close t+1):
 * decided at the first row, bought at the next close (one entry cost), held to the end.
 */
export function backtestBuyAndHold(returns: Float64Array, costBps: number, cashRate = 0.02): BacktestResult {
  const net = Array.from(returns.subarray(1)).filter(Number.isFinite);
  if (net.length > 0) net[0] = (1 + net[0]) * (1 - costBps / 1e4) - 1;
  const cash = new Float64Array(net.length).fill(cashRate / PERIODS_PER_YEAR);
  return summarizeReturns([], Float64Array.from(net), cash, net.length > 0 ? 1 : 0, { execution: 'next_close_strategy_returns', costBps, cashRateSource: `constant ${(cashRate * 100).toFixed(2)}% a year`, priceOnly: [] });
}
