import { eq, getTableColumns, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { foldResults } from '../db/schema';
import type { CachedFold } from '../evaluation/protocol';

/** A fold result as stored: the protocol's cached fold, scoped to a task and feed. */
export type StoredFold = Omit<CachedFold, 'summary'> & { task: string; feed: string; summary: unknown };

function toBytes(p: Float32Array): Buffer {
  return Buffer.from(p.buffer, p.byteOffset, p.byteLength);
}

function fromBytes(b: Buffer): Float32Array {
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  return new Float32Array(copy.buffer);
}

/** A fold result without its model (`getFoldArtifact`): reusing a fold needs its predictions alone. */
export async function getFold(db: Db, key: string): Promise<Omit<StoredFold, 'artifact'> | null> {
  const { artifact: _model, createdAt: _c, usedAt: _u, ...columns } = getTableColumns(foldResults);
  const [row] = await db.update(foldResults).set({ usedAt: sql`now()` }).where(eq(foldResults.key, key)).returning(columns);
  return row ? { ...row, proba: row.proba ? fromBytes(row.proba) : null } : null;
}

/** The model of a stored fold result. */
export async function getFoldArtifact(db: Db, key: string): Promise<Buffer | null> {
  const [row] = await db.select({ artifact: foldResults.artifact }).from(foldResults).where(eq(foldResults.key, key));
  return row?.artifact ?? null;
}

/** Upsert: a retried activity, or a run that re-predicted a grown window, overwrites. */
export async function putFold(db: Db, f: StoredFold): Promise<void> {
  const row = { ...f, proba: f.proba ? toBytes(f.proba) : null };
  await db
    .insert(foldResults)
    .values(row)
    .onConflictDoUpdate({ target: foldResults.key, set: { testFrom: row.testFrom, testTo: row.testTo, testRowsHash: row.testRowsHash, proba: row.proba, artifact: row.artifact, summary: row.summary, usedAt: sql`now()` } });
}
