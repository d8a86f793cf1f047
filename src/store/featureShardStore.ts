import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { featureShardChunks, featureShards } from '../db/schema';
import { decodeFeatureShard, encodeFeatureShard, type FeatureShard } from '../datasets/featureShard';
import { NotFoundError } from '../errors';

const CHUNK_BYTES = 32 * 1024 * 1024;

/**
 * Writes a run's shard plan (each shard's symbols, in universe order) unless one exists: the
 * plan is fixed once, so a retried planner or a late shard never sees a different split.
 * Returns the plan in force.
 */
export async function planFeatureShards(db: Db, runId: string, task: string, shards: string[][]): Promise<string[][]> {
  await db.transaction(async (tx) => {
    const have = await tx.select({ shard: featureShards.shard }).from(featureShards).where(and(eq(featureShards.runId, runId), eq(featureShards.task, task))).limit(1);
    if (have.length === 0 && shards.length > 0) await tx.insert(featureShards).values(shards.map((symbols, shard) => ({ runId, task, shard, symbols }))).onConflictDoNothing();
  });
  return (await shardPlan(db, runId, task)).map((s) => s.symbols);
}

export async function shardPlan(db: Db, runId: string, task: string): Promise<{ shard: number; symbols: string[]; built: boolean; vintage: number | null }[]> {
  const rows = await db
    .select({ shard: featureShards.shard, symbols: featureShards.symbols, builtAt: featureShards.builtAt, vintage: featureShards.vintage })
    .from(featureShards)
    .where(and(eq(featureShards.runId, runId), eq(featureShards.task, task)))
    .orderBy(asc(featureShards.shard));
  return rows.map((r) => ({ shard: r.shard, symbols: r.symbols, built: r.builtAt !== null, vintage: r.vintage }));
}

/** Stores one shard's result, replacing any earlier attempt's, in one transaction. */
export async function saveFeatureShard(db: Db, runId: string, task: string, shard: number, result: FeatureShard, vintage: number): Promise<void> {
  const encoded = encodeFeatureShard(result);
  const key = and(eq(featureShardChunks.runId, runId), eq(featureShardChunks.task, task), eq(featureShardChunks.shard, shard));
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(featureShards)
      .set({ builtAt: new Date(), vintage })
      .where(and(eq(featureShards.runId, runId), eq(featureShards.task, task), eq(featureShards.shard, shard)))
      .returning({ shard: featureShards.shard });
    if (updated.length === 0) throw new NotFoundError(`feature shard ${shard} of run ${runId} (${task}) is not in its plan`);
    await tx.delete(featureShardChunks).where(key);
    for (let seq = 0, o = 0; o < encoded.length; seq++, o += CHUNK_BYTES) {
      await tx.insert(featureShardChunks).values({ runId, task, shard, seq, bytes: encoded.subarray(o, Math.min(encoded.length, o + CHUNK_BYTES)) });
    }
  });
}

export async function loadFeatureShard(db: Db, runId: string, task: string, shard: number): Promise<FeatureShard> {
  const chunks = await db
    .select({ bytes: featureShardChunks.bytes })
    .from(featureShardChunks)
    .where(and(eq(featureShardChunks.runId, runId), eq(featureShardChunks.task, task), eq(featureShardChunks.shard, shard)))
    .orderBy(asc(featureShardChunks.seq));
  if (chunks.length === 0) throw new NotFoundError(`feature shard ${shard} of run ${runId} (${task}) has not been built`);
  return decodeFeatureShard(Buffer.concat(chunks.map((c) => c.bytes)));
}

/** Drops a run's shards (plan and results, the chunks cascade) once its dataset is stored. */
export async function deleteFeatureShards(db: Db, runId: string, task: string): Promise<void> {
  await db.delete(featureShards).where(and(eq(featureShards.runId, runId), eq(featureShards.task, task)));
}
