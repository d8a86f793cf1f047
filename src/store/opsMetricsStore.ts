import { eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { drift, promotionDecisions, runs, runSteps } from '../db/schema';

/**
 * The pipeline's own numbers for the metrics endpoint, read from the run store at scrape time:
 * every worker reports the same values, and they survive restarts (no per-process counters to
 * lose or to add up across processes).
 */
export async function pipelineTotals(db: Db) {
  const runCounts = await db.select({ status: runs.status, trigger: runs.trigger, n: sql<number>`count(*)::int` }).from(runs).groupBy(runs.status, runs.trigger);
  const runDurations = await db
    .select({ status: runs.status, seconds: sql<number>`extract(epoch from ${runs.finishedAt} - ${runs.startedAt})::float8` })
    .from(runs)
    .where(isNotNull(runs.finishedAt));
  // Step names carry task, candidate and fold (fit:signal:xgboost:3): the label keeps the step and the task.
  const stepDurations = await db
    .select({
      step: sql<string>`split_part(${runSteps.step}, ':', 1)`,
      task: sql<string>`split_part(${runSteps.step}, ':', 2)`,
      status: runSteps.status,
      seconds: sql<number>`extract(epoch from ${runSteps.finishedAt} - ${runSteps.startedAt})::float8`,
    })
    .from(runSteps)
    .where(isNotNull(runSteps.finishedAt));
  const [ingested] = await db
    .select({ rows: sql<number>`coalesce(sum((${runs.summary}->>'rowsIngested')::bigint), 0)::float8` })
    .from(runs)
    .where(eq(runs.status, 'completed'));
  const promotions = await db
    .select({ task: promotionDecisions.task, verdict: promotionDecisions.verdict, n: sql<number>`count(*)::int` })
    .from(promotionDecisions)
    .where(sql`${promotionDecisions.promoted} and ${promotionDecisions.lineage} = 'live'`)
    .groupBy(promotionDecisions.task, promotionDecisions.verdict);
  const driftFlags = await db.select({ task: drift.task, n: sql<number>`count(*) filter (where ${drift.flagged})::int` }).from(drift).groupBy(drift.task);
  const failures = await db
    .select({ type: sql<string>`coalesce(${runs.errorType}, 'unknown')`, n: sql<number>`count(*)::int` })
    .from(runs)
    .where(eq(runs.status, 'failed'))
    .groupBy(sql`coalesce(${runs.errorType}, 'unknown')`);
  const lastFinished = await db
    .select({ status: runs.status, at: sql<number>`extract(epoch from max(${runs.finishedAt}))::float8` })
    .from(runs)
    .where(isNotNull(runs.finishedAt))
    .groupBy(runs.status);
  return { runCounts, runDurations, stepDurations, rowsIngested: Number(ingested?.rows ?? 0), promotions, driftFlags, failures, lastFinished };
}

export type PipelineTotals = Awaited<ReturnType<typeof pipelineTotals>>;
