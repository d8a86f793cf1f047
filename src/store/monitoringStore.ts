import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { drift, replayBuffer } from '../db/schema';
import type { CalibratedFeatureDrift } from '../monitoring/calibratedDrift';

export async function saveDrift(db: Db, runId: string, task: string, rows: CalibratedFeatureDrift[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insert(drift)
    .values(rows.map((r) => ({ runId, task, feature: r.feature, psi: Number.isFinite(r.psi) ? r.psi : 0, flagged: r.flagged, threshold: Number.isFinite(r.threshold) ? r.threshold : null, status: r.status })))
    .onConflictDoUpdate({ target: [drift.runId, drift.task, drift.feature], set: { psi: sql`excluded.psi`, flagged: sql`excluded.flagged`, threshold: sql`excluded.threshold`, status: sql`excluded.status` } });
}

export async function loadDrift(db: Db, runId: string) {
  return db.select().from(drift).where(eq(drift.runId, runId));
}

/** Adds misclassified (day, symbol) rows; keeps the newest `maxSize` per task and feed. */
export async function addReplayRows(db: Db, a: { task: string; feed: string; runId: string; rows: { day: number; symbol: string }[]; maxSize: number }): Promise<number> {
  await db.transaction(async (tx) => {
    for (let i = 0; i < a.rows.length; i += 1000) {
      await tx
        .insert(replayBuffer)
        .values(a.rows.slice(i, i + 1000).map((r) => ({ task: a.task, feed: a.feed, day: r.day, symbol: r.symbol, runId: a.runId })))
        .onConflictDoNothing();
    }
    const keep = tx
      .select({ day: replayBuffer.day })
      .from(replayBuffer)
      .where(and(eq(replayBuffer.task, a.task), eq(replayBuffer.feed, a.feed)))
      .orderBy(desc(replayBuffer.day), desc(replayBuffer.symbol))
      .limit(a.maxSize);
    const kept = (await keep).map((r) => r.day);
    if (kept.length >= a.maxSize) {
      const oldestKept = Math.min(...kept);
      await tx.delete(replayBuffer).where(and(eq(replayBuffer.task, a.task), eq(replayBuffer.feed, a.feed), sql`${replayBuffer.day} < ${oldestKept}`));
    }
  });
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(replayBuffer).where(and(eq(replayBuffer.task, a.task), eq(replayBuffer.feed, a.feed)));
  return n;
}

/** The buffer as "yyyymmdd:SYMBOL" keys. */
export async function loadReplayKeys(db: Db, task: string, feed: string): Promise<Set<string>> {
  const rows = await db.select({ day: replayBuffer.day, symbol: replayBuffer.symbol }).from(replayBuffer).where(and(eq(replayBuffer.task, task), eq(replayBuffer.feed, feed)));
  return new Set(rows.map((r) => `${r.day}:${r.symbol}`));
}

