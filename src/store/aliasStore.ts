import { and, desc, eq, inArray, isNotNull, lt, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { aliasEvents, datasets, modelAliases, models, promotionDecisions } from '../db/schema';
import { NotFoundError } from '../errors';

export type AliasName = 'champion' | 'challenger';
export { LIVE as LIVE_LINEAGE } from './lineages';
import { LIVE as LIVE_LINEAGE } from './lineages';

export interface AliasScope {
  task: string;
  feed: string;
  lineage: string;
}

/** The alias as it stands now in a lineage. */
export async function getAlias(db: Db, scope: AliasScope, alias: AliasName): Promise<{ modelId: string; effectiveFrom: string | null; runId: string | null } | null> {
  const [row] = await db
    .select({ modelId: modelAliases.modelId, effectiveFrom: modelAliases.effectiveFrom, runId: modelAliases.runId })
    .from(modelAliases)
    .where(and(eq(modelAliases.task, scope.task), eq(modelAliases.feed, scope.feed), eq(modelAliases.lineage, scope.lineage), eq(modelAliases.alias, alias)));
  return row ?? null;
}

/**
 * The champion of a lineage as of a date: the newest champion move effective on or before it.
 * A backfill week, or `predict --as-of`, sees the model that was live then, never a later one.
 */
export async function championAt(db: Db, scope: AliasScope, date: string): Promise<{ modelId: string; effectiveFrom: string } | null> {
  const [row] = await db
    .select({ modelId: aliasEvents.modelId, effectiveFrom: aliasEvents.effectiveFrom })
    .from(aliasEvents)
    .where(
      and(
        eq(aliasEvents.task, scope.task),
        eq(aliasEvents.feed, scope.feed),
        eq(aliasEvents.lineage, scope.lineage),
        eq(aliasEvents.alias, 'champion'),
        isNotNull(aliasEvents.effectiveFrom),
        lte(aliasEvents.effectiveFrom, date),
      ),
    )
    .orderBy(desc(aliasEvents.effectiveFrom), desc(aliasEvents.id))
    .limit(1);
  // A retirement (model_id null) from that date on: nothing is champion.
  return row?.effectiveFrom && row.modelId ? { modelId: row.modelId, effectiveFrom: row.effectiveFrom } : null;
}

/**
 * The newest champion, in any lineage of the task and feed, whose training data ended on or
 * before `date` and that was made effective by then or by a run dated the next day (a run
 * dated Saturday decides on Friday's close). Used by `predict --as-of` when the live lineage
 * had nothing at that date.
 */
export async function championTrainedBy(db: Db, o: { task: string; feed: string; date: string }): Promise<{ modelId: string; effectiveFrom: string; lineage: string } | null> {
  const rows = await db
    .select({ modelId: aliasEvents.modelId, effectiveFrom: aliasEvents.effectiveFrom, lineage: aliasEvents.lineage, trainedThrough: models.trainedThrough })
    .from(aliasEvents)
    .innerJoin(models, eq(models.id, aliasEvents.modelId))
    .where(and(eq(aliasEvents.task, o.task), eq(aliasEvents.feed, o.feed), eq(aliasEvents.alias, 'champion'), isNotNull(models.trainedThrough), lte(models.trainedThrough, o.date)))
    .orderBy(desc(models.trainedThrough), desc(aliasEvents.id))
    .limit(1);
  const r = rows[0];
  return r?.effectiveFrom && r.modelId ? { modelId: r.modelId, effectiveFrom: r.effectiveFrom, lineage: r.lineage } : null;
}

/** Moves an alias and writes the audit event in one transaction; a no-op if already there. */
export async function setAlias(db: Db, a: AliasScope & { alias: AliasName; modelId: string; effectiveFrom: string; actor: string; reason: string; runId?: string | null }): Promise<void> {
  await db.transaction(async (tx) => {
    const key = and(eq(modelAliases.task, a.task), eq(modelAliases.feed, a.feed), eq(modelAliases.lineage, a.lineage), eq(modelAliases.alias, a.alias));
    const [current] = await tx.select().from(modelAliases).where(key).for('update');
    if (current?.modelId === a.modelId) return;
    await tx
      .insert(modelAliases)
      .values({ task: a.task, feed: a.feed, lineage: a.lineage, alias: a.alias, modelId: a.modelId, effectiveFrom: a.effectiveFrom, runId: a.runId ?? null })
      .onConflictDoUpdate({
        target: [modelAliases.task, modelAliases.feed, modelAliases.lineage, modelAliases.alias],
        set: { modelId: a.modelId, runId: a.runId ?? null, effectiveFrom: a.effectiveFrom, since: sql`now()` },
      });
    await tx.insert(aliasEvents).values({
      task: a.task,
      feed: a.feed,
      lineage: a.lineage,
      alias: a.alias,
      modelId: a.modelId,
      previousModelId: current?.modelId ?? null,
      effectiveFrom: a.effectiveFrom,
      actor: a.actor,
      reason: a.reason,
    });
  });
}

/**
 * Retires a lineage's champion (audited): the alias is removed and an event with no model,
 * effective from `effectiveFrom`, records it, so `predict` (now or as of any later date) answers
 * with the declared reference. A no-op when there is no champion.
 */
export async function retireChampion(db: Db, a: AliasScope & { effectiveFrom: string; actor: string; reason: string }): Promise<string | null> {
  return db.transaction(async (tx) => {
    const key = and(eq(modelAliases.task, a.task), eq(modelAliases.feed, a.feed), eq(modelAliases.lineage, a.lineage), eq(modelAliases.alias, 'champion'));
    const [current] = await tx.select().from(modelAliases).where(key).for('update');
    if (!current) return null;
    await tx.delete(modelAliases).where(key);
    await tx.insert(aliasEvents).values({ task: a.task, feed: a.feed, lineage: a.lineage, alias: 'champion', modelId: null, previousModelId: current.modelId, effectiveFrom: a.effectiveFrom, actor: a.actor, reason: a.reason });
    return current.modelId;
  });
}

/**
 * The newest decision of a lineage for a task and feed dated before `before`, with its stats:
 * where a "keep" finds since when its champion has gone unproven.
 */
export async function previousDecision(db: Db, o: { task: string; feed: string; lineage: string; before: string }) {
  const [row] = await db
    .select({ runId: promotionDecisions.runId, verdict: promotionDecisions.verdict, championId: promotionDecisions.championId, stats: promotionDecisions.stats, asOf: datasets.asOf })
    .from(promotionDecisions)
    .innerJoin(datasets, and(eq(datasets.runId, promotionDecisions.runId), eq(datasets.task, promotionDecisions.task)))
    .where(and(eq(promotionDecisions.task, o.task), eq(promotionDecisions.lineage, o.lineage), eq(datasets.feed, o.feed), lt(datasets.asOf, o.before)))
    .orderBy(desc(datasets.asOf), desc(promotionDecisions.decidedAt))
    .limit(1);
  return row ?? null;
}

/** Manual promotion (audited): the model becomes the live champion of its task and feed, effective from its as-of. */
export async function promoteModel(db: Db, a: { modelId: string; actor: string; reason: string; lineage?: string }): Promise<{ task: string; feed: string; previous: string | null }> {
  const [row] = await db.select({ task: models.task, feed: models.feed, asOf: models.asOf }).from(models).where(eq(models.id, a.modelId));
  if (!row) throw new NotFoundError(`model ${a.modelId} not found`);
  const scope = { task: row.task, feed: row.feed ?? '', lineage: a.lineage ?? LIVE_LINEAGE };
  const previous = (await getAlias(db, scope, 'champion'))?.modelId ?? null;
  await setAlias(db, { ...scope, alias: 'champion', modelId: a.modelId, effectiveFrom: row.asOf ?? new Date().toISOString().slice(0, 10), actor: a.actor, reason: a.reason });
  return { task: row.task, feed: scope.feed, previous };
}

/** Puts back the champion that the current one replaced (audited). */
export async function rollbackChampion(db: Db, a: AliasScope & { actor: string; reason: string }): Promise<{ from: string; to: string }> {
  const current = await getAlias(db, a, 'champion');
  if (!current) throw new NotFoundError(`task ${a.task} (feed ${a.feed}, lineage ${a.lineage}) has no champion`);
  const [last] = await db
    .select()
    .from(aliasEvents)
    .where(and(eq(aliasEvents.task, a.task), eq(aliasEvents.feed, a.feed), eq(aliasEvents.lineage, a.lineage), eq(aliasEvents.alias, 'champion'), eq(aliasEvents.modelId, current.modelId)))
    .orderBy(desc(aliasEvents.id))
    .limit(1);
  const previous = last?.previousModelId;
  if (!previous) throw new NotFoundError(`champion ${current.modelId} of ${a.task} has no predecessor to roll back to`);
  await setAlias(db, { ...a, alias: 'champion', modelId: previous, effectiveFrom: current.effectiveFrom ?? new Date().toISOString().slice(0, 10), actor: a.actor, reason: a.reason });
  return { from: current.modelId, to: previous };
}

export async function aliasHistory(db: Db, o: { task: string; feed?: string; lineage?: string }) {
  const conds = [eq(aliasEvents.task, o.task)];
  if (o.feed !== undefined) conds.push(eq(aliasEvents.feed, o.feed));
  if (o.lineage !== undefined) conds.push(eq(aliasEvents.lineage, o.lineage));
  return db.select().from(aliasEvents).where(and(...conds)).orderBy(desc(aliasEvents.id));
}

/**
 * The feed `predict` / `models show` use by default: the newest live champion's, else the feed
 * of the newest live decision (which names the baseline to answer with).
 */
export async function newestLiveFeed(db: Db, task: string): Promise<string | null> {
  const [row] = await db
    .select({ feed: modelAliases.feed })
    .from(modelAliases)
    .where(and(eq(modelAliases.task, task), eq(modelAliases.lineage, LIVE_LINEAGE), eq(modelAliases.alias, 'champion')))
    .orderBy(desc(modelAliases.since))
    .limit(1);
  if (row) return row.feed;
  const [d] = await db
    .select({ feed: datasets.feed })
    .from(promotionDecisions)
    .innerJoin(datasets, and(eq(datasets.runId, promotionDecisions.runId), eq(datasets.task, promotionDecisions.task)))
    .where(and(eq(promotionDecisions.task, task), eq(promotionDecisions.lineage, LIVE_LINEAGE)))
    .orderBy(desc(promotionDecisions.decidedAt))
    .limit(1);
  return d?.feed ?? null;
}

export interface DecisionRecord {
  runId: string;
  task: string;
  lineage: string;
  verdict: 'promote' | 'refresh' | 'keep' | 'retire' | 'none';
  challengerId: string | null;
  championId: string | null;
  promoted: boolean;
  checks: unknown;
  stats: unknown;
  reason: string;
  /** The human decision a live promotion waited for (`gate.approval: "required"`), else null. */
  approval?: { outcome: string; approver: string | null; reason: string; at: string } | null;
}

export async function saveDecision(db: Db, d: DecisionRecord): Promise<void> {
  const { runId: _r, task: _t, ...set } = d;
  await db.insert(promotionDecisions).values(d).onConflictDoUpdate({ target: [promotionDecisions.runId, promotionDecisions.task], set });
}

export async function getDecision(db: Db, runId: string, task: string) {
  const [row] = await db.select().from(promotionDecisions).where(and(eq(promotionDecisions.runId, runId), eq(promotionDecisions.task, task)));
  return row ?? null;
}

export async function decisionsOfRun(db: Db, runId: string) {
  return db.select().from(promotionDecisions).where(eq(promotionDecisions.runId, runId));
}

/**
 * The newest decision of a lineage for a task and feed (optionally made on or before a date):
 * where `predict` finds the best baseline to answer with when no champion is deployed.
 */
export async function latestDecision(db: Db, o: { task: string; feed: string; /** Omitted: any lineage. */ lineage?: string; onOrBefore?: string }) {
  const conds = [eq(promotionDecisions.task, o.task), eq(datasets.feed, o.feed)];
  if (o.lineage !== undefined) conds.push(eq(promotionDecisions.lineage, o.lineage));
  if (o.onOrBefore) conds.push(lte(datasets.asOf, o.onOrBefore));
  const [row] = await db
    .select({ runId: promotionDecisions.runId, lineage: promotionDecisions.lineage, verdict: promotionDecisions.verdict, stats: promotionDecisions.stats, reason: promotionDecisions.reason, asOf: datasets.asOf, datasetId: datasets.id })
    .from(promotionDecisions)
    .innerJoin(datasets, and(eq(datasets.runId, promotionDecisions.runId), eq(datasets.task, promotionDecisions.task)))
    .where(and(...conds))
    .orderBy(desc(datasets.asOf), desc(promotionDecisions.decidedAt))
    .limit(1);
  return row ?? null;
}

/** The newest as-of of any decision recorded in a lineage for these tasks and feed (null: none). */
export async function newestDecisionAsOf(db: Db, o: { tasks: string[]; feed: string; lineage: string }): Promise<string | null> {
  if (o.tasks.length === 0) return null;
  const [row] = await db
    .select({ asOf: sql<string | null>`max(${datasets.asOf})::text` })
    .from(promotionDecisions)
    .innerJoin(datasets, and(eq(datasets.runId, promotionDecisions.runId), eq(datasets.task, promotionDecisions.task)))
    .where(and(inArray(promotionDecisions.task, o.tasks), eq(promotionDecisions.lineage, o.lineage), eq(datasets.feed, o.feed)));
  return row?.asOf ?? null;
}

/** Every decision of a task and feed, in any lineage, oldest as-of first: what a refused `predict` lists. */
export async function decisionsOfTask(db: Db, o: { task: string; feed: string }): Promise<{ runId: string; lineage: string; verdict: string; asOf: string }[]> {
  return db
    .select({ runId: promotionDecisions.runId, lineage: promotionDecisions.lineage, verdict: promotionDecisions.verdict, asOf: datasets.asOf })
    .from(promotionDecisions)
    .innerJoin(datasets, and(eq(datasets.runId, promotionDecisions.runId), eq(datasets.task, promotionDecisions.task)))
    .where(and(eq(promotionDecisions.task, o.task), eq(datasets.feed, o.feed)))
    .orderBy(datasets.asOf, promotionDecisions.decidedAt);
}

/** Current champion aliases pointing at a model (the lineages it is champion of). */
export async function championLineagesOf(db: Db, modelIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (modelIds.length === 0) return out;
  const rows = await db.select({ modelId: modelAliases.modelId, lineage: modelAliases.lineage }).from(modelAliases).where(and(eq(modelAliases.alias, 'champion'), inArray(modelAliases.modelId, modelIds)));
  for (const r of rows) out.set(r.modelId, [...(out.get(r.modelId) ?? []), r.lineage]);
  return out;
}
