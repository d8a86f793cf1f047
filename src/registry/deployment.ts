import type { Db } from '../db/client';
import { championAt, championTrainedBy, getAlias, latestDecision, newestLiveFeed } from '../store/aliasStore';
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

/** When nothing is deployed: the best baseline named by the newest live decision at that date. */
export async function baselineInstead(db: Db, o: { task: string; feed: string; asOf?: string }): Promise<{ name: string; runId: string; datasetId: string; decidedAsOf: string; reason: string } | null> {
  const d = await latestDecision(db, { task: o.task, feed: o.feed, lineage: LIVE, onOrBefore: o.asOf });
  const name = (d?.stats as { bestBaseline?: string } | null)?.bestBaseline;
  return d && name ? { name, runId: d.runId, datasetId: d.datasetId, decidedAsOf: d.asOf, reason: d.reason } : null;
}
