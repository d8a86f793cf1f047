import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { models } from '../db/schema';
import { NotFoundError } from '../errors';
import { ENSEMBLE_FORMAT, EnsemblePipeline, readArtifactJson } from '../models/ensemblePipeline';
import { ModelPipeline } from '../models/pipeline';
import type { Predictor } from '../models/predictor';
import { sha256Hex } from '../util/hash';

export type ModelRole = 'candidate' | 'refit' | 'refit_member';

/** What the registry records about a stored model besides its artifact. */
export interface ModelRecord {
  id: string;
  runId: string;
  datasetId: string;
  task: string;
  kind: string;
  feed: string;
  role: ModelRole;
  candidateHash: string;
  asOf: string;
  trainedFrom: string;
  trainedThrough: string;
  params: unknown;
  trainSummary: unknown;
  /** The worker build id that trained it (null: unknown). */
  buildId: string | null;
}

export async function saveModel(db: Db, m: ModelRecord & { pipeline: Predictor }): Promise<void> {
  const artifact = m.pipeline.toArtifact();
  const { pipeline: _p, ...rest } = m;
  const row = { ...rest, artifact, artifactSha256: sha256Hex(artifact) };
  await db
    .insert(models)
    .values(row)
    .onConflictDoUpdate({ target: models.id, set: { artifact, artifactSha256: row.artifactSha256, params: m.params, trainSummary: m.trainSummary, trainedFrom: m.trainedFrom, trainedThrough: m.trainedThrough, buildId: m.buildId } });
}

/** Stores an already serialised pipeline (e.g. a fold's model from the fold cache). */
export async function saveModelArtifact(db: Db, m: ModelRecord & { artifact: Buffer }): Promise<void> {
  const row = { ...m, artifactSha256: sha256Hex(m.artifact) };
  await db
    .insert(models)
    .values(row)
    .onConflictDoUpdate({ target: models.id, set: { artifact: m.artifact, artifactSha256: row.artifactSha256, params: m.params, trainSummary: m.trainSummary, trainedFrom: m.trainedFrom, trainedThrough: m.trainedThrough, buildId: m.buildId } });
}

/** Loads a stored model; an ensemble's members are resolved from the registry by id. */
export async function loadModel(db: Db, id: string): Promise<{ pipeline: Predictor; kind: string; task: string; runId: string; trainSummary: unknown }> {
  const [row] = await db.select().from(models).where(eq(models.id, id));
  if (!row) throw new NotFoundError(`model ${id} not found`);
  const format = readArtifactJson(row.artifact).format;
  const pipeline: Predictor =
    format === ENSEMBLE_FORMAT ? await EnsemblePipeline.fromArtifact(row.artifact, async (mid) => (await loadModel(db, mid)).pipeline) : ModelPipeline.fromArtifact(row.artifact);
  return { pipeline, kind: row.kind, task: row.task, runId: row.runId, trainSummary: row.trainSummary };
}

/** loadModel, or null when the id names no stored model (e.g. an alias left pointing at a deleted one). */
export async function loadModelIfPresent(db: Db, id: string): Promise<Awaited<ReturnType<typeof loadModel>> | null> {
  try {
    return await loadModel(db, id);
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
}

const recordColumns = {
  id: models.id,
  runId: models.runId,
  datasetId: models.datasetId,
  task: models.task,
  kind: models.kind,
  feed: models.feed,
  role: models.role,
  candidateHash: models.candidateHash,
  asOf: models.asOf,
  trainedFrom: models.trainedFrom,
  trainedThrough: models.trainedThrough,
  params: models.params,
  buildId: models.buildId,
  createdAt: models.createdAt,
};

export type ModelRow = Awaited<ReturnType<typeof modelRow>> & object;

export async function modelRow(db: Db, id: string) {
  const [row] = await db.select(recordColumns).from(models).where(eq(models.id, id));
  return row ?? null;
}

export async function modelsOfRun(db: Db, runId: string, task: string) {
  return db.select(recordColumns).from(models).where(and(eq(models.runId, runId), eq(models.task, task))).orderBy(asc(models.createdAt));
}

/** Stored models of a task, newest first, optionally of one run. */
export async function listModels(db: Db, o: { task: string; runId?: string; limit?: number }) {
  const where = o.runId ? and(eq(models.task, o.task), eq(models.runId, o.runId)) : eq(models.task, o.task);
  const rows = await db.select(recordColumns).from(models).where(where).orderBy(asc(models.createdAt));
  return rows.reverse().slice(0, o.limit ?? 1000);
}

/** Every model a run stored (all tasks), with its summary. */
export async function modelsOfRunAll(db: Db, runId: string) {
  return db.select({ ...recordColumns, trainSummary: models.trainSummary }).from(models).where(eq(models.runId, runId)).orderBy(asc(models.createdAt));
}
