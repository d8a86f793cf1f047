import { protocolFolds, type StoredPlan, type ProtocolSettings, type FoldCache, candidateHash, type CandidateSpec, type FoldOutcome } from '../src/evaluation/protocol';
import type { FoldPlan } from '../src/sampling/folds';
import { loadDataset, type StoredDataset } from '../src/store/datasetStore';
import { evaluationDetail } from '../src/store/evaluationStore';
import { postgresFoldCache } from '../src/store/foldCache';
import type { TaskName } from '../workflows/types';
import { getFoldArtifact } from '../src/store/foldStore';
import { saveModelArtifact, type ModelRole } from '../src/store/modelStore';
import type { ActivityDeps } from './deps';
import { loadRunConfig } from './runs';

export type TaskRef = { runId: string; task: TaskName; datasetId: string };

/** What every evaluation-stage activity loads by id: the run's config, the dataset, its folds, the fold cache. */
export interface TaskContext {
  cfg: Awaited<ReturnType<typeof loadRunConfig>>;
  ds: StoredDataset;
  folds: FoldPlan;
  settings: ProtocolSettings & { feed: string };
  cache: FoldCache;
}

export async function taskContext(deps: ActivityDeps, a: TaskRef): Promise<TaskContext> {
  const cfg = await loadRunConfig(deps.db, a.runId);
  const ds = await loadDataset(deps.db, a.datasetId);
  const folds = protocolFolds(ds, cfg.config.dataset);
  return { cfg, ds, folds, settings: { dataset: cfg.config.dataset, gap: folds.gap, feed: ds.feed }, cache: postgresFoldCache(deps.db, { task: a.task, feed: ds.feed }) };
}

/** The run's evaluation plan for a task (stored by planEvaluation). */
export async function loadPlan(deps: ActivityDeps, a: TaskRef): Promise<StoredPlan> {
  const plan = (await evaluationDetail(deps.db, a.runId, a.task, 'plan')) as StoredPlan | null;
  if (!plan) throw new Error(`run ${a.runId} has no evaluation plan for ${a.task}`);
  return plan;
}

/** A candidate of the plan, by key. */
export function planCandidate(plan: StoredPlan, key: string): StoredPlan['candidates'][number] {
  const spec = plan.candidates.find((c) => c.key === key);
  if (!spec) throw new Error(`candidate ${key} is not in the plan`);
  return spec;
}

/** Registers a fold's model (the final window's candidate, or a refit) with the point in time it stands for. */
export async function storeFoldModel(deps: ActivityDeps, a: TaskRef, c: Pick<TaskContext, 'cfg' | 'ds'>, spec: CandidateSpec, out: FoldOutcome, m: { id: string; role: ModelRole }): Promise<void> {
  const artifact = await getFoldArtifact(deps.db, out.key);
  if (!artifact) throw new Error(`fold result ${out.key} is not stored`);
  await saveModelArtifact(deps.db, {
    id: m.id,
    runId: a.runId,
    datasetId: a.datasetId,
    task: a.task,
    kind: spec.kind,
    feed: c.ds.feed,
    role: m.role,
    candidateHash: candidateHash(a.task, spec, c.cfg.config.dataset),
    asOf: c.ds.asOf,
    trainedFrom: out.summary.trainedFrom,
    trainedThrough: out.summary.trainedThrough,
    params: spec.params,
    trainSummary: { ...out.summary, source: out.source },
    artifact,
    buildId: deps.buildId ?? null,
  });
}
