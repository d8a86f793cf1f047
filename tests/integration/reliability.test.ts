import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { ScheduleOverlapPolicy, WorkflowFailedError, type WorkflowHandle, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import proto from '@temporalio/proto';
import { createRetrainWorker } from '../../worker/createWorker';
import { createLogger } from '../../src/logger';
import { openPostgres } from '../../src/db/client';
import { datasets, marketBars, models, runSteps, runs, trainCheckpoints } from '../../src/db/schema';
import { ingestMarketData } from '../../src/ingest/ingest';
import { CsvFolderSource } from '../../src/data/sources/csvFolder';
import { SyntheticMarketSource } from '../../src/data/sources/syntheticMarket';
import { type Bar, DEFAULT_UNIVERSE } from '../../src/data/bars';
import { getAlias, setAlias } from '../../src/store/aliasStore';
import { startRetrain } from '../../src/temporal/startRetrain';
import type { DevServer } from '../../src/temporal/devServer';
import type { RetrainInput, RetrainResult } from '../../workflows/types';
import { backfillSchedule, describeSchedule, ensureWeeklySchedule } from '../../schedules/weeklySchedule';
import type { TestDb } from '../helpers/postgres';
import { startServerAndDatabase, type ServerAndDatabase } from '../helpers/stack';
import { tinyInput } from '../helpers/fastConfig';
import { startWorkerProcess, waitFor, type WorkerProcess } from '../helpers/workerProcess';
import { startTcpProxy, type TcpProxy } from '../helpers/tcpProxy';

/**
 * A strategy run whose random forests are slow enough to interrupt (many trees, a checkpoint
 * every second): one walk-forward fold, the final window and the refit, each a forest. Each
 * test passes its own `trees`: the fold cache would otherwise hand one test the forests
 * another already trained, and no checkpoint would ever appear.
 */
const slowInput = (over: Partial<RetrainInput> = {}, trees = 6000): RetrainInput =>
  tinyInput({
    asOf: '2011-06-30',
    models: ['random_forest'],
    config: { ...tinyInput().config, dataset: { split: { foldDays: 2000, minTrainDays: 500 } }, checkpointSeconds: 1, modelParams: { random_forest: { nTrees: trees, maxDepth: 6, minSamplesLeaf: 1 } } },
    ...over,
  });

describe('reliability on the real Temporal server and Postgres', () => {
  let server: DevServer;
  let db: TestDb;
  let serverAndDb: ServerAndDatabase;
  const logger = createLogger({ level: 'warn', pretty: false });

  beforeAll(async () => {
    serverAndDb = await startServerAndDatabase();
    ({ server, db } = serverAndDb);
  });
  afterAll(async () => {
    await serverAndDb?.stop();
  });

  const start = (taskQueue: string, input: RetrainInput): Promise<WorkflowHandleWithFirstExecutionRunId> => startRetrain(server.env.client, { taskQueue, workflowId: `rel-${randomUUID()}`, input });
  /** Every activity input and output, and the workflow's, stays under 256 KB: ids and summaries only. */
  const expectSmallPayloads = async (h: WorkflowHandle) => {
    const history = await h.fetchHistory();
    const size = (p?: proto.temporal.api.common.v1.IPayloads | null) => (p?.payloads ?? []).reduce((a, x) => a + (x.data?.length ?? 0) + JSON.stringify(x.metadata ?? {}).length, 0);
    let checked = 0;
    for (const e of history.events ?? []) {
      const s = Math.max(size(e.activityTaskScheduledEventAttributes?.input), size(e.activityTaskCompletedEventAttributes?.result), size(e.workflowExecutionStartedEventAttributes?.input), size(e.workflowExecutionCompletedEventAttributes?.result));
      if (e.activityTaskScheduledEventAttributes || e.activityTaskCompletedEventAttributes) checked++;
      expect(s).toBeLessThan(256 * 1024);
    }
    expect(checked).toBeGreaterThan(10);
  };
  const stepOf = (runId: string, step: string) => db.db.select().from(runSteps).where(and(eq(runSteps.runId, runId), eq(runSteps.step, step)));
  /** The furthest checkpoint of the run (two folds may be training at once). */
  const checkpointOf = async (runId: string) => (await db.db.select().from(trainCheckpoints).where(eq(trainCheckpoints.runId, runId))).sort((a, b) => b.iteration - a.iteration)[0];

  // Both shapes of a plain worker: activity slots in child processes (the default with
  // DATABASE_URL) and in the worker process; the SIGKILL takes the whole process group, as a
  // crashed machine would.
  it.each([
    ['in child processes (the default)', {}, 6003],
    ['in the worker process', { WORKER_ACTIVITY_PROCESSES: '0' }, 6000],
  ])('a worker with its activity slots %s killed mid-training: a new worker resumes from the heartbeat checkpoint, no duplicate rows', async (_shape, extra: Record<string, string>, trees: number) => {
    const taskQueue = `crash-${randomUUID()}`;
    const env = { temporalAddress: server.address, databaseUrl: db.url, taskQueue, extra, group: true };
    let w1: WorkerProcess | null = startWorkerProcess(env);
    let w2: WorkerProcess | null = null;
    try {
      const h = await start(taskQueue, slowInput({}, trees));
      const runId = h.firstExecutionRunId;
      const cp = await waitFor('a training checkpoint', async () => {
        const c = await checkpointOf(runId);
        return c && c.iteration >= 30 ? c : null;
      });
      // Heartbeats reach the server at most every 2 s: give the one naming this checkpoint time to land.
      await new Promise((r) => setTimeout(r, 3000));
      await w1.kill('SIGKILL');
      w1 = null;
      w2 = startWorkerProcess(env);
      const result = (await h.result()) as RetrainResult;
      expect(result.status).toBe('completed');
      // The step that was checkpointed resumed from its checkpoint on a later attempt, and the
      // model it stored equals an uninterrupted fit (exact resume is unit-tested).
      const [step] = await stepOf(runId, cp.step);
      expect(step.status).toBe('completed');
      expect(step.attempt).toBeGreaterThanOrEqual(2);
      expect((step.summary as { resumedFrom: number | null }).resumedFrom).toBeGreaterThanOrEqual(cp.iteration);
      expect(await checkpointOf(runId)).toBeUndefined();
      // One candidate (the final-window model) and one refit: nothing stored twice.
      const ms = await db.db.select().from(models).where(eq(models.runId, runId));
      expect(ms.map((m) => m.role).sort()).toEqual(['candidate', 'refit']);
      // One row per natural key everywhere for this run.
      const dup = await db.db.execute(sql`select count(*)::int as n from (select step from run_steps where run_id = ${runId} group by step having count(*) > 1) d`);
      expect((dup as unknown as { rows: { n: number }[] }).rows[0].n).toBe(0);
      expect(await db.db.select().from(datasets).where(eq(datasets.runId, runId))).toHaveLength(1);
      await expectSmallPayloads(h);
    } catch (e) {
      console.error(`worker 1 output:\n${w1?.output().slice(-3000) ?? '(killed)'}\nworker 2 output:\n${w2?.output().slice(-3000) ?? ''}`);
      throw e;
    } finally {
      await w1?.kill();
      await w2?.kill('SIGTERM');
    }
  }, 300_000);

  it('a Postgres outage during training: activities retry with backoff and the run completes', async () => {
    const proxy: TcpProxy = await startTcpProxy('127.0.0.1', Number(new URL(db.url).port || 5432));
    const url = new URL(db.url);
    url.port = String(proxy.port);
    const viaProxy = openPostgres(url.toString());
    const taskQueue = `outage-${randomUUID()}`;
    const worker = await createRetrainWorker({ connection: server.env.nativeConnection, namespace: 'default', taskQueue, db: viaProxy.db, logger, maxConcurrentActivities: 2 });
    const running = worker.run();
    try {
      const h = await start(taskQueue, slowInput({}, 6001));
      const runId = h.firstExecutionRunId;
      await waitFor('a training checkpoint', async () => ((await checkpointOf(runId))?.iteration ?? 0) >= 20);
      proxy.down();
      await new Promise((r) => setTimeout(r, 4000));
      proxy.up();
      const result = (await h.result()) as RetrainResult;
      expect(result.status).toBe('completed');
      const steps = await db.db.select().from(runSteps).where(eq(runSteps.runId, runId));
      expect(Math.max(...steps.map((s) => s.attempt))).toBeGreaterThanOrEqual(2);
      expect(steps.every((s) => s.status === 'completed')).toBe(true);
      expect(await db.db.select().from(models).where(eq(models.runId, runId))).toHaveLength(2);
      await expectSmallPayloads(h);
    } finally {
      worker.shutdown();
      await running;
      await viaProxy.close();
      await proxy.close();
    }
  }, 300_000);

  describe('with an in-process worker', () => {
    const taskQueue = `rel-${randomUUID()}`;
    let worker: Worker;
    let running: Promise<void>;
    beforeAll(async () => {
      worker = await createRetrainWorker({ connection: server.env.nativeConnection, namespace: 'default', taskQueue, db: db.db, logger, maxConcurrentActivities: 2 });
      running = worker.run();
    });
    afterAll(async () => {
      worker.shutdown();
      await running;
    });

    it('cancelling a run stops training promptly and marks the run cancelled', async () => {
      const h = await start(taskQueue, slowInput({}, 6002));
      const runId = h.firstExecutionRunId;
      const cp = await waitFor('training to run', async () => {
        const c = await checkpointOf(runId);
        return c && c.iteration >= 10 ? c : null;
      });
      const t0 = Date.now();
      await h.cancel();
      await expect(h.result()).rejects.toThrow(WorkflowFailedError);
      const [step] = await waitFor('the training step to stop', async () => {
        const s = await stepOf(runId, cp.step);
        return s[0]?.status !== 'running' ? s : null;
      });
      expect(step.status).toBe('failed');
      expect(step.finishedAt!.getTime() - t0).toBeLessThan(15_000);
      const [run] = await db.db.select().from(runs).where(eq(runs.id, runId));
      expect(run.status).toBe('cancelled');
      expect((await h.describe()).memo?.status).toBe('cancelled');
      // Nothing got stored half-trained.
      expect(await db.db.select().from(models).where(eq(models.runId, runId))).toHaveLength(0);
    }, 300_000);

    it('a corrupt CSV fails ingest non-retryably, naming file/row/field; stored bars and the champion are untouched', async () => {
      // Earlier good data in the same feed, and a champion.
      const good = await new SyntheticMarketSource('synthetic-5', 5).fetch({ symbols: [...DEFAULT_UNIVERSE], until: '2006-12-31', lastStored: new Map() });
      const dir = mkdtempSync(join(tmpdir(), 'bad-csv-'));
      const toCsv = (bars: Bar[]) => ['date,open,high,low,close,adj_close,volume', ...bars.map((b) => [b.date, b.open ?? '', b.high, b.low, b.close, b.adjClose ?? '', b.volume ?? ''].join(','))];
      for (const b of good) writeFileSync(join(dir, `${b.symbol}.csv`), toCsv(b.bars).join('\n'));
      await ingestMarketData(db.db, new CsvFolderSource(dir, 'bad-feed'), { symbols: [...DEFAULT_UNIVERSE], until: '2006-12-31' });
      const count = async () => (await db.db.select({ n: sql<number>`count(*)::int` }).from(marketBars).where(eq(marketBars.feed, 'bad-feed')))[0].n;
      const before = await count();
      const anyModel = { id: 'm_champion_fixture' };
      const scope = { task: 'strategy', feed: 'bad-feed', lineage: 'live' };
      await setAlias(db.db, { ...scope, alias: 'champion', modelId: anyModel.id, effectiveFrom: '2006-12-30', actor: 'test', reason: 'fixture' });
      // VIXY prices in VIX.csv, a NaN close and a bad date further down.
      const vix = good.find((b) => b.symbol === 'VIX')!;
      const lines = toCsv(vix.bars);
      lines[300] = lines[300].split(',').map((v, j) => (j >= 1 && j <= 4 ? String(Number(v) * 25000) : v)).join(',');
      writeFileSync(join(dir, 'VIX.csv'), lines.join('\n'));
      const h = await start(taskQueue, tinyInput({ asOf: '2007-06-30', source: { kind: 'csv', dir, feed: 'bad-feed' } }));
      const err = await h.result().catch((e) => e);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      const cause = (err as WorkflowFailedError).cause as { type?: string; nonRetryable?: boolean; message: string; cause?: { type?: string; message: string } };
      const app = cause.cause ?? cause;
      expect(app.type).toBe('InvalidMarketDataError');
      expect(app.message).toMatch(/VIX\.csv, row 301, field "close"/);
      const [run] = await db.db.select().from(runs).where(eq(runs.id, h.firstExecutionRunId));
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/VIX\.csv, row 301/);
      expect(run.errorType).toBe('InvalidMarketDataError');
      const [ingest] = await db.db.select().from(runSteps).where(and(eq(runSteps.runId, run.id), eq(runSteps.step, 'ingest')));
      expect(ingest.attempt).toBe(1); // not retried
      expect(await count()).toBe(before);
      expect((await getAlias(db.db, scope, 'champion'))?.modelId).toBe(anyModel.id);
      expect((await h.describe()).memo?.status).toBe('failed');
    });

    it('overlap SKIP drops a scheduled run while one is running; a 12-Saturday backfill runs 12 as-of-dated runs on past data only', async () => {
      const client = server.env.client;
      const scheduleId = `rel-sched-${randomUUID().slice(0, 8)}`;
      await ensureWeeklySchedule(client, { scheduleId, taskQueue, timeZone: 'America/New_York', dayOfWeek: 'SATURDAY', hour: 21, minute: 0, catchupWindow: '1 day', input: slowInput() });
      const handle = client.schedule.getHandle(scheduleId);
      await handle.trigger(ScheduleOverlapPolicy.SKIP);
      await waitFor('the first run', async () => ((await describeSchedule(client, scheduleId))?.info.runningActions.length ?? 0) > 0);
      await handle.trigger(ScheduleOverlapPolicy.SKIP);
      await new Promise((r) => setTimeout(r, 1500));
      const d = (await describeSchedule(client, scheduleId))!;
      expect(d.info.recentActions).toHaveLength(1);
      expect(d.info.numActionsSkippedOverlap).toBeGreaterThanOrEqual(1);
      await client.workflow.getHandle(d.info.runningActions[0].workflow.workflowId).terminate('test: overlap checked');

      // Backfill: fast input, twelve Saturdays, replayed in order in a lineage of the backfill's own.
      await ensureWeeklySchedule(client, { scheduleId, taskQueue, timeZone: 'America/New_York', dayOfWeek: 'SATURDAY', hour: 21, minute: 0, catchupWindow: '1 day', input: tinyInput() });
      const feedScope = { task: 'strategy', feed: 'synthetic-7', lineage: 'live' };
      const liveBefore = await getAlias(db.db, feedScope, 'champion');
      const b = await backfillSchedule(client, scheduleId, '2011-01-01', '2011-03-19');
      expect(b.saturdays).toHaveLength(12);
      const backfill = (await client.workflow.getHandle(b.workflowId).result()) as { lineage: string; runs: { asOf: string; workflowId: string; runId: string }[] };
      expect(backfill.lineage).toBe(`backfill:${b.workflowId}`);
      expect(backfill.runs.map((r) => r.asOf)).toEqual(b.saturdays);
      const ids = backfill.runs.map((r) => r.workflowId);
      const results = (await Promise.all(ids.map((id) => client.workflow.getHandle(id).result()))) as RetrainResult[];
      expect(results.map((r) => r.asOf)).toEqual(b.saturdays);
      const rows = await db.db.select({ runId: datasets.runId, asOf: datasets.asOf, maxBarDate: datasets.maxBarDate }).from(datasets).where(sql`${datasets.runId} in (${sql.join(results.map((r) => sql`${r.runId}`), sql`, `)})`);
      expect(rows).toHaveLength(12);
      for (const r of rows) expect(r.maxBarDate <= r.asOf, `${r.runId}: bars up to ${r.maxBarDate} for as-of ${r.asOf}`).toBe(true);
      const runRows = await db.db.select().from(runs).where(sql`${runs.id} in (${sql.join(results.map((r) => sql`${r.runId}`), sql`, `)})`);
      expect(runRows.every((r) => r.trigger === 'backfill' && r.status === 'completed' && r.lineage === backfill.lineage)).toBe(true);
      // The past was replayed without touching today's champion.
      expect(await getAlias(db.db, feedScope, 'champion')).toEqual(liveBefore);
      // The weeks after the first reused the folds the week before them had fitted.
      const fits = results.slice(1).map((r) => r.tasks.strategy!.assessment.fits);
      expect(fits.every((f) => f.reused + f.repredicted > 0)).toBe(true);
      await expectSmallPayloads(client.workflow.getHandle(ids[0]));
      await handle.delete();
    }, 360_000);
  });
});
