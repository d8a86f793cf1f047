import type { Db } from '../db/client';
import { championAt, championTrainedBy, decisionsOfTask, getAlias, latestDecision, newestLiveFeed } from '../store/aliasStore';
import { modelRow } from '../store/modelStore';
import { NotFoundError } from '../errors';
import { LIVE } from './names';

/** A deployed model as `models show` and `predict` report it (the CLI contract's fields). */
export interface DeployedModel {
  modelId: string;
  kind: string;
  task: string;
  feed: string;
  asOf: string | null;
  effectiveFrom: string;
  trainedFrom: string | null;
  trainedThrough: string | null;
  runId: string;
  lineage: string;
}

export async function feedFor(db: Db, task: string, feed?: string): Promise<string> {
  if (feed) return feed;
  const f = await newestLiveFeed(db, task);
  if (f === null) throw new NotFoundError(`no retrain has decided anything for task ${task} yet: run one (or pass --feed)`);
  return f;
}

/**
 * The champion live at `asOf` (default: now) for a task and feed: the live lineage's champion
 * effective on that date; for a past date where the live lineage had none, the newest
 * champion of any lineage trained only on data up to that date (a backfill's). Null when none.
 */
export async function deployedModel(db: Db, o: { task: string; feed: string; asOf?: string }): Promise<DeployedModel | null> {
  let hit: { modelId: string; effectiveFrom: string | null; lineage: string } | null = null;
  if (!o.asOf) {
    const a = await getAlias(db, { task: o.task, feed: o.feed, lineage: LIVE }, 'champion');
    if (a) hit = { modelId: a.modelId, effectiveFrom: a.effectiveFrom, lineage: LIVE };
  } else {
    const live = await championAt(db, { task: o.task, feed: o.feed, lineage: LIVE }, o.asOf);
    hit = live ? { ...live, lineage: LIVE } : await championTrainedBy(db, { task: o.task, feed: o.feed, date: o.asOf });
  }
  if (!hit) return null;
  const row = await modelRow(db, hit.modelId);
  if (!row) throw new NotFoundError(`champion ${hit.modelId} of ${o.task} (${o.feed}, ${hit.lineage}) is no longer stored`);
  return {
    modelId: row.id,
    kind: row.kind,
    task: row.task,
    feed: row.feed ?? o.feed,
    asOf: row.asOf,
    effectiveFrom: hit.effectiveFrom ?? row.asOf ?? '',
    trainedFrom: row.trainedFrom,
    trainedThrough: row.trainedThrough,
    runId: row.runId,
    lineage: hit.lineage,
  };
}

/**
 * When nothing is deployed: the reference named by the newest live decision at that date; for a
 * past date the live lineage had not decided yet, the newest decision of any lineage made on
 * data up to it (an as-of replay's or a backfill's), as `deployedModel` does for champions.
 */
export async function baselineInstead(db: Db, o: { task: string; feed: string; asOf?: string }): Promise<{ name: string; runId: string; datasetId: string; decidedAsOf: string; reason: string; lineage: string } | null> {
  let d = await latestDecision(db, { task: o.task, feed: o.feed, lineage: LIVE, onOrBefore: o.asOf });
  if (!d && o.asOf) d = await latestDecision(db, { task: o.task, feed: o.feed, onOrBefore: o.asOf });
  const name = (d?.stats as { bestBaseline?: string } | null)?.bestBaseline;
  return d && name ? { name, runId: d.runId, datasetId: d.datasetId, decidedAsOf: d.asOf, reason: d.reason, lineage: d.lineage } : null;
}

/**
 * Why `predict` has nothing to answer with, and what would work: the decisions that exist
 * (lineage, as-of, verdict) and the earliest date one of them is effective from.
 */
export async function nothingToServe(db: Db, o: { task: string; feed: string; asOf?: string }): Promise<string> {
  const head = `no champion for task ${o.task} (feed ${o.feed})${o.asOf ? ` live at ${o.asOf}` : ''}, and no decision${o.asOf ? ` on or before ${o.asOf}` : ''} naming a baseline`;
  const all = await decisionsOfTask(db, { task: o.task, feed: o.feed });
  if (all.length === 0) return `${head}: no run has decided task ${o.task} on feed ${o.feed} yet: run a retrain first`;
  const shown = all.slice(0, 10).map((d) => `${d.lineage} as of ${d.asOf} (${d.verdict}, run ${d.runId})`);
  const more = all.length > shown.length ? `, and ${all.length - shown.length} more` : '';
  return `${head}. Decisions that exist: ${shown.join('; ')}${more}. The earliest is effective from ${all[0].asOf}: predict --as-of ${all[0].asOf} or later (or run a retrain as of ${o.asOf ?? 'the date you need'})`;
}
