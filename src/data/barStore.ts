import { and, eq, inArray, lte, max, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { marketBars } from '../db/schema';
import type { Bar, SymbolBars } from './bars';

const BATCH = 2000;

export async function lastStoredDates(db: Db, feed: string, symbols: string[]): Promise<Map<string, string>> {
  const rows = await db
    .select({ symbol: marketBars.symbol, last: max(marketBars.date) })
    .from(marketBars)
    .where(and(eq(marketBars.feed, feed), inArray(marketBars.symbol, symbols)))
    .groupBy(marketBars.symbol);
  return new Map(rows.filter((r) => r.last).map((r) => [r.symbol, r.last!]));
}

/**
 * Upserts all batches in one transaction: either every symbol's bars are stored or none are,
 * so a failure mid-write never leaves a half-updated history.
 */
export async function upsertBars(db: Db, feed: string, batches: SymbolBars[], onProgress?: (done: number, total: number) => void): Promise<number> {
  const rows = batches.flatMap(({ symbol, bars }) =>
    bars.map((b) => ({ feed, symbol, date: b.date, open: b.open, high: b.high, low: b.low, close: b.close, adjClose: b.adjClose, volume: b.volume })),
  );
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += BATCH) {
      await tx
        .insert(marketBars)
        .values(rows.slice(i, i + BATCH))
        .onConflictDoUpdate({
          target: [marketBars.feed, marketBars.symbol, marketBars.date],
          set: {
            open: sql`excluded.open`,
            high: sql`excluded.high`,
            low: sql`excluded.low`,
            close: sql`excluded.close`,
            adjClose: sql`excluded.adj_close`,
            volume: sql`excluded.volume`,
            ingestedAt: sql`now()`,
          },
        });
      onProgress?.(Math.min(i + BATCH, rows.length), rows.length);
    }
  });
  return rows.length;
}

/** Reads bars up to and including `asOf` — the only way features ever see prices. */
export async function loadBars(db: Db, feed: string, symbols: string[], asOf: string): Promise<Map<string, Bar[]>> {
  const rows = await db
    .select()
    .from(marketBars)
    .where(and(eq(marketBars.feed, feed), inArray(marketBars.symbol, symbols), lte(marketBars.date, asOf)))
    .orderBy(marketBars.symbol, marketBars.date);
  const out = new Map<string, Bar[]>();
  for (const r of rows) {
    let list = out.get(r.symbol);
    if (!list) out.set(r.symbol, (list = []));
    list.push({ date: r.date, open: r.open, high: r.high, low: r.low, close: r.close, adjClose: r.adjClose, volume: r.volume });
  }
  return out;
}
