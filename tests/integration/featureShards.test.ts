import { createHash, randomUUID } from 'node:crypto';
import { and, eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeDataset } from '../../src/datasets/dataset';
import { datasets, featureShards, runSteps } from '../../src/db/schema';
import { loadDataset } from '../../src/store/datasetStore';
import { startRetrain } from '../../src/temporal/startRetrain';
import type { RetrainResult } from '../../workflows/types';
import { tinyInput } from '../helpers/fastConfig';
import { startTestStack, type TestStack } from '../helpers/stack';

/** Five signal symbols (two synthetic stocks with their own listing dates), one quick model. */
function input(shardSymbols: number) {
  const base = tinyInput();
  const cfg = base.config as { dataset: Record<string, unknown> };
  return tinyInput({
    tasks: ['signal'],
    asOf: '2012-06-29',
    source: { kind: 'synthetic', seed: 7, stocks: 2 },
    models: ['logistic'],
    config: { ...cfg, dataset: { ...cfg.dataset, signal: { symbols: ['XLK', 'S0001', 'AAPL', 'XLE', 'S0002'], sampleSize: 1500, shardSymbols } } },
  });
}

describe('per-symbol feature work fans out over activities (real Temporal + Postgres)', () => {
  let stack: TestStack;
  let sharded: RetrainResult;
  let whole: RetrainResult;
  const taskQueue = `shards-${randomUUID()}`;
  const runOf = async (shardSymbols: number) => (await startRetrain(stack.server.env.client, { taskQueue, workflowId: `shards-${shardSymbols}-${randomUUID()}`, input: input(shardSymbols) })).result();

  beforeAll(async () => {
    stack = await startTestStack(taskQueue);
    // Two injected failures, each on the first attempt only (a sequence is not rolled back with
    // the transaction): shard 1's write of its rows fails mid-transaction, and shard 2 fails
    // after its rows were committed (recording the step as completed), so its retry writes over
    // a stored shard; the assembly fails after it stored the dataset and deleted the shards.
    // Temporal retries each activity.
    await stack.db.db.execute(
      sql.raw(`
      create sequence shard_fault_write;
      create sequence shard_fault_after;
      create function shard_fault_write() returns trigger language plpgsql as $$
      begin
        if new.shard = 1 then
          if nextval('shard_fault_write') = 1 then raise exception 'injected failure writing feature shard 1'; end if;
        end if;
        return new;
      end $$;
      create trigger shard_fault_write before insert on feature_shard_chunks for each row execute function shard_fault_write();
      create function shard_fault_after() returns trigger language plpgsql as $$
      begin
        if new.step = 'featureShard:signal:2' and new.status = 'completed' then
          if nextval('shard_fault_after') = 1 then raise exception 'injected failure after feature shard 2 was stored'; end if;
        end if;
        return new;
      end $$;
      create trigger shard_fault_after before update on run_steps for each row execute function shard_fault_after();
      create sequence assembly_fault;
      create function assembly_fault() returns trigger language plpgsql as $$
      begin
        if new.step = 'balancedSample:signal' and new.status = 'completed' then
          if nextval('assembly_fault') = 1 then raise exception 'injected failure after the dataset was assembled'; end if;
        end if;
        return new;
      end $$;
      create trigger assembly_fault before update on run_steps for each row execute function assembly_fault();`),
    );
    sharded = await runOf(2);
    whole = await runOf(100);
  }, 900_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('a universe larger than shardSymbols builds its features in one activity per shard, retried idempotently', async () => {
    const db = stack.db.db;
    const steps = await db.select().from(runSteps).where(and(eq(runSteps.runId, sharded.runId), like(runSteps.step, 'feature%')));
    const byName = new Map(steps.map((s) => [s.step, s]));
    expect([...byName.keys()].sort()).toEqual(['featureShard:signal:0', 'featureShard:signal:1', 'featureShard:signal:2', 'featureShards:signal']);
    expect(steps.every((s) => s.status === 'completed')).toBe(true);
    expect(byName.get('featureShard:signal:1')!.attempt).toBe(2);
    expect(byName.get('featureShard:signal:2')!.attempt).toBe(2);
    expect(byName.get('featureShard:signal:0')!.attempt).toBe(1);
    // The assembly's retry found its dataset stored (and the shards gone) and returned it.
    const [assembly] = await db.select().from(runSteps).where(and(eq(runSteps.runId, sharded.runId), eq(runSteps.step, 'balancedSample:signal')));
    expect(assembly).toMatchObject({ status: 'completed', attempt: 2 });
    // Shards are gone once the dataset is assembled.
    expect(await db.select().from(featureShards).where(eq(featureShards.runId, sharded.runId))).toHaveLength(0);
    // A run within shardSymbols keeps its one dataset activity.
    expect(await db.select().from(runSteps).where(and(eq(runSteps.runId, whole.runId), like(runSteps.step, 'feature%')))).toHaveLength(0);
  });

  it('the assembled dataset equals the one-activity build of the same run, byte for byte, with the same summary', async () => {
    const db = stack.db.db;
    expect(sharded.status).toBe('completed');
    const a = await loadDataset(db, sharded.tasks.signal!.dataset.datasetId);
    const b = await loadDataset(db, whole.tasks.signal!.dataset.datasetId);
    expect(a.symbols).toEqual(['XLK', 'S0001', 'AAPL', 'XLE', 'S0002']);
    expect(a.rows).toBeGreaterThan(5000);
    const hash = (d: typeof a) => createHash('sha256').update(encodeDataset(d)).digest('hex');
    expect(hash(a)).toBe(hash(b));
    const summaries = await Promise.all([sharded, whole].map(async (r) => (await db.select({ summary: datasets.summary }).from(datasets).where(eq(datasets.runId, r.runId)))[0].summary));
    expect(summaries[0]).toEqual(summaries[1]);
    expect(sharded.tasks.signal!.dataset).toEqual({ ...whole.tasks.signal!.dataset, datasetId: sharded.tasks.signal!.dataset.datasetId });
  });
});
