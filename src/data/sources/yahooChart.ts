import { InvalidMarketDataError } from '../../errors';
import { addDays, fromUtcDate, toUtcDate } from '../../util/dates';
import type { Bar } from '../bars';
import type { FetchRequest, MarketSource, SourceBatch } from './types';

/** Exact provider tickers: "VIX" is the CBOE index ^VIX, never the VIXY ETF. */
export const YAHOO_TICKERS: Record<string, string> = { VIX: '^VIX', PCR: '^CPC' };

export type FetchFn = (url: string) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

interface ChartResponse {
  chart?: {
    error?: { description?: string } | null;
    result?: Array<{
      meta?: { symbol?: string; gmtoffset?: number };
      timestamp?: number[];
      indicators?: {
        quote?: Array<{ open?: (number | null)[]; high?: (number | null)[]; low?: (number | null)[]; close?: (number | null)[]; volume?: (number | null)[] }>;
        adjclose?: Array<{ adjclose?: (number | null)[] }>;
      };
    }>;
  };
}

/** Converts one chart response to bars; rows with no close (e.g. today's partial bar) are dropped. */
export function parseChart(body: unknown, ticker: string): Bar[] {
  const res = (body as ChartResponse).chart;
  const url = `yahoo:${ticker}`;
  if (!res || res.error) throw new InvalidMarketDataError({ file: url }, `provider error: ${res?.error?.description ?? 'malformed response'}`);
  const r = res.result?.[0];
  if (!r?.timestamp) return [];
  if (r.meta?.symbol && r.meta.symbol.toUpperCase() !== ticker.toUpperCase()) {
    throw new InvalidMarketDataError({ file: url, field: 'symbol' }, `asked for ${ticker} but the provider answered ${r.meta.symbol}`);
  }
  const q = r.indicators?.quote?.[0] ?? {};
  const adj = r.indicators?.adjclose?.[0]?.adjclose;
  const offset = r.meta?.gmtoffset ?? 0;
  const bars: Bar[] = [];
  r.timestamp.forEach((ts, i) => {
    const close = q.close?.[i];
    if (close === null || close === undefined) return;
    bars.push({
      date: fromUtcDate(new Date((ts + offset) * 1000)),
      open: q.open?.[i] ?? null,
      high: q.high?.[i] ?? close,
      low: q.low?.[i] ?? close,
      close,
      adjClose: adj?.[i] ?? null,
      volume: q.volume?.[i] ?? null,
    });
  });
  return bars;
}

/**
 * Online daily bars from Yahoo's public chart endpoint, for users with internet. Incremental:
 * asks only for days after the last stored bar of each symbol.
 */
export class YahooChartSource implements MarketSource {
  constructor(
    readonly feed: string,
    private readonly start: string = '2000-01-01',
    private readonly fetchFn: FetchFn = (url) => fetch(url, { headers: { 'user-agent': 'regime-retrain/0.1' } }),
  ) {}

  async fetch(req: FetchRequest): Promise<SourceBatch[]> {
    const out: SourceBatch[] = [];
    for (const symbol of req.symbols) {
      const from = req.lastStored.has(symbol) ? addDays(req.lastStored.get(symbol)!, 1) : this.start;
      if (from > req.until) continue;
      const ticker = YAHOO_TICKERS[symbol] ?? symbol;
      const p1 = Math.floor(toUtcDate(from).getTime() / 1000);
      const p2 = Math.floor(toUtcDate(addDays(req.until, 1)).getTime() / 1000);
      const url = `https://query1.finance.yahoo.com/v8/finance/chart/${encodeURIComponent(ticker)}?period1=${p1}&period2=${p2}&interval=1d&events=div%2Csplit`;
      const resp = await this.fetchFn(url);
      if (resp.status === 404) continue; // unknown optional ticker
      if (!resp.ok) throw new Error(`yahoo ${ticker}: HTTP ${resp.status}`); // transient: retried by the activity
      const bars = parseChart(await resp.json(), ticker).filter((b) => b.date >= from && b.date <= req.until);
      out.push({ symbol, bars, origin: { file: `yahoo:${ticker}` } });
    }
    return out;
  }
}
