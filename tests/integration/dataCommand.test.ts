import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { loadBars, loadBarsWithVintage } from '../../src/store/barStore';
import { SECTOR_SYMBOLS, type Bar } from '../../src/data/bars';
import { ingestConfig } from '../../src/data/checkPolicy';
import { ingestMarketData } from '../../src/ingest/ingest';
import { CsvFolderSource } from '../../src/data/sources/csvFolder';
import { SyntheticMarketSource } from '../../src/data/sources/syntheticMarket';
import { listQuarantinedBars } from '../../src/store/quarantineStore';
import { InvalidMarketDataError } from '../../src/errors';
import { realDataDir } from '../helpers/realData';
import { createTestDb, type TestDb } from '../helpers/postgres';

const CORPUS_DIR = realDataDir('market');

const HEADER = 'date,open,high,low,close,adj_close,volume';
const toCsv = (bars: Bar[]) => [HEADER, ...bars.map((b) => [b.date, b.open ?? '', b.high, b.low, b.close, b.adjClose ?? '', b.volume ?? ''].join(','))].join('\n');
/** Swaps high and low on the given file lines (1-based, header = 1): a high < low row. */
const badRows = (text: string, lines: number[]) =>
  text
    .split('\n')
    .map((l, i) => {
      if (!lines.includes(i + 1)) return l;
      const f = l.split(',');
      [f[2], f[3]] = [String(Number(f[3]) * 0.99), f[2]];
      return f.join(',');
    })
    .join('\n');

