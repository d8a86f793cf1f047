import { randomUUID } from 'node:crypto';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger';
import type { DevServer } from '../../src/temporal/devServer';
import { startRetrain } from '../../src/temporal/startRetrain';
import { currentBuildId, deploymentsSupported, rollOut } from '../../src/temporal/versioning';
import { WORKFLOWS_PATH } from '../../worker/createWorker';
import { approvePromotionUpdate } from '../../workflows/approval';
import { progressQuery } from '../../workflows';
import type { RetrainResult } from '../../workflows/types';
import { mockActivities } from '../helpers/mockActivities';
import { startTestServer } from '../helpers/temporal';
import { waitFor } from '../helpers/workerProcess';

/**
 * Worker Deployment versioning on the real dev server: a second build rolls out while a run
 * waits for approval; new runs start on the new build, and the waiting run finishes on the
 * build it started on (pinned), so no history is ever replayed on code it was not made by.
 */
const quiet = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('worker versioning: runs pinned to their build', () => {
  let server: DevServer;
  let bundle: WorkflowBundleWithSourceMap;
  const logger = createLogger({ level: 'warn', pretty: false });
  const deploymentName = `retrain-test-${randomUUID().slice(0, 8)}`;
  const taskQueue = `versioned-${randomUUID()}`;

  beforeAll(async () => {
    [server, bundle] = await Promise.all([startTestServer(), bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quiet })]);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  const startWorker = async (buildId: string) => {
    const mock = mockActivities();
    const worker = await Worker.create({
      connection: server.env.nativeConnection,
      taskQueue,
      workflowBundle: bundle,
      activities: mock.activities,
      workerDeploymentOptions: { version: { deploymentName, buildId }, useWorkerVersioning: true, defaultVersioningBehavior: 'PINNED' },
    });
    const running = worker.run();
    const rolled = await rollOut(server.env.client, { namespace: 'default', deploymentName, buildId, identity: buildId, logger });
    return { worker, running, rolled, calls: mock.calls };
  };
  const callsOf = (calls: { name: string; input: unknown }[], runId: string) => calls.filter((c) => (c.input as { runId?: string })?.runId === runId).map((c) => c.name);

  it('the dev server supports Worker Deployments', async () => {
    expect(await deploymentsSupported(server.env.client, 'default')).toBe(true);
  });

  it('a new build becomes current while a run waits; new runs go to it, the waiting run finishes on its old build', async () => {
    const a = await startWorker('build-a');
    expect(a.rolled).toBe('current');
    let b: Awaited<ReturnType<typeof startWorker>> | null = null;
    try {
      const waiting = await startRetrain(server.env.client, { taskQueue, workflowId: `pinned-${randomUUID()}`, input: { asOf: '2006-01-28', tasks: ['signal'], config: { gate: { approval: 'required', approvalTimeout: '10m' } } } });
      await waitFor('the first run to await approval', async () => (await waiting.query(progressQuery)).stage === 'awaitingApproval', 30_000, 100);

      b = await startWorker('build-b');
      expect(b.rolled).toBe('current');
      expect(await currentBuildId(server.env.client, 'default', deploymentName)).toBe('build-b');
      // An old build that restarts does not take the deployment back.
      expect(await rollOut(server.env.client, { namespace: 'default', deploymentName, buildId: 'build-a', identity: 'restart', logger })).toBe('old build: not made current');

      const fresh = await startRetrain(server.env.client, { taskQueue, workflowId: `new-${randomUUID()}`, input: { asOf: '2006-01-28', tasks: ['signal'] } });
      expect(((await fresh.result()) as RetrainResult).status).toBe('completed');
      expect(callsOf(b.calls, fresh.firstExecutionRunId)).toContain('promotionGate');
      expect(callsOf(a.calls, fresh.firstExecutionRunId)).toEqual([]);

      await waiting.executeUpdate(approvePromotionUpdate, { args: [{ decision: 'approve', approver: 'ops', reason: 'pinned test' }] });
      expect(((await waiting.result()) as RetrainResult).tasks.signal!.decision.promoted).toBe(true);
      expect(callsOf(a.calls, waiting.firstExecutionRunId)).toEqual(expect.arrayContaining(['startRun', 'promotionGate', 'finishRun', 'writeReport']));
      expect(callsOf(b.calls, waiting.firstExecutionRunId)).toEqual([]);

      const pinned = (await waiting.describe()).raw.workflowExecutionInfo?.versioningInfo;
      expect(pinned?.behavior).toBe(1); // VERSIONING_BEHAVIOR_PINNED
      expect(pinned?.deploymentVersion?.buildId).toBe('build-a');
      const moved = (await fresh.describe()).raw.workflowExecutionInfo?.versioningInfo;
      expect(moved?.deploymentVersion?.buildId).toBe('build-b');
    } finally {
      a.worker.shutdown();
      b?.worker.shutdown();
      await Promise.all([a.running, b?.running]);
    }
  }, 120_000);
});
