import type { Dataset } from '../../datasets/dataset';
import { InvalidConfigError } from '../../errors';
import type { FoldSpec } from '../../sampling/folds';
import { strategyAllocations, type Allocation } from '../backtest/allocationTargets';
import { runBacktest, type BacktestMarket, type BacktestResult, type Execution } from '../backtest/backtest';
import { bestStaticAllocation } from '../backtest/benchmarks';
import { trancheTargets } from '../backtest/tranches';
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
      { name: 'SPY', returns: ds.market.spy, overnight: ds.market.spyOvernight, ...legNotes(ds, 'SPY') },
      { name: 'TLT', returns: ds.market.tlt, overnight: ds.market.tltOvernight, ...legNotes(ds, 'TLT') },
    ],
    cash: { daily: ds.market.cash, source: ds.marketNotes.cashSource },
  };
}

/** A leg's price-only flag and, when the dataset records it, from when (a backtest that ends before that date is total return). */
function legNotes(ds: Dataset, name: string): { priceOnly: boolean; priceOnlyFrom?: string | null } {
  const c = ds.marketNotes.coverage?.find((x) => x.symbol === name);
  return c ? { priceOnly: c.priceOnlyFrom !== null, priceOnlyFrom: c.priceOnlyFrom } : { priceOnly: ds.marketNotes.priceOnly.includes(name) };
}

export function allocationsOf(ds: Dataset): Allocation[] {
  if (!ds.allocations) throw new RangeError('backtests need the strategy task');
  return strategyAllocations(ds.allocations, ['SPY', 'TLT']);
}

/** The benchmark a strategy must beat, declared before the run (`gate.benchmark`). */
export const STRATEGY_BENCHMARKS = ['sixty_forty', 'buy_and_hold_spy', 'best_static_in_training'] as const;
export type StrategyBenchmark = (typeof STRATEGY_BENCHMARKS)[number];

/** Decisions on calendar days, each a vector of risky weights (SPY, TLT; cash is the rest). */
export type WeightDecisions = { day: Int32Array; weights: (i: number) => ArrayLike<number> };

/**
 * A policy held as overlapping tranches for the label's horizon (src/evaluation/backtest/tranches.ts), so
 * the position traded is the one the label scored. Every strategy backtest here goes through it,
 * benchmarks and static twins too, so they all hold the same days and build up and wind down the
 * same way.
 */
export function backtestTranches(ds: Dataset, market: BacktestMarket, d: WeightDecisions, s: BacktestSettings): BacktestResult {
  const held = trancheTargets(ds.dates.length, market.assets.length, d, ds.horizon);
  if (held.from < 0) throw new RangeError('backtestTranches: no decisions');
  return runBacktest(market, held.targets, { costBps: s.costBps, execution: s.execution, through: held.through });
}

/**
 * A predictor's out-of-sample choices as weight decisions. A row predicted −1 was served the
 * declared reference instead of a class (the study's gate-replay policies): `reference` gives its weights.
 */
export function choiceDecisions(ds: Dataset, oos: Oos, reference?: (i: number) => ArrayLike<number>): WeightDecisions {
  const allocations = allocationsOf(ds);
  return {
    day: Int32Array.from(oos.rows, (i) => ds.t[i]),
    weights: (i) => {
      if (oos.pred[i] >= 0) return allocations[oos.pred[i]].weights;
      if (!reference) throw new RangeError(`row ${oos.rows[i]} was served the reference, but no reference weights were given`);
      return reference(i);
    },
  };
}

/** The policy's average risky weights over its decisions: what its static twin holds. */
export function averageWeights(d: WeightDecisions, assets: number): number[] {
  const w = new Array<number>(assets).fill(0);
  for (let i = 0; i < d.day.length; i++) {
    const x = d.weights(i);
    for (let a = 0; a < assets; a++) w[a] += x[a];
  }
  // Rounded so that a policy that never changes its allocation is bit-for-bit its own twin.
  return w.map((v) => Math.round((v / d.day.length) * 1e12) / 1e12);
}

/**
 * The static twin: the constant allocation with the policy's average weights, on the same
 * decision days and tranches. Policy minus twin is what timing earned; a policy that beats a
 * benchmark only by holding more equity on average does not beat its twin.
 */
export function staticTwin(ds: Dataset, market: BacktestMarket, d: WeightDecisions, s: BacktestSettings): { weights: number[]; result: BacktestResult } {
  const weights = averageWeights(d, market.assets.length);
  return { weights, result: backtestTranches(ds, market, { day: d.day, weights: () => weights }, s) };
}

function firstTradable(market: BacktestMarket, from: number): number {
  let t = from;
  while (t + 2 < market.dates.length && !market.assets.every((a) => Number.isFinite(a.returns[t + 1]) && Number.isFinite(a.returns[t + 2]) && (!a.overnight || Number.isFinite(a.overnight[t + 1])))) t++;
  return t;
}

/**
 * The benchmarks on the same decision days and tranches as the predictors: buy-and-hold SPY,
 * 60/40 (daily rebalanced, like the labels), and in each fold the static allocation that was
 * best (excess Sharpe) on that fold's training window. `foldOf` gives each decision's fold.
 */
export function strategyBenchmarks(ds: Dataset, market: BacktestMarket, folds: FoldSpec[], days: Int32Array, foldOf: Int32Array, s: BacktestSettings): Record<StrategyBenchmark, BacktestResult> {
  const opts = { costBps: s.costBps, execution: s.execution };
  const allocations = allocationsOf(ds);
  const weightsOf = (name: string) => market.assets.map((a) => (name === 'sixty_forty' ? (a.name === 'SPY' ? 0.6 : a.name === 'TLT' ? 0.4 : 0) : a.name === 'SPY' ? 1 : 0));
  // The first training days may precede a leg's first return (TLT starts in 2002): judge from the first day both legs trade.
  const bestOfFold = new Map(folds.map((f) => [f.index, bestStaticAllocation(market, allocations, { from: firstTradable(market, f.train.from), to: f.train.to }, opts).allocation.weights]));
  const fixed = (w: number[]) => backtestTranches(ds, market, { day: days, weights: () => w }, s);
  return {
    sixty_forty: fixed(weightsOf('sixty_forty')),
    buy_and_hold_spy: fixed(weightsOf('buy_and_hold_spy')),
    best_static_in_training: backtestTranches(ds, market, { day: days, weights: (i) => bestOfFold.get(foldOf[i])! }, s),
  };
}

/** The declared benchmark's weights for each decision (by its fold for the best static allocation): what a policy serving the reference holds. */
export function benchmarkWeights(ds: Dataset, market: BacktestMarket, folds: FoldSpec[], foldOf: Int32Array, benchmark: StrategyBenchmark, s: BacktestSettings): (i: number) => number[] {
  if (benchmark === 'sixty_forty' || benchmark === 'buy_and_hold_spy') {
    const w = market.assets.map((a) => (benchmark === 'sixty_forty' ? (a.name === 'SPY' ? 0.6 : a.name === 'TLT' ? 0.4 : 0) : a.name === 'SPY' ? 1 : 0));
    return () => w;
  }
  const allocations = allocationsOf(ds);
  const best = new Map(folds.map((f) => [f.index, bestStaticAllocation(market, allocations, { from: firstTradable(market, f.train.from), to: f.train.to }, { costBps: s.costBps, execution: s.execution }).allocation.weights]));
  return (i) => best.get(foldOf[i])!;
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
    if (oos.pred[r] < 0) continue; // served the reference: no class, no regret to score
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
