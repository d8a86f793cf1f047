import { InsufficientDataError } from '../errors';
import { MARKET_SYMBOL, PUT_CALL_SYMBOL, REQUIRED_SYMBOLS, SECTOR_SYMBOLS, type Bar } from '../data/bars';
import { totalReturnLevels, type ReturnCoverage } from '../data/totalReturn';

/**
 * Bars of many symbols aligned on the market's (SPY's) trading calendar. A symbol missing on
 * a day carries its last known value forward (never a later one) for at most `maxStaleDays`
 * trading days — a holiday or a halt — and is NaN after that, as it is before its first bar:
 * a series that stopped (a delisting, a feed that died) never feeds a row with a frozen price.
 * Everything downstream indexes days by position in `dates`.
 */
export interface Panel {
  dates: string[];
  symbols: string[];
  /** Total-return level (src/data/totalReturn.ts): adj_close, else the close with distributions reinvested, else the close. */
  price: Map<string, Float64Array>;
  /** How each symbol's `price` accounts for distributions, and from when it is price-only. */
  coverage: Map<string, ReturnCoverage>;
  close: Map<string, Float64Array>;
  high: Map<string, Float64Array>;
  low: Map<string, Float64Array>;
  volume: Map<string, Float64Array>;
  /**
   * 1 where the symbol has a bar of its own that day, 0 where the value is carried forward (or
   * missing). Features may use a carried value; a label or a trade may not: a forward return
   * that ends on a carried close is a return nobody could earn (AAPL carried past its last
   * bar read 0.0000 and was labelled "hold").
   */
  fresh: Map<string, Uint8Array>;
  maxStaleDays: number;
  /** Each symbol's last bar on or before the panel's last day (null: none). */
  lastBar: Map<string, string | null>;
  /** Stale-data findings for the caller to report (see PanelWarning). */
  warnings: PanelWarning[];
}

/**
 * `required_series_end_dates`: SPY, TLT and VIX do not end on the same date (one stopped early,
 * or the calendar stops before the others); `stale_gap`: a market input had no bar for more
 * than `maxStaleDays` trading days, so its values there are missing.
 */
export interface PanelWarning {
  code: 'required_series_end_dates' | 'stale_gap';
  message: string;
  series: Record<string, string | null>;
}

export const DEFAULT_MAX_STALE_DAYS = 5;

/** Series whose stale gaps are worth a warning: the ones every row of every task depends on. */
const WATCHED = new Set<string>([...REQUIRED_SYMBOLS, ...SECTOR_SYMBOLS, PUT_CALL_SYMBOL]);

