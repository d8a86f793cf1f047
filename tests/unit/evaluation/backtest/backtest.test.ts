import { describe, expect, it } from 'vitest';
import { choiceTargets, staticTargets, strategyAllocations, backtestBuyAndHold, backtestChoices, backtestMetricRows, runBacktest, type BacktestMarket, bestStaticAllocation, buyAndHold, runStatic, sixtyForty } from '../../../../src/evaluation/backtest';
import { addDays } from '../../../../src/util/dates';
import { Rng } from '../../../../src/util/rng';

const DATES = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'];
const C = 0.0001;
function market(): BacktestMarket {
  return {
    dates: DATES,
    assets: [
      { name: 'SPY', returns: [NaN, 0.01, -0.02, 0.03, 0.01], overnight: [NaN, 0.005, -0.01, 0.01, 0], priceOnly: false },
      { name: 'TLT', returns: [NaN, 0.0, 0.01, -0.01, 0.02], overnight: [NaN, 0, 0, 0, 0], priceOnly: true },
    ],
    cash: { daily: new Array(5).fill(C), source: 'test constant' },
  };
}
const NONE = [NaN, NaN];
const targets = (...rows: number[][]) => Float64Array.from(rows.flat());

describe('backtest conventions', () => {
  it('next close: the decision at close t trades at close t+1; until then the old (cash) position earns', () => {
    const b = runBacktest(market(), targets([1, 0], NONE, NONE, NONE, NONE), { costBps: 10 });
    // Day 1: still in cash (earns C), then buys SPY at the close paying 10 bp on 1 unit. Day 2: SPY −2%.
    expect(b.dates).toEqual(['2024-01-02', '2024-01-03']);
    expect(b.net[0]).toBeCloseTo((1 + C) * (1 - 0.001) - 1, 14);
    expect(b.net[1]).toBeCloseTo(-0.02, 14);
    expect(b.excess[1]).toBeCloseTo(-0.02 - C, 14);
    expect(b.turnover).toBeCloseTo(1 / 2, 14);
    expect(b.execution).toBe('next_close');
    expect(b.cashRateSource).toBe('test constant');
    expect(b.priceOnly).toEqual([]);
    // Held through day 2's decision: the position drifts on through day 4.
    const held = runBacktest(market(), targets([1, 0], NONE, NONE, NONE, NONE), { costBps: 10, through: 2 });
    expect(held.dates).toEqual(['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05']);
    expect(held.totalReturn).toBeCloseTo((1 + C) * 0.999 * 0.98 * 1.03 * 1.01 - 1, 14);
    expect(() => runBacktest(market(), targets(NONE, [1, 0], NONE, NONE, NONE), { costBps: 0, through: 0 })).toThrow(/through = 0 must be a calendar position at or after the last decision \(1\)/);
  });

  it('daily rebalancing pays for the drift it trades away; costs on risky notional only', () => {
    const w = [0.5, 0.5];
    const b = runBacktest(market(), targets(w, w, w, NONE, NONE), { costBps: 10 });
    const c = 0.001;
    const drift2 = Math.abs(0.5 - (0.5 * 0.98) / 0.995) + Math.abs(0.5 - (0.5 * 1.01) / 0.995);
    const drift3 = Math.abs(0.5 - (0.5 * 1.03) / 1.01) + Math.abs(0.5 - (0.5 * 0.99) / 1.01);
    expect(Array.from(b.net)).toHaveLength(4);
    expect(b.net[0]).toBeCloseTo((1 + C) * (1 - c) - 1, 14);
    expect(b.net[1]).toBeCloseTo(0.995 * (1 - c * drift2) - 1, 14);
    expect(b.net[2]).toBeCloseTo(1.01 * (1 - c * drift3) - 1, 14);
    expect(b.net[3]).toBeCloseTo(0.015, 14); // last decision (day 2) held through day 4, no trade
    expect(b.priceOnly).toEqual(['TLT']);
    // Half in SPY, half cash: the entry costs 10 bp on 0.5, not on the cash leg too.
    const half = runBacktest(market(), targets([0.5, 0], NONE, NONE, NONE, NONE), { costBps: 10 });
    expect(half.net[0]).toBeCloseTo((1 + C) * (1 - 0.0005) - 1, 14);
    expect(half.net[1]).toBeCloseTo(0.5 * -0.02 + 0.5 * C, 14);
  });

  it('next open: overnight on the old weights, the rest of the day on the new', () => {
    const b = runBacktest(market(), targets([1, 0], [0, 0], NONE, NONE, NONE), { costBps: 10, execution: 'next_open' });
    // Day 1: cash overnight (C), buy SPY at the open, SPY open -> close = 1.01 / 1.005.
    // Day 2: SPY overnight −1%, sell at the open, cash for the rest of the day (cash accrues overnight).
    expect(b.net[0]).toBeCloseTo((1 + C) * 0.999 * (1.01 / 1.005) - 1, 14);
    expect(b.net[1]).toBeCloseTo(0.99 * 0.999 - 1, 14);
    expect(b.days).toBe(2);
    expect(() => runBacktest({ ...market(), assets: [{ name: 'SPY', returns: [NaN, 0, 0, 0, 0], priceOnly: false }] }, new Float64Array(5).fill(NaN), { costBps: 0, execution: 'next_open' })).toThrow(/overnight/);
  });

  it('Sharpe and Sortino are of excess returns over the cash rate', () => {
    const rng = new Rng(1);
    const n = 500;
    const r = Float64Array.from({ length: n }, () => 0.0004 + 0.01 * rng.normal());
    const cash = Float64Array.from({ length: n }, (_, i) => 0.0002 + 0.00001 * Math.sin(i));
    const m: BacktestMarket = { dates: Array.from({ length: n }, (_, i) => `d${String(i).padStart(4, '0')}`), assets: [{ name: 'X', returns: r, priceOnly: false }], cash: { daily: cash, source: 's' } };
    const b = runBacktest(m, staticTargets(m.dates, [1], 0, n - 3, 'daily'), { costBps: 0 });
    const ex = Array.from(b.excess);
    const mean = ex.reduce((a, v) => a + v, 0) / ex.length;
    const sd = Math.sqrt(ex.reduce((a, v) => a + (v - mean) ** 2, 0) / (ex.length - 1));
    const down = Math.sqrt(ex.reduce((a, v) => a + Math.min(v, 0) ** 2, 0) / ex.length);
    expect(b.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(252), 12);
    expect(b.sortino).toBeCloseTo((mean / down) * Math.sqrt(252), 12);
    expect(b.excess[5]).toBeCloseTo(b.net[5] - cash[6], 15);
  });

  it('refuses leverage, shorting and holding an asset with no return', () => {
    const m = market();
    expect(() => runBacktest(m, targets([0.7, 0.5], NONE, NONE, NONE, NONE), { costBps: 0 })).toThrow(/2024-01-01: risky weights sum to 1.2 > 1/);
    expect(() => runBacktest(m, targets([-0.5, 0], NONE, NONE, NONE, NONE), { costBps: 0 })).toThrow(/weight of SPY is -0.5/);
    m.assets[1].returns = [NaN, 0, NaN, 0, 0];
    expect(() => runBacktest(m, targets([0, 1], NONE, NONE, NONE, NONE), { costBps: 0 })).toThrow(/2024-01-03: no return for TLT/);
    const noCash = { ...market(), cash: { daily: [C, C, NaN, C, C], source: 'DTB3' } };
    expect(() => runBacktest(noCash, targets([1, 0], NONE, NONE, NONE, NONE), { costBps: 0 })).toThrow(/2024-01-03: no cash rate \(DTB3\)/);
  });

  it('look-ahead shows with same-close execution and the one-day lag removes it', () => {
    // An oracle that knows at close t whether day t+1 will be up. Executing at the close it
    // observed (simulated by moving each decision one day earlier) is a money machine; the
    // backtest's next-close execution makes the same information worthless.
    const rng = new Rng(2);
    const n = 2520;
    const r = Float64Array.from({ length: n }, (_, i) => (i === 0 ? NaN : 0.0003 + 0.01 * rng.normal()));
    const m: BacktestMarket = { dates: Array.from({ length: n }, (_, i) => `d${String(i).padStart(5, '0')}`), assets: [{ name: 'SPY', returns: r, priceOnly: false }], cash: { daily: new Float64Array(n), source: 'zero' } };
    const oracle = Float64Array.from({ length: n }, (_, t) => (t + 1 < n && r[t + 1] > 0 ? 1 : 0));
    const lagged = runBacktest(m, oracle, { costBps: 5 });
    const sameClose = runBacktest(m, Float64Array.from({ length: n }, (_, t) => (t + 1 < n ? oracle[t + 1] : NaN)), { costBps: 5 });
    expect(sameClose.sharpe).toBeGreaterThan(10);
    expect(Math.abs(lagged.sharpe)).toBeLessThan(1);
  });
});

