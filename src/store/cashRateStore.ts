import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { cashRates } from '../db/schema';
import type { RateSeries } from '../data/rates';

/** Upserts a whole rate series for a feed in one transaction. */
export async function saveCashRates(db: Db, feed: string, r: RateSeries): Promise<number> {
  const rows = r.dates.map((date, i) => ({ feed, date, seriesId: r.id, ratePct: Number.isFinite(r.values[i]) ? r.values[i] : null, file: r.file }));
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += 2000) {
      await tx
        .insert(cashRates)
        .values(rows.slice(i, i + 2000))
        .onConflictDoUpdate({ target: [cashRates.feed, cashRates.date], set: { seriesId: sql`excluded.series_id`, ratePct: sql`excluded.rate_pct`, file: sql`excluded.file`, ingestedAt: sql`now()` } });
    }
  });
  return rows.length;
}

/** The feed's stored rate series up to a date, or null when none was ingested. */
export async function loadCashRates(db: Db, feed: string, asOf: string): Promise<RateSeries | null> {
  const rows = await db.select().from(cashRates).where(and(eq(cashRates.feed, feed), lte(cashRates.date, asOf))).orderBy(asc(cashRates.date));
  if (rows.length === 0) return null;
  return { id: rows[0].seriesId, file: rows[0].file, dates: rows.map((r) => r.date), values: Float64Array.from(rows, (r) => r.ratePct ?? NaN) };
}
