import { randomUUID } from 'node:crypto';
import { RETRAIN_START_OPTIONS, RETRAIN_WORKFLOW_TYPE } from '../../src/temporal/startOptions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Worker } from '@temporalio/worker';
import { createRetrainWorker } from '../../worker/createWorker';
import { createLogger } from '../../src/logger';
import { datasets, metrics, modelAliases, models, promotionDecisions, runSteps, runs } from '../../src/db/schema';
import { getAlias, loadModel } from '../../src/store/modelStore';
import { DEFAULT_MODEL_KINDS } from '../../src/models/registry';
import type { DevServer } from '../../src/temporal/devServer';
import type { RetrainResult } from '../../workflows/types';
import { progressQuery } from '../../workflows';
import { createTestDb, type TestDb } from '../helpers/postgres';
import { startTestServer } from '../helpers/temporal';
import { fastInput } from '../helpers/fastConfig';

describe('weeklyRetrain end to end (real Temporal dev server + real Postgres)', () => {
  let server: DevServer;
  let db: TestDb;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `retrain-${randomUUID()}`;

  beforeAll(async () => {
    [server, db] = await Promise.all([startTestServer(), createTestDb()]);
    worker = await createRetrainWorker({ connection: server.env.nativeConnection, namespace: 'default', taskQueue, db: db.db, logger: createLogger({ level: 'warn', pretty: false }), maxConcurrentActivities: 2 });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await server?.stop();
    await db?.drop();
  });

  it('runs every stage, stores runs/steps/datasets/models/metrics, and promotes a first champion', async () => {
    const client = server.env.client;
    const workflowId = `test-retrain-${randomUUID()}`;
    const handle = await client.workflow.start(RETRAIN_WORKFLOW_TYPE, { ...RETRAIN_START_OPTIONS, taskQueue, workflowId, args: [fastInput({ asOf: '2012-06-30', tasks: ['strategy', 'signal'], searchAttributes: true })] });
    const result = (await handle.result()) as RetrainResult;

    expect(result.asOf).toBe('2012-06-30');
    expect(result.status).toBe('completed');
    expect(Object.keys(result.tasks).sort()).toEqual(['signal', 'strategy']);
    const progress = await handle.query(progressQuery);
    expect(progress.stage).toBe('completed');

    const runId = result.runId;
    const [run] = await db.db.select().from(runs).where(eq(runs.id, runId));
    expect(run.status).toBe('completed');
    expect(run.trigger).toBe('manual');
    expect(run.finishedAt).not.toBeNull();
    const steps = await db.db.select().from(runSteps).where(eq(runSteps.runId, runId));
    const names = steps.map((s) => s.step).sort();
    expect(names).toContain('ingest');
    expect(names).toContain('regimeLabel');
    expect(names).toContain('balancedSample:strategy');
    expect(names).toContain('train:strategy:random_forest');
    expect(names).toContain('evaluate:signal');
    expect(names).toContain('promotionGate:signal');
    expect(steps.every((s) => s.status === 'completed')).toBe(true);

    // Nothing after as-of was read to build the datasets.
    const ds = await db.db.select({ maxBarDate: datasets.maxBarDate, task: datasets.task }).from(datasets).where(eq(datasets.runId, runId));
    expect(ds).toHaveLength(2);
    for (const d of ds) expect(d.maxBarDate <= '2012-06-30').toBe(true);

    // The eight-model ensemble, the TRM and the meta-learner over all nine, per task.
    const ms = await db.db.select().from(models).where(eq(models.runId, runId));
    expect(ms).toHaveLength(20);
    expect(new Set(ms.map((m) => m.kind))).toEqual(new Set([...DEFAULT_MODEL_KINDS, 'meta']));
    const meta = ms.find((m) => m.kind === 'meta' && m.task === 'signal')!;
    const metaSummary = meta.trainSummary as { method: string; members: string[]; voteWeights: Record<string, number> };
    expect(['soft_vote', 'stacked']).toContain(metaSummary.method);
    expect(metaSummary.members).toHaveLength(9);
    expect(Object.values(metaSummary.voteWeights).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    const loaded = await loadModel(db.db, meta.id);
    expect(loaded.pipeline.classNames).toEqual(['sell', 'hold', 'buy']);
    const mt = await db.db.select().from(metrics).where(eq(metrics.runId, runId));
    const regimesScored = new Set(mt.map((m) => m.regime));
    expect([...regimesScored].sort()).toEqual(['all', 'crash', 'high_volatility', 'low_volatility', 'normal', 'recovery']);

    const decisions = await db.db.select().from(promotionDecisions).where(eq(promotionDecisions.runId, runId));
    expect(decisions).toHaveLength(2);
    // Every decision is stored with its reason; the signal task (three balanced classes) must
    // promote its first champion. The strategy gate may refuse a degenerate model (open issue).
    expect(decisions.every((d) => d.reason.length > 0)).toBe(true);
    const signal = decisions.find((d) => d.task === 'signal')!;
    expect([signal.promoted, signal.reason]).toEqual([true, 'first model for this task']);
    expect(await getAlias(db.db, 'signal', 'champion')).toBe(result.tasks.signal!.decision.challengerId);

    // The Temporal side: memo and search attributes are set for the UI.
    const desc = await handle.describe();
    expect(desc.memo?.status).toBe('completed');
    expect(desc.memo?.championChanged).toBe(result.championChanged);
    // Every payload in history stays small: ids and summaries only.
    const history = await handle.fetchHistory();
    const biggest = Math.max(...(history.events ?? []).map((e) => JSON.stringify(e).length));
    expect(biggest).toBeLessThan(256 * 1024);
  });

  it('a second run evaluates the champion on the same window and keeps it unless the challenger is better', async () => {
    const client = server.env.client;
    const before = await getAlias(db.db, 'signal', 'champion');
    expect(before).not.toBeNull();
    // Deliberately worse challengers: stumps.
    const input = fastInput({
      asOf: '2012-06-30',
      tasks: ['signal'],
      models: ['random_forest', 'extra_trees', 'logistic'],
      meta: false,
      config: { ...fastInput().config, modelParams: { random_forest: { nTrees: 1, maxDepth: 1 }, extra_trees: { nTrees: 1, maxDepth: 1 }, logistic: { maxIter: 1 } } },
    });
    const result = (await client.workflow.execute(RETRAIN_WORKFLOW_TYPE, { ...RETRAIN_START_OPTIONS, taskQueue, workflowId: `test-worse-${randomUUID()}`, args: [input] })) as RetrainResult;
    const d = result.tasks.signal!.decision;
    expect(d.championId).toBe(before);
    expect(d.promoted).toBe(false);
    expect(d.reason).toMatch(/failed/);
    expect(result.championChanged).toBe(false);
    expect(await getAlias(db.db, 'signal', 'champion')).toBe(before);
    const aliases = await db.db.select().from(modelAliases);
    expect(aliases.find((a) => a.task === 'signal' && a.alias === 'challenger')?.modelId).toBe(d.challengerId);
  });
});
