import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { metrics, models, promotionDecisions, runReports } from '../../src/db/schema';
import { DEFAULT_MODEL_KINDS } from '../../src/models/registry';
import { REGIMES } from '../../src/regimes/regimes';
import { getAlias } from '../../src/store/modelStore';
import { RETRAIN_START_OPTIONS, RETRAIN_WORKFLOW_TYPE } from '../../src/temporal/startOptions';
import type { DevServer } from '../../src/temporal/devServer';
import type { TestDb } from '../helpers/postgres';
import { startTestStack, type TestStack } from '../helpers/stack';
import type { RetrainResult } from '../../workflows/types';
import { fastInput } from '../helpers/fastConfig';
import { CORPUS_DIR, corpusPresent } from '../helpers/corpus';

const DIR = CORPUS_DIR;
const present = corpusPresent;

describe.skipIf(!present)('the full pipeline on the real market corpus (real Temporal + Postgres)', () => {
  let server: DevServer;
  let db: TestDb;
  let stack: TestStack;
  const taskQueue = `real-${randomUUID()}`;
  const source = { kind: 'csv' as const, dir: DIR, feed: 'real-csv' };

  beforeAll(async () => {
    stack = await startTestStack(taskQueue);
    ({ server, db } = stack);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const run = (input: ReturnType<typeof fastInput>) =>
    server.env.client.workflow.execute(RETRAIN_WORKFLOW_TYPE, { ...RETRAIN_START_OPTIONS, taskQueue, workflowId: `real-${randomUUID()}`, args: [input] }) as Promise<RetrainResult>;

  it('stores per-regime metrics for every model, decides with reasons and writes a report; a worse challenger is then refused', async () => {
    const first = await run(fastInput({ asOf: '2020-12-11', tasks: ['strategy', 'signal'], source }));
    expect(first.status).toBe('completed');
    const ms = await db.db.select().from(models).where(eq(models.runId, first.runId));
    expect(ms).toHaveLength(2 * (DEFAULT_MODEL_KINDS.length + 1));
    const mt = await db.db.select().from(metrics).where(and(eq(metrics.runId, first.runId), eq(metrics.split, 'test')));
    for (const m of ms) {
      const mine = mt.filter((r) => r.modelId === m.id && r.name === 'macro_f1');
      expect(new Set(mine.map((r) => r.regime)), `${m.kind}/${m.task}`).toEqual(new Set(['all', ...REGIMES]));
    }
    // The test window (2019-12..2020-12) holds the COVID crash: crash rows are scored.
    const crash = mt.find((r) => r.regime === 'crash' && r.name === 'samples' && r.modelId === ms[0].id);
    expect(crash?.value).toBeGreaterThan(0);
    const decisions = await db.db.select().from(promotionDecisions).where(eq(promotionDecisions.runId, first.runId));
    expect(decisions).toHaveLength(2);
    for (const d of decisions) {
      expect(d.reason.length).toBeGreaterThan(0);
      expect((d.checks as unknown[]).length).toBeGreaterThanOrEqual(3);
    }
    const [report] = await db.db.select().from(runReports).where(eq(runReports.runId, first.runId));
    expect(report.html).toContain('Promotion decision');
    expect(report.html).toContain('buy_and_hold_spy');

    const champion = await getAlias(db.db, 'signal', 'champion');
    expect(champion).not.toBeNull();
    const worse = await run(
      fastInput({
        asOf: '2020-12-11',
        tasks: ['signal'],
        source,
        models: ['random_forest', 'logistic'],
        meta: false,
        config: { ...fastInput().config, modelParams: { random_forest: { nTrees: 1, maxDepth: 1 }, logistic: { maxIter: 1 } } },
      }),
    );
    const d = worse.tasks.signal!.decision;
    expect(d.championId).toBe(champion);
    expect(d.promoted).toBe(false);
    expect(await getAlias(db.db, 'signal', 'champion')).toBe(champion);
  }, 600_000);
});