describe('allocation targets and benchmarks', () => {
  const dates = ['2024-01-30', '2024-01-31', '2024-02-01', '2024-02-02', '2024-03-01'];
  it('static targets: daily, monthly (first trading day of each month), never', () => {
    const rows = (t: Float64Array) => Array.from({ length: 5 }, (_, i) => (Number.isNaN(t[i]) ? '-' : t[i]));
    expect(rows(staticTargets(dates, [0.6], 0, 4, 'daily'))).toEqual([0.6, 0.6, 0.6, 0.6, 0.6]);
    expect(rows(staticTargets(dates, [0.6], 0, 4, 'monthly'))).toEqual([0.6, '-', 0.6, '-', 0.6]);
    expect(rows(staticTargets(dates, [0.6], 1, 3, 'never'))).toEqual(['-', 0.6, '-', '-', '-']);
    const alloc = strategyAllocations([{ name: 'a', spy: 0.2, tlt: 0.5, cash: 0.3 }], ['TLT', 'SPY']);
    expect(alloc[0].weights).toEqual([0.5, 0.2]);
    expect(Array.from(choiceTargets(3, [{ name: 'x', weights: [1, 0] }, { name: 'y', weights: [0, 1] }], [2, 0], [1, 0]))).toEqual([1, 0, NaN, NaN, 0, 1]);
  });

  it('best static allocation in hindsight is chosen on the training window only', () => {
    // SPY rallies in "training" (days 1..200), then falls; TLT the reverse.
    const n = 400;
    const rng = new Rng(3);
    const spy = Float64Array.from({ length: n }, (_, i) => (i === 0 ? NaN : (i <= 200 ? 0.002 : -0.002) + 0.005 * rng.normal()));
    const tlt = Float64Array.from({ length: n }, (_, i) => (i === 0 ? NaN : (i <= 200 ? -0.001 : 0.002) + 0.005 * rng.normal()));
    const m: BacktestMarket = { dates: Array.from({ length: n }, (_, i) => addDays('2020-01-01', i)), assets: [{ name: 'SPY', returns: spy, priceOnly: false }, { name: 'TLT', returns: tlt, priceOnly: false }], cash: { daily: new Float64Array(n), source: 'zero' } };
    const cands = [{ name: 'stocks', weights: [1, 0] }, { name: 'bonds', weights: [0, 1] }, { name: 'mix', weights: [0.5, 0.5] }];
    const choice = bestStaticAllocation(m, cands, { from: 0, to: 198 }, { costBps: 1 });
    expect(choice.allocation.name).toBe('stocks');
    expect(choice.trainSharpe[0]).toBe(Math.max(...choice.trainSharpe));
    const test = runStatic(m, choice.allocation, { from: 200, to: 397 }, { costBps: 1 });
    expect(test.sharpe).toBeLessThan(0);
    expect(buyAndHold(m, 'TLT', { from: 200, to: 397 }, { costBps: 1 }).sharpe).toBeGreaterThan(2);
    expect(sixtyForty(m, { from: 0, to: 397 }, { costBps: 1 }, 'monthly').turnover).toBeLessThan(sixtyForty(m, { from: 0, to: 397 }, { costBps: 1 }).turnover);
    expect(() => buyAndHold(m, 'GLD', { from: 0, to: 10 }, { costBps: 1 })).toThrow(/needs asset GLD; the market has \[SPY, TLT\]/);
  });
});

