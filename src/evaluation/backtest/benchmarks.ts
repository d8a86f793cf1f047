import { staticTargets, type Allocation, type Rebalance } from './allocationTargets';
import { runBacktest, type BacktestMarket, type BacktestOptions, type BacktestResult } from './backtest';

/** Decision days [from, to] (calendar positions) a benchmark is run over. */
export interface Window {
  from: number;
  to: number;
}

function assetIndex(market: BacktestMarket, name: string): number {
  const i = market.assets.findIndex((a) => a.name === name);
  if (i < 0) throw new RangeError(`benchmark needs asset ${name}; the market has [${market.assets.map((a) => a.name).join(', ')}]`);
  return i;
}

/** Buy and hold one asset: bought after the first decision day, never rebalanced. */
export function buyAndHold(market: BacktestMarket, asset: string, window: Window, opts: BacktestOptions): BacktestResult {
  const w = new Array<number>(market.assets.length).fill(0);
  w[assetIndex(market, asset)] = 1;
  return runBacktest(market, staticTargets(market.dates, w, window.from, window.to, 'never'), { ...opts, through: window.to });
}

/** 60% SPY / 40% TLT, rebalanced daily by default (like the strategy labels) or monthly. */
export function sixtyForty(market: BacktestMarket, window: Window, opts: BacktestOptions, rebalance: Rebalance = 'daily'): BacktestResult {
  const w = new Array<number>(market.assets.length).fill(0);
  w[assetIndex(market, 'SPY')] = 0.6;
  w[assetIndex(market, 'TLT')] = 0.4;
  return runBacktest(market, staticTargets(market.dates, w, window.from, window.to, rebalance), { ...opts, through: window.to });
}

export interface StaticChoice {
  allocation: Allocation;
  /** Annualised excess Sharpe of every candidate on the training window, same order as given. */
  trainSharpe: number[];
}

/**
 * The single static allocation that would have been best in hindsight on the TRAINING window
 * (highest excess Sharpe, daily rebalanced): a benchmark that knows the past, not the test
 * window. Run it on the test window with `runStatic`.
 */
export function bestStaticAllocation(market: BacktestMarket, candidates: Allocation[], train: Window, opts: BacktestOptions): StaticChoice {
  if (candidates.length === 0) throw new RangeError('bestStaticAllocation: no candidates');
  const trainSharpe = candidates.map((c) => runBacktest(market, staticTargets(market.dates, c.weights, train.from, train.to, 'daily'), { ...opts, through: train.to }).sharpe);
  let best = 0;
  for (let k = 1; k < candidates.length; k++) if (trainSharpe[k] > trainSharpe[best]) best = k;
  return { allocation: candidates[best], trainSharpe };
}

/** A static allocation over a window. */
export function runStatic(market: BacktestMarket, allocation: Allocation, window: Window, opts: BacktestOptions, rebalance: Rebalance = 'daily'): BacktestResult {
  return runBacktest(market, staticTargets(market.dates, allocation.weights, window.from, window.to, rebalance), { ...opts, through: window.to });
}
