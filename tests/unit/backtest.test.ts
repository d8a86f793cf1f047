import { describe, expect, it } from 'vitest';
import { backtestBuyAndHold, backtestChoices, backtestMetricRows } from '../../src/evaluation/backtest';
import { decidePromotion, DEFAULT_GATE } from '../../src/evaluation/promotionGate';
import type { RegimeMetrics } from '../../src/evaluation/perRegime';

const STRATS = [
  { name: 'all_cash', spy: 0, tlt: 0, cash: 1 },
  { name: 'all_spy', spy: 1, tlt: 0, cash: 0 },
];
// next[t, s]: cash earns 0, SPY +1%, -2%, +1%, +1%
const NEXT = Float64Array.from([0, 0.01, 0, -0.02, 0, 0.01, 0, 0.01]);

describe('strategy backtest', () => {
  it('compounds the chosen strategy, charges costs on turnover, and measures drawdown and hit rate', () => {
    const b = backtestChoices(Int32Array.from([1, 1, 1, 1]), NEXT, STRATS, 0);
    expect(b.totalReturn).toBeCloseTo(1.01 * 0.98 * 1.01 * 1.01 - 1, 12);
    expect(b.maxDrawdown).toBeCloseTo(0.02, 12);
    expect(b.hitRate).toBe(0.75);
    expect(b.equity).toHaveLength(4);
    // Switching cash -> SPY -> cash -> SPY with 10 bp: 2 units of turnover per switch.
    const c = backtestChoices(Int32Array.from([1, 0, 1, 1]), NEXT, STRATS, 10);
    const cost = 10 / 1e4;
    expect(c.totalReturn).toBeCloseTo((1 + 0.01 - 2 * cost) * (1 - 2 * cost) * (1 + 0.01 - 2 * cost) * 1.01 - 1, 12);
    expect(c.turnover).toBeCloseTo(6 / 4, 12);
    // Avoiding the down day beats holding through it.
    expect(c.maxDrawdown).toBeLessThan(b.maxDrawdown);
  });

  it('buy and hold pays one entry cost; metric rows are named backtest_*', () => {
    const b = backtestBuyAndHold(Float64Array.from([0.01, -0.02, 0.01, 0.01]), 10);
    expect(b.totalReturn).toBeCloseTo((1.01 - 0.001) * 0.98 * 1.01 * 1.01 - 1, 12);
    expect(backtestMetricRows('backtest', b).map((r) => r.name)).toEqual(['backtest_cagr', 'backtest_sharpe', 'backtest_max_drawdown', 'backtest_hit_rate', 'backtest_total_return', 'backtest_turnover']);
  });
});

describe('promotion gate, backtest drawdown', () => {
  const metrics = (f1: number): RegimeMetrics =>
    ({ all: { samples: 100, accuracy: 0.5, balanced_accuracy: 0.5, macro_f1: f1, log_loss: 1, ece: 0.1, classes_predicted: 5, max_pred_share: 0.4, confusion: [] }, low_volatility: null, normal: null, high_volatility: null, crash: null, recovery: null }) as RegimeMetrics;
  it('refuses a better classifier whose strategy drawdown is worse beyond the tolerance', () => {
    const d = decidePromotion(metrics(0.5), metrics(0.4), DEFAULT_GATE, 8, { challenger: { maxDrawdown: 0.2 }, champion: { maxDrawdown: 0.1 } });
    expect(d.promoted).toBe(false);
    expect(d.reason).toMatch(/backtest_drawdown \(max drawdown 20\.0% vs champion 10\.0%/);
    const ok = decidePromotion(metrics(0.5), metrics(0.4), DEFAULT_GATE, 8, { challenger: { maxDrawdown: 0.14 }, champion: { maxDrawdown: 0.1 } });
    expect(ok.promoted).toBe(true);
  });
});
