import { InvalidMarketDataError } from '../../errors';
import { addDays, fromUtcDate, toUtcDate } from '../../util/dates';
import type { Bar } from '../bars';
import { actionsBetween, hasActions, type CorporateActions } from '../corporateActions';
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
      events?: {
        splits?: Record<string, { date?: number; numerator?: number; denominator?: number }>;
        dividends?: Record<string, { date?: number; amount?: number }>;
      };
      indicators?: {
        quote?: Array<{ open?: (number | null)[]; high?: (number | null)[]; low?: (number | null)[]; close?: (number | null)[]; volume?: (number | null)[] }>;
        adjclose?: Array<{ adjclose?: (number | null)[] }>;
      };
    }>;
  };
}

/** Converts one chart response to bars; rows with no close (e.g. today's partial bar) are dropped. */
export function parseChart(body: unknown, ticker: string): Bar[] {
  return parseChartWithActions(body, ticker).bars;
}

/** Bars plus the splits and dividends in the response's `events` (dated like the bars). */
export function parseChartWithActions(body: unknown, ticker: string): { bars: Bar[]; actions: CorporateActions } {
  const res = (body as ChartResponse).chart;
  const url = `yahoo:${ticker}`;
  if (!res || res.error) throw new InvalidMarketDataError({ file: url }, `provider error: ${res?.error?.description ?? 'malformed response'}`);
  const r = res.result?.[0];
  if (!r?.timestamp) return { bars: [], actions: { splits: [], dividends: [] } };
  if (r.meta?.symbol && r.meta.symbol.toUpperCase() !== ticker.toUpperCase()) {
    throw new InvalidMarketDataError({ file: url, field: 'symbol' }, `asked for ${ticker} but the provider answered ${r.meta.symbol}`);
  }
  const q = r.indicators?.quote?.[0] ?? {};
  const adj = r.indicators?.adjclose?.[0]?.adjclose;
  const offset = r.meta?.gmtoffset ?? 0;
  const day = (ts: number) => fromUtcDate(new Date((ts + offset) * 1000));
  const actions: CorporateActions = { splits: [], dividends: [] };
  for (const [key, e] of Object.entries(r.events?.splits ?? {})) {
    const ratio = (e.numerator ?? NaN) / (e.denominator ?? NaN);
    if (!(Number.isFinite(ratio) && ratio > 0)) throw new InvalidMarketDataError({ file: url, field: 'events.splits' }, `split ${key} has no valid numerator/denominator`);
    actions.splits.push({ date: day(e.date ?? Number(key)), ratio });
  }
  for (const [key, e] of Object.entries(r.events?.dividends ?? {})) {
    if (!(typeof e.amount === 'number' && e.amount >= 0)) throw new InvalidMarketDataError({ file: url, field: 'events.dividends' }, `dividend ${key} has no valid amount`);
    actions.dividends.push({ date: day(e.date ?? Number(key)), amount: e.amount });
  }
  actions.splits.sort((a, b) => (a.date < b.date ? -1 : 1));
  actions.dividends.sort((a, b) => (a.date < b.date ? -1 : 1));
  const bars: Bar[] = [];
  r.timestamp.forEach((ts, i) => {
    const close = q.close?.[i];
    if (close === null || close === undefined) return;
    bars.push({
      date: day(ts),
      open: q.open?.[i] ?? null,
      high: q.high?.[i] ?? close,
      low: q.low?.[i] ?? close,
      close,
      adjClose: adj?.[i] ?? null,
      volume: q.volume?.[i] ?? null,
    });
  });
  return { bars, actions };
}

/**
 * Online daily bars from Yahoo's public chart endpoint, for users with internet. Incremental:
 * asks only for days after the last stored bar of each symbol. Yahoo adjusts the whole history
 * for every split (prices) and dividend (adj_close) up to the day of the request, so when the
 * new days carry a split or dividend, the stored history is stale: the series is re-fetched
 * from its first stored day and returned whole (`replacesHistory`), and the store replaces it
 * in one transaction, keeping the previous versions.
 */
export class YahooChartSource implements MarketSource {
  constructor(
    readonly feed: string,
    private readonly start: string = '2000-01-01',
    private readonly fetchFn: FetchFn = (url) => fetch(url, { headers: { 'user-agent': 'regime-retrain/0.1' } }),
  ) {}

  /** null: the provider does not know the ticker (an optional series may be absent). */
  private async chart(ticker: string, from: string, until: string): Promise<{ bars: Bar[]; actions: CorporateActions } | null> {
    const p1 = Math.floor(toUtcDate(from).getTime() / 1000);
    const p2 = Math.floor(toUtcDate(addDays(until, 1)).getTime() / 1000);
    const url = `https://query1.finance.yahoo.com/v8/finance/chart/${encodeURIComponent(ticker)}?period1=${p1}&period2=${p2}&interval=1d&events=div%2Csplit`;
    const resp = await this.fetchFn(url);
    if (resp.status === 404) return null;
    if (!resp.ok) throw new Error(`yahoo ${ticker}: HTTP ${resp.status}`); // transient: retried by the activity
    const parsed = parseChartWithActions(await resp.json(), ticker);
    return { bars: parsed.bars.filter((b) => b.date >= from && b.date <= until), actions: parsed.actions };
  }

  async fetch(req: FetchRequest): Promise<SourceBatch[]> {
    const out: SourceBatch[] = [];
    for (const symbol of req.symbols) {
      const last = req.lastStored.get(symbol);
      const from = last ? addDays(last, 1) : this.start;
      if (from > req.until) continue;
      const ticker = YAHOO_TICKERS[symbol] ?? symbol;
      const origin = { file: `yahoo:${ticker}` };
      const got = await this.chart(ticker, from, req.until);
      if (!got) {
        out.push({ symbol, bars: [], origin, missing: true });
        continue;
      }
      const news = last ? actionsBetween(got.actions, last, req.until) : { splits: [], dividends: [] };
      if (last && hasActions(news)) {
        const first = req.firstStored?.get(symbol);
        const whole = await this.chart(ticker, first && first < this.start ? first : this.start, req.until);
        if (!whole) throw new Error(`yahoo ${ticker}: the series vanished while re-fetching it after a corporate action`);
        out.push({ symbol, bars: whole.bars, origin, actions: news, replacesHistory: true });
        continue;
      }
      out.push({ symbol, bars: got.bars, origin, actions: got.actions });
    }
    return out;
  }
}
