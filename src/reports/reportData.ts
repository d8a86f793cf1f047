import type { Db } from '../db/client';
import type { Assessment, StoredPlan } from '../evaluation/protocol';
import { NotFoundError } from '../errors';
import { decisionsOfRun } from '../store/aliasStore';
import { datasetsOfRun } from '../store/datasetStore';
import { evaluationsOfRun, metricsOfRun } from '../store/evaluationStore';
import { loadDrift } from '../store/monitoringStore';
import { modelsOfRunAll } from '../store/modelStore';
import { latestPlaceboAudit, type PlaceboAudit } from '../store/placeboAuditStore';
import { getRun } from '../store/runStore';

/** Everything a run report shows, read from Postgres (no model is loaded). */
export interface ReportData {
  run: NonNullable<Awaited<ReturnType<typeof getRun>>>['run'];
  steps: NonNullable<Awaited<ReturnType<typeof getRun>>>['steps'];
  tasks: TaskReport[];
}

export interface TaskReport {
  task: string;
  dataset: { id: string; featureNames: string[]; classNames: string[]; summary: DatasetSummary } | null;
  models: { id: string; kind: string; role: string; trainedFrom: string | null; trainedThrough: string | null; trainSummary: Record<string, unknown> }[];
  assessment: Assessment['document'] | null;
  drift: { feature: string; psi: number; flagged: boolean }[];
  /** The champion's results while it was live (labels known since), if there was one. */
  live: { modelId: string; samples: number | null; accuracy: number | null } | null;
  decision: Awaited<ReturnType<typeof decisionsOfRun>>[number] | null;
  /** The newest recorded placebo audit of this task on this run's feed (`audit placebo --record`). */
  placebo: PlaceboAudit | null;
}

export interface DatasetSummary {
  rows?: number;
  symbols?: string[];
  classCounts?: Record<string, number>;
  regimeCounts?: Record<string, number>;
  firstDay?: string;
  lastLabelledDay?: string;
  replayRows?: number;
  market?: { priceOnly: string[]; cashSource: string };
}

export async function loadReportData(db: Db, runId: string): Promise<ReportData> {
  const r = await getRun(db, runId);
  if (!r) throw new NotFoundError(`run ${runId} not found`);
  const [dss, ms, mt, evs, dr, decs] = await Promise.all([datasetsOfRun(db, r.run.id), modelsOfRunAll(db, r.run.id), metricsOfRun(db, r.run.id), evaluationsOfRun(db, r.run.id), loadDrift(db, r.run.id), decisionsOfRun(db, r.run.id)]);
  const placebos = await Promise.all((r.run.tasks as string[]).map(async (task) => {
    const feed = dss.find((d) => d.task === task)?.feed;
    return feed ? latestPlaceboAudit(db, task, feed) : null;
  }));
  const tasks: TaskReport[] = (r.run.tasks as string[]).map((task, i) => {
    const ds = dss.find((d) => d.task === task);
    const doc = evs.find((e) => e.task === task && e.modelId === 'assessment')?.detail as Assessment['document'] | undefined;
    const plan = evs.find((e) => e.task === task && e.modelId === 'plan')?.detail as StoredPlan | undefined;
    const liveModel = plan?.champion?.modelId;
    const pick = (name: string) => mt.find((m) => m.split === 'live' && m.regime === 'all' && m.modelId === liveModel && m.name === name)?.value ?? null;
    return {
      task,
      dataset: ds ? { id: ds.id, featureNames: ds.featureNames, classNames: ds.classNames, summary: ds.summary as DatasetSummary } : null,
      models: ms.filter((x) => x.task === task).map((x) => ({ id: x.id, kind: x.kind, role: x.role, trainedFrom: x.trainedFrom, trainedThrough: x.trainedThrough, trainSummary: x.trainSummary as Record<string, unknown> })),
      assessment: doc ?? null,
      drift: dr.filter((d) => d.task === task).map((d) => ({ feature: d.feature, psi: d.psi, flagged: d.flagged })),
      live: liveModel ? { modelId: liveModel, samples: pick('samples'), accuracy: pick('accuracy') } : null,
      decision: decs.find((d) => d.task === task) ?? null,
      placebo: placebos[i],
    };
  });
  return { run: r.run, steps: r.steps, tasks };
}
