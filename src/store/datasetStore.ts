import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { datasetChunks, datasets, regimeLabels } from '../db/schema';
import { decodeDataset, encodeDataset, type Dataset } from '../datasets/dataset';
import { NotFoundError } from '../errors';
import { REGIMES } from '../regimes/regimes';
import type { RegimeLabels } from '../regimes/regimeLabeler';

const CHUNK_BYTES = 32 * 1024 * 1024;

/**
 * Stores a dataset: its metadata in `datasets`, its typed arrays in 32 MB chunks, all in one
 * transaction (a retried build replaces them; a crash leaves nothing half-written).
 */
export async function saveDataset(db: Db, d: { id: string; runId: string; feed: string; asOf: string; maxBarDate: string; dataset: Dataset; summary: unknown; sampleCounts: unknown }): Promise<void> {
  datasetCache.delete(d.id);
  const encoded = encodeDataset(d.dataset);
  const empty = Buffer.alloc(0);
  const row = {
    id: d.id,
    runId: d.runId,
    task: d.dataset.task,
    feed: d.feed,
    asOf: d.asOf,
    maxBarDate: d.maxBarDate,
    featureNames: d.dataset.featureNames,
    classNames: d.dataset.classNames,
    sampleCounts: d.sampleCounts,
    summary: d.summary,
    payload: empty,
  };
  await db.transaction(async (tx) => {
    await tx.insert(datasets).values(row).onConflictDoUpdate({ target: datasets.id, set: { payload: empty, summary: d.summary, sampleCounts: d.sampleCounts, maxBarDate: d.maxBarDate } });
    await tx.delete(datasetChunks).where(eq(datasetChunks.datasetId, d.id));
    for (let seq = 0, o = 0; o < encoded.length; seq++, o += CHUNK_BYTES) {
      await tx.insert(datasetChunks).values({ datasetId: d.id, seq, bytes: encoded.subarray(o, Math.min(encoded.length, o + CHUNK_BYTES)) });
    }
  });
}

export type StoredDataset = Dataset & { asOf: string; maxBarDate: string; feed: string };

/**
 * Datasets are immutable once built (an id is one run's task), and every fold activity of a
 * run loads the same one: keep the most recent in memory (up to ~1.5 GB of them) instead of
 * re-reading hundreds of megabytes per fold.
 */
const datasetCache = new Map<string, { ds: StoredDataset; bytes: number }>();
const DATASET_CACHE_BYTES = 1536 * 1024 * 1024;

export async function loadDataset(db: Db, id: string): Promise<StoredDataset> {
  const hit = datasetCache.get(id);
  if (hit) {
    datasetCache.delete(id);
    datasetCache.set(id, hit);
    return hit.ds;
  }
  const [row] = await db.select({ asOf: datasets.asOf, maxBarDate: datasets.maxBarDate, feed: datasets.feed, payload: datasets.payload }).from(datasets).where(eq(datasets.id, id));
  if (!row) throw new NotFoundError(`dataset ${id} not found`);
  const chunks = await db.select({ bytes: datasetChunks.bytes }).from(datasetChunks).where(eq(datasetChunks.datasetId, id)).orderBy(asc(datasetChunks.seq));
  // Datasets stored before chunking carry their bytes in the payload column.
  const bytes = chunks.length > 0 ? Buffer.concat(chunks.map((c) => c.bytes)) : row.payload;
  const ds = { ...decodeDataset(bytes), asOf: row.asOf, maxBarDate: row.maxBarDate, feed: row.feed };
  datasetCache.set(id, { ds, bytes: bytes.length });
  let total = [...datasetCache.values()].reduce((a, e) => a + e.bytes, 0);
  while (datasetCache.size > 1 && total > DATASET_CACHE_BYTES) {
    const oldest = datasetCache.keys().next().value!;
    total -= datasetCache.get(oldest)!.bytes;
    datasetCache.delete(oldest);
  }
  return ds;
}

export async function datasetMeta(db: Db, id: string) {
  const [row] = await db.select({ id: datasets.id, asOf: datasets.asOf, maxBarDate: datasets.maxBarDate, task: datasets.task, summary: datasets.summary }).from(datasets).where(eq(datasets.id, id));
  return row ?? null;
}

export async function saveRegimeLabels(db: Db, feed: string, configHash: string, labels: RegimeLabels): Promise<void> {
  const rows: (typeof regimeLabels.$inferInsert)[] = [];
  for (let t = 0; t < labels.dates.length; t++) {
    if (labels.regime[t] < 0) continue;
    rows.push({ feed, configHash, date: labels.dates[t], regime: REGIMES[labels.regime[t]], vix: labels.vix[t], drawdown: labels.drawdown[t] });
  }
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += 2000) {
      await tx
        .insert(regimeLabels)
        .values(rows.slice(i, i + 2000))
        .onConflictDoUpdate({ target: [regimeLabels.feed, regimeLabels.configHash, regimeLabels.date], set: { regime: sql`excluded.regime`, vix: sql`excluded.vix`, drawdown: sql`excluded.drawdown` } });
    }
  });
}

/** Stored regime labels aligned to `dates` (-1 where none). */
export async function loadRegimeLabels(db: Db, feed: string, configHash: string, dates: string[], asOf: string): Promise<Int8Array> {
  const rows = await db
    .select({ date: regimeLabels.date, regime: regimeLabels.regime })
    .from(regimeLabels)
    .where(and(eq(regimeLabels.feed, feed), eq(regimeLabels.configHash, configHash), lte(regimeLabels.date, asOf)));
  const byDate = new Map(rows.map((r) => [r.date, REGIMES.indexOf(r.regime as (typeof REGIMES)[number])]));
  return Int8Array.from(dates, (d) => byDate.get(d) ?? -1);
}

export async function datasetsOfRun(db: Db, runId: string) {
  return db.select({ id: datasets.id, task: datasets.task, feed: datasets.feed, featureNames: datasets.featureNames, classNames: datasets.classNames, summary: datasets.summary }).from(datasets).where(eq(datasets.runId, runId));
}
