import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { marketBars } from '../../src/db/schema';
import { loadReportData } from '../../src/reports/reportData';
import { renderRunReport } from '../../src/reports/runReport';
import { datasetsOfRun, loadDataset } from '../../src/store/datasetStore';
import { runCli, type CliResult } from '../helpers/cliProcess';
import { realDataDir } from '../helpers/realData';
import { startTestStack, type TestStack } from '../helpers/stack';

const CORPUS_DIR = realDataDir('market');

/** Five stocks of the user's own, under names the product has never heard of. */
const RENAMED: Record<string, string> = { AAA: 'AAPL', BBB: 'MSFT', CCC: 'GOOGL', DDD: 'XLK', EEE: 'XLV' };
const MARKET = ['SPY', 'TLT', 'VIX', 'XLB', 'XLE', 'XLF', 'XLI', 'XLK', 'XLP', 'XLU', 'XLV', 'XLY'];
const AS_OF = '2012-06-29';

/** First date and last date up to as-of of a corpus file, read straight from the CSV. */
function fileRange(symbol: string): { first: string; last: string } {
  const dates = readFileSync(join(CORPUS_DIR!, `${symbol}.csv`), 'utf8').trim().split('\n').slice(1).map((l) => l.slice(0, 10)).filter((d) => d <= AS_OF);
  return { first: dates[0], last: dates.at(-1)! };
}

describe.skipIf(!CORPUS_DIR)('a user folder: the signal task trains on exactly the five stocks named (real Temporal + Postgres)', () => {
  let stack: TestStack;
  let dir: string;
  let cli: CliResult;
  let runId: string;
  const taskQueue = `universe-${randomUUID()}`;

  beforeAll(async () => {
    // The market inputs, the T-bill series, five renamed stocks and one more stock nobody names.
    dir = mkdtempSync(join(tmpdir(), 'user-universe-'));
    for (const s of MARKET) symlinkSync(join(CORPUS_DIR!, `${s}.csv`), join(dir, `${s}.csv`));
    for (const [name, real] of Object.entries(RENAMED)) symlinkSync(join(CORPUS_DIR!, `${real}.csv`), join(dir, `${name}.csv`));
    symlinkSync(join(CORPUS_DIR!, 'XLF.csv'), join(dir, 'ZZZ.csv'));
    const rates = realDataDir('rates');
    if (rates && existsSync(join(rates, 'DTB3.csv'))) symlinkSync(join(rates, 'DTB3.csv'), join(dir, 'DTB3.csv'));

    stack = await startTestStack(taskQueue);
    const env = { ...process.env, TEMPORAL_ADDRESS: stack.server.address, TEMPORAL_TASK_QUEUE: taskQueue, DATABASE_URL: stack.db.url, LOG_FORMAT: 'json', LOG_LEVEL: 'warn' };
    const config = { gate: { bootstrapReps: 200 }, dataset: { split: { foldDays: 1008 }, signal: { sampleSize: 4000 } }, modelParams: { logistic: { maxIter: 100 } } };
    // The exact command a user types (`--models logistic`: one kind, so no meta-learner).
    cli = await runCli(['run', '--symbols', 'AAA,BBB,CCC,DDD,EEE', '--models', 'logistic', '--as-of', AS_OF, '--task', 'signal', '--source', 'csv', '--csv-dir', dir, '--config', JSON.stringify(config)], env, 300_000);
    runId = cli.stdout.match(/started \S+ \(run (\S+)\)/)?.[1] ?? '';
  }, 360_000);
  afterAll(async () => {
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the run completes', () => {
    expect(cli.code, `${cli.stdout}\n${cli.stderr}`).toBe(0);
    expect(runId).not.toBe('');
  });

  it('the dataset holds exactly the five symbols, and every row is one of them', async () => {
    const [meta] = (await datasetsOfRun(stack.db.db, runId)).filter((d) => d.task === 'signal');
    expect([...(meta.summary as { symbols: string[] }).symbols].sort()).toEqual(Object.keys(RENAMED));
    const ds = await loadDataset(stack.db.db, meta.id);
    expect([...ds.symbols].sort()).toEqual(Object.keys(RENAMED));
    const rowsPer = new Map<string, number>();
    for (let i = 0; i < ds.rows; i++) rowsPer.set(ds.symbols[ds.symbol[i]], (rowsPer.get(ds.symbols[ds.symbol[i]]) ?? 0) + 1);
    expect([...rowsPer.keys()].sort()).toEqual(Object.keys(RENAMED));
    expect([...rowsPer.values()].reduce((a, b) => a + b, 0)).toBe(ds.rows);
    expect(Math.min(...rowsPer.values())).toBeGreaterThan(500);
  });

  it('stored bars: the market inputs and the five, never ZZZ (nobody named it)', async () => {
    const stored = (await stack.db.db.selectDistinct({ symbol: marketBars.symbol }).from(marketBars)).map((r) => r.symbol).sort();
    expect(stored).toEqual([...new Set([...MARKET, ...Object.keys(RENAMED)])].sort());
    expect((await stack.db.db.select({ n: sql<number>`count(*)::int` }).from(marketBars).where(sql`${marketBars.symbol} = 'ZZZ'`))[0].n).toBe(0);
  });

  it("the report's universe section lists the five with their first and last dates", async () => {
    const html = renderRunReport(await loadReportData(stack.db.db, runId));
    const section = html.slice(html.indexOf('<h2 id="universe">'), html.indexOf('<details>', html.indexOf('<h2 id="universe">')));
    expect(section).toMatch(/<b id="universe-size">5<\/b> symbols with data/);
    for (const [name, real] of Object.entries(RENAMED)) {
      const { first, last } = fileRange(real);
      expect(section).toMatch(new RegExp(`<tr><td>${name}</td><td>\\d+</td><td>${first}</td><td>${last}</td></tr>`));
    }
    expect(section).not.toContain('ZZZ');
    expect(section).not.toMatch(/<td>(AAPL|MSFT|GOOGL)<\/td>/);
  });
});
