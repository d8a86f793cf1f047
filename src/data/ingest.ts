import type { Db } from '../db/client';
import { lastStoredBars, storedRanges, writeBars } from './barStore';
import type { IngestConfig } from './checkPolicy';
import type { SymbolReport } from './checkMarket';
import type { CorporateActions } from './corporateActions';
import type { MarketSource } from './sources/types';
import { readMarket } from './readMarket';
import type { IngestWarnings, QuarantinedRow } from './validation';

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

/**
 * readMarket (fetch, validate everything, clip to `until`) -> one transactional, versioned
 * write of bars and quarantined rows. Validation happens before any write, so a bad file
 * fails the ingest with nothing written.
 */
export async function ingestMarketData(
  db: Db,
  source: MarketSource,
  opts: { symbols: string[]; until: string; config?: IngestConfig; onProgress?: (done: number, total: number) => void },
): Promise<IngestSummary> {
  const before = await storedRanges(db, source.feed, opts.symbols);
  const lastStored = new Map([...before].filter(([, r]) => r.last).map(([s, r]) => [s, r.last!]));
  const firstStored = new Map([...before].filter(([, r]) => r.first).map(([s, r]) => [s, r.first!]));
  const priorBars = await lastStoredBars(db, source.feed, opts.symbols);
  const read = await readMarket(source, { symbols: opts.symbols, until: opts.until, lastStored, firstStored, priorBars, config: opts.config });
  const readjusted = Object.fromEntries(read.check.replacesHistory.map((s) => [s, read.check.actions[s]]));
  // Like the bars, quarantine records stop at `until`: a backfill does not list later rows.
  const quarantined = read.quarantined.filter((q) => q.date <= opts.until);
  const writes = [...read.bars].map(([symbol, bars]) => {
    const own = quarantined.filter((q) => q.symbol === symbol);
    const dates = [bars[0]?.date, bars.at(-1)?.date, ...own.map((q) => q.date)].filter((d): d is string => d !== undefined).sort();
    return { symbol, bars, quarantined: own, range: dates.length > 0 ? { from: dates[0], to: dates[dates.length - 1] } : undefined };
  });
  const write = await writeBars(
    db,
    source.feed,
    writes,
    { kind: Object.keys(readjusted).length > 0 ? 'readjust' : 'ingest', detail: Object.keys(readjusted).length > 0 ? { readjusted } : {}, onProgress: opts.onProgress },
  );
  const stored = await storedRanges(db, source.feed, opts.symbols, opts.until);
  return {
    feed: source.feed,
    until: opts.until,
    rowsWritten: write.rowsWritten,
    rowsChanged: write.rowsChanged,
    vintage: write.vintage,
    symbols: read.symbols,
    missingOptional: opts.symbols.filter((s) => !read.symbols[s] && !lastStored.has(s)),
    warnings: read.warnings,
    warningsBySymbol: read.warningsBySymbol,
    reports: read.check.reports,
    quarantined,
    readjusted,
    stored: Object.fromEntries(opts.symbols.map((s) => [s, stored.get(s) ?? { rows: 0, first: null, last: null }])),
  };
}
