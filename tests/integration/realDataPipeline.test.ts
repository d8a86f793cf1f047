import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { promotionDecisions, runs } from '../../src/db/schema';
import { predictWithChampion } from '../../src/predict/predict';
import { deployedModel } from '../../src/registry/deployment';
import { getAlias } from '../../src/store/aliasStore';
import { startRetrain } from '../../src/temporal/startRetrain';
import type { TestDb } from '../helpers/postgres';
import { startTestStack, type TestStack } from '../helpers/stack';
import type { RetrainInput, RetrainResult } from '../../workflows/types';
import { realDataDir } from '../helpers/realData';

const DIR = realDataDir('market');

describe.skipIf(!DIR)('a fresh, point-in-time champion on the real corpus (real Temporal + Postgres)', () => {
  let db: TestDb;
  let stack: TestStack;
  const taskQueue = `real-${randomUUID()}`;
  const source = { kind: 'csv' as const, dir: DIR!, feed: 'real-csv' };
  const live = { task: 'strategy', feed: 'real-csv', lineage: 'live' };
  // These runs test the registry's mechanics, not skill: the gate is opened (alpha 1, no DSR
  // floor) so that something is deployed. With the default gate nothing on this corpus proves
  // skill (see the placebo test below and the README).
  const mechanics = (asOf: string, over: Partial<RetrainInput> = {}): RetrainInput => ({
    asOf,
    tasks: ['strategy'],
    source,
    models: ['logistic'],
    meta: false,
    config: { gate: { alpha: 1, minDsr: 0, bootstrapReps: 200 }, modelParams: { logistic: { maxIter: 100 } } },
    ...over,
  });
  const run = async (input: RetrainInput): Promise<RetrainResult> => (await startRetrain(stack.server.env.client, { taskQueue, workflowId: `real-${input.asOf}-${randomUUID()}`, input })).result();
  let today: RetrainResult;

  beforeAll(async () => {
    stack = await startTestStack(taskQueue);
    db = stack.db;
    today = await run(mechanics('2026-02-13'));
  }, 600_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('deploys a champion refitted on every labelled row up to as-of, not two years before it', async () => {
    const d = today.tasks.strategy!.decision;
    expect(d.promoted).toBe(true);
    const champion = (await getAlias(db.db, live, 'champion'))!;
    expect(champion.effectiveFrom).toBe('2026-02-13');
    const shown = (await deployedModel(db.db, { task: 'strategy', feed: 'real-csv' }))!;
    expect(shown.modelId).toBe(champion.modelId);
    expect(shown.trainedThrough! >= '2026-01-30').toBe(true);
    expect(shown.trainedThrough! <= '2026-02-13').toBe(true);
    expect(shown.trainedFrom! < '2004-01-01').toBe(true);
  });

  it('a run dated before the live champion records its own decision in its own lineage and leaves the live champion alone', async () => {
    const before = await getAlias(db.db, live, 'champion');
    const past = await run(mechanics('2015-06-27'));
    expect(past.lineage).toMatch(/^asof:real-2015-06-27-/);
    expect(await getAlias(db.db, live, 'champion')).toEqual(before);
    const [row] = await db.db.select().from(promotionDecisions).where(eq(promotionDecisions.runId, past.runId));
    expect(row.lineage).toBe(past.lineage);
    expect(row.promoted).toBe(true);
    const [r] = await db.db.select().from(runs).where(eq(runs.id, past.runId));
    expect(r.lineage).toBe(past.lineage);
    // predict as of the Friday before: the model trained on data up to that day, and it says which.
    const [p] = await predictWithChampion(db.db, { task: 'strategy', feed: 'real-csv', asOf: '2015-06-26' });
    expect(p.as_of).toBe('2015-06-26');
    expect(p.model_metadata.trained_through! <= '2015-06-26').toBe(true);
    expect(p.model_metadata.lineage).toBe(past.lineage);
    expect(p.model_metadata.model_id).toBe(past.tasks.strategy!.refits[0].modelId);
    // Today, the live champion still answers.
    const [now] = await predictWithChampion(db.db, { task: 'strategy', feed: 'real-csv' });
    expect(now.model_metadata.model_id).toBe(before!.modelId);
  }, 600_000);

  it('with the default gate, a challenger whose targets are rotated a year or more against its features is refused, naming the reference and the p-value', async () => {
    const placebo = await run({
      asOf: '2026-02-13',
      tasks: ['strategy'],
      source,
      models: ['logistic', 'random_forest'],
      meta: false,
      config: { dataset: { placebo: { seed: 3 } }, gate: { bootstrapReps: 300 }, modelParams: { logistic: { maxIter: 100 }, random_forest: { nTrees: 20, maxDepth: 6 } } },
    });
    const d = placebo.tasks.strategy!.decision;
    expect(d.action === 'keep' || d.action === 'none').toBe(true);
    expect(d.reason).toMatch(/beats_(benchmark|static_twin) \(\w+ net return over (sixty_forty|its static twin): [-+][0-9.]+%\/yr \(95% CI [-0-9.]+%\.\.[-0-9.]+%, \d+ days\), p = [0-9.<> ]+ corrected for 2 candidates/);
  }, 600_000);
});
