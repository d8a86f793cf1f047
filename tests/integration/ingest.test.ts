import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { loadBars, loadBarsWithVintage } from '../../src/store/barStore';
import type { Bar } from '../../src/data/bars';
import { ingestMarketData } from '../../src/ingest/ingest';
import { CsvFolderSource } from '../../src/data/sources/csvFolder';
import { SyntheticMarketSource } from '../../src/data/sources/syntheticMarket';
import { YahooChartSource, type FetchFn } from '../../src/data/sources/yahooChart';
import { InvalidMarketDataError } from '../../src/errors';
import { createTestDb, type TestDb } from '../helpers/postgres';

const SYMBOLS = ['SPY', 'TLT', 'VIX', 'XLK'];
const HEADER = 'date,open,high,low,close,adj_close,volume';
const toCsv = (bars: Bar[]) => [HEADER, ...bars.map((b) => [b.date, b.open ?? '', b.high, b.low, b.close, b.adjClose ?? '', b.volume ?? ''].join(','))].join('\n');

/** A CSV folder written from the synthetic market, with optional per-symbol edits. */
async function csvFolder(edit: (symbol: string, lines: string[]) => string[] = (_, l) => l): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'bars-'));
  const batches = await new SyntheticMarketSource('synthetic-9', 9).fetch({ symbols: SYMBOLS, until: '2004-12-31', lastStored: new Map() });
  for (const b of batches) writeFileSync(join(dir, `${b.symbol}.csv`), edit(b.symbol, toCsv(b.bars).split('\n')).join('\n'));
  return dir;
}

