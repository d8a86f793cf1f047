import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import type { ChampionAfter } from './championRecord';
import { drift, evaluations, promotionDecisions, runs } from '../db/schema';

/** What a run's assessment document says about its candidates (the parts a trend needs). */
export interface AssessmentExcerpt {
  selected: string | null;
  championKey: string | null;
  primaryMetric: string | null;
  candidates: { key: string; kind: string; role: string; metrics: { all: Record<string, number | null> }; ci: { vs: string; diff: number; ci: [number, number]; pValue: number } | null }[];
}

export interface TaskRunRow {
  runId: string;
  workflowId: string;
  asOf: string;
  trigger: string;
  lineage: string;
  status: string;
  startedAt: Date;
  finishedAt: Date | null;
  errorType: string | null;
  decision: { verdict: string; promoted: boolean; reason: string; championId: string | null; challengerId: string | null; championAfter?: ChampionAfter | null } | null;
  assessment: AssessmentExcerpt | null;
  drift: { flagged: number; features: number; maxPsi: number | null };
}

/**
 * The newest `last` runs of a task in a lineage, oldest first, each with its promotion decision,
 * the candidate part of its assessment (not the benchmarks and folds) and its drift counts.
 */
export async function taskRunHistory(db: Db, o: { task: string; last: number; lineage?: string }): Promise<TaskRunRow[]> {
  const rows = await db
    .select({
      runId: runs.id,
      workflowId: runs.workflowId,
      asOf: runs.asOf,
      trigger: runs.trigger,
      lineage: runs.lineage,
      status: runs.status,
      startedAt: runs.startedAt,
      finishedAt: runs.finishedAt,
      errorType: runs.errorType,
      verdict: promotionDecisions.verdict,
      promoted: promotionDecisions.promoted,
      reason: promotionDecisions.reason,
      championId: promotionDecisions.championId,
      challengerId: promotionDecisions.challengerId,
      championAfter: sql<ChampionAfter | null>`${promotionDecisions.stats}->'championAfter'`,
      assessment: sql<AssessmentExcerpt | null>`case when ${evaluations.detail} is null then null else jsonb_build_object(
        'selected', ${evaluations.detail}->'selected', 'championKey', ${evaluations.detail}->'championKey',
        'primaryMetric', ${evaluations.detail}->'stats'->'primaryMetric', 'candidates', ${evaluations.detail}->'candidates') end`,
    })
    .from(runs)
    .leftJoin(promotionDecisions, and(eq(promotionDecisions.runId, runs.id), eq(promotionDecisions.task, o.task)))
    .leftJoin(evaluations, and(eq(evaluations.runId, runs.id), eq(evaluations.task, o.task), eq(evaluations.modelId, 'assessment')))
    .where(and(sql`${runs.tasks} @> ${JSON.stringify([o.task])}::jsonb`, eq(runs.lineage, o.lineage ?? 'live')))
    .orderBy(desc(runs.startedAt))
    .limit(o.last);
  const ids = rows.map((r) => r.runId);
  const drifts = ids.length
    ? await db
        .select({ runId: drift.runId, flagged: sql<number>`count(*) filter (where ${drift.flagged})::int`, features: sql<number>`count(*)::int`, maxPsi: sql<number | null>`max(${drift.psi})` })
        .from(drift)
        .where(and(eq(drift.task, o.task), inArray(drift.runId, ids)))
        .groupBy(drift.runId)
    : [];
  const driftOf = new Map(drifts.map((d) => [d.runId, { flagged: d.flagged, features: d.features, maxPsi: d.maxPsi === null ? null : Number(d.maxPsi) }]));
  return rows.reverse().map((r) => ({
    runId: r.runId,
    workflowId: r.workflowId,
    asOf: r.asOf,
    trigger: r.trigger,
    lineage: r.lineage,
    status: r.status,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    errorType: r.errorType,
    decision: r.verdict === null ? null : { verdict: r.verdict, promoted: r.promoted!, reason: r.reason!, championId: r.championId, challengerId: r.challengerId, championAfter: r.championAfter ?? null },
    assessment: r.assessment,
    drift: driftOf.get(r.runId) ?? { flagged: 0, features: 0, maxPsi: null },
  }));
}
