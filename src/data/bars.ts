/** Daily bar types and the symbol universe the features are built from. */

export interface Bar {
  date: string; // YYYY-MM-DD
  open: number | null;
  high: number;
  low: number;
  close: number;
  adjClose: number | null;
  volume: number | null;
  /**
   * Cash distribution per share going ex on this day, where the source's distribution record
   * (`<SYMBOL>.dividends.csv`) covers the day: 0 when nothing goes ex. Absent (or null) where no
   * record covers the day: the series is price-only there unless it has adj_close.
   */
  dividend?: number | null;
}

export interface SymbolBars {
  symbol: string;
  bars: Bar[];
}

export const MARKET_SYMBOL = 'SPY';
export const BOND_SYMBOL = 'TLT';
export const VOL_INDEX_SYMBOL = 'VIX';
/** Optional put/call ratio series; when absent a documented proxy is used. */
export const PUT_CALL_SYMBOL = 'PCR';
export const SECTOR_SYMBOLS = ['XLB', 'XLE', 'XLF', 'XLI', 'XLK', 'XLP', 'XLU', 'XLV', 'XLY'] as const;
/** The stocks the signal task uses when the run names none (`dataset.signal.symbols`). */
export const STOCK_SYMBOLS = ['AAPL', 'MSFT', 'GOOGL'] as const;

/**
 * The market features' fixed inputs: whatever the user's universe, every run ingests these
 * (plus the optional PCR series) and nothing else feeds the strategy task.
 */
export const MARKET_INPUT_SYMBOLS: string[] = [MARKET_SYMBOL, BOND_SYMBOL, VOL_INDEX_SYMBOL, ...SECTOR_SYMBOLS];
/** The signal task's symbols when a run names none (`dataset.signal.symbols`). */
export const DEFAULT_SIGNAL_SYMBOLS: string[] = [...SECTOR_SYMBOLS, ...STOCK_SYMBOLS];
/** The default run universe: the market inputs and the default signal stocks. */
export const DEFAULT_UNIVERSE: string[] = [...MARKET_INPUT_SYMBOLS, ...STOCK_SYMBOLS];
/** Series without which no dataset can be built. */
export const REQUIRED_SYMBOLS = [MARKET_SYMBOL, BOND_SYMBOL, VOL_INDEX_SYMBOL];

/**
 * Plausible close ranges per series. They catch a file mapped to the wrong instrument, the
 * classic being "VIX" matching the VIXY ETF (split-adjusted to ~600,000) instead of the
 * ^VIX index (which has lived between ~9 and ~90).
 */
export const PLAUSIBLE_CLOSE: Record<string, [number, number]> = {
  VIX: [5, 150],
  PCR: [0.1, 5],
  SPY: [10, 5_000],
  TLT: [20, 500],
};
export const DEFAULT_PLAUSIBLE_CLOSE: [number, number] = [1e-4, 1e6];

export function plausibleRange(symbol: string): [number, number] {
  return PLAUSIBLE_CLOSE[symbol] ?? DEFAULT_PLAUSIBLE_CLOSE;
}


