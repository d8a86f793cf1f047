import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import proto from '@temporalio/proto';
import type { DevServer } from '../../src/temporal/devServer';
import { startRetrain } from '../../src/temporal/startRetrain';
import { tinyInput } from '../helpers/fastConfig';
import { createTestDb, type TestDb } from '../helpers/postgres';
import { startTestServer } from '../helpers/temporal';
import { startWorkerProcess, waitFor, type WorkerProcess } from '../helpers/workerProcess';

const { TaskQueueType } = proto.temporal.api.enums.v1;

// WORKER_ACTIVITY_PROCESSES (default auto, with DATABASE_URL): a plain `worker` runs its
// activity slots as child processes, one slot each, so two slots are two cores; it polls
// workflow tasks itself.
describe('a plain worker with its activity slots in child processes (the default)', () => {
  let server: DevServer;
  let db: TestDb;
  let worker: WorkerProcess;
  const taskQueue = `procs-${randomUUID()}`;

  beforeAll(async () => {
    [server, db] = await Promise.all([startTestServer(), createTestDb('procs')]);
    worker = startWorkerProcess({ temporalAddress: server.address, databaseUrl: db.url, taskQueue, extra: { WORKER_VERSIONING: 'off' } });
  });

  afterAll(async () => {
    await worker?.kill('SIGTERM');
    await server?.stop();
    await db?.drop();
  });

  it('polls workflow tasks in the parent and activity tasks in two children, runs a retrain through them, and stops them on SIGTERM', async () => {
    const pollers = async (type: proto.temporal.api.enums.v1.TaskQueueType) =>
      ((await server.env.client.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, taskQueueType: type })).pollers ?? []).map((p) => p.identity ?? '');
    const parent = `${worker.child.pid}@`;
    const activityPollers = await waitFor('two activity pollers', async () => {
      const ids = await pollers(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY);
      return ids.length >= 2 ? ids : null;
    });
    expect(activityPollers.some((id) => id.startsWith(parent)), 'the parent polls no activities').toBe(false);
    expect(new Set(activityPollers.map((id) => id.split('@')[0])).size).toBe(2);
    await waitFor('the parent polling workflow tasks', async () => (await pollers(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)).some((id) => id.startsWith(parent)));
    const h = await startRetrain(server.env.client, { taskQueue, workflowId: `procs-${randomUUID()}`, input: tinyInput({ asOf: '2011-06-30' }) });
    const r = await h.result();
    expect(r.tasks.strategy).toBeDefined();
    const childPids = activityPollers.map((id) => Number(id.split('@')[0]));
    await worker.kill('SIGTERM');
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await waitFor('the activity processes to exit', async () => childPids.every((pid) => !alive(pid)), 60_000);
  }, 300_000);
});
