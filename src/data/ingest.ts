import type { Db } from '../db/client';
import { lastStoredDates, upsertBars } from './barStore';
import type { MarketSource } from './sources/types';
import { readMarket } from './readMarket';
import type { IngestWarnings } from './validation';

export interface IngestSummary {
  feed: string;
  until: string;
  rowsWritten: number;
  symbols: Record<string, { rows: number; first: string | null; last: string | null }>;
  missingOptional: string[];
  warnings: IngestWarnings;
  warningsBySymbol: Record<string, IngestWarnings>;
}

/**
 * readMarket (fetch, validate everything, clip to `until`) -> one transactional upsert.
 * Validation happens before any write, so a bad file fails the ingest with nothing written.
 */
export async function ingestMarketData(
  db: Db,
  source: MarketSource,
  opts: { symbols: string[]; until: string; onProgress?: (done: number, total: number) => void },
): Promise<IngestSummary> {
  const lastStored = await lastStoredDates(db, source.feed, opts.symbols);
  const { bars, symbols, warnings, warningsBySymbol } = await readMarket(source, { symbols: opts.symbols, until: opts.until, lastStored });
  const clipped = [...bars].map(([symbol, list]) => ({ symbol, bars: list }));
  const rowsWritten = await upsertBars(db, source.feed, clipped, opts.onProgress);
  return {
    feed: source.feed,
    until: opts.until,
    rowsWritten,
    symbols,
    missingOptional: opts.symbols.filter((s) => !symbols[s] && !lastStored.has(s)),
    warnings,
    warningsBySymbol,
  };
}