describe('ingest into Postgres', () => {
  let db: TestDb;
  const count = async () => {
    const r = (await db.db.execute(sql`select count(*)::int as n from market_bars`)) as unknown as { rows: { n: number }[] };
    return Number(r.rows[0].n);
  };
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('upserts a CSV folder idempotently', async () => {
    const dir = await csvFolder();
    const first = await ingestMarketData(db.db, new CsvFolderSource(dir, 'csv'), { symbols: SYMBOLS, until: '2004-12-31' });
    const n = await count();
    expect(first.rowsWritten).toBe(n);
    expect(n).toBeGreaterThan(4 * 1000);
    await ingestMarketData(db.db, new CsvFolderSource(dir, 'csv'), { symbols: SYMBOLS, until: '2004-12-31' });
    expect(await count()).toBe(n);
  });

  it('an empty or header-only file of a stored series is refused by ingest as by validate, with the same message naming the file (issue 24)', async () => {
    const dir = await csvFolder();
    await ingestMarketData(db.db, new CsvFolderSource(dir, 'emptycheck'), { symbols: SYMBOLS, until: '2004-12-31' });
    writeFileSync(join(dir, 'TLT.csv'), `${HEADER}\n`);
    writeFileSync(join(dir, 'XLK.csv'), '');
    // Before: "TLT ok 0 rows", nothing said, because the database already held TLT.
    const err = await ingestMarketData(db.db, new CsvFolderSource(dir, 'emptycheck'), { symbols: SYMBOLS, until: '2004-12-31' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidMarketDataError);
    expect((err as Error).message).toBe(`${join(dir, 'TLT.csv')}: required series TLT has no data rows (empty or header-only file)`);
    writeFileSync(join(dir, 'TLT.csv'), toCsv((await loadBars(db.db, 'emptycheck', ['TLT'], '2004-12-31')).get('TLT')!));
    const s = await ingestMarketData(db.db, new CsvFolderSource(dir, 'emptycheck'), { symbols: SYMBOLS, until: '2004-12-31' });
    expect(s.reports.XLK.warnings).toEqual([`${join(dir, 'XLK.csv')} has no data rows (empty or header-only file): XLK is not updated (the stored rows are kept)`]);
  });

  it('a distribution record is stored with the bars and versioned with them: a new ex-date is a new vintage, the old read stays readable (issue 24)', async () => {
    const dir = await csvFolder();
    const tlt = (await new CsvFolderSource(dir, 'x').fetch({ symbols: ['TLT'], until: '2004-12-31', lastStored: new Map() }))[0].bars;
    writeFileSync(join(dir, 'TLT.dividends.csv'), `ex_date,amount\n${tlt[100].date},0.4\n`);
    const first = await ingestMarketData(db.db, new CsvFolderSource(dir, 'dist'), { symbols: SYMBOLS, until: '2004-12-31' });
    const stored = (await loadBars(db.db, 'dist', ['TLT'], '2004-12-31')).get('TLT')!;
    expect(stored[100].dividend).toBe(0.4);
    expect(stored[50].dividend).toBe(0);
    expect(stored[101].dividend).toBeUndefined();
    writeFileSync(join(dir, 'TLT.dividends.csv'), `ex_date,amount\n${tlt[100].date},0.4\n${tlt[120].date},0.5\n`);
    const second = await ingestMarketData(db.db, new CsvFolderSource(dir, 'dist'), { symbols: SYMBOLS, until: '2004-12-31' });
    expect(second.rowsWritten).toBe(20);
    expect(second.vintage).toBeGreaterThan(first.vintage!);
    expect((await loadBars(db.db, 'dist', ['TLT'], '2004-12-31')).get('TLT')![120].dividend).toBe(0.5);
    const old = await loadBarsWithVintage(db.db, 'dist', ['TLT'], '2004-12-31', first.vintage!);
    expect(old.bars.get('TLT')![120].dividend).toBeUndefined();
    expect(old.bars.get('TLT')![100].dividend).toBe(0.4);
  });

  it.each([
    ['an unparsable date', 'SPY', (l: string[]) => l.map((x, i) => (i === 10 ? x.replace(/^\d{4}-\d\d-\d\d/, '2003-02-30') : x)), /SPY\.csv, row 11, field "date"/],
    ['a NaN close', 'TLT', (l: string[]) => l.map((x, i) => (i === 20 ? x.split(',').map((v, j) => (j === 4 ? 'NaN' : v)).join(',') : x)), /TLT\.csv, row 21, field "close"/],
    ['a negative price', 'XLK', (l: string[]) => l.map((x, i) => (i === 30 ? x.split(',').map((v, j) => (j === 3 ? '-1' : v)).join(',') : x)), /XLK\.csv, row 31, field "low"/],
    ['VIXY prices in the VIX file', 'VIX', (l: string[]) => l.map((x, i) => (i === 0 ? x : x.split(',').map((v, j) => (j >= 1 && j <= 4 ? String(Number(v) * 20000) : v)).join(','))), /VIX\.csv, row 2, field "close".*VIXY/],
  ])('rejects %s naming file, row and field, and writes nothing', async (_what, symbol, edit, message) => {
    const before = await count();
    const dir = await csvFolder((s, l) => (s === symbol ? edit(l) : l));
    const err = await ingestMarketData(db.db, new CsvFolderSource(dir, 'csv-bad'), { symbols: SYMBOLS, until: '2004-12-31' }).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidMarketDataError);
    expect((err as Error).message).toMatch(message);
    expect(await count()).toBe(before);
  });

  it('the online source fetches only days after the last stored bar and maps VIX to ^VIX exactly', async () => {
    const asked: string[] = [];
    const day = (d: string) => Date.parse(`${d}T14:30:00Z`) / 1000;
    const fake: FetchFn = async (url) => {
      asked.push(url);
      const ticker = decodeURIComponent(url.split('/chart/')[1].split('?')[0]);
      const p1 = Number(new URL(url).searchParams.get('period1'));
      const dates = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'].filter((d) => day(d) >= p1);
      const px = ticker === '^VIX' ? 13 : 470;
      return {
        ok: true,
        status: 200,
        json: async () => ({ chart: { result: [{ meta: { symbol: ticker, gmtoffset: -18000 }, timestamp: dates.map(day), indicators: { quote: [{ open: dates.map(() => px), high: dates.map(() => px + 1), low: dates.map(() => px - 1), close: dates.map(() => px), volume: dates.map(() => (ticker === '^VIX' ? null : 1e6)) }] } }] } }),
      };
    };
    const src = new YahooChartSource('yahoo-test', '2024-01-01', fake);
    const first = await ingestMarketData(db.db, src, { symbols: ['SPY', 'TLT', 'VIX'], until: '2024-01-03' });
    expect(first.rowsWritten).toBe(6);
    expect(asked.some((u) => u.includes('/chart/%5EVIX?'))).toBe(true);
    asked.length = 0;
    const second = await ingestMarketData(db.db, src, { symbols: ['SPY', 'TLT', 'VIX'], until: '2024-01-05' });
    expect(second.rowsWritten).toBe(6);
    // Incremental: every request starts the day after the last stored bar (2024-01-03).
    for (const u of asked) expect(Number(new URL(u).searchParams.get('period1'))).toBe(Date.parse('2024-01-04T00:00:00Z') / 1000);
    const bars = await loadBars(db.db, 'yahoo-test', ['VIX'], '2024-12-31');
    expect(bars.get('VIX')!.map((b) => b.date)).toEqual(['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05']);
  });

  it('refuses a provider answer for the wrong symbol', async () => {
    const wrong: FetchFn = async () => ({ ok: true, status: 200, json: async () => ({ chart: { result: [{ meta: { symbol: 'VIXY' }, timestamp: [], indicators: { quote: [{}] } }] } }) });
    const err = await ingestMarketData(db.db, new YahooChartSource('yahoo-wrong', '2024-01-01', wrong), { symbols: ['SPY', 'TLT', 'VIX'], until: '2024-01-03' }).catch((e) => e);
    expect(String(err.message)).toMatch(/asked for SPY but the provider answered VIXY/);
  });
});
