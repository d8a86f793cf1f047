import { z } from 'zod';
import { BOND_SYMBOL, MARKET_SYMBOL, PUT_CALL_SYMBOL, SECTOR_SYMBOLS, VOL_INDEX_SYMBOL } from './bars';
import { isValidSymbol } from './symbols';

/**
 * How ingest treats a bad row (high < low, a non-positive price, a daily move beyond the
 * limit): `reject` refuses the whole file (the default for runs: nothing is written),
 * `quarantine` leaves the row out and records it in `quarantined_bars`.
 */
export const OnBadRowSchema = z.enum(['reject', 'quarantine']);
export type OnBadRow = z.infer<typeof OnBadRowSchema>;

/**
 * Largest plausible close-to-close move (as a fraction, in either direction) per kind of
 * series; beyond it a day is a bad tick or an unrecorded split. Measured on the real corpus:
 * ETFs peak at +16.5% (XLE/XLF 2008), ^VIX at +115.6% (2018-02-05), AAPL at −51.9%
 * (2000-09-29) — a real stock move as large as a 2:1 split, which is why stocks get a wider
 * limit (splits below it cannot be told from real moves by size; the online source parses
 * them instead). `null` exempts a series (PCR is a ratio whose daily swings are ordinary).
 */
export const IngestConfigSchema = z.object({
  onBadRow: OnBadRowSchema.default('reject'),
  maxDailyMove: z
    .object({
      /** SPY, TLT and the sector ETFs. */
      fund: z.number().positive().default(0.4),
      /** VIX and other volatility indices. */
      volatility: z.number().positive().nullable().default(2),
      /** Every other symbol (the signal universe). */
      stock: z.number().positive().nullable().default(0.75),
      /** Per-symbol limits, overriding the kind's (null = exempt). */
      bySymbol: z
        .record(z.string(), z.number().positive().nullable())
        .refine((r) => Object.keys(r).every(isValidSymbol), 'bySymbol keys must be valid symbols')
        .default({}),
    })
    .default({}),
});
export type IngestConfig = z.infer<typeof IngestConfigSchema>;

export function ingestConfig(overrides: unknown = {}): IngestConfig {
  return IngestConfigSchema.parse(overrides ?? {});
}

const FUNDS = new Set<string>([MARKET_SYMBOL, BOND_SYMBOL, ...SECTOR_SYMBOLS]);
const VOLATILITY = new Set<string>([VOL_INDEX_SYMBOL, '^VIX', 'VIX9D', 'VIX3M', 'VVIX', 'VXN', 'VXD', 'RVX']);
const EXEMPT = new Set<string>([PUT_CALL_SYMBOL]);

export function dailyMoveLimit(symbol: string, cfg: IngestConfig): number | null {
  const own = cfg.maxDailyMove.bySymbol[symbol];
  if (own !== undefined) return own;
  if (EXEMPT.has(symbol)) return null;
  if (VOLATILITY.has(symbol)) return cfg.maxDailyMove.volatility;
  if (FUNDS.has(symbol)) return cfg.maxDailyMove.fund;
  return cfg.maxDailyMove.stock;
}

/** What validation needs to know about one series. */
export interface SeriesPolicy {
  onBadRow: OnBadRow;
  maxDailyMove: number | null;
}

export function seriesPolicy(symbol: string, cfg: IngestConfig): SeriesPolicy {
  return { onBadRow: cfg.onBadRow, maxDailyMove: dailyMoveLimit(symbol, cfg) };
}
