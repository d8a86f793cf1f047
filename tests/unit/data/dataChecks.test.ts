import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../src/data/bars';
import { dailyMoveLimit, ingestConfig } from '../../../src/data/checkPolicy';
import { checkMarket } from '../../../src/data/checkMarket';
import { parseBarsCsv } from '../../../src/data/csvParser';
import { readMarket } from '../../../src/data/readMarket';
import { CsvFolderSource } from '../../../src/data/sources/csvFolder';
import { checkSeries } from '../../../src/data/validation';

const HEADER = 'date,open,high,low,close,adj_close,volume';
/** Business days from 2020-01-02 with a gentle random walk; `edit` rewrites rows by index. */
function rows(n: number, edit: (i: number, r: string[]) => string[] = (_, r) => r): string[] {
  const out: string[] = [];
  let px = 100;
  const d = new Date('2020-01-02T00:00:00Z');
  for (let i = 0; i < n; i++) {
    while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
    px *= 1 + 0.01 * Math.sin(i);
    out.push(edit(i, [d.toISOString().slice(0, 10), String(px), String(px * 1.01), String(px * 0.99), String(px), String(px), '1000']).join(','));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}
const parse = (symbol: string, lines: string[]) => {
  const { bars, lines: at } = parseBarsCsv([HEADER, ...lines].join('\n'), `${symbol}.csv`);
  return { bars, origin: { file: `${symbol}.csv`, lines: at } };
};
const highBelowLow = (r: string[]) => [r[0], r[1], String(Number(r[3]) * 0.98), r[3], r[4], r[5], r[6]];
const times = (k: number) => (r: string[]) => [r[0], ...r.slice(1, 6).map((v) => String(Number(v) * k)), r[6]];
const quarantine = { onBadRow: 'quarantine' as const, maxDailyMove: 0.4 };
const reject = { onBadRow: 'reject' as const, maxDailyMove: 0.4 };

describe('row checks: reject refuses the file naming the first bad row, quarantine lists each one', () => {
  const bad = rows(300, (i, r) => (i === 5 || i === 40 || i === 41 ? highBelowLow(r) : r));

  it('reject names file, row and field of the first bad row', () => {
    const { bars, origin } = parse('XOM', bad);
    expect(() => checkSeries('XOM', bars, origin, reject)).toThrow(/^XOM\.csv, row 7, field "high": high [\d.]+ < low [\d.]+ \(on 2020-01-09\)$/);
  });

  it('quarantine leaves out exactly the bad rows and lists file, row, date, field, reason and the raw values', () => {
    const { bars, origin } = parse('XOM', bad);
    const c = checkSeries('XOM', bars, origin, quarantine);
    expect(c.bars.length).toBe(297);
    expect(c.quarantined.map((q) => q.row)).toEqual([7, 42, 43]);
    expect(c.quarantined[0]).toMatchObject({ symbol: 'XOM', file: 'XOM.csv', field: 'high', date: bars[5].date, raw: { high: bars[5].high, low: bars[5].low, close: bars[5].close } });
    expect(c.quarantined[0].reason).toMatch(/high .* < low/);
    expect(c.bars.some((b) => b.date === bars[5].date)).toBe(false);
  });

  it('a bad tick beyond the daily-move limit is caught on adj_close, rejected or quarantined; the next good row is compared with the last kept one', () => {
    const spike = rows(100, (i, r) => (i === 50 ? times(1.8)(r) : r));
    const { bars, origin } = parse('XLK', spike);
    expect(() => checkSeries('XLK', bars, origin, reject)).toThrow(/^XLK\.csv, row 52, field "adj_close": daily move of \+\d+\.\d% since 2020-03-1\d \(row 51\) exceeds the ±40% limit for XLK and no split explains it .*\(on 2020-03-1\d\)$/);
    const c = checkSeries('XLK', bars, origin, quarantine);
    expect(c.quarantined.map((q) => q.row)).toEqual([52]);
    expect(c.bars.length).toBe(99);
    // Without a limit (an exempt series) the same file passes untouched.
    expect(checkSeries('XLK', bars, origin, { onBadRow: 'reject', maxDailyMove: null }).bars.length).toBe(100);
  });

  it('a level shift (an unrecorded 2:1 split) cannot be quarantined away', () => {
    const split = rows(100, (i, r) => (i >= 60 ? times(0.4)(r) : r));
    const { bars, origin } = parse('XLE', split);
    expect(() => checkSeries('XLE', bars, origin, quarantine)).toThrow(/^XLE\.csv, row 62, field "adj_close": price level shifts by -6\d\.\d% and stays there/);
  });

  it('an incremental batch is checked against the last stored bar', () => {
    const { bars, origin } = parse('SPY', rows(5));
    const prior: Bar = { date: '2019-12-31', open: 200, high: 201, low: 199, close: 200, adjClose: 200, volume: 1 };
    expect(() => checkSeries('SPY', bars, origin, reject, prior)).toThrow(/^SPY\.csv, row 2, field "adj_close": daily move of -50\.\d% since the last stored bar \(2019-12-31\)/);
    // A prior on or after the batch start is ignored (a whole-file source re-reads history).
    expect(checkSeries('SPY', bars, origin, reject, { ...prior, date: '2020-01-03' }).bars.length).toBe(5);
  });

  it('too many bad rows is a wrong file, not something to quarantine', () => {
    const { bars, origin } = parse('PG', rows(300, (i, r) => (i % 20 === 3 ? highBelowLow(r) : r)));
    expect(() => checkSeries('PG', bars, origin, quarantine)).toThrow(/^PG\.csv, row 5, field "high": 15 bad rows of 300 .* more than quarantine accepts \(10\)/);
  });

  it('structural problems stay fatal under quarantine', () => {
    const { bars, origin } = parse('SPY', rows(10, (i, r) => (i === 4 ? ['2020-01-01', ...r.slice(1)] : r)));
    expect(() => checkSeries('SPY', bars, origin, quarantine)).toThrow(/SPY\.csv, row 6, field "date": dates not ascending/);
  });

  it('gap warnings name the dates', () => {
    const { bars, origin } = parse('XOM', ['2020-01-02,1,1,1,1,1,1', '2020-01-03,1,1,1,1,1,1', '2020-01-24,1,1,1,1,1,1']);
    expect(checkSeries('XOM', bars, origin).gaps).toEqual([{ from: '2020-01-03', to: '2020-01-24', calendarDays: 21 }]);
  });
});

describe('daily-move limits per kind of series', () => {
  it('ETFs 40%, VIX its own limit (its real history has +115% days), PCR exempt, stocks wider, overridable per symbol', () => {
    const cfg = ingestConfig({ maxDailyMove: { bySymbol: { XOM: 0.3, ODD: null } } });
    expect(dailyMoveLimit('SPY', cfg)).toBe(0.4);
    expect(dailyMoveLimit('XLK', cfg)).toBe(0.4);
    expect(dailyMoveLimit('VIX', cfg)).toBe(2);
    expect(dailyMoveLimit('PCR', cfg)).toBeNull();
    expect(dailyMoveLimit('AAPL', cfg)).toBe(0.75);
    expect(dailyMoveLimit('XOM', cfg)).toBe(0.3);
    expect(dailyMoveLimit('ODD', cfg)).toBeNull();
    expect(() => ingestConfig({ maxDailyMove: { bySymbol: { '<x>': 0.3 } } })).toThrow(/bySymbol keys must be valid symbols/);
  });
});

describe('a folder check reports every file', () => {
  const folder = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'check-'));
    for (const [n, t] of Object.entries(files)) writeFileSync(join(dir, n), t);
    return dir;
  };
  const good = [HEADER, ...rows(30)].join('\n');

  it('an empty or header-only file of a required series is an error naming the file; of an optional one a warning', async () => {
    const dir = folder({ 'SPY.csv': good, 'TLT.csv': `${HEADER}\n`, 'VIX.csv': '', 'XLK.csv': `${HEADER}\n`, 'XOM.csv': good });
    const c = await checkMarket(new CsvFolderSource(dir, 'csv'), { symbols: ['SPY', 'TLT', 'VIX', 'XLK', 'XOM', 'PG'], until: '2030-01-01' });
    expect(c.reports.TLT.errors).toEqual([`${join(dir, 'TLT.csv')}: required series TLT has no data rows (empty or header-only file)`]);
    expect(c.reports.VIX.errors).toEqual([`${join(dir, 'VIX.csv')}: required series VIX has no data rows (empty or header-only file)`]);
    expect(c.reports.XLK.errors).toEqual([]);
    expect(c.reports.XLK.warnings).toEqual([`${join(dir, 'XLK.csv')} has no data rows (empty or header-only file): XLK is left out`]);
    expect(c.reports.PG.warnings).toEqual([`${join(dir, 'PG.csv')} not found: PG is left out`]);
    expect(c.reports.XOM).toMatchObject({ rows: 30, first: '2020-01-02', errors: [], quarantined: [] });
    expect(c.errors.length).toBe(2);
    await expect(readMarket(new CsvFolderSource(dir, 'csv'), { symbols: ['SPY', 'TLT', 'VIX'], until: '2030-01-01' })).rejects.toThrow(/TLT\.csv: required series TLT has no data rows/);
  });

  it('the same check when the database already holds the series (what data ingest and the workflow pass): a file is judged as a file', async () => {
    const dir = folder({ 'SPY.csv': good, 'TLT.csv': `${HEADER}\n`, 'VIX.csv': good, 'XLK.csv': '' });
    const lastStored = new Map([['SPY', '2020-01-01'], ['TLT', '2020-01-01'], ['VIX', '2020-01-01'], ['XLK', '2020-01-01']]);
    const c = await checkMarket(new CsvFolderSource(dir, 'csv'), { symbols: ['SPY', 'TLT', 'VIX', 'XLK'], until: '2030-01-01', lastStored });
    expect(c.reports.TLT.errors).toEqual([`${join(dir, 'TLT.csv')}: required series TLT has no data rows (empty or header-only file)`]);
    expect(c.reports.XLK.warnings).toEqual([`${join(dir, 'XLK.csv')} has no data rows (empty or header-only file): XLK is not updated (the stored rows are kept)`]);
    expect(c.errors.length).toBe(1);
  });

  it('a file that does not parse is that symbol\'s error; the others are still checked', async () => {
    const dir = folder({ 'SPY.csv': good, 'TLT.csv': good, 'VIX.csv': good.replace(/\n2020-01-06,[^,]+/, '\n2020-01-06,abc'), 'XOM.csv': [HEADER, ...rows(30, (i, r) => (i === 3 ? highBelowLow(r) : r))].join('\n') });
    const c = await checkMarket(new CsvFolderSource(dir, 'csv'), { symbols: ['SPY', 'TLT', 'VIX', 'XOM'], until: '2030-01-01', config: ingestConfig({ onBadRow: 'quarantine' }) });
    expect(c.reports.VIX.errors[0]).toMatch(/VIX\.csv, row 4, field "open": "abc" is not a number/);
    expect(c.reports.VIX.rows).toBe(0);
    expect(c.reports.XOM.quarantined.map((q) => q.row)).toEqual([5]);
    expect(c.reports.XOM.rows).toBe(29);
    expect(c.reports.SPY.errors).toEqual([]);
  });
});
