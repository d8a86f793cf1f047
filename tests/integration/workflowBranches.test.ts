import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRetrain } from '../../src/temporal/startRetrain';
import type { DevServer } from '../../src/temporal/devServer';
import { WORKFLOWS_PATH } from '../../worker/createWorker';
import type { RetrainInput, RetrainResult } from '../../workflows/types';
import { mockActivities } from '../helpers/mockActivities';
import { startTestServer } from '../helpers/temporal';

/**
 * The workflow's branches on the real dev server with mocked activities (plain functions that
 * return canned ids): what full training runs reach rarely or slowly, here in milliseconds.
 */
describe('weeklyRetrain branches, with mocked activities', () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function run(input: RetrainInput, mock = mockActivities()): Promise<{ result: RetrainResult | Error; calls: typeof mock.calls; workflowId: string }> {
    const taskQueue = `branches-${randomUUID()}`;
    const worker = await Worker.create({ connection: server.env.nativeConnection, taskQueue, workflowsPath: WORKFLOWS_PATH, activities: mock.activities });
    const workflowId = `branch-${randomUUID()}`;
    const result = await worker.runUntil(async () => {
      const h = await startRetrain(server.env.client, { taskQueue, workflowId, input });
      return h.result().catch((e: Error) => e);
    });
    return { result, calls: mock.calls, workflowId };
  }
  const names = (calls: { name: string }[]) => calls.map((c) => c.name);

  it('runs the stages in order, every candidate on every evaluated fold, and the refit before the gate', async () => {
    const { result, calls } = await run({ asOf: '2006-01-28', tasks: ['signal'] });
    expect((result as RetrainResult).status).toBe('completed');
    const n = names(calls);
    expect(n.slice(0, 5)).toEqual(['startRun', 'ingestBars', 'labelRegimes', 'buildDataset', 'planEvaluation']);
    expect(n.filter((x) => x === 'fitFold')).toHaveLength(4); // 2 candidates x (1 cv + final); the refit fold is not fitted here
    expect(n.indexOf('refitCandidate')).toBeGreaterThan(n.lastIndexOf('assessCandidates'));
    expect(n.indexOf('promotionGate')).toBeGreaterThan(n.indexOf('refitCandidate'));
    expect(n.indexOf('finishRun')).toBeGreaterThan(n.indexOf('promotionGate'));
    expect(n.at(-1)).toBe('writeReport');
    expect(calls.find((c) => c.name === 'finishRun')!.input).toMatchObject({ status: 'completed' });
  });

  it('a meta-learner refit refits its members first, then combines them', async () => {
    const { calls } = await run({ asOf: '2006-01-28', tasks: ['strategy'] }, mockActivities({ refit: [{ candidate: 'meta', members: ['logistic', 'random_forest'] }] }));
    // The members are refitted in parallel: the order the worker ran them in is not part of the contract.
    const refits = calls.filter((c) => c.name === 'refitCandidate').map((c) => c.input as { candidate: string; asMember?: boolean });
    expect(refits).toHaveLength(2);
    expect(refits).toEqual(expect.arrayContaining([expect.objectContaining({ candidate: 'logistic', asMember: true }), expect.objectContaining({ candidate: 'random_forest', asMember: true })]));
    const n = names(calls);
    expect(n.indexOf('refitMeta')).toBeGreaterThan(n.lastIndexOf('refitCandidate'));
    expect((calls.find((c) => c.name === 'promotionGate')!.input as { refits: unknown[] }).refits).toEqual([{ candidate: 'meta', modelId: 'm-meta' }]);
  });

  it('a refresh after a refused challenger refits both the selected and the champion configuration', async () => {
    const { calls } = await run(
      { asOf: '2006-01-28', tasks: ['strategy'] },
      mockActivities({ verdict: { action: 'refresh', reason: 'challenger refused; champion refreshed', pValue: 0.3 }, refit: [{ candidate: 'logistic', members: null }, { candidate: 'champion', members: null }] }),
    );
    expect(calls.filter((c) => c.name === 'refitCandidate').map((c) => (c.input as { candidate: string }).candidate).sort()).toEqual(['champion', 'logistic']);
  });

  it('a failing report is noted in the memo, never a failed retrain', async () => {
    const { result, workflowId } = await run({ asOf: '2006-01-28', tasks: ['signal'] }, mockActivities({ writeReport: async () => Promise.reject(ApplicationFailure.nonRetryable('disk full', 'ReportError')) }));
    expect((result as RetrainResult).status).toBe('completed');
    const memo = (await server.env.client.workflow.getHandle(workflowId).describe()).memo as { status: string; report: { error?: string } };
    expect(memo.status).toBe('completed');
    expect(memo.report.error).toMatch(/Activity task failed|disk full/);
  });

  it('a permanent failure marks the run failed with its type, and stops', async () => {
    const mock = mockActivities({ buildDataset: async () => Promise.reject(ApplicationFailure.create({ message: 'VIX.csv, row 301, field "close": bad', type: 'InvalidMarketDataError', nonRetryable: true })) });
    const { result, calls } = await run({ asOf: '2006-01-28', tasks: ['signal'] }, mock);
    expect(result).toBeInstanceOf(WorkflowFailedError);
    expect(names(calls)).not.toContain('fitFold');
    expect(calls.find((c) => c.name === 'finishRun')!.input).toMatchObject({ status: 'failed', errorType: 'InvalidMarketDataError', error: expect.stringMatching(/VIX\.csv, row 301/) });
  });

  it('an invalid as-of fails the workflow before any activity', async () => {
    const { result, calls } = await run({ asOf: '2006-13-45' });
    expect(result).toBeInstanceOf(WorkflowFailedError);
    expect(calls).toHaveLength(0);
  });

  it('drift starts one extra run on recent history, in its own lineage, that never starts another', async () => {
    const mock = mockActivities({ flagged: ['vix_level'] });
    const { result } = await run({ asOf: '2006-01-28', tasks: ['strategy'], config: { drift: { retrainOnDrift: true } } }, mock);
    const r = result as RetrainResult;
    expect(r.driftRun?.flagged).toEqual(['strategy:vix_level']);
    // The child ran on the same (mocked) task queue and worker before runUntil returned: find its start.
    const childStart = mock.calls.filter((c) => c.name === 'startRun').map((c) => c.input as { input: RetrainInput })[1];
    expect(childStart?.input.lineage).toMatch(/^drift:/);
    expect(childStart?.input.config).toMatchObject({ drift: { retrainOnDrift: false }, dataset: { split: { trainWindowDays: 500 } } });
  });

  it('a backfill lineage passes through to the run, and a run without drift config never starts a child', async () => {
    const { result, calls } = await run({ asOf: '2006-01-28', tasks: ['strategy'], lineage: 'backfill:x' });
    expect((result as RetrainResult).lineage).toBe('backfill:x');
    expect((result as RetrainResult).driftRun).toBeNull();
    expect(calls.filter((c) => c.name === 'startRun')).toHaveLength(1);
  });
});
