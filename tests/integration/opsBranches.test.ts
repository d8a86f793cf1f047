import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { workflowMetadataQuery } from '@temporalio/workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRetrain } from '../../src/temporal/startRetrain';
import type { DevServer } from '../../src/temporal/devServer';
import { WORKFLOWS_PATH } from '../../worker/createWorker';
import { approvePromotionUpdate } from '../../workflows/approval';
import { progressQuery } from '../../workflows';
import type { ApprovalRecord, NotifyEvent, RetrainInput, RetrainResult } from '../../workflows/types';
import type { weeklyRetrain } from '../../workflows/weeklyRetrain';
import { CHAMPION_METRIC } from '../../workflows/searchAttributes';
import { runCli } from '../helpers/cliProcess';
import { mockActivities } from '../helpers/mockActivities';
import type { TestDb } from '../helpers/postgres';
import { startServerAndDatabase, type ServerAndDatabase } from '../helpers/stack';
import { listedIds, waitForListed } from '../helpers/visibility';
import { waitFor } from '../helpers/workerProcess';

type Handle = WorkflowHandle<typeof weeklyRetrain>;
const quiet = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Approval, notifications and run visibility through the real dev server, with mocked
 * activities (the workflow's own logic; the real activities are covered in operations.test.ts).
 */
describe('approval, notifications and visibility, with mocked activities', () => {
  let server: DevServer;
  let db: TestDb;
  let serverAndDb: ServerAndDatabase;
  let bundle: WorkflowBundleWithSourceMap;
  beforeAll(async () => {
    // One bundle for every worker of the file: bundling is the slow part of a mocked run.
    [serverAndDb, bundle] = await Promise.all([startServerAndDatabase('ops'), bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quiet })]);
    ({ server, db } = serverAndDb);
  }, 120_000);
  afterAll(async () => {
    await serverAndDb?.stop();
  });

  /** Starts a run on its own worker; `during` acts on it while it runs; returns its outcome and the activity calls. */
  async function run(input: RetrainInput, during: (h: Handle) => Promise<void> = async () => undefined, mock = mockActivities()) {
    const taskQueue = `ops-${randomUUID()}`;
    const worker = await Worker.create({ connection: server.env.nativeConnection, taskQueue, workflowBundle: bundle, activities: mock.activities });
    const workflowId = `ops-${randomUUID()}`;
    const result = await worker.runUntil(async () => {
      const h = (await startRetrain(server.env.client, { taskQueue, workflowId, input })) as unknown as Handle;
      await during(h);
      return h.result().catch((e: Error) => e);
    });
    const gate = mock.calls.filter((c) => c.name === 'promotionGate').map((c) => c.input as { task: string; approval?: ApprovalRecord });
    const notes = mock.calls.filter((c) => c.name === 'notify').map((c) => c.input as NotifyEvent);
    return { result, workflowId, gate, notes, calls: mock.calls, handle: server.env.client.workflow.getHandle(workflowId) };
  }
  const awaiting = (h: Handle) => waitFor('the run to await approval', async () => (await h.query(progressQuery)).stage === 'awaitingApproval', 30_000, 100);
  const approvalInput = (timeout: string): RetrainInput => ({ asOf: '2006-01-28', tasks: ['signal'], config: { gate: { approval: 'required', approvalTimeout: timeout } } });
  const refusal = (p: Promise<unknown>) => p.then(() => 'accepted', (e: unknown) => (e instanceof WorkflowUpdateFailedError ? String((e.cause as Error)?.message) : `other: ${String(e)}`));

  it('waits for approvePromotion: the validator refuses a missing reason or approver and a task with nothing pending; an approval is applied with the approver', async () => {
    const { result, gate, notes, handle } = await run(approvalInput('10m'), async (h) => {
      await awaiting(h);
      const { currentDetails } = await h.query(workflowMetadataQuery);
      expect(currentDetails).toMatch(/awaiting approval until/);
      expect(currentDetails).toContain(`models approve ${h.workflowId}`);
      expect(await refusal(h.executeUpdate(approvePromotionUpdate, { args: [{ decision: 'approve', approver: 'alice', reason: ' ' }] }))).toMatch(/reason is required/);
      expect(await refusal(h.executeUpdate(approvePromotionUpdate, { args: [{ decision: 'approve', approver: '', reason: 'fine' }] }))).toMatch(/approver is required/);
      expect(await refusal(h.executeUpdate(approvePromotionUpdate, { args: [{ decision: 'approve', approver: 'alice', reason: 'fine', task: 'strategy' }] }))).toMatch(/no strategy promotion awaits approval/);
      expect(await h.executeUpdate(approvePromotionUpdate, { args: [{ decision: 'approve', approver: 'alice', reason: 'checked the report' }] })).toEqual({ outcome: 'approved', tasks: ['signal'] });
    });
    expect((result as RetrainResult).tasks.signal!.decision).toMatchObject({ promoted: true, approval: { outcome: 'approved', approver: 'alice', reason: 'checked the report' } });
    expect(gate[0].approval).toMatchObject({ outcome: 'approved', approver: 'alice' });
    expect(notes.map((n) => n.kind)).toEqual(['approvalRequested', 'promotion']);
    expect(notes[1]).toMatchObject({ kind: 'promotion', task: 'signal', approver: 'alice' });
    // Refused Updates never reach the history: exactly one accepted.
    const history = await handle.fetchHistory();
    expect(history.events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length).toBe(1);
  });

  it('`models reject RUN --reason` (the CLI) leaves the champion alone, with the rejecting person recorded', async () => {
    let cli = { code: -1 as number | null, stdout: '', stderr: '' };
    const { result, gate, notes } = await run(approvalInput('10m'), async (h) => {
      await awaiting(h);
      cli = await runCli(['models', 'reject', h.workflowId, '--reason', 'too risky before earnings'], { ...process.env, TEMPORAL_ADDRESS: server.address, DATABASE_URL: db.url, USER: 'bob', LOG_LEVEL: 'warn' });
    });
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/rejected \(signal\) by cli:bob/);
    expect(gate[0].approval).toMatchObject({ outcome: 'rejected', approver: 'cli:bob', reason: 'too risky before earnings' });
    expect((result as RetrainResult).tasks.signal!.decision.promoted).toBe(false);
    expect(notes.map((n) => n.kind)).toEqual(['approvalRequested']);
  });

  it('an approval that never comes times out: not promoted', async () => {
    const { result, gate } = await run(approvalInput('2s'));
    expect(gate[0].approval).toMatchObject({ outcome: 'timed_out', approver: null });
    expect((result as RetrainResult).tasks.signal!.decision.promoted).toBe(false);
  });

  it('does not wait when the verdict would not move the champion, nor outside the live lineage', async () => {
    const refused = await run(approvalInput('10m'), undefined, mockActivities({ verdict: { action: 'none', reason: 'no candidate proves skill', pValue: 0.4 } }));
    expect(refused.gate[0].approval).toBeUndefined();
    const backfill = await run({ ...approvalInput('10m'), lineage: 'backfill:x' });
    expect(backfill.gate[0].approval).toBeUndefined();
    expect((backfill.result as RetrainResult).tasks.signal!.decision.promoted).toBe(true);
  });

  it('notifies drift and failure', async () => {
    const drift = await run({ asOf: '2006-01-28', tasks: ['strategy'] }, undefined, mockActivities({ flagged: ['vix_level', 'correlation'] }));
    expect(drift.notes.find((n) => n.kind === 'drift')).toMatchObject({ task: 'strategy', flagged: ['vix_level', 'correlation'] });
    const failed = await run({ asOf: '2006-01-28', tasks: ['signal'] }, undefined, mockActivities({ buildDataset: async () => Promise.reject(ApplicationFailure.create({ message: 'VIX.csv, row 301: bad', type: 'InvalidMarketDataError', nonRetryable: true })) }));
    expect(failed.notes).toEqual([expect.objectContaining({ kind: 'failure', errorType: 'InvalidMarketDataError', error: expect.stringMatching(/VIX\.csv, row 301/) })]);
  });

  it('shows the run in the UI: a static summary, live details, and search attributes for the champion metric, promoted kinds, lineage and build', async () => {
    let currentDetails: string | null | undefined = '';
    // Queried while the worker still runs: a query replays the workflow on a worker.
    const { workflowId, handle } = await run({ asOf: '2006-01-28', searchAttributes: true }, async (h) => {
      await h.result();
      ({ currentDetails } = await h.query(workflowMetadataQuery));
    });
    const d = await handle.describe();
    expect(await d.staticSummary()).toBe('Weekly retrain as of 2006-01-28 · strategy + signal · manual');
    expect(await d.staticDetails()).toMatch(/\| source \| synthetic market \|/);
    expect(currentDetails).toMatch(/^\*\*Stage:\*\* completed · as of 2006-01-28 · lineage `live` · build `mock-build`/);
    expect(currentDetails).toMatch(/\| signal \| promotionGate \| 4\/4 fits, 1\/1 refits \| none \| \*\*promote\*\* \(p = 0\.010\)/);
    expect(d.typedSearchAttributes.get(CHAMPION_METRIC.signal)).toBe(0.61);
    const query = `WorkflowId = '${workflowId}' AND ChampionMetricSignal > 0.6 AND ChampionMetricStrategy < 0.5 AND PromotedKinds = 'logistic' AND RetrainLineage = 'live' AND RetrainBuildId = 'mock-build'`;
    expect(await waitForListed(server.env.client, query)).toEqual([workflowId]);
    // The same query with a higher bar finds nothing: the number is really compared.
    expect(await listedIds(server.env.client, query.replace('ChampionMetricSignal > 0.6', 'ChampionMetricSignal > 0.62'))).toEqual([]);
  });
});
