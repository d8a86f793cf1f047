import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { datasets, drift, evaluations, metrics, models, promotionDecisions, runs, runSteps } from '../db/schema';
import { NotFoundError } from '../errors';

/** Everything a run report shows, read from Postgres (no model is loaded). */
export interface ReportData {
  run: typeof runs.$inferSelect;
  steps: (typeof runSteps.$inferSelect)[];
  tasks: TaskReport[];
}

export interface TaskReport {
  task: string;
  dataset: { id: string; featureNames: string[]; classNames: string[]; summary: DatasetSummary } | null;
  models: { id: string; kind: string; trainSummary: Record<string, unknown> }[];
  /** metrics[modelId][split][regime][name] */
  metrics: Record<string, Record<string, Record<string, Record<string, number | null>>>>;
  evaluations: Record<string, EvaluationDetail>;
  drift: { feature: string; psi: number; flagged: boolean }[];
  decision: (typeof promotionDecisions.$inferSelect) | null;
}

export interface DatasetSummary {
  classCounts?: Record<string, number>;
  mix?: { regime: string; target: number; achieved: number; available: number; note?: string }[];
  splitDates?: { train: [string, string]; validation: [string, string]; test: [string, string] };
  rows?: number;
  trainSample?: number;
  replayRows?: number;
}

export interface EvaluationDetail {
  kind: string;
  role: string;
  classNames?: string[];
  confusion?: Record<string, number[][] | null>;
  equity?: number[] | null;
  testDates?: [string, string];
}

export async function loadReportData(db: Db, runId: string): Promise<ReportData> {
  const [run] = await db.select().from(runs).where(eq(runs.id, runId));
  if (!run) throw new NotFoundError(`run ${runId} not found`);
  const [steps, dss, ms, mt, evs, dr, decs] = await Promise.all([
    db.select().from(runSteps).where(eq(runSteps.runId, runId)),
    db.select({ id: datasets.id, task: datasets.task, featureNames: datasets.featureNames, classNames: datasets.classNames, summary: datasets.summary }).from(datasets).where(eq(datasets.runId, runId)),
    db.select({ id: models.id, kind: models.kind, task: models.task, trainSummary: models.trainSummary }).from(models).where(eq(models.runId, runId)),
    db.select().from(metrics).where(eq(metrics.runId, runId)),
    db.select().from(evaluations).where(eq(evaluations.runId, runId)),
    db.select().from(drift).where(eq(drift.runId, runId)),
    db.select().from(promotionDecisions).where(eq(promotionDecisions.runId, runId)),
  ]);
  const tasks: TaskReport[] = (run.tasks as string[]).map((task) => {
    const ds = dss.find((d) => d.task === task);
    const evalRows = evs.filter((e) => e.task === task);
    const ids = new Set(evalRows.map((e) => e.modelId));
    const m: TaskReport['metrics'] = {};
    for (const r of mt) {
      if (!ids.has(r.modelId)) continue;
      ((m[r.modelId] ??= {})[r.split] ??= {})[r.regime] ??= {};
      m[r.modelId][r.split][r.regime][r.name] = r.value;
    }
    return {
      task,
      dataset: ds ? { id: ds.id, featureNames: ds.featureNames, classNames: ds.classNames, summary: ds.summary as DatasetSummary } : null,
      models: ms.filter((x) => x.task === task).map((x) => ({ id: x.id, kind: x.kind, trainSummary: x.trainSummary as Record<string, unknown> })),
      metrics: m,
      evaluations: Object.fromEntries(evalRows.map((e) => [e.modelId, e.detail as EvaluationDetail])),
      drift: dr.filter((d) => d.task === task).map((d) => ({ feature: d.feature, psi: d.psi, flagged: d.flagged })),
      decision: decs.find((d) => d.task === task) ?? null,
    };
  });
  return { run, steps, tasks };
}
