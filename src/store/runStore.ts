import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { runs, runSteps } from '../db/schema';

export async function upsertRunStart(db: Db, r: { id: string; workflowId: string; trigger: string; asOf: string; tasks: string[]; input: unknown; lineage: string; buildId: string | null }): Promise<void> {
  await db
    .insert(runs)
    .values({ ...r, status: 'running', stage: 'starting' })
    .onConflictDoUpdate({ target: runs.id, set: { status: 'running', input: r.input, tasks: r.tasks, lineage: r.lineage, buildId: r.buildId } });
}

export async function finishRun(db: Db, r: { id: string; status: string; error?: string | null; errorType?: string | null; summary?: unknown }): Promise<void> {
  await db
    .update(runs)
    .set({ status: r.status, stage: r.status, error: r.error ?? null, errorType: r.errorType ?? null, summary: r.summary ?? null, finishedAt: sql`now()` })
    .where(eq(runs.id, r.id));
}

export async function stepStarted(db: Db, runId: string, step: string, attempt: number): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .insert(runSteps)
      .values({ runId, step, status: 'running', attempt })
      .onConflictDoUpdate({ target: [runSteps.runId, runSteps.step], set: { status: 'running', attempt, startedAt: sql`now()`, finishedAt: null, error: null } });
    await tx.update(runs).set({ stage: step }).where(eq(runs.id, runId));
  });
}

export async function stepFinished(db: Db, runId: string, step: string, outcome: { status: 'completed' | 'failed'; summary?: unknown; error?: string }): Promise<void> {
  await db
    .update(runSteps)
    .set({ status: outcome.status, summary: outcome.summary ?? null, error: outcome.error ?? null, finishedAt: sql`now()` })
    .where(and(eq(runSteps.runId, runId), eq(runSteps.step, step)));
}

export async function listRuns(db: Db, limit = 20) {
  return db.select().from(runs).orderBy(desc(runs.startedAt)).limit(limit);
}

export async function getRun(db: Db, id: string) {
  const [run] = await db.select().from(runs).where(sql`${runs.id} = ${id} or ${runs.workflowId} = ${id}`).orderBy(desc(runs.startedAt)).limit(1);
  if (!run) return null;
  const steps = await db.select().from(runSteps).where(eq(runSteps.runId, run.id)).orderBy(runSteps.startedAt);
  return { run, steps };
}
