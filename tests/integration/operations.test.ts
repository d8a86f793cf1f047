import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { workflowMetadataQuery } from '@temporalio/workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aliasEvents, models, promotionDecisions, runs } from '../../src/db/schema';
import { startRetrain } from '../../src/temporal/startRetrain';
import type { DevServer } from '../../src/temporal/devServer';
import { progressQuery } from '../../workflows';
import type { RetrainResult } from '../../workflows/types';
import { runCli } from '../helpers/cliProcess';
import { fastInput } from '../helpers/fastConfig';
import type { TestDb } from '../helpers/postgres';
import { startServerAndDatabase, type ServerAndDatabase } from '../helpers/stack';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhookReceiver';
import { waitForListed } from '../helpers/visibility';
import { startWorkerProcess, waitFor, type WorkerProcess } from '../helpers/workerProcess';

/**
 * The product's worker process (`regime-retrain worker`) on the real dev server and Postgres,
 * one real signal run (planted edge: a provable promotion) that must wait for an approval:
 * the webhook (refusing its first request) hears about it, `models approve` answers it, and
 * the run, its models and the UI show who approved what, on which build.
 */
describe('operating a run: approval, notifications, build ids and visibility (real pipeline)', () => {
  let server: DevServer;
  let db: TestDb;
  let serverAndDb: ServerAndDatabase;
  let hook: WebhookReceiver;
  let worker: WorkerProcess;
  const secret = `T0${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const taskQueue = `ops-${randomUUID()}`;
  const workflowId = `ops-real-${randomUUID()}`;
  let result: RetrainResult;
  let approveCli: { code: number | null; stdout: string; stderr: string };
  let detailsWhileWaiting = '';

  beforeAll(async () => {
    [serverAndDb, hook] = await Promise.all([startServerAndDatabase('opsreal'), startWebhookReceiver({ path: `/services/${secret}/hook`, refuse: 1 })]);
    ({ server, db } = serverAndDb);
    worker = startWorkerProcess({ temporalAddress: server.address, databaseUrl: db.url, taskQueue, extra: { NOTIFY_WEBHOOK_URL: hook.url, LOG_LEVEL: 'debug' } });
    const base = fastInput();
    const input = fastInput({ tasks: ['signal'], searchAttributes: true, config: { ...base.config, gate: { bootstrapReps: 300, approval: 'required', approvalTimeout: '30m' } } });
    try {
      // Versioned (the default, on this server): its build becomes current before runs start on it.
      await waitFor('the worker to roll out its build', async () => /worker deployment version .*: (current|already current)/.test(worker.output()), 120_000);
      const h = await startRetrain(server.env.client, { taskQueue, workflowId, input });
      await waitFor('the run to await approval', async () => (await h.query(progressQuery)).stage === 'awaitingApproval', 400_000, 500);
      detailsWhileWaiting = (await h.query(workflowMetadataQuery)).currentDetails ?? '';
      await waitFor('the approval request to reach the webhook', async () => hook.accepted().length >= 1, 60_000);
      approveCli = await runCli(['models', 'approve', h.firstExecutionRunId, '--reason', 'report reviewed'], { ...process.env, TEMPORAL_ADDRESS: server.address, DATABASE_URL: db.url, USER: 'carol', LOG_LEVEL: 'warn' });
      result = await h.result();
    } catch (e) {
      console.error(`worker output:\n${worker.output().slice(-4000)}`);
      throw e;
    }
  }, 600_000);

  afterAll(async () => {
    await worker?.kill('SIGTERM');
    await hook?.close();
    await serverAndDb?.stop();
  });

  it('waits for approval, and the approval by `models approve` moves the champion with the approver as the audited actor', async () => {
    expect(detailsWhileWaiting).toMatch(/\| signal \| awaitingApproval \| .* \| \*\*promote\*\*/);
    expect(approveCli.code, approveCli.stderr).toBe(0);
    expect(approveCli.stdout).toMatch(/approved \(signal\) by cli:carol/);
    const d = result.tasks.signal!.decision;
    expect(d).toMatchObject({ action: 'promote', promoted: true, approval: { outcome: 'approved', approver: 'cli:carol', reason: 'report reviewed' } });
    const [event] = await db.db.select().from(aliasEvents).where(and(eq(aliasEvents.alias, 'champion'), eq(aliasEvents.modelId, d.deployed!.modelId)));
    expect(event).toMatchObject({ actor: 'cli:carol', lineage: 'live' });
    expect(event.reason).toMatch(/approved by cli:carol: report reviewed/);
    const [decision] = await db.db.select().from(promotionDecisions).where(eq(promotionDecisions.runId, result.runId));
    expect(decision).toMatchObject({ verdict: 'promote', promoted: true, approval: { outcome: 'approved', approver: 'cli:carol', reason: 'report reviewed' } });
  });

  it('records the worker build id on the run row and on every model it trained', async () => {
    const [run] = await db.db.select().from(runs).where(eq(runs.id, result.runId));
    expect(run.buildId).toMatch(/^0\.1\.0\+([0-9a-f]{12}(\.dirty\.[0-9a-f]{12})?|src\.[0-9a-f]{12})$/);
    expect(worker.output()).toContain(`"buildId":"${run.buildId}"`);
    const ms = await db.db.select({ buildId: models.buildId }).from(models).where(eq(models.runId, result.runId));
    expect(ms.length).toBeGreaterThanOrEqual(3);
    expect(new Set(ms.map((m) => m.buildId))).toEqual(new Set([run.buildId]));
  });

  it('notifies the approval request and the promotion through a webhook that refused its first request', async () => {
    expect(hook.requests[0].status).toBe(503); // the first attempt, retried by Temporal
    const texts = hook.accepted();
    expect(texts[0]).toMatch(/signal\*: promotion awaits approval \(promote\)/);
    expect(texts[0]).toContain(`models approve ${workflowId} --task signal`);
    expect(texts.find((t) => t.startsWith(':trophy:'))).toMatch(new RegExp(`new champion: .* macro_f1 0\\.\\d+, approved by cli:carol`));
    expect(texts).toHaveLength(2);
  });

  it('never logs the webhook URL (a secret), though it logs every notification', () => {
    const log = worker.output();
    expect(log).toMatch(/notification failed; Temporal retries it/);
    expect(log).toMatch(/notification sent/);
    expect(log).not.toContain(secret);
    expect(log).not.toContain(hook.url);
  });

  it('is found by its numeric champion metric and promoted kind, and shows its summary and final details', async () => {
    const metric = result.tasks.signal!.decision.championMetric!;
    expect(metric.name).toBe('macro_f1');
    const kind = result.tasks.signal!.decision.deployed!.kind;
    const query = `ChampionMetricSignal >= ${metric.value - 1e-9} AND ChampionMetricSignal <= ${metric.value + 1e-9} AND PromotedKinds = '${kind}' AND RetrainLineage = 'live'`;
    expect(await waitForListed(server.env.client, query)).toEqual([workflowId]);
    const h = server.env.client.workflow.getHandle(workflowId);
    const d = await h.describe();
    expect(await d.staticSummary()).toBe('Weekly retrain as of 2014-06-30 · signal · manual');
    const { currentDetails } = await h.query(workflowMetadataQuery);
    expect(currentDetails).toMatch(/^\*\*Stage:\*\* completed/);
    expect(currentDetails).toMatch(/approved by cli:carol: report reviewed/);
  });
});
