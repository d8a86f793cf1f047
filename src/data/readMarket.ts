import { InvalidMarketDataError } from '../errors';
import type { Bar } from './bars';
import { REQUIRED_SYMBOLS } from './bars';
import type { MarketSource } from './sources/types';
import { addWarnings, emptyWarnings, validateBars, type IngestWarnings } from './validation';

export interface MarketRead {
  bars: Map<string, Bar[]>;
  symbols: Record<string, { rows: number; first: string | null; last: string | null }>;
  warnings: IngestWarnings;
  warningsBySymbol: Record<string, IngestWarnings>;
}

/**
 * Fetch -> validate every series completely -> clip to `until`, with no database involved.
 * Ingest writes what this returns; benchmarks and real-data tests use it directly.
 * `lastStored` lets incremental sources skip what is already stored (and lets a required
 * series be absent from this batch when it is already in the store).
 */
export async function readMarket(source: MarketSource, opts: { symbols: string[]; until: string; lastStored?: Map<string, string> }): Promise<MarketRead> {
  const lastStored = opts.lastStored ?? new Map<string, string>();
  const batches = await source.fetch({ symbols: opts.symbols, until: opts.until, lastStored });
  let warnings = emptyWarnings();
  const warningsBySymbol: Record<string, IngestWarnings> = {};
  const symbols: MarketRead['symbols'] = {};
  const bars = new Map<string, Bar[]>();
  for (const b of batches) {
    const w = b.bars.length > 0 ? validateBars(b.symbol, b.bars, b.origin) : emptyWarnings();
    warningsBySymbol[b.symbol] = w;
    warnings = addWarnings(warnings, w);
    // Whole series validated first: a bad row after `until` still means a bad file.
    const kept = b.bars.filter((x) => x.date <= opts.until);
    symbols[b.symbol] = { rows: kept.length, first: kept[0]?.date ?? null, last: kept.at(-1)?.date ?? null };
    bars.set(b.symbol, kept);
  }
  for (const req of REQUIRED_SYMBOLS) {
    if (opts.symbols.includes(req) && !symbols[req] && !lastStored.has(req)) {
      throw new InvalidMarketDataError({ file: `${source.feed}:${req}` }, `required series ${req} is missing from the source`);
    }
  }
  return { bars, symbols, warnings, warningsBySymbol };
}
