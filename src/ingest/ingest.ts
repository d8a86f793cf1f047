import type { Db } from '../db/client';
import { lastStoredBars, storedRanges, writeBars } from '../store/barStore';
import type { IngestConfig } from '../data/checkPolicy';
import { checkMarket, type MarketCheck, type SymbolReport } from '../data/checkMarket';
import type { CorporateActions } from '../data/corporateActions';
import { acceptedMarket } from '../data/readMarket';
import type { MarketSource } from '../data/sources/types';
import type { IngestWarnings, QuarantinedRow } from '../data/validation';

export interface IngestSummary {
  feed: string;
  until: string;
  rowsWritten: number;
  /** Rows whose stored values changed (their previous versions are kept in market_bars_history). */
  rowsChanged: number;
  /** The vintage this ingest created (null: nothing changed). */
  vintage: number | null;
  symbols: Record<string, { rows: number; first: string | null; last: string | null }>;
  missingOptional: string[];
  warnings: IngestWarnings;
  warningsBySymbol: Record<string, IngestWarnings>;
  /** Per symbol, what `data validate` prints (messages name files, gaps their dates). */
  reports: Record<string, SymbolReport>;
  quarantined: QuarantinedRow[];
  /** Series re-fetched whole and re-adjusted, with the actions that caused it. */
  readjusted: Record<string, CorporateActions>;
  /** Rows and first/last date stored per asked-for symbol up to `until`, after this ingest. */
  stored: Record<string, { rows: number; first: string | null; last: string | null }>;
}

export interface IngestOptions {
  symbols: string[];
  until: string;
  config?: IngestConfig;
  onProgress?: (done: number, total: number) => void;
}

/** A checked ingest, not yet written: `check.errors` says whether it may be. */
export interface PreparedIngest {
  feed: string;
  opts: IngestOptions;
  check: MarketCheck;
  lastStored: Map<string, string>;
}

/** Reads what is stored, fetches and checks every series; writes nothing. */
export async function prepareIngest(db: Db, source: MarketSource, opts: IngestOptions): Promise<PreparedIngest> {
  const before = await storedRanges(db, source.feed, opts.symbols);
  const lastStored = new Map([...before].filter(([, r]) => r.last).map(([s, r]) => [s, r.last!]));
  const firstStored = new Map([...before].filter(([, r]) => r.first).map(([s, r]) => [s, r.first!]));
  const priorBars = await lastStoredBars(db, source.feed, opts.symbols);
  const check = await checkMarket(source, { symbols: opts.symbols, until: opts.until, lastStored, firstStored, priorBars, config: opts.config });
  return { feed: source.feed, opts, check, lastStored };
}

/**
 * Writes a prepared ingest: bars and quarantined rows in one transactional, versioned write.
 * Throws the first rejection (file, row, field) before writing anything.
 */
export async function commitIngest(db: Db, p: PreparedIngest): Promise<IngestSummary> {
  const { opts, check } = p;
  const read = acceptedMarket(check, opts.symbols);
  const readjusted = Object.fromEntries(check.replacesHistory.map((s) => [s, check.actions[s]]));
  // Like the bars, quarantine records stop at `until`: a backfill does not list later rows.
  const quarantined = read.quarantined.filter((q) => q.date <= opts.until);
  const writes = [...read.bars].map(([symbol, bars]) => {
    const own = quarantined.filter((q) => q.symbol === symbol);
    const dates = [bars[0]?.date, bars.at(-1)?.date, ...own.map((q) => q.date)].filter((d): d is string => d !== undefined).sort();
    return { symbol, bars, quarantined: own, range: dates.length > 0 ? { from: dates[0], to: dates[dates.length - 1] } : undefined };
  });
  const readjust = Object.keys(readjusted).length > 0;
  const write = await writeBars(db, p.feed, writes, { kind: readjust ? 'readjust' : 'ingest', detail: readjust ? { readjusted } : {}, onProgress: opts.onProgress });
  const stored = await storedRanges(db, p.feed, opts.symbols, opts.until);
  return {
    feed: p.feed,
    until: opts.until,
    rowsWritten: write.rowsWritten,
    rowsChanged: write.rowsChanged,
    vintage: write.vintage,
    symbols: read.symbols,
    missingOptional: opts.symbols.filter((s) => !read.symbols[s] && !p.lastStored.has(s)),
    warnings: read.warnings,
    warningsBySymbol: read.warningsBySymbol,
    reports: check.reports,
    quarantined,
    readjusted,
    stored: Object.fromEntries(opts.symbols.map((s) => [s, stored.get(s) ?? { rows: 0, first: null, last: null }])),
  };
}

/** Fetch, validate everything, clip to `until`, then one write: a bad file writes nothing. */
export async function ingestMarketData(db: Db, source: MarketSource, opts: IngestOptions): Promise<IngestSummary> {
  return commitIngest(db, await prepareIngest(db, source, opts));
}
