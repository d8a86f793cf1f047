import { InsufficientDataError } from '../errors';
import { MARKET_SYMBOL, totalReturnPrice, type Bar } from '../data/bars';

/**
 * Bars of many symbols aligned on the market's (SPY's) trading calendar. A symbol missing on
 * a day carries its last known value forward (never a later one); before its first bar it is
 * NaN. Everything downstream indexes days by position in `dates`.
 */
export interface Panel {
  dates: string[];
  symbols: string[];
  /** Total-return price (adj_close when present, else close). */
  price: Map<string, Float64Array>;
  close: Map<string, Float64Array>;
  high: Map<string, Float64Array>;
  low: Map<string, Float64Array>;
  volume: Map<string, Float64Array>;
}

export function buildPanel(bars: Map<string, Bar[]>): Panel {
  const spy = bars.get(MARKET_SYMBOL);
  if (!spy || spy.length === 0) throw new InsufficientDataError(`no ${MARKET_SYMBOL} bars: the market calendar comes from ${MARKET_SYMBOL}`);
  const dates = spy.map((b) => b.date);
  const n = dates.length;
  const panel: Panel = { dates, symbols: [...bars.keys()], price: new Map(), close: new Map(), high: new Map(), low: new Map(), volume: new Map() };
  for (const [symbol, list] of bars) {
    const price = new Float64Array(n).fill(NaN);
    const close = new Float64Array(n).fill(NaN);
    const high = new Float64Array(n).fill(NaN);
    const low = new Float64Array(n).fill(NaN);
    const volume = new Float64Array(n).fill(NaN);
    let j = 0;
    let last: Bar | undefined;
    for (let i = 0; i < n; i++) {
      while (j < list.length && list[j].date <= dates[i]) last = list[j++];
      if (!last) continue;
      const fresh = last.date === dates[i];
      price[i] = totalReturnPrice(last);
      close[i] = last.close;
      high[i] = fresh ? last.high : last.close;
      low[i] = fresh ? last.low : last.close;
      volume[i] = fresh ? (last.volume ?? NaN) : NaN;
    }
    panel.price.set(symbol, price);
    panel.close.set(symbol, close);
    panel.high.set(symbol, high);
    panel.low.set(symbol, low);
    panel.volume.set(symbol, volume);
  }
  return panel;
}

export function series(map: Map<string, Float64Array>, symbol: string, n: number): Float64Array {
  return map.get(symbol) ?? new Float64Array(n).fill(NaN);
}
