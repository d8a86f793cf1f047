import { and, count, eq, gt, gte, inArray, lte, max, min, Param, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { barVintages, marketBars, marketBarsHistory } from '../db/schema';
import { replaceQuarantine } from './quarantineStore';
import type { Bar, SymbolBars } from '../data/bars';
import type { QuarantinedRow } from '../data/validation';

/** Rows per statement: each column travels as one array parameter (unnest), not one parameter per value. */
const BATCH = 20_000;

type Column = (string | number | null)[];
const arr = (values: Column) => new Param(values);

/** Upserts bar rows column-wise; ~10x faster than a VALUES list for the 100k-row first ingest. */
async function upsertRows(db: Db, c: { feed: Column; symbol: Column; date: Column; open: Column; high: Column; low: Column; close: Column; adjClose: Column; volume: Column; dividend: Column; vintage: Column }): Promise<void> {
  await db.execute(sql`
    insert into ${marketBars} (feed, symbol, date, open, high, low, close, adj_close, volume, dividend, vintage, ingested_at)
    select f, s, d, o, h, l, c, a, v, dv, vi, now()
    from unnest(${arr(c.feed)}::text[], ${arr(c.symbol)}::text[], ${arr(c.date)}::date[], ${arr(c.open)}::float8[], ${arr(c.high)}::float8[], ${arr(c.low)}::float8[],
                ${arr(c.close)}::float8[], ${arr(c.adjClose)}::float8[], ${arr(c.volume)}::float8[], ${arr(c.dividend)}::float8[], ${arr(c.vintage)}::int[]) as t(f, s, d, o, h, l, c, a, v, dv, vi)
    on conflict (feed, symbol, date) do update set
      open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
      adj_close = excluded.adj_close, volume = excluded.volume, dividend = excluded.dividend, vintage = excluded.vintage, ingested_at = now()`);
}

export async function lastStoredDates(db: Db, feed: string, symbols: string[]): Promise<Map<string, string>> {
  return new Map([...(await storedRanges(db, feed, symbols))].filter(([, r]) => r.last).map(([s, r]) => [s, r.last!]));
}

/** Rows and first/last stored date per symbol (up to `asOf` when given). */
export async function storedRanges(db: Db, feed: string, symbols: string[], asOf?: string): Promise<Map<string, { rows: number; first: string | null; last: string | null }>> {
  if (symbols.length === 0) return new Map();
  const rows = await db
    .select({ symbol: marketBars.symbol, rows: count(), first: min(marketBars.date), last: max(marketBars.date) })
    .from(marketBars)
    .where(and(eq(marketBars.feed, feed), inArray(marketBars.symbol, symbols), asOf ? lte(marketBars.date, asOf) : undefined))
    .groupBy(marketBars.symbol)
    // In the order loadBars returns symbols (a dataset's symbol order follows it).
    .orderBy(marketBars.symbol);
  return new Map(rows.map((r) => [r.symbol, { rows: Number(r.rows), first: r.first, last: r.last }]));
}

/** The newest stored bar per symbol: an incremental batch is checked for a jump against it. */
export async function lastStoredBars(db: Db, feed: string, symbols: string[]): Promise<Map<string, Bar>> {
  if (symbols.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([marketBars.symbol])
    .from(marketBars)
    .where(and(eq(marketBars.feed, feed), inArray(marketBars.symbol, symbols)))
    .orderBy(marketBars.symbol, sql`${marketBars.date} desc`);
  return new Map(rows.map((r) => [r.symbol, toBar(r)]));
}

type StoredRow = typeof marketBars.$inferSelect;

function toBar(r: Pick<StoredRow, 'date' | 'open' | 'high' | 'low' | 'close' | 'adjClose' | 'volume' | 'dividend'>): Bar {
  const b: Bar = { date: r.date, open: r.open, high: r.high, low: r.low, close: r.close, adjClose: r.adjClose, volume: r.volume };
  if (r.dividend !== null) b.dividend = r.dividend;
  return b;
}

const sameValues = (a: Bar, b: Bar) =>
  a.open === b.open && a.high === b.high && a.low === b.low && a.close === b.close && a.adjClose === b.adjClose && a.volume === b.volume && (a.dividend ?? null) === (b.dividend ?? null);

export interface BarWrite extends SymbolBars {
  /** Quarantined rows of this symbol from the same check (recorded in the same transaction). */
  quarantined?: QuarantinedRow[];
  /** The first and last date the check covered, for clearing quarantine entries since fixed. */
  range?: { from: string; to: string };
}

export interface WriteResult {
  /** New and changed rows (unchanged rows are not rewritten). */
  rowsWritten: number;
  /** Rows whose earlier values moved to market_bars_history. */
  rowsChanged: number;
  /** The vintage this write created, or null when nothing changed. */
  vintage: number | null;
}

/**
 * Writes bars in one transaction, versioned: rows whose values are unchanged are left alone;
 * new rows and changed rows get a new vintage, and a changed row's previous values move to
 * market_bars_history first, so any earlier read can be repeated exactly
 * (loadBarsWithVintage). Either every symbol's bars and quarantine entries are stored or none.
 */
export async function writeBars(
  db: Db,
  feed: string,
  batches: BarWrite[],
  opts: { kind: 'ingest' | 'readjust'; detail?: Record<string, unknown>; onProgress?: (done: number, total: number) => void },
): Promise<WriteResult> {
  return db.transaction(async (tx) => {
    // Two ingests of one feed at once would both diff against the same rows.
    await tx.execute(sql`select pg_advisory_xact_lock(727002, hashtext(${feed}))`);
    const fresh: Bar[][] = [];
    const changed: StoredRow[] = [];
    for (const { symbol, bars } of batches) {
      if (bars.length === 0) {
        fresh.push([]);
        continue;
      }
      const stored = await tx
        .select()
        .from(marketBars)
        .where(and(eq(marketBars.feed, feed), eq(marketBars.symbol, symbol), gte(marketBars.date, bars[0].date), lte(marketBars.date, bars[bars.length - 1].date)));
      const byDate = new Map(stored.map((r) => [r.date, r]));
      const write: Bar[] = [];
      for (const b of bars) {
        const old = byDate.get(b.date);
        if (old && sameValues(toBar(old), b)) continue;
        if (old) changed.push(old);
        write.push(b);
      }
      fresh.push(write);
    }
    const total = fresh.reduce((a, l) => a + l.length, 0);
    let vintage: number | null = null;
    if (total > 0) {
      const symbols = batches.filter((_, i) => fresh[i].length > 0).map((b) => b.symbol);
      const [v] = await tx.insert(barVintages).values({ feed, kind: opts.kind, detail: { symbols, ...opts.detail } }).returning({ id: barVintages.id });
      vintage = v.id;
      // Previous versions move to the history table straight from the current rows.
      const changedBySymbol = new Map<string, string[]>();
      for (const r of changed) {
        const dates = changedBySymbol.get(r.symbol);
        if (dates) dates.push(r.date);
        else changedBySymbol.set(r.symbol, [r.date]);
      }
      for (const [symbol, dates] of changedBySymbol) {
        await tx.execute(sql`
          insert into ${marketBarsHistory} (feed, symbol, date, vintage, superseded_by, open, high, low, close, adj_close, volume, dividend, ingested_at)
          select feed, symbol, date, vintage, ${v.id}, open, high, low, close, adj_close, volume, dividend, ingested_at
          from ${marketBars} where feed = ${feed} and symbol = ${symbol} and date = any(${arr(dates)}::date[])
          on conflict do nothing`);
      }
      const rows = batches.flatMap(({ symbol }, i) => fresh[i].map((b) => ({ symbol, b })));
      for (let i = 0; i < rows.length; i += BATCH) {
        const part = rows.slice(i, i + BATCH);
        const col = (f: (r: (typeof part)[number]) => string | number | null) => part.map(f);
        await upsertRows(tx, {
          feed: col(() => feed),
          symbol: col((r) => r.symbol),
          date: col((r) => r.b.date),
          open: col((r) => r.b.open),
          high: col((r) => r.b.high),
          low: col((r) => r.b.low),
          close: col((r) => r.b.close),
          adjClose: col((r) => r.b.adjClose),
          volume: col((r) => r.b.volume),
          dividend: col((r) => r.b.dividend ?? null),
          vintage: col(() => v.id),
        });
        opts.onProgress?.(Math.min(i + BATCH, rows.length), rows.length);
      }
    }
    for (const b of batches) if (b.range) await replaceQuarantine(tx, feed, b.symbol, b.range, b.quarantined ?? []);
    return { rowsWritten: total, rowsChanged: changed.length, vintage };
  });
}

/** Reads bars up to and including `asOf` — the only way features ever see prices. */
export async function loadBars(db: Db, feed: string, symbols: string[], asOf: string): Promise<Map<string, Bar[]>> {
  return (await loadBarsWithVintage(db, feed, symbols, asOf)).bars;
}

/**
 * Bars up to `asOf` as they were at `vintage` (default: as stored now), and the vintage the
 * read reflects: the newest vintage among the rows read. Reading again at that vintage returns
 * exactly the same bars whatever was re-adjusted since, so a dataset that records it can be
 * rebuilt, and it is a sound cache key.
 */
export async function loadBarsWithVintage(db: Db, feed: string, symbols: string[], asOf: string, vintage?: number): Promise<{ bars: Map<string, Bar[]>; vintage: number }> {
  const cols = { symbol: marketBars.symbol, date: marketBars.date, open: marketBars.open, high: marketBars.high, low: marketBars.low, close: marketBars.close, adjClose: marketBars.adjClose, volume: marketBars.volume, dividend: marketBars.dividend, vintage: marketBars.vintage };
  const current = db
    .select(cols)
    .from(marketBars)
    .where(and(eq(marketBars.feed, feed), inArray(marketBars.symbol, symbols), lte(marketBars.date, asOf), vintage === undefined ? undefined : lte(marketBars.vintage, vintage)));
  const h = marketBarsHistory;
  const rows =
    vintage === undefined
      ? await current.orderBy(marketBars.symbol, marketBars.date)
      : (
          await current.unionAll(
            db
              .select({ symbol: h.symbol, date: h.date, open: h.open, high: h.high, low: h.low, close: h.close, adjClose: h.adjClose, volume: h.volume, dividend: h.dividend, vintage: h.vintage })
              .from(h)
              .where(and(eq(h.feed, feed), inArray(h.symbol, symbols), lte(h.date, asOf), lte(h.vintage, vintage), gt(h.supersededBy, vintage))),
          )
        ).sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const out = new Map<string, Bar[]>();
  let read = 0;
  for (const r of rows) {
    let list = out.get(r.symbol);
    if (!list) out.set(r.symbol, (list = []));
    list.push(toBar(r));
    if (r.vintage > read) read = r.vintage;
  }
  return { bars: out, vintage: vintage ?? read };
}

/** The vintage a read of these bars would reflect now, without loading them (a cache key). */
export async function barsVintage(db: Db, feed: string, symbols: string[], asOf: string): Promise<number> {
  const [r] = await db
    .select({ v: max(marketBars.vintage) })
    .from(marketBars)
    .where(and(eq(marketBars.feed, feed), inArray(marketBars.symbol, symbols), lte(marketBars.date, asOf)));
  return r?.v ?? 0;
}