describe('quarantine and versioned writes (Postgres)', () => {
  let db: TestDb;
  let dir: string;
  const count = async (table: string, where = 'true') => Number(((await db.db.execute(sql.raw(`select count(*)::int as n from ${table} where ${where}`))) as unknown as { rows: { n: number }[] }).rows[0].n);
  const symbols = ['SPY', 'TLT', 'VIX', 'XOM'];
  beforeAll(async () => {
    db = await createTestDb();
    dir = mkdtempSync(join(tmpdir(), 'quarantine-'));
    const batches = await new SyntheticMarketSource('synthetic-9', 9).fetch({ symbols: ['SPY', 'TLT', 'VIX', 'AAPL'], until: '2003-12-31', lastStored: new Map() });
    for (const b of batches) writeFileSync(join(dir, `${b.symbol === 'AAPL' ? 'XOM' : b.symbol}.csv`), b.symbol === 'AAPL' ? badRows(toCsv(b.bars), [5, 300, 301]) : toCsv(b.bars));
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('reject (the default) refuses the file naming the first bad row and writes nothing', async () => {
    const err = await ingestMarketData(db.db, new CsvFolderSource(dir, 'q'), { symbols, until: '2003-12-31' }).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidMarketDataError);
    expect(err.message).toMatch(/XOM\.csv, row 5, field "high": high .* < low .*/);
    expect(await count('market_bars')).toBe(0);
    expect(await count('quarantined_bars')).toBe(0);
  });

  it('quarantine stores the rest, records each bad row once (re-ingest does not duplicate), and a fixed file clears them', async () => {
    const config = ingestConfig({ onBadRow: 'quarantine' });
    const first = await ingestMarketData(db.db, new CsvFolderSource(dir, 'q'), { symbols, until: '2003-12-31', config });
    expect(first.quarantined.map((q) => q.row)).toEqual([5, 300, 301]);
    const listed = await listQuarantinedBars(db.db, { feed: 'q' });
    expect(listed.map((q) => [q.symbol, q.row, q.field])).toEqual([['XOM', 5, 'high'], ['XOM', 300, 'high'], ['XOM', 301, 'high']]);
    expect(listed[0].file).toBe(join(dir, 'XOM.csv'));
    expect(listed[0].reason).toMatch(/^high [\d.]+ < low [\d.]+$/);
    expect(listed[0].raw.high).toBeLessThan(listed[0].raw.low);
    const xom = (await loadBars(db.db, 'q', ['XOM'], '2003-12-31')).get('XOM')!;
    expect(xom.map((b) => b.date)).not.toContain(listed[0].date);
    const stored = await count('market_bars');
    const again = await ingestMarketData(db.db, new CsvFolderSource(dir, 'q'), { symbols, until: '2003-12-31', config });
    expect(again.rowsWritten).toBe(0);
    expect(again.vintage).toBeNull();
    expect(await count('quarantined_bars')).toBe(3);
    expect(await count('market_bars')).toBe(stored);
    // The provider fixes rows 300-301: they are stored and no longer listed.
    const fixedDir = mkdtempSync(join(tmpdir(), 'fixed-'));
    for (const s of symbols) writeFileSync(join(fixedDir, `${s}.csv`), readFileSync(join(dir, `${s}.csv`), 'utf8'));
    const lines = readFileSync(join(dir, 'XOM.csv'), 'utf8').split('\n');
    const original = (await new SyntheticMarketSource('synthetic-9', 9).fetch({ symbols: ['AAPL'], until: '2003-12-31', lastStored: new Map() }))[0].bars;
    lines[299] = toCsv([original[298]]).split('\n')[1];
    lines[300] = toCsv([original[299]]).split('\n')[1];
    writeFileSync(join(fixedDir, 'XOM.csv'), lines.join('\n'));
    const fixed = await ingestMarketData(db.db, new CsvFolderSource(fixedDir, 'q'), { symbols, until: '2003-12-31', config });
    expect(fixed.rowsWritten).toBe(2);
    expect((await listQuarantinedBars(db.db, { feed: 'q' })).map((q) => q.row)).toEqual([5]);
  });

  it('a corrected value is a new vintage; the value a past read used stays readable', async () => {
    const v0 = await loadBarsWithVintage(db.db, 'q', ['SPY'], '2003-12-31');
    const text = readFileSync(join(dir, 'SPY.csv'), 'utf8').split('\n');
    const f = text[100].split(',');
    f[4] = String(Number(f[4]) * 1.001);
    text[100] = f.join(',');
    const corrected = mkdtempSync(join(tmpdir(), 'corrected-'));
    for (const s of ['TLT', 'VIX']) writeFileSync(join(corrected, `${s}.csv`), readFileSync(join(dir, `${s}.csv`), 'utf8'));
    writeFileSync(join(corrected, 'SPY.csv'), text.join('\n'));
    const s = await ingestMarketData(db.db, new CsvFolderSource(corrected, 'q'), { symbols: ['SPY', 'TLT', 'VIX'], until: '2003-12-31' });
    expect([s.rowsWritten, s.rowsChanged]).toEqual([1, 1]);
    expect(await count('market_bars_history', `feed = 'q' and symbol = 'SPY'`)).toBe(1);
    const now = await loadBarsWithVintage(db.db, 'q', ['SPY'], '2003-12-31');
    expect(now.vintage).toBe(s.vintage);
    // File line 101 is the 100th bar.
    expect(now.bars.get('SPY')![99].close).not.toBe(v0.bars.get('SPY')![99].close);
    expect(now.bars.get('SPY')!.filter((b, i) => b.close !== v0.bars.get('SPY')![i].close)).toHaveLength(1);
    expect((await loadBarsWithVintage(db.db, 'q', ['SPY'], '2003-12-31', v0.vintage)).bars).toEqual(v0.bars);
  });
});

/** Runs the real CLI (`regime-retrain data ...`) against the test database. */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const p = spawn(process.execPath, [resolve('bin/regime-retrain.mjs'), ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

describe.skipIf(!CORPUS_DIR)('data validate / data ingest on long real histories (CLI, Postgres)', () => {
  let db: TestDb;
  let dir: string;
  const env = () => ({ DATABASE_URL: db.url });
  const snapshot = async () =>
    Object.fromEntries(
      await Promise.all(
        ['market_bars', 'quarantined_bars', 'bar_vintages', 'market_bars_history'].map(async (t) => [t, ((await db.db.execute(sql.raw(`select count(*)::int as n, md5(string_agg(t::text, '|' order by t::text)) as h from ${t} t`))) as unknown as { rows: unknown[] }).rows[0]]),
      ),
    );
  beforeAll(async () => {
    db = await createTestDb();
    dir = mkdtempSync(join(tmpdir(), 'long-'));
    // The market inputs read in place through links; XOM and PG are long real histories
    // (AAPL 1980-2020, MSFT 1986-2020) with a few early high < low rows, as Yahoo's 1960s rows have.
    for (const s of ['SPY', 'TLT', 'VIX', ...SECTOR_SYMBOLS]) symlinkSync(join(CORPUS_DIR!, `${s}.csv`), join(dir, `${s}.csv`));
    writeFileSync(join(dir, 'XOM.csv'), badRows(readFileSync(join(CORPUS_DIR!, 'AAPL.csv'), 'utf8'), [4, 40, 400]));
    writeFileSync(join(dir, 'PG.csv'), badRows(readFileSync(join(CORPUS_DIR!, 'MSFT.csv'), 'utf8'), [12]));
    writeFileSync(join(dir, '<img src=x onerror=alert(1)>.csv'), readFileSync(join(CORPUS_DIR!, 'XLK.csv'), 'utf8'));
    // Something stored already, so "nothing changes" is a real check.
    await ingestMarketData(db.db, new CsvFolderSource(CORPUS_DIR!, 'csv'), { symbols: ['SPY', 'TLT', 'VIX'], until: '2026-12-31' });
  });
  afterAll(async () => {
    await db?.drop();
  });
  const base = ['--source', 'csv', '--csv-dir', () => dir] as const;
  const args = (cmd: string, ...more: string[]) => ['data', cmd, ...base.map((a) => (typeof a === 'function' ? a() : a)), '--symbols', 'XOM,PG', ...more, '--json'];

  it('validate --on-bad-row quarantine accepts them listing each bad row; reject refuses naming the first; nothing stored changes', async () => {
    const before = await snapshot();
    const q = await cli(args('validate', '--on-bad-row', 'quarantine'), env());
    expect(q.code).toBe(0);
    const out = JSON.parse(q.stdout);
    expect(Object.keys(out)).toEqual(['SPY', 'TLT', 'VIX', ...SECTOR_SYMBOLS, 'PCR', 'XOM', 'PG']);
    for (const r of Object.values(out)) expect(Object.keys(r as object)).toEqual(['rows', 'first', 'last', 'warnings', 'errors', 'quarantined']);
    expect(out.XOM.quarantined.map((x: { row: number; field: string }) => [x.row, x.field])).toEqual([[4, 'high'], [40, 'high'], [400, 'high']]);
    expect(out.XOM).toMatchObject({ rows: 10086 - 3, first: '1980-12-12', last: '2020-12-11', errors: [] });
    expect(out.PG.quarantined.map((x: { row: number }) => x.row)).toEqual([12]);
    expect(out.SPY.warnings).toContain(`${join(dir, 'SPY.csv')}: no rows from 2001-09-10 to 2001-09-17 (7 calendar days)`);
    const r = await cli(args('validate'), env());
    expect(r.code).toBe(1);
    const rej = JSON.parse(r.stdout);
    expect(rej.XOM.errors).toEqual([expect.stringMatching(new RegExp(`^${join(dir, 'XOM.csv').replace(/[.]/g, '\\.')}, row 4, field "high": high [\\d.]+ < low [\\d.]+ \\(on 1980-12-16\\)$`))]);
    expect(rej.XOM).toMatchObject({ rows: 0, first: null, last: null, quarantined: [] });
    expect(rej.PG.errors[0]).toMatch(/PG\.csv, row 12, field "high"/);
    expect(rej.SPY.errors).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('ingest writes under quarantine (bars and quarantine rows) and writes nothing when a file is rejected', async () => {
    const before = await snapshot();
    const r = await cli(args('ingest'), env());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nothing written: 2 file\(s\) rejected/);
    expect(await snapshot()).toEqual(before);
    const q = await cli(args('ingest', '--on-bad-row', 'quarantine'), env());
    expect(q.code).toBe(0);
    expect(JSON.parse(q.stdout).XOM.quarantined).toHaveLength(3);
    const listed = await listQuarantinedBars(db.db, { feed: 'csv' });
    expect(listed.map((x) => `${x.symbol}:${x.row}`)).toEqual(['PG:12', 'XOM:4', 'XOM:40', 'XOM:400']);
    const stored = await loadBars(db.db, 'csv', ['XOM', 'PG', 'XLK'], '2026-12-31');
    expect(stored.get('XOM')!.length).toBe(10086 - 3);
    expect(stored.get('XLK')!.length).toBe(6922);
  });

  it('--symbols all skips a hostile file name with an escaped warning; it never reaches the output', async () => {
    const r = await cli(['data', 'validate', '--csv-dir', dir, '--symbols', 'all', '--on-bad-row', 'quarantine', '--json'], env());
    expect(r.code).toBe(0);
    expect(Object.keys(JSON.parse(r.stdout)).sort()).toEqual(['PCR', 'PG', 'SPY', 'TLT', 'VIX', 'XOM', ...SECTOR_SYMBOLS].sort());
    expect(r.stdout).not.toMatch(/img|onerror/);
    expect(r.stderr).toContain('warning: skipped file "\\u003cimg src\\u003dx onerror\\u003dalert\\u00281\\u0029\\u003e.csv"');
    expect(r.stderr).not.toMatch(/[<>]/);
    const bad = await cli(['data', 'validate', '--csv-dir', dir, '--symbols', 'XOM,<img src=x>', '--json'], env());
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/--symbols: invalid symbol "\\u003cimg src\\u003dx\\u003e"/);
    expect(bad.stderr).not.toMatch(/[<>]/);
  });
});
