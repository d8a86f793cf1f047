import { and, eq } from 'drizzle-orm';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Db } from '../db/client';
import { trainCheckpoints } from '../db/schema';
import type { ModelJSON } from '../models/classifier';

export async function saveCheckpoint(db: Db, runId: string, step: string, iteration: number, state: ModelJSON): Promise<void> {
  const buf = gzipSync(Buffer.from(JSON.stringify(state), 'utf8'));
  await db
    .insert(trainCheckpoints)
    .values({ runId, step, iteration, state: buf })
    .onConflictDoUpdate({ target: [trainCheckpoints.runId, trainCheckpoints.step], set: { iteration, state: buf, updatedAt: new Date() } });
}

/**
 * The checkpoint of (run, step), if it is at least as far as `iteration` (the one the last
 * heartbeat named; a later one, saved just before a crash, is just as consistent).
 */
export async function loadCheckpoint(db: Db, runId: string, step: string, iteration: number): Promise<ModelJSON | null> {
  const [row] = await db.select().from(trainCheckpoints).where(and(eq(trainCheckpoints.runId, runId), eq(trainCheckpoints.step, step)));
  if (!row || row.iteration < iteration) return null;
  return JSON.parse(gunzipSync(row.state).toString('utf8')) as ModelJSON;
}

export async function deleteCheckpoint(db: Db, runId: string, step: string): Promise<void> {
  await db.delete(trainCheckpoints).where(and(eq(trainCheckpoints.runId, runId), eq(trainCheckpoints.step, step)));
}
