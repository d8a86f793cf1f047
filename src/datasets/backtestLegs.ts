import { BOND_SYMBOL, MARKET_SYMBOL, type Bar } from '../data/bars';
import { assetFromBars, type BacktestAsset } from './assetReturns';

/** The strategy backtest's SPY and TLT legs from their bars: total return where adj_close exists, and overnight parts for next-open execution. */
export function backtestLegs(bars: Map<string, Bar[]>, calendar: string[], maxStaleDays: number): { spy: BacktestAsset; tlt: BacktestAsset } {
  return {
    spy: assetFromBars(MARKET_SYMBOL, bars.get(MARKET_SYMBOL) ?? [], calendar, maxStaleDays),
    tlt: assetFromBars(BOND_SYMBOL, bars.get(BOND_SYMBOL) ?? [], calendar, maxStaleDays),
  };
}
