import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluations, runSteps, runs } from '../../src/db/schema';
import { startRetrain } from '../../src/temporal/startRetrain';
import type { DevServer } from '../../src/temporal/devServer';
import type { RetrainResult } from '../../workflows/types';
import { freePort } from '../helpers/cliProcess';
import { withChromiumPage } from '../helpers/chromium';
import { fastInput } from '../helpers/fastConfig';
import type { TestDb } from '../helpers/postgres';
import { startServerAndDatabase, type ServerAndDatabase } from '../helpers/stack';
import { startWorkerProcess, waitFor, type WorkerProcess } from '../helpers/workerProcess';

const exec = promisify(execFile);

/** Every sample of a scrape: `name{labels} value`, keyed by name and sorted labels. */
function parseScrape(text: string): { get(name: string, labels?: Record<string, string>): number | undefined; names: Set<string> } {
  const samples: { name: string; labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not an exposition line: ${line}`);
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1]!, x[2]!]));
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return {
    names: new Set(samples.map((s) => s.name)),
    get: (name, labels = {}) => samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v) && Object.keys(s.labels).length === Object.keys(labels).length)?.value,
  };
}

/**
 * A real worker process with METRICS_PORT and OpenTelemetry off, two signal runs (the planted
 * edge gets promoted) and one that fails on its data; then the scrape must agree with the
 * runs' own numbers (workflow results and stored rows), and `runs trend` must show them.
 */
describe('operations: metrics endpoint and run trend (real worker process, Temporal, Postgres)', () => {
  let server: DevServer;
  let db: TestDb;
  let serverAndDb: ServerAndDatabase;
  let worker: WorkerProcess;
  let metricsPort: number;
  const results: RetrainResult[] = [];
  let failedRunId: string;
  const taskQueue = `ops-${randomUUID()}`;
  const cli = (...args: string[]) => exec(process.execPath, ['--import', 'tsx', resolve('src/cli/main.ts'), ...args], { env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'warn' } });
  const scrape = async () => parseScrape(await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text());

  beforeAll(async () => {
    serverAndDb = await startServerAndDatabase();
    ({ server, db } = serverAndDb);
    metricsPort = await freePort();
    worker = startWorkerProcess({ temporalAddress: server.address, databaseUrl: db.url, taskQueue, extra: { METRICS_PORT: String(metricsPort), METRICS_HOST: '127.0.0.1' } });
    await waitFor('the worker metrics endpoint', async () => /metrics at http/.test(worker.output()), 120_000);
    const signal = (asOf: string) => fastInput({ asOf, tasks: ['signal'] });
    // The second run samples its training rows with another seed, so its metrics differ from the first's.
    const second = signal('2014-12-31');
    second.config = { ...second.config, dataset: { ...(second.config!.dataset as Record<string, unknown>), seed: 7 } };
    for (const input of [signal('2014-06-30'), second]) {
      results.push(await (await startRetrain(server.env.client, { taskQueue, workflowId: `ops-${randomUUID()}`, input })).result());
    }
    // A run that fails on its data: a CSV folder that does not exist.
    const bad = await startRetrain(server.env.client, { taskQueue, workflowId: `ops-bad-${randomUUID()}`, input: { ...signal('2015-01-02'), source: { kind: 'csv', dir: '/nonexistent/market' } } });
    failedRunId = bad.firstExecutionRunId;
    await expect(bad.result()).rejects.toThrow();
  }, 900_000);

  afterAll(async () => {
    await worker?.kill('SIGTERM');
    await serverAndDb?.stop();
  });

  it('serves Temporal runtime metrics and regime_retrain_* that match the runs', async () => {
    const s = await scrape();
    // Temporal's own: the worker's activity executions of this run's activities.
    expect([...s.names].filter((n) => n.startsWith('temporal_')).length).toBeGreaterThan(10);
    expect([...s.names]).toContain('temporal_activity_execution_latency_count');

    expect(s.get('regime_retrain_runs_total', { status: 'completed', trigger: 'manual' })).toBe(2);
    expect(s.get('regime_retrain_runs_total', { status: 'failed', trigger: 'manual' })).toBe(1);
    const [failed] = await db.db.select().from(runs).where(eq(runs.id, failedRunId));
    expect(failed!.errorType).toBeTruthy();
    expect(s.get('regime_retrain_failures_total', { type: failed!.errorType! })).toBe(1);

    expect(s.get('regime_retrain_rows_ingested_total')).toBe(results.reduce((a, r) => a + r.ingest.rowsWritten, 0));
    const rows = await db.db.select().from(runs).where(inArray(runs.id, results.map((r) => r.runId)));
    const seconds = rows.map((r) => (r.finishedAt!.getTime() - r.startedAt.getTime()) / 1000);
    expect(s.get('regime_retrain_run_duration_seconds_count', { status: 'completed' })).toBe(2);
    expect(s.get('regime_retrain_run_duration_seconds_sum', { status: 'completed' })).toBeCloseTo(seconds[0]! + seconds[1]!, 2);

    const fits = await db.db.select().from(runSteps).where(inArray(runSteps.runId, results.map((r) => r.runId)));
    expect(s.get('regime_retrain_step_duration_seconds_count', { step: 'fit', task: 'signal' })).toBe(fits.filter((f) => f.step.startsWith('fit:signal:')).length);

    const promoted = results.filter((r) => r.tasks.signal!.decision.promoted);
    expect(promoted.length).toBeGreaterThanOrEqual(1); // the planted edge
    for (const verdict of ['promote', 'refresh']) {
      expect(s.get('regime_retrain_promotions_total', { task: 'signal', verdict }) ?? 0).toBe(promoted.filter((r) => r.tasks.signal!.decision.action === verdict).length);
    }
    expect(s.get('regime_retrain_drift_flags_total', { task: 'signal' })).toBe(results.reduce((a, r) => a + r.tasks.signal!.monitor.flaggedFeatures.length, 0));

    // The champion's metric: the newest run's decision, read back from its stored assessment.
    const championEntry = async (r: RetrainResult) => {
      const [doc] = await db.db.select().from(evaluations).where(and(eq(evaluations.runId, r.runId), eq(evaluations.task, 'signal'), eq(evaluations.modelId, 'assessment')));
      const d = doc!.detail as { selected: string; championKey: string | null; candidates: { key: string; kind: string; metrics: { all: { macro_f1: number } } }[] };
      // What the gate deployed: the selected configuration, or the champion's own after a refresh that refused the challenger.
      const { action, promoted } = r.tasks.signal!.decision;
      const key = !promoted ? d.championKey : action === 'refresh' && d.championKey && d.championKey !== d.selected ? d.championKey : d.selected;
      return d.candidates.find((c) => c.key === key)!;
    };
    const [older, entry] = [await championEntry(results[0]!), await championEntry(results[1]!)];
    expect(entry.metrics.all.macro_f1).not.toBe(older.metrics.all.macro_f1); // so the check below tells the runs apart
    expect(s.get('regime_retrain_champion_metric', { task: 'signal', metric: 'macro_f1' })).toBeCloseTo(entry.metrics.all.macro_f1, 12);
    expect(s.get('regime_retrain_champion_info', { task: 'signal', kind: entry.kind, primary_metric: 'macro_f1' })).toBe(1);
    expect(s.get('regime_retrain_metrics_source_errors')).toBe(0);
  });

  it('`runs trend` shows every run of the task, with the champion, promotions and durations, and its HTML page renders', async () => {
    const { stdout } = await cli('runs', 'trend', '--task', 'signal', '--json');
    const points = JSON.parse(stdout) as { runId: string; asOf: string; status: string; verdict: string | null; promoted: boolean; durationSeconds: number | null; errorType: string | null; lead: unknown }[];
    expect(points.map((p) => p.asOf)).toEqual(['2014-06-30', '2014-12-31', '2015-01-02']);
    results.forEach((r, i) => {
      expect(points[i]).toMatchObject({ runId: r.runId, status: 'completed', verdict: r.tasks.signal!.decision.action, promoted: r.tasks.signal!.decision.promoted });
      expect(points[i]!.durationSeconds).toBeGreaterThan(0);
    });
    expect(points[2]).toMatchObject({ runId: failedRunId, status: 'failed', verdict: null });
    expect(points.find((p) => p.promoted)!.lead).toBeTruthy();
    const table = (await cli('runs', 'trend', '--task', 'signal', '--last', '2')).stdout.trim().split('\n');
    expect(table).toHaveLength(3); // header and the newest two
    expect(table[2]).toContain(failedRunId);

    const file = join(mkdtempSync(join(tmpdir(), 'trend-')), 'trend.html');
    await cli('runs', 'trend', '--task', 'signal', '--html', file);
    await withChromiumPage(file, async (page) => {
      expect(await page.locator('svg.chart').count()).toBe(4);
      expect(await page.locator('tr.run').count()).toBe(3);
      expect(await page.locator('tr.run.promoted').count()).toBe(points.filter((p) => p.promoted).length);
    });
  }, 120_000);
});
