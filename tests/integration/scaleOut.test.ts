import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { runSteps } from '../../src/db/schema';
import { startRetrain } from '../../src/temporal/startRetrain';
import type { RetrainInput, RetrainResult } from '../../workflows/types';
import { freePort } from '../helpers/cliProcess';
import { tinyInput } from '../helpers/fastConfig';
import { createTestDb, type TestDb } from '../helpers/postgres';
import { startTemporalProcess, type TemporalProcess } from '../helpers/temporalProcess';
import { startWorkerProcess, waitFor, type WorkerProcess } from '../helpers/workerProcess';

const { EventType, TaskQueueType } = proto.temporal.api.enums.v1;

/**
 * One strategy run with two model kinds over three folds (two walk-forward, the final window)
 * plus the refit: six fits that run in parallel, each long enough to be caught mid-fit.
 */
const scaleInput = (seed: number): RetrainInput =>
  tinyInput({
    asOf: '2011-06-30',
    source: { kind: 'synthetic', seed },
    config: { ...tinyInput().config, dataset: { split: { foldDays: 1000, minTrainDays: 500 } }, modelParams: { random_forest: { nTrees: 150, maxDepth: 8 }, logistic: { maxIter: 300 } } },
  });

/** How many natural keys of the run's rows occur more than once, per table (all zero when nothing is duplicated). */
async function duplicatedKeys(db: TestDb, runId: string): Promise<Record<string, number>> {
  const count = async (q: ReturnType<typeof sql>) => ((await db.db.execute(sql`select count(*)::int as n from (${q}) d`)) as unknown as { rows: { n: number }[] }).rows[0].n;
  return {
    run_steps: await count(sql`select step from run_steps where run_id = ${runId} group by step having count(*) > 1`),
    models: await count(sql`select task, role, kind from models where run_id = ${runId} group by task, role, kind having count(*) > 1`),
    fold_results: await count(sql`select 1 from fold_results group by task, feed, kind, candidate_hash, train_from, train_to, test_from, test_to, test_rows_hash having count(*) > 1`),
    promotion_decisions: await count(sql`select task from promotion_decisions where run_id = ${runId} group by task having count(*) > 1`),
    alias_events: await count(sql`select 1 from alias_events where actor = ${`workflow:${runId}`} group by task, feed, lineage, alias having count(*) > 1`),
  };
}
const NONE_DUPLICATED = { run_steps: 0, models: 0, fold_results: 0, promotion_decisions: 0, alias_events: 0 };

