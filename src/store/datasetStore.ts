import { and, eq, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { datasets, regimeLabels } from '../db/schema';
import { decodeDataset, encodeDataset, type Dataset } from '../datasets/dataset';
import { NotFoundError } from '../errors';
import { REGIMES } from '../regimes/regimes';
import type { RegimeLabels } from '../regimes/regimeLabeler';

export async function saveDataset(db: Db, d: { id: string; runId: string; feed: string; asOf: string; maxBarDate: string; dataset: Dataset; summary: unknown; sampleCounts: unknown }): Promise<void> {
  const payload = encodeDataset(d.dataset);
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
    payload,
  };
  await db.insert(datasets).values(row).onConflictDoUpdate({ target: datasets.id, set: { payload, summary: d.summary, sampleCounts: d.sampleCounts, maxBarDate: d.maxBarDate } });
}

export async function loadDataset(db: Db, id: string): Promise<Dataset & { asOf: string; maxBarDate: string }> {
  const [row] = await db.select().from(datasets).where(eq(datasets.id, id));
  if (!row) throw new NotFoundError(`dataset ${id} not found`);
  return { ...decodeDataset(row.payload), asOf: row.asOf, maxBarDate: row.maxBarDate };
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
