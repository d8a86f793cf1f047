import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { candidateTrials, evaluations, metrics } from '../db/schema';

export interface MetricRow {
  modelId: string;
  runId: string;
  split: string;
  regime: string;
  name: string;
  value: number | null;
}

export async function saveMetrics(db: Db, rows: MetricRow[]): Promise<void> {
  if (rows.length === 0) return;
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insert(metrics)
      .values(rows.slice(i, i + 1000))
      .onConflictDoUpdate({ target: [metrics.modelId, metrics.runId, metrics.split, metrics.regime, metrics.name], set: { value: sql`excluded.value` } });
  }
}

export async function metricsOfRun(db: Db, runId: string) {
  return db.select().from(metrics).where(eq(metrics.runId, runId));
}

/** Per-run, per-task evaluation documents (keyed by an entry name: a candidate kind, a baseline, `assessment`). */
export async function saveEvaluationDetail(db: Db, e: { runId: string; task: string; modelId: string; detail: unknown }): Promise<void> {
  await db.insert(evaluations).values(e).onConflictDoUpdate({ target: [evaluations.runId, evaluations.task, evaluations.modelId], set: { detail: e.detail } });
}

export async function evaluationDetail(db: Db, runId: string, task: string, entry: string): Promise<unknown> {
  const [row] = await db.select().from(evaluations).where(and(eq(evaluations.runId, runId), eq(evaluations.task, task), eq(evaluations.modelId, entry)));
  return row?.detail ?? null;
}

export async function evaluationsOfRun(db: Db, runId: string) {
  return db.select().from(evaluations).where(eq(evaluations.runId, runId));
}

/** Records that these configurations were evaluated (first sighting kept, latest Sharpe updated). */
export async function recordTrials(db: Db, rows: { task: string; feed: string; candidateHash: string; kind: string; activeIr: number | null; runId: string }[]): Promise<void> {
  for (const r of rows) {
    await db
      .insert(candidateTrials)
      .values({ task: r.task, feed: r.feed, candidateHash: r.candidateHash, kind: r.kind, activeIr: r.activeIr, firstRunId: r.runId, lastRunId: r.runId })
      .onConflictDoUpdate({ target: [candidateTrials.task, candidateTrials.feed, candidateTrials.candidateHash], set: { activeIr: r.activeIr, lastRunId: r.runId } });
  }
}

/** Every configuration ever evaluated for a task and feed, with its latest Sharpe ratio. */
export async function trialsOf(db: Db, task: string, feed: string): Promise<{ candidateHash: string; kind: string; activeIr: number | null }[]> {
  return db
    .select({ candidateHash: candidateTrials.candidateHash, kind: candidateTrials.kind, activeIr: candidateTrials.activeIr })
    .from(candidateTrials)
    .where(and(eq(candidateTrials.task, task), eq(candidateTrials.feed, feed)));
}
