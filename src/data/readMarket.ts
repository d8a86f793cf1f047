import type { Bar } from './bars';
import { checkMarket, type CheckOptions, type MarketCheck } from './checkMarket';
import type { MarketSource } from './sources/types';
import { addWarnings, emptyWarnings, type IngestWarnings, type QuarantinedRow } from './validation';

export interface MarketRead {
  bars: Map<string, Bar[]>;
  symbols: Record<string, { rows: number; first: string | null; last: string | null }>;
  warnings: IngestWarnings;
  warningsBySymbol: Record<string, IngestWarnings>;
  quarantined: QuarantinedRow[];
  /** The full per-symbol check (messages, gaps with dates, corporate actions). */
  check: MarketCheck;
}

/**
 * Fetch -> validate every series completely -> clip to `until`, with no database involved.
 * Ingest writes what this returns; benchmarks and real-data tests use it directly. Throws the
 * first rejection (file, row, field), so nothing is written when any file is bad.
 * `lastStored` lets incremental sources skip what is already stored (and lets a required
 * series be absent from this batch when it is already in the store).
 */
export async function readMarket(source: MarketSource, opts: CheckOptions): Promise<MarketRead> {
  return acceptedMarket(await checkMarket(source, opts), opts.symbols);
}

/** A check's accepted bars with their totals; throws the first rejection. */
export function acceptedMarket(check: MarketCheck, asked: string[]): MarketRead {
  if (check.errors.length > 0) throw check.errors[0];
  let warnings = emptyWarnings();
  const symbols: MarketRead['symbols'] = {};
  for (const [symbol, bars] of check.bars) {
    warnings = addWarnings(warnings, check.counts[symbol]);
    symbols[symbol] = { rows: bars.length, first: bars[0]?.date ?? null, last: bars.at(-1)?.date ?? null };
  }
  // An incremental source with nothing new still reports the symbol (0 rows), as before.
  for (const symbol of asked) if (!symbols[symbol] && !check.missing.includes(symbol) && check.reports[symbol]) symbols[symbol] = { rows: 0, first: null, last: null };
  return {
    bars: check.bars,
    symbols,
    warnings,
    warningsBySymbol: check.counts,
    quarantined: Object.values(check.reports).flatMap((r) => r.quarantined),
    check,
  };
}
