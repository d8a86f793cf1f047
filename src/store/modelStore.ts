import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { aliasEvents, evaluations, metrics, modelAliases, models, promotionDecisions } from '../db/schema';
import { NotFoundError } from '../errors';
import { ENSEMBLE_FORMAT, EnsemblePipeline, readArtifactJson } from '../models/ensemblePipeline';
import { ModelPipeline } from '../models/pipeline';
import type { Predictor } from '../models/predictor';
import { sha256Hex } from '../util/hash';

export async function saveModel(
  db: Db,
  m: { id: string; runId: string; datasetId: string; task: string; kind: string; params: unknown; pipeline: Predictor; trainSummary: unknown },
): Promise<void> {
  const artifact = m.pipeline.toArtifact();
  const row = { id: m.id, runId: m.runId, datasetId: m.datasetId, task: m.task, kind: m.kind, params: m.params, artifact, artifactSha256: sha256Hex(artifact), trainSummary: m.trainSummary };
  await db.insert(models).values(row).onConflictDoUpdate({ target: models.id, set: { artifact, artifactSha256: row.artifactSha256, params: m.params, trainSummary: m.trainSummary } });
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

export async function modelRow(db: Db, id: string) {
  const [row] = await db.select({ id: models.id, kind: models.kind, task: models.task, runId: models.runId, createdAt: models.createdAt }).from(models).where(eq(models.id, id));
  return row ?? null;
}

export async function modelsOfRun(db: Db, runId: string, task: string) {
  return db.select({ id: models.id, kind: models.kind }).from(models).where(and(eq(models.runId, runId), eq(models.task, task)));
}

export async function getAlias(db: Db, task: string, alias: 'champion' | 'challenger'): Promise<string | null> {
  const [row] = await db.select().from(modelAliases).where(and(eq(modelAliases.task, task), eq(modelAliases.alias, alias)));
  return row?.modelId ?? null;
}

/** Moves an alias and writes the audit event in one transaction; a no-op if already there. */
export async function setAlias(db: Db, a: { task: string; alias: 'champion' | 'challenger'; modelId: string; actor: string; reason: string; runId?: string | null }): Promise<void> {
  await db.transaction(async (tx) => {
    const [current] = await tx.select().from(modelAliases).where(and(eq(modelAliases.task, a.task), eq(modelAliases.alias, a.alias))).for('update');
    if (current?.modelId === a.modelId) return;
    await tx
      .insert(modelAliases)
      .values({ task: a.task, alias: a.alias, modelId: a.modelId, runId: a.runId ?? null })
      .onConflictDoUpdate({ target: [modelAliases.task, modelAliases.alias], set: { modelId: a.modelId, runId: a.runId ?? null, since: sql`now()` } });
    await tx.insert(aliasEvents).values({ task: a.task, alias: a.alias, modelId: a.modelId, previousModelId: current?.modelId ?? null, actor: a.actor, reason: a.reason });
  });
}

export async function saveMetrics(db: Db, rows: { modelId: string; runId: string; split: string; regime: string; name: string; value: number | null }[]): Promise<void> {
  if (rows.length === 0) return;
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insert(metrics)
      .values(rows.slice(i, i + 1000))
      .onConflictDoUpdate({ target: [metrics.modelId, metrics.runId, metrics.split, metrics.regime, metrics.name], set: { value: sql`excluded.value` } });
  }
}

export async function saveDecision(db: Db, d: { runId: string; task: string; challengerId: string | null; championId: string | null; promoted: boolean; checks: unknown; reason: string }): Promise<void> {
  await db
    .insert(promotionDecisions)
    .values(d)
    .onConflictDoUpdate({ target: [promotionDecisions.runId, promotionDecisions.task], set: { challengerId: d.challengerId, championId: d.championId, promoted: d.promoted, checks: d.checks, reason: d.reason } });
}

export async function getDecision(db: Db, runId: string, task: string) {
  const [row] = await db.select().from(promotionDecisions).where(and(eq(promotionDecisions.runId, runId), eq(promotionDecisions.task, task)));
  return row ?? null;
}

export async function saveEvaluationDetail(db: Db, e: { runId: string; task: string; modelId: string; detail: unknown }): Promise<void> {
  await db.insert(evaluations).values(e).onConflictDoUpdate({ target: [evaluations.runId, evaluations.task, evaluations.modelId], set: { detail: e.detail } });
}

/** Manual promotion (audited): the model becomes its task's champion. */
export async function promoteModel(db: Db, a: { modelId: string; actor: string; reason: string }): Promise<{ task: string; previous: string | null }> {
  const row = await modelRow(db, a.modelId);
  if (!row) throw new NotFoundError(`model ${a.modelId} not found`);
  const previous = await getAlias(db, row.task, 'champion');
  await setAlias(db, { task: row.task, alias: 'champion', modelId: a.modelId, actor: a.actor, reason: a.reason });
  return { task: row.task, previous };
}

/** Puts back the champion that the current one replaced (audited). */
export async function rollbackChampion(db: Db, a: { task: string; actor: string; reason: string }): Promise<{ from: string; to: string }> {
  const current = await getAlias(db, a.task, 'champion');
  if (!current) throw new NotFoundError(`task ${a.task} has no champion`);
  const [last] = await db
    .select()
    .from(aliasEvents)
    .where(and(eq(aliasEvents.task, a.task), eq(aliasEvents.alias, 'champion'), eq(aliasEvents.modelId, current)))
    .orderBy(desc(aliasEvents.id))
    .limit(1);
  const previous = last?.previousModelId;
  if (!previous) throw new NotFoundError(`champion ${current} of ${a.task} has no predecessor to roll back to`);
  await setAlias(db, { task: a.task, alias: 'champion', modelId: previous, actor: a.actor, reason: a.reason });
  return { from: current, to: previous };
}

export async function aliasHistory(db: Db, task: string) {
  return db.select().from(aliasEvents).where(eq(aliasEvents.task, task)).orderBy(desc(aliasEvents.id));
}
