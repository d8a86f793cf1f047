import { and, asc, eq, gte, inArray, lte, notInArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { quarantinedBars } from '../db/schema';
import type { QuarantinedRow } from '../data/validation';

export interface StoredQuarantinedBar extends QuarantinedRow {
  feed: string;
  quarantinedAt: Date;
}

/**
 * Records one symbol's quarantined rows from an ingest that covered `from..to`: rows still bad
 * are upserted (no duplicates on re-ingest), and earlier entries in that range that are no
 * longer bad (the file was fixed) are removed. Call inside the ingest's transaction.
 */
export async function replaceQuarantine(db: Db, feed: string, symbol: string, range: { from: string; to: string }, rows: QuarantinedRow[]): Promise<void> {
  const inRange = and(eq(quarantinedBars.feed, feed), eq(quarantinedBars.symbol, symbol), gte(quarantinedBars.date, range.from), lte(quarantinedBars.date, range.to));
  const keep = rows.map((r) => r.date);
  await db.delete(quarantinedBars).where(keep.length > 0 ? and(inRange, notInArray(quarantinedBars.date, keep)) : inRange);
  if (rows.length === 0) return;
  await db
    .insert(quarantinedBars)
    .values(rows.map((r) => ({ feed, symbol, date: r.date, file: r.file, row: r.row, field: r.field, reason: r.reason, raw: r.raw })))
    .onConflictDoUpdate({
      target: [quarantinedBars.feed, quarantinedBars.symbol, quarantinedBars.date],
      set: { file: sql`excluded.file`, row: sql`excluded.row`, field: sql`excluded.field`, reason: sql`excluded.reason`, raw: sql`excluded.raw`, quarantinedAt: sql`now()` },
    });
}

/** Quarantined rows of a feed (optionally some symbols, or since an instant), by symbol and date. */
export async function listQuarantinedBars(db: Db, opts: { feed: string; symbols?: string[]; since?: Date }): Promise<StoredQuarantinedBar[]> {
  const where: SQL[] = [eq(quarantinedBars.feed, opts.feed)];
  if (opts.symbols) where.push(inArray(quarantinedBars.symbol, opts.symbols));
  if (opts.since) where.push(gte(quarantinedBars.quarantinedAt, opts.since));
  const rows = await db
    .select()
    .from(quarantinedBars)
    .where(and(...where))
    .orderBy(asc(quarantinedBars.symbol), asc(quarantinedBars.date));
  return rows.map((r) => ({
    feed: r.feed,
    symbol: r.symbol,
    date: r.date,
    file: r.file,
    row: r.row,
    field: r.field,
    reason: r.reason,
    raw: r.raw as QuarantinedRow['raw'],
    quarantinedAt: r.quarantinedAt,
  }));
}
