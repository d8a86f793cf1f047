import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { placeboAudits } from '../db/schema';

export type PlaceboAuditRow = typeof placeboAudits.$inferInsert;
export type PlaceboAudit = typeof placeboAudits.$inferSelect;

/** Records one `audit placebo` result (its id is unique per audit: re-running records another). */
export async function recordPlaceboAudit(db: Db, row: PlaceboAuditRow): Promise<void> {
  await db.insert(placeboAudits).values(row).onConflictDoNothing();
}

/** The newest placebo audit of a task on a feed, if any was recorded. */
export async function latestPlaceboAudit(db: Db, task: string, feed: string): Promise<PlaceboAudit | null> {
  const [row] = await db.select().from(placeboAudits).where(and(eq(placeboAudits.task, task), eq(placeboAudits.feed, feed))).orderBy(desc(placeboAudits.createdAt)).limit(1);
  return row ?? null;
}
