import type { Db } from '../db/client';
import { InvalidMarketDataError } from '../errors';
import { lastStoredDates, upsertBars } from './barStore';
import { REQUIRED_SYMBOLS } from './bars';
import type { MarketSource } from './sources/types';
import { addWarnings, emptyWarnings, validateBars, type IngestWarnings } from './validation';

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
 * Fetch -> validate every series completely -> clip to `until` -> one transactional upsert.
 * Validation happens before any write, so a bad file fails the ingest with nothing written.
 */
export async function ingestMarketData(
  db: Db,
  source: MarketSource,
  opts: { symbols: string[]; until: string; onProgress?: (done: number, total: number) => void },
): Promise<IngestSummary> {
  const lastStored = await lastStoredDates(db, source.feed, opts.symbols);
  const batches = await source.fetch({ symbols: opts.symbols, until: opts.until, lastStored });
  let warnings = emptyWarnings();
  const warningsBySymbol: Record<string, IngestWarnings> = {};
  const symbols: IngestSummary['symbols'] = {};
  const clipped = batches.map((b) => {
    const w = b.bars.length > 0 ? validateBars(b.symbol, b.bars, b.origin) : emptyWarnings();
    warningsBySymbol[b.symbol] = w;
    warnings = addWarnings(warnings, w);
    const bars = b.bars.filter((x) => x.date <= opts.until);
    symbols[b.symbol] = { rows: bars.length, first: bars[0]?.date ?? null, last: bars.at(-1)?.date ?? null };
    return { symbol: b.symbol, bars };
  });
  for (const req of REQUIRED_SYMBOLS) {
    if (opts.symbols.includes(req) && !symbols[req] && !lastStored.has(req)) {
      throw new InvalidMarketDataError({ file: `${source.feed}:${req}` }, `required series ${req} is missing from the source`);
    }
  }
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
