import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../src/data/bars';
import { buildPanel, type Panel } from '../../../src/features/panel';
import { labelSignals } from '../../../src/labels/signalLabeler';
import { DEFAULT_STRATEGIES, undominatedStrategies } from '../../../src/labels/strategies';
import { labelStrategies } from '../../../src/labels/strategyLabeler';
import { Rng } from '../../../src/util/rng';

function panelOf(prices: Record<string, number[]>): Panel {
  const n = Object.values(prices)[0].length;
  const map = new Map(Object.entries(prices).map(([k, v]) => [k, Float64Array.from(v)]));
  const fresh = new Map([...map].map(([k, v]) => [k, Uint8Array.from(v, (x) => (Number.isFinite(x) ? 1 : 0))]));
  return { dates: Array.from({ length: n }, (_, i) => `2020-01-${String(i + 1).padStart(2, '0')}`), symbols: [...map.keys()], price: map, coverage: new Map(), close: map, high: map, low: map, volume: new Map(), fresh, maxStaleDays: 5, lastBar: new Map(), warnings: [] };
}

/** Daily bars on business days from 2020-11-02, with closes from `closes`. */
function barsOf(closes: number[]): Bar[] {
  const out: Bar[] = [];
  const d = new Date('2020-11-02T00:00:00Z');
  for (const c of closes) {
    while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
    out.push({ date: d.toISOString().slice(0, 10), open: c, high: c * 1.01, low: c * 0.99, close: c, adjClose: null, volume: 1000 });
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

describe('no label from a forward-filled bar (issue 24 item 2)', () => {
  // 40 SPY/TLT days; the stock (and in the second case TLT) stops after day 29, as AAPL, MSFT and
  // GOOGL stop on 2020-12-11 in the corpus: days 30..34 carry its last close (maxStaleDays 5).
  const walk = (n: number, k: number) => Array.from({ length: n }, (_, i) => 100 * (1 + 0.01 * Math.sin(i * k)));
  const cfg = { horizon: 5, executionLag: 1, thresholds: { mode: 'fixed' as const, k: 0.5, volWindow: 60 }, buyThreshold: 0.01, sellThreshold: -0.01 };

  it('signal: a window that ends (or trades) on a carried close has no label', () => {
    const panel = buildPanel(new Map([['SPY', barsOf(walk(40, 1))], ['TLT', barsOf(walk(40, 2))], ['VIX', barsOf(walk(40, 3))], ['XOM', barsOf(walk(30, 0.7))]]));
    expect(panel.dates[29]).toBe('2020-12-11');
    const { label, forwardReturn } = labelSignals(panel, 'XOM', cfg);
    // Day t's window ends at t + 6: the last real one is day 23 (ends on day 29).
    expect(label[23]).toBeGreaterThanOrEqual(0);
    // Before: days 24..28 were labelled from carried closes (day 28's forward return was 0.0000, "hold").
    for (let t = 24; t < 40; t++) expect(label[t], `day ${t} (${panel.dates[t]})`).toBe(-1);
    expect(Number.isNaN(forwardReturn[28])).toBe(true);
  });

  it('strategy: TLT stopping early ends the labels where its last real bar ends a window', () => {
    const panel = buildPanel(new Map([['SPY', barsOf(walk(40, 1))], ['TLT', barsOf(walk(30, 2))], ['VIX', barsOf(walk(40, 3))]]));
    const { label } = labelStrategies(panel, { strategies: DEFAULT_STRATEGIES, horizon: 5, objective: 'return', lambda: 0, executionLag: 1 }, new Float64Array(40).fill(0));
    expect(label[23]).toBeGreaterThanOrEqual(0);
    for (let t = 24; t < 40; t++) expect(label[t], `day ${t}`).toBe(-1);
  });
});

describe('strategy labels', () => {
  it('prunes allocations inside the others\' convex hull: no label can reach them', () => {
    const kept = undominatedStrategies(DEFAULT_STRATEGIES).map((i) => DEFAULT_STRATEGIES[i].name);
    expect(kept).toEqual(['ultra_defensive', 'defensive', 'balanced_safe', 'aggressive_growth', 'tactical_opportunity']);
    // A 50/50 mix of two others is dominated; moving it outside the hull makes it a vertex again.
    const defs = [
      { name: 'a', spy: 1, tlt: 0, cash: 0 },
      { name: 'b', spy: 0, tlt: 1, cash: 0 },
      { name: 'c', spy: 0, tlt: 0, cash: 1 },
      { name: 'mix', spy: 0.5, tlt: 0.5, cash: 0 },
    ];
    expect(undominatedStrategies(defs)).toEqual([0, 1, 2]);
  });

  it('labels what the decision can earn: the window starts after the next-close trade', () => {
    // SPY jumps +10% on day 3 only; TLT flat. Day 1's lag-1 window is days 3..7 (it includes the jump);
    // day 2's window is days 4..8 (it does not): with lag 0 day 2 would still see it.
    const spy = [100, 100, 100, 110, 110, 110, 110, 110, 110, 110, 110, 110];
    const tlt = new Array(12).fill(100);
    const cash = new Float64Array(12);
    const strategies = [
      { name: 'risk_on', spy: 1, tlt: 0, cash: 0 },
      { name: 'risk_off', spy: 0, tlt: 0, cash: 1 },
    ];
    const cfg = { strategies, horizon: 5, objective: 'return' as const, lambda: 0, executionLag: 1 };
    const lagged = labelStrategies(panelOf({ SPY: spy, TLT: tlt }), cfg, cash);
    expect(lagged.label[1]).toBe(0);
    expect(lagged.pnl[1 * 2 + 0]).toBeCloseTo(0.1, 12);
    expect(lagged.pnl[2 * 2 + 0]).toBeCloseTo(0, 12);
    const sameClose = labelStrategies(panelOf({ SPY: spy, TLT: tlt }), { ...cfg, executionLag: 0 }, cash);
    expect(sameClose.pnl[2 * 2 + 0]).toBeCloseTo(0.1, 12);
    // The last lag + horizon days have no label.
    expect(Array.from(lagged.label.slice(-6))).toEqual([-1, -1, -1, -1, -1, -1]);
  });
});

describe('signal labels scaled by volatility', () => {
  function series(vol: number, n: number, seed: number): number[] {
    const rng = new Rng(seed);
    const p = [100];
    for (let i = 1; i < n; i++) p.push(p[i - 1] * (1 + vol * rng.normal()));
    return p;
  }
  const holdShare = (label: Int32Array) => {
    const known = Array.from(label).filter((x) => x >= 0);
    return known.filter((x) => x === 1).length / known.length;
  };
  const base = { horizon: 5, executionLag: 1, buyThreshold: 0.01, sellThreshold: -0.01 };

  it('"hold" means a small move for this stock now, in calm and in stressed markets alike', () => {
    const calm = panelOf({ S: series(0.004, 3000, 1) });
    const wild = panelOf({ S: series(0.03, 3000, 2) });
    const vol = { ...base, thresholds: { mode: 'volatility' as const, k: 0.5, volWindow: 60 } };
    const hCalm = holdShare(labelSignals(calm, 'S', vol).label);
    const hWild = holdShare(labelSignals(wild, 'S', vol).label);
    expect(Math.abs(hCalm - hWild)).toBeLessThan(0.05);
    expect(hCalm).toBeGreaterThan(0.3);
    // Fixed ±1% thresholds turn "hold" into a volatility label.
    const fixed = { ...base, thresholds: { mode: 'fixed' as const, k: 0.5, volWindow: 60 } };
    expect(holdShare(labelSignals(calm, 'S', fixed).label) - holdShare(labelSignals(wild, 'S', fixed).label)).toBeGreaterThan(0.4);
  });

  it('uses only returns up to t for the threshold (changing the future leaves past thresholds alone)', () => {
    const p = series(0.01, 400, 3);
    const a = labelSignals(panelOf({ S: p }), 'S', { ...base, thresholds: { mode: 'volatility', k: 0.5, volWindow: 60 } });
    const q = [...p.slice(0, 300), ...p.slice(300).map((x) => x * 3)];
    const b = labelSignals(panelOf({ S: q }), 'S', { ...base, thresholds: { mode: 'volatility', k: 0.5, volWindow: 60 } });
    // Rows whose label window ends before day 300 are identical.
    expect(Array.from(a.label.slice(0, 300 - 7))).toEqual(Array.from(b.label.slice(0, 300 - 7)));
  });
});
