import { BOND_SYMBOL, MARKET_SYMBOL, PUT_CALL_SYMBOL, SECTOR_SYMBOLS, VOL_INDEX_SYMBOL } from './bars';

/** The market features' fixed inputs: SPY, TLT, VIX, the sector ETFs and the optional put/call series. */
export const MARKET_INPUTS: string[] = [MARKET_SYMBOL, BOND_SYMBOL, VOL_INDEX_SYMBOL, ...SECTOR_SYMBOLS, PUT_CALL_SYMBOL];

/** Every series a run reads: the market inputs plus the signal task's symbols. */
export function runSymbols(cfg: { signal: { symbols: string[] } }): string[] {
  return [...new Set([...MARKET_INPUTS, ...cfg.signal.symbols])];
}