export function buildPanel(bars: Map<string, Bar[]>, opts: { maxStaleDays?: number } = {}): Panel {
  const maxStale = opts.maxStaleDays ?? DEFAULT_MAX_STALE_DAYS;
  if (!(Number.isInteger(maxStale) && maxStale >= 0)) throw new RangeError(`maxStaleDays must be a non-negative integer, got ${maxStale}`);
  const spy = bars.get(MARKET_SYMBOL);
  if (!spy || spy.length === 0) throw new InsufficientDataError(`no ${MARKET_SYMBOL} bars: the market calendar comes from ${MARKET_SYMBOL}`);
  const dates = spy.map((b) => b.date);
  const n = dates.length;
  const panel: Panel = { dates, symbols: [...bars.keys()], price: new Map(), coverage: new Map(), close: new Map(), high: new Map(), low: new Map(), volume: new Map(), fresh: new Map(), maxStaleDays: maxStale, lastBar: new Map(), warnings: [] };
  for (const [symbol, list] of bars) {
    const price = new Float64Array(n).fill(NaN);
    const close = new Float64Array(n).fill(NaN);
    const high = new Float64Array(n).fill(NaN);
    const low = new Float64Array(n).fill(NaN);
    const volume = new Float64Array(n).fill(NaN);
    const isFresh = new Uint8Array(n);
    const tr = totalReturnLevels(symbol, list);
    let j = 0;
    let last: Bar | undefined;
    let lastLevel = NaN;
    let seenAt = -1; // panel day on which `last` was first visible
    let gapFrom = -1;
    for (let i = 0; i < n; i++) {
      while (j < list.length && list[j].date <= dates[i]) {
        lastLevel = tr.level[j];
        last = list[j++];
        seenAt = i;
      }
      if (!last) continue;
      if (i - seenAt > maxStale) {
        if (gapFrom < 0) gapFrom = i;
        continue;
      }
      if (gapFrom >= 0 && WATCHED.has(symbol)) panel.warnings.push(staleGap(symbol, dates, gapFrom, i - 1, maxStale));
      gapFrom = -1;
      const fresh = last.date === dates[i];
      isFresh[i] = fresh ? 1 : 0;
      price[i] = lastLevel;
      close[i] = last.close;
      high[i] = fresh ? last.high : last.close;
      low[i] = fresh ? last.low : last.close;
      volume[i] = fresh ? (last.volume ?? NaN) : NaN;
    }
    // A gap running to the end is the series ending early: reported with the end dates below.
    if (gapFrom >= 0 && WATCHED.has(symbol) && !REQUIRED_SYMBOLS.includes(symbol)) panel.warnings.push(staleGap(symbol, dates, gapFrom, n - 1, maxStale));
    panel.price.set(symbol, price);
    panel.close.set(symbol, close);
    panel.high.set(symbol, high);
    panel.low.set(symbol, low);
    panel.volume.set(symbol, volume);
    panel.fresh.set(symbol, isFresh);
    panel.coverage.set(symbol, tr.coverage);
    panel.lastBar.set(symbol, last?.date ?? null);
  }
  const ends = requiredEnds(bars, panel);
  if (ends) panel.warnings.push(ends);
  return panel;
}

function staleGap(symbol: string, dates: string[], from: number, to: number, maxStale: number): PanelWarning {
  return {
    code: 'stale_gap',
    message: `${symbol} has no bar for more than ${maxStale} trading days: missing from ${dates[from]} to ${dates[to]}`,
    series: { [symbol]: dates[from] },
  };
}

/** Compares the raw last bar of SPY, TLT and VIX (what was loaded, up to as-of). */
function requiredEnds(bars: Map<string, Bar[]>, panel: Panel): PanelWarning | null {
  const series: Record<string, string | null> = {};
  for (const s of REQUIRED_SYMBOLS) series[s] = bars.get(s)?.at(-1)?.date ?? null;
  const distinct = new Set(Object.values(series));
  if (distinct.size <= 1) return null;
  const end = panel.dates[panel.dates.length - 1];
  const parts = REQUIRED_SYMBOLS.map((s) => `${s} ${series[s] ?? '(none)'}`).join(', ');
  const consequences = REQUIRED_SYMBOLS.filter((s) => s !== MARKET_SYMBOL).map((s) => {
    const last = series[s];
    if (last === null) return `${s} is missing throughout`;
    if (last > end) return `${s} after ${end} is not used (the calendar is ${MARKET_SYMBOL}'s)`;
    if (last === end) return null;
    const p = panel.price.get(s)!;
    let k = p.length - 1;
    while (k >= 0 && !Number.isFinite(p[k])) k--;
    return k < p.length - 1 ? `${s} is missing (NaN) from ${panel.dates[k + 1]} (maxStaleDays ${panel.maxStaleDays})` : `${s} is carried forward from ${last} (within maxStaleDays ${panel.maxStaleDays})`;
  });
  return {
    code: 'required_series_end_dates',
    message: `required series end on different dates: ${parts}; ${consequences.filter(Boolean).join('; ')}`,
    series,
  };
}

/** Whether `symbol` has a real (not carried-forward) bar on calendar day t. */
export function isFresh(panel: Panel, symbol: string, t: number): boolean {
  return panel.fresh.get(symbol)?.[t] === 1;
}

export function series(map: Map<string, Float64Array>, symbol: string, n: number): Float64Array {
  return map.get(symbol) ?? new Float64Array(n).fill(NaN);
}