describe('scale-out on a Temporal server that persists to a file', () => {
  let temporal: TemporalProcess;
  let db: TestDb;
  let client: Client;
  let dir: string;
  // The production shape: one workflow worker and two trainers with one training slot each
  // (TRAINER_SLOTS=1 in compose terms), so parallel fits must use both.
  const taskQueue = `scale-${randomUUID()}`;
  let wf: WorkerProcess;
  let trainers: WorkerProcess[] = [];

  /** The identities polling the queue, by task type (the Temporal server's own view of its workers). */
  const pollers = async (type: proto.temporal.api.enums.v1.TaskQueueType) =>
    ((await client.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, taskQueueType: type })).pollers ?? []).map((p) => p.identity ?? '');
  const identityOf = (w: WorkerProcess) => `${w.child.pid}@`;
  const everyonePolls = () =>
    waitFor(
      'both trainers and the workflow worker to poll',
      async () => {
        const [act, wfl] = await Promise.all([pollers(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY), pollers(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)]);
        return trainers.every((t) => act.some((id) => id.startsWith(identityOf(t)))) && wfl.some((id) => id.startsWith(identityOf(wf)));
      },
      // Three node processes loading the SDK (and TensorFlow.js for the trainers): slow on a busy 2-core machine.
      180_000,
    );
  const alive = (w: WorkerProcess) => w.child.exitCode === null && w.child.signalCode === null;
  const dumpOutputs = () => console.error([wf, ...trainers].map((w, i) => `${i === 0 ? 'workflow worker' : `trainer ${i}`}:\n${w.output().slice(-2500)}`).join('\n'));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'temporal-db-'));
    [temporal, db] = await Promise.all([freePort().then((port) => startTemporalProcess({ port, dbFile: join(dir, 'temporal.db') })), createTestDb()]);
    client = new Client({ connection: await Connection.connect({ address: temporal.address }), namespace: 'default' });
    const env = (args: string[], extra: Record<string, string> = {}) => ({ temporalAddress: temporal.address, databaseUrl: db.url, taskQueue, args, extra });
    wf = startWorkerProcess(env(['--role', 'workflows']));
    trainers = [0, 1].map(() => startWorkerProcess(env(['--role', 'activities'], { WORKER_MAX_CONCURRENT_ACTIVITIES: '1' })));
    await everyonePolls().catch((e) => {
      dumpOutputs();
      throw e;
    });
  }, 240_000);
  afterAll(async () => {
    await Promise.all([wf, ...trainers].map((w) => w?.kill('SIGTERM')));
    await client?.connection.close();
    await temporal?.stop();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the server is killed mid-fit and restarted 25 s later: the same run completes, the workers survive, nothing is duplicated', async () => {
    try {
      const h = await startRetrain(client, { taskQueue, workflowId: `restart-${randomUUID()}`, input: scaleInput(7) });
      const runId = h.firstExecutionRunId;
      await waitFor('a fit to be running', async () => (await db.db.select().from(runSteps).where(eq(runSteps.runId, runId))).some((s) => s.step.startsWith('fit:') && s.status === 'running'), 120_000, 100);

      await temporal.kill();
      await new Promise((r) => setTimeout(r, 25_000));
      expect([wf, ...trainers].every(alive), 'a worker exited while the server was down').toBe(true);
      await temporal.restart();

      // The very execution started before the crash (workflow id and run id), read back from the restarted server.
      const same = client.workflow.getHandle(h.workflowId, runId);
      const result = (await same.result()) as RetrainResult;
      expect(result.status).toBe('completed');
      expect(result.runId).toBe(runId);
      const d = await same.describe();
      expect(d.runId).toBe(runId);
      expect(d.status.name).toBe('COMPLETED');
      expect([wf, ...trainers].every(alive)).toBe(true);

      const stepsOfRun = await db.db.select().from(runSteps).where(eq(runSteps.runId, runId));
      expect(stepsOfRun.filter((s) => s.step.startsWith('fit:')).length).toBeGreaterThanOrEqual(4);
      expect(stepsOfRun.every((s) => s.status === 'completed')).toBe(true);
      expect(await duplicatedKeys(db, runId)).toEqual(NONE_DUPLICATED);
    } catch (e) {
      dumpOutputs();
      console.error(`temporal output:\n${temporal.output().slice(-2000)}`);
      throw e;
    }
  }, 180_000);

  it('trainer activities spread over two activity-only worker processes; the workflow worker trains nothing', async () => {
    try {
      await everyonePolls();
      // Who polls what is the role's job: the workflow worker never asks for activities, trainers never for workflow tasks.
      expect((await pollers(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)).some((id) => id.startsWith(identityOf(wf)))).toBe(false);
      expect((await pollers(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)).some((id) => trainers.some((t) => id.startsWith(identityOf(t))))).toBe(false);

      const h = await startRetrain(client, { taskQueue, workflowId: `trainers-${randomUUID()}`, input: scaleInput(8) });
      const result = (await h.result()) as RetrainResult;
      expect(result.status).toBe('completed');

      // Who ran what, from the run's own history: ActivityTaskStarted names the worker that took the task.
      const events = (await h.fetchHistory()).events ?? [];
      const typeOf = new Map(events.filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).map((e) => [Number(e.eventId), e.activityTaskScheduledEventAttributes!.activityType!.name!]));
      const started = events.filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED).map((e) => ({ type: typeOf.get(Number(e.activityTaskStartedEventAttributes!.scheduledEventId))!, identity: e.activityTaskStartedEventAttributes!.identity ?? '' }));
      const fits = started.filter((s) => s.type === 'fitFold');
      expect(fits.length).toBeGreaterThanOrEqual(4);
      for (const t of trainers) expect(fits.filter((f) => f.identity.startsWith(identityOf(t))).length, `fits run by trainer ${t.child.pid}`).toBeGreaterThan(0);
      expect(started.filter((s) => s.identity.startsWith(identityOf(wf)))).toEqual([]);
      expect(started.every((s) => trainers.some((t) => s.identity.startsWith(identityOf(t))))).toBe(true);
      const workflowTasks = events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED).map((e) => e.workflowTaskStartedEventAttributes!.identity ?? '');
      expect(workflowTasks.length).toBeGreaterThan(0);
      expect(workflowTasks.every((id) => id.startsWith(identityOf(wf)))).toBe(true);

      expect(await duplicatedKeys(db, h.firstExecutionRunId)).toEqual(NONE_DUPLICATED);
    } catch (e) {
      dumpOutputs();
      throw e;
    }
  }, 180_000);
});
