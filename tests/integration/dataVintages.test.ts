import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { loadBars, loadBarsWithVintage, barsVintage } from '../../src/store/barStore';
import { ingestConfig } from '../../src/data/checkPolicy';
import { ingestMarketData } from '../../src/ingest/ingest';
import { YahooChartSource, type FetchFn } from '../../src/data/sources/yahooChart';
import { InvalidMarketDataError } from '../../src/errors';
import { createTestDb, type TestDb } from '../helpers/postgres';

/**
 * A fake Yahoo chart endpoint with Yahoo's adjustment rules: every price before a split that
 * has happened by `today` is divided by its ratio; adjclose before a dividend's ex-date is
 * scaled by (1 - amount / previous close); events are reported for the requested period.
 */
function fakeYahoo(opts: { split?: { date: string; ratio: number }; dividend?: { date: string; amount: number }; reportEvents?: boolean }) {
  const days: string[] = [];
  for (let d = new Date('2024-01-02T00:00:00Z'); d <= new Date('2024-04-30T00:00:00Z'); d.setUTCDate(d.getUTCDate() + 1)) if (d.getUTCDay() % 6 !== 0) days.push(d.toISOString().slice(0, 10));
  const ts = (d: string) => Date.parse(`${d}T14:30:00Z`) / 1000;
  const state = { today: days[0] };
  const rawClose = (ticker: string, i: number) => {
    const base = ticker === '^VIX' ? 15 : ticker === 'ACME' ? 100 : 400;
    const px = base * (1 + 0.002 * Math.sin(i));
    // ACME trades at half its price from the split on (the real post-split quotes).
    return ticker === 'ACME' && opts.split && days[i] >= opts.split.date ? px / opts.split.ratio : px;
  };
  const fetchFn: FetchFn = async (url) => {
    const ticker = decodeURIComponent(url.split('/chart/')[1].split('?')[0]);
    const q = new URL(url).searchParams;
    const p1 = Number(q.get('period1'));
    const p2 = Number(q.get('period2'));
    const idx = days.map((d, i) => i).filter((i) => days[i] <= state.today && ts(days[i]) >= p1 && ts(days[i]) < p2);
    const split = ticker === 'ACME' && opts.split && opts.split.date <= state.today ? opts.split : null;
    const div = ticker === 'ACME' && opts.dividend && opts.dividend.date <= state.today ? opts.dividend : null;
    const close = idx.map((i) => rawClose(ticker, i) / (split && days[i] < split.date ? split.ratio : 1));
    const divIdx = div ? days.indexOf(div.date) : -1;
    const factor = div ? 1 - div.amount / (rawClose(ticker, divIdx - 1) / (split && days[divIdx - 1] < split.date ? split.ratio : 1)) : 1;
    const adj = idx.map((i, k) => close[k] * (div && days[i] < div.date ? factor : 1));
    const inPeriod = (d: string) => ts(d) >= p1 && ts(d) < p2;
    const events = opts.reportEvents === false ? undefined : {
      ...(split && inPeriod(split.date) ? { splits: { [ts(split.date)]: { date: ts(split.date), numerator: split.ratio, denominator: 1, splitRatio: `${split.ratio}:1` } } } : {}),
      ...(div && inPeriod(div.date) ? { dividends: { [ts(div.date)]: { date: ts(div.date), amount: div.amount } } } : {}),
    };
    return {
      ok: true,
      status: 200,
      json: async () => ({
        chart: {
          result: [{
            meta: { symbol: ticker, gmtoffset: -18000 },
            timestamp: idx.map((i) => ts(days[i])),
            events,
            indicators: { quote: [{ open: close, high: close.map((c) => c * 1.01), low: close.map((c) => c * 0.99), close, volume: close.map(() => 1e6) }], adjclose: [{ adjclose: adj }] },
          }],
        },
      }),
    };
  };
  return { fetchFn, state };
}

const SYMBOLS = ['SPY', 'TLT', 'VIX', 'ACME'];
const worstMove = (bars: { adjClose: number | null; close: number }[]) => Math.min(...bars.slice(1).map((b, i) => (b.adjClose ?? b.close) / (bars[i].adjClose ?? bars[i].close) - 1));

