import type { Dataset } from '../../datasets/dataset';
import { InvalidConfigError } from '../../errors';
import type { FoldSpec } from '../../sampling/folds';
import { choiceTargets, strategyAllocations, type Allocation } from '../allocationTargets';
import { runBacktest, type BacktestMarket, type BacktestResult, type Execution } from '../backtest';
import { bestStaticAllocation, buyAndHold, sixtyForty } from '../backtestBenchmarks';
import type { Oos } from './pooling';

export interface BacktestSettings {
  costBps: number;
  execution: Execution;
}

/**
 * The SPY / TLT / cash market of a strategy dataset, on its calendar. Next-open execution
 * needs the legs' opens: without them it is refused, never silently traded at the close.
 */
export function backtestMarket(ds: Dataset, execution: Execution = 'next_close'): BacktestMarket {
  if (execution === 'next_open' && !ds.market.spyOvernight.some(Number.isFinite)) throw new InvalidConfigError('backtest.execution "next_open" needs open prices for SPY and TLT; this feed has none (use next_close)');
  return {
    dates: ds.dates,
    assets: [
      { name: 'SPY', returns: ds.market.spy, overnight: ds.market.spyOvernight, priceOnly: ds.marketNotes.priceOnly.includes('SPY') },
      { name: 'TLT', returns: ds.market.tlt, overnight: ds.market.tltOvernight, priceOnly: ds.marketNotes.priceOnly.includes('TLT') },
    ],
    cash: { daily: ds.market.cash, source: ds.marketNotes.cashSource },
  };
}

export function allocationsOf(ds: Dataset): Allocation[] {
  if (!ds.allocations) throw new RangeError('backtests need the strategy task');
  return strategyAllocations(ds.allocations, ['SPY', 'TLT']);
}

/** Following a predictor's chosen allocation on each out-of-sample day (trades at the next close). */
export function backtestOos(ds: Dataset, market: BacktestMarket, oos: Oos, s: BacktestSettings): BacktestResult {
  const day = Int32Array.from(oos.rows, (i) => ds.t[i]);
  return runBacktest(market, choiceTargets(ds.dates.length, allocationsOf(ds), day, oos.pred), { costBps: s.costBps, execution: s.execution, through: day[day.length - 1] });
}

function firstTradable(market: BacktestMarket, from: number): number {
  let t = from;
  while (t + 2 < market.dates.length && !market.assets.every((a) => Number.isFinite(a.returns[t + 1]) && Number.isFinite(a.returns[t + 2]) && (!a.overnight || Number.isFinite(a.overnight[t + 1])))) t++;
  return t;
}

/**
 * Benchmarks over the same decision days: buy-and-hold SPY, 60/40 (daily rebalanced, like the
 * labels), and in each fold the static allocation that was best on that fold's training window.
 */
export function strategyBenchmarks(ds: Dataset, market: BacktestMarket, folds: FoldSpec[], s: BacktestSettings): Record<string, BacktestResult> {
  const from = folds[0].test!.from;
  const to = folds[folds.length - 1].test!.to;
  const opts = { costBps: s.costBps, execution: s.execution };
  const allocations = allocationsOf(ds);
  const days: number[] = [];
  const choice: number[] = [];
  for (const f of folds) {
    // The first training days may precede a leg's first return (TLT starts in 2002): judge from the first day both legs trade.
    const best = bestStaticAllocation(market, allocations, { from: firstTradable(market, f.train.from), to: f.train.to }, opts).allocation;
    const k = allocations.indexOf(best);
    for (let t = f.test!.from; t <= f.test!.to; t++) {
      days.push(t);
      choice.push(k);
    }
  }
  return {
    buy_and_hold_spy: buyAndHold(market, 'SPY', { from, to }, opts),
    sixty_forty: sixtyForty(market, { from, to }, opts),
    best_static_in_training: runBacktest(market, choiceTargets(ds.dates.length, allocations, days, choice), { ...opts, through: to }),
  };
}

/**
 * Mean regret against the oracle: the label's allocation (best over the label window) earned
 * pnl[label]; the prediction earned pnl[pred]. 0 = always the oracle's choice.
 */
export function meanRegret(ds: Dataset, oos: Oos): number {
  const K = ds.pnlCols;
  let s = 0;
  let n = 0;
  for (let r = 0; r < oos.rows.length; r++) {
    const i = oos.rows[r];
    const best = ds.pnl[i * K + ds.y[i]];
    const got = ds.pnl[i * K + oos.pred[r]];
    if (Number.isFinite(best) && Number.isFinite(got)) {
      s += best - got;
      n++;
    }
  }
  return n > 0 ? s / n : NaN;
}

/** The numbers of a backtest a person reads (the equity curve is thinned for storage). */
export function backtestSummary(b: BacktestResult) {
  const step = Math.max(1, Math.ceil(b.equity.length / 300));
  return {
    days: b.days,
    from: b.dates[0] ?? null,
    to: b.dates[b.dates.length - 1] ?? null,
    cagr: b.cagr,
    sharpe: b.sharpe,
    sortino: b.sortino,
    maxDrawdown: b.maxDrawdown,
    hitRate: b.hitRate,
    turnover: b.turnover,
    totalReturn: b.totalReturn,
    execution: b.execution,
    costBps: b.costBps,
    cashRateSource: b.cashRateSource,
    priceOnly: b.priceOnly,
    equity: b.equity.filter((_, i) => i % step === 0 || i === b.equity.length - 1).map((v) => Number(v.toFixed(6))),
  };
}