describe('backtests from dataset strategy returns (next close)', () => {
  const STRATS = [
    { name: 'all_cash', spy: 0, tlt: 0, cash: 1 },
    { name: 'all_spy', spy: 1, tlt: 0, cash: 0 },
  ];
  // next[t, s]: cash earns 0, SPY +1%, −2%, +1%, +1% from row t to t+1
  const NEXT = Float64Array.from([0, 0.01, 0, -0.02, 0, 0.01, 0, 0.01]);

  it('a choice at row t earns next[t+1]; costs on the risky leg only', () => {
    const b = backtestChoices(Int32Array.from([1, 1, 1, 1]), NEXT, STRATS, 0, 0);
    expect(b.totalReturn).toBeCloseTo(0.98 * 1.01 * 1.01 - 1, 12);
    expect(b.maxDrawdown).toBeCloseTo(0.02, 12);
    expect(b.hitRate).toBeCloseTo(2 / 3, 12);
    expect(b.equity).toHaveLength(3);
    // Choosing SPY right before the −2% day: with one day of lag it is the +1% after it that is skipped.
    const c = backtestChoices(Int32Array.from([0, 1, 1, 0]), NEXT, STRATS, 10, 0);
    const cost = 10 / 1e4;
    expect(c.totalReturn).toBeCloseTo(1 * ((1 + 0.01) * (1 - cost)) * 1.01 - 1, 12);
    expect(c.turnover).toBeCloseTo(1 / 3, 12);
  });

  it('buy and hold pays one entry cost; metric rows are named backtest_*', () => {
    const b = backtestBuyAndHold(Float64Array.from([0.01, -0.02, 0.01, 0.01]), 10, 0);
    expect(b.totalReturn).toBeCloseTo(0.98 * (1 - 0.001) * 1.01 * 1.01 - 1, 12);
    expect(backtestMetricRows('backtest', b).map((r) => r.name)).toEqual(['backtest_cagr', 'backtest_sharpe', 'backtest_sortino', 'backtest_max_drawdown', 'backtest_hit_rate', 'backtest_total_return', 'backtest_turnover']);
  });
});