describe('online corporate actions and bar vintages (Postgres)', () => {
  let db: TestDb;
  const rows = async (table: string) => Number(((await db.db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as { rows: { n: number }[] }).rows[0].n);
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('a 2:1 split between two ingests re-adjusts the whole history in one write: no fake -50% day, and the old vintage still reads as before', async () => {
    const y = fakeYahoo({ split: { date: '2024-02-20', ratio: 2 } });
    const src = new YahooChartSource('yahoo-split', '2024-01-01', y.fetchFn);
    y.state.today = '2024-02-09';
    const first = await ingestMarketData(db.db, src, { symbols: SYMBOLS, until: '2024-02-09' });
    expect(first.vintage).not.toBeNull();
    const before = (await loadBars(db.db, 'yahoo-split', ['ACME'], '2024-12-31')).get('ACME')!;
    expect(before[0].close).toBeGreaterThan(99);
    y.state.today = '2024-03-01';
    const second = await ingestMarketData(db.db, src, { symbols: SYMBOLS, until: '2024-03-01' });
    expect(second.readjusted).toEqual({ ACME: { splits: [{ date: '2024-02-20', ratio: 2 }], dividends: [] } });
    expect(second.rowsChanged).toBe(before.length);
    expect(second.vintage).toBeGreaterThan(first.vintage!);
    const acme = (await loadBars(db.db, 'yahoo-split', ['ACME'], '2024-12-31')).get('ACME')!;
    expect(acme.map((b) => b.date)).toContain('2024-02-20');
    expect(worstMove(acme)).toBeGreaterThan(-0.05);
    expect(acme[0].close).toBeLessThan(51);
    // What the first ingest stored is still readable at its vintage, exactly.
    const past = await loadBarsWithVintage(db.db, 'yahoo-split', ['ACME', 'SPY'], '2024-12-31', first.vintage!);
    expect(past.bars.get('ACME')).toEqual(before);
    expect(past.bars.get('SPY')!.at(-1)!.date).toBe('2024-02-09');
    const now = await loadBarsWithVintage(db.db, 'yahoo-split', ['ACME', 'SPY'], '2024-12-31');
    expect(now.vintage).toBe(second.vintage);
    expect(await barsVintage(db.db, 'yahoo-split', ['ACME', 'SPY'], '2024-12-31')).toBe(second.vintage);
    // A read that does not reach the re-adjusted rows still reports the vintage it reflects.
    expect((await loadBarsWithVintage(db.db, 'yahoo-split', ['SPY'], '2024-02-09')).vintage).toBe(first.vintage);
    expect(await rows(`market_bars_history where feed = 'yahoo-split'`)).toBe(before.length);
  });

  it('without the event, the same split is refused at the seam with the stored history, naming the series, field and date', async () => {
    const y = fakeYahoo({ split: { date: '2024-02-20', ratio: 2 }, reportEvents: false });
    const src = new YahooChartSource('yahoo-blind', '2024-01-01', y.fetchFn);
    y.state.today = '2024-02-09';
    await ingestMarketData(db.db, src, { symbols: SYMBOLS, until: '2024-02-09' });
    const stored = await rows(`market_bars where feed = 'yahoo-blind'`);
    y.state.today = '2024-03-01';
    // A stock's default limit (±75%) is wider than a 2:1 split (AAPL really fell 52% in a day);
    // a tighter per-symbol limit catches it.
    const config = ingestConfig({ maxDailyMove: { bySymbol: { ACME: 0.4 } } });
    const err = await ingestMarketData(db.db, src, { symbols: SYMBOLS, until: '2024-03-01', config }).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidMarketDataError);
    // The provider already adjusted the days it returns, so the jump sits at the seam.
    expect(err.message).toMatch(/^yahoo:ACME, row 2, field "adj_close": daily move of -50\.\d% since the last stored bar \(2024-02-09\) exceeds the ±40% limit for ACME and no split explains it .*\(on 2024-02-12\)$/);
    expect(await rows(`market_bars where feed = 'yahoo-blind'`)).toBe(stored);
  });

  it('a dividend re-adjusts adj_close of the whole history (closes unchanged), keeping the previous adj_close', async () => {
    const y = fakeYahoo({ dividend: { date: '2024-03-11', amount: 2 } });
    const src = new YahooChartSource('yahoo-div', '2024-01-01', y.fetchFn);
    y.state.today = '2024-03-01';
    const first = await ingestMarketData(db.db, src, { symbols: SYMBOLS, until: '2024-03-01' });
    const before = (await loadBars(db.db, 'yahoo-div', ['ACME'], '2024-12-31')).get('ACME')!;
    y.state.today = '2024-03-22';
    const second = await ingestMarketData(db.db, src, { symbols: SYMBOLS, until: '2024-03-22' });
    expect(second.readjusted.ACME.dividends).toEqual([{ date: '2024-03-11', amount: 2 }]);
    const after = (await loadBars(db.db, 'yahoo-div', ['ACME'], '2024-12-31')).get('ACME')!;
    expect(after.slice(0, before.length).map((b) => b.close)).toEqual(before.map((b) => b.close));
    const ratio = after[0].adjClose! / before[0].adjClose!;
    expect(ratio).toBeGreaterThan(0.97);
    expect(ratio).toBeLessThan(0.99);
    expect((await loadBarsWithVintage(db.db, 'yahoo-div', ['ACME'], '2024-12-31', first.vintage!)).bars.get('ACME')).toEqual(before);
  });
});
