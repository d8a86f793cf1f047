import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { runReports } from '../db/schema';

export async function saveReport(db: Db, runId: string, html: string): Promise<void> {
  await db.insert(runReports).values({ runId, html }).onConflictDoUpdate({ target: runReports.runId, set: { html, createdAt: sql`now()` } });
}

export async function storedReport(db: Db, runId: string): Promise<string | null> {
  const [row] = await db.select({ html: runReports.html }).from(runReports).where(eq(runReports.runId, runId));
  return row?.html ?? null;
}
