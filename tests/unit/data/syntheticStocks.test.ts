import { describe, expect, it } from 'vitest';
import { SECTOR_SYMBOLS } from '../../../src/data/bars';
import { checkSeries } from '../../../src/data/validation';
import { ingestConfig, seriesPolicy } from '../../../src/data/checkPolicy';
import { simulateMarket, syntheticBars, SyntheticMarketSource } from '../../../src/data/sources/syntheticMarket';

const corr = (a: number[], b: number[]) => {
  const n = a.length;
  const ma = a.reduce((x, y) => x + y, 0) / n;
  const mb = b.reduce((x, y) => x + y, 0) / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
};

describe('synthetic market with N stocks', () => {
  it('adds S0001..SN without changing the default market, and each stock is the same whatever N or the end date', () => {
    const base = simulateMarket(7, '2000-01-03', '2006-12-29');
    const wide = simulateMarket(7, '2000-01-03', '2006-12-29', { stocks: 40 });
    for (const s of ['SPY', 'VIX', 'TLT', 'XLK', 'AAPL']) expect(wide.series.get(s)).toEqual(base.series.get(s));
    expect(wide.stocks.names.slice(0, 3)).toEqual(['S0001', 'S0002', 'S0003']);
    expect(wide.stocks.names.at(-1)).toBe('S0040');
    const narrow = simulateMarket(7, '2000-01-03', '2004-12-31', { stocks: 5 });
    const s3 = syntheticBars(narrow, 'S0003')!;
    expect(syntheticBars(wide, 'S0003')!.slice(0, s3.length)).toEqual(s3);
    expect(syntheticBars(simulateMarket(8, '2000-01-03', '2004-12-31', { stocks: 5 }), 'S0003')).not.toEqual(s3);
  });

  it('has cross-sectional structure: stocks move with the market and more with their own sector than with others', () => {
    const m = simulateMarket(3, '2000-01-03', '2012-12-31', { stocks: 90 });
    const returns = (bars: { date: string; close: number }[]) => new Map(bars.slice(1).map((b, i) => [b.date, Math.log(b.close / bars[i].close)]));
    /** Correlation over the days both series trade (listings are ragged). */
    const corrOn = (a: Map<string, number>, b: Map<string, number>) => {
      const days = [...a.keys()].filter((d) => b.has(d));
      return days.length >= 250 ? corr(days.map((d) => a.get(d)!), days.map((d) => b.get(d)!)) : NaN;
    };
    const spy = returns(m.series.get('SPY')!);
    const stock = m.stocks.names.map((s) => returns(syntheticBars(m, s)!));
    expect(Math.min(...stock.map((r) => corrOn(r, spy)))).toBeGreaterThan(0.2);
    // Stocks k and k+9 share sector k % 9; k and k+1 do not.
    const avg = (v: number[]) => {
      const ok = v.filter(Number.isFinite);
      expect(ok.length).toBeGreaterThan(30);
      return ok.reduce((a, b) => a + b, 0) / ok.length;
    };
    const ks = Array.from({ length: 45 }, (_, k) => k);
    expect(avg(ks.map((k) => corrOn(stock[k], stock[k + 9])))).toBeGreaterThan(avg(ks.map((k) => corrOn(stock[k], stock[k + 1]))) + 0.03);
    expect(SECTOR_SYMBOLS.length).toBe(9);
  });

  it('listings are ragged (some list late, some delist) and every series passes validation', async () => {
    const src = new SyntheticMarketSource('synthetic-11', 11, undefined, 60);
    const symbols = (await src.listSymbols()).symbols;
    const batches = await src.fetch({ symbols, until: '2030-12-31', lastStored: new Map() });
    const stocks = batches.filter((b) => b.symbol.startsWith('S0'));
    expect(stocks).toHaveLength(60);
    const starts = new Set(stocks.map((b) => b.bars[0].date));
    const ends = stocks.map((b) => b.bars.at(-1)!.date);
    expect(starts.size).toBeGreaterThan(5);
    expect(ends.filter((d) => d < '2030-12-31').length).toBeGreaterThan(0);
    const cfg = ingestConfig();
    for (const b of batches) expect(() => checkSeries(b.symbol, b.bars, b.origin, seriesPolicy(b.symbol, cfg))).not.toThrow();
  });

  it('stocks over 30 years live in Float32 columns (20 bytes a stock-day) until a fetch asks for bars', () => {
    const m = simulateMarket(1, '1996-01-01', '2025-12-31', { stocks: 200 });
    const bytes = [m.stocks.open, m.stocks.high, m.stocks.low, m.stocks.close, m.stocks.volume].flat().reduce((a, c) => a + c.byteLength, 0);
    expect(m.dates.length).toBeGreaterThan(7800);
    expect(bytes).toBe(200 * m.dates.length * 20);
    expect(m.stocks.close[0]).toBeInstanceOf(Float32Array);
  });
});
