import type { Dataset } from '../../datasets/dataset';
import { normalCdf } from '../stats/normal';
import { buySellScore, dailyLongShort, informationCoefficient, staticTwinBook, type LongShortResult } from '../metrics/signalMetrics';
import { predictionMetrics } from '../metrics/metrics';
import type { Oos } from './pooling';

const SELL = 0;
const BUY = 2;

function symbolReturnSeries(ds: Dataset): Float64Array[] {
  const n = ds.dates.length;
  return ds.symbols.map((_, s) => ds.symbolReturns.subarray(s * n, (s + 1) * n));
}

/**
 * Daily long-short of the predictions across symbols: decided at close t, executed after the
 * dataset's execution lag, held for the label's horizon in overlapping tranches (what the
 * label scored).
 */
export function longShortOos(ds: Dataset, oos: Oos, costBps: number): LongShortResult {
  return dailyLongShort(
    { day: Int32Array.from(oos.rows, (i) => ds.t[i]), symbol: Int32Array.from(oos.rows, (i) => ds.symbol[i]), prediction: oos.pred },
    symbolReturnSeries(ds),
    { buy: BUY, sell: SELL, costBps, lag: ds.executionLag, hold: ds.horizon },
  );
}

/** The book's static twin on the same return days (its average weights held constant). */
export function longShortTwinOos(ds: Dataset, book: LongShortResult, costBps: number): Float64Array {
  return staticTwinBook(book, symbolReturnSeries(ds), costBps);
}

/** P(buy) − P(sell) per row, or +1 / −1 / 0 from the hard prediction of a predictor without probabilities. */
export function signalScore(ds: Dataset, oos: Oos): Float64Array {
  return oos.proba ? buySellScore(oos.proba, ds.classNames.length, SELL, BUY) : Float64Array.from(oos.pred, (p) => (p === BUY ? 1 : p === SELL ? -1 : 0));
}

/** Cross-sectional IC and rank IC of one score per pooled row against the realised forward return (the label window), with the daily values. */
function icOfScore(ds: Dataset, oos: Oos, score: ArrayLike<number>) {
  return informationCoefficient({ day: Int32Array.from(oos.rows, (i) => ds.t[i]), score, forwardReturn: Float64Array.from(oos.rows, (i) => ds.pnl[i]) }, { horizon: ds.executionLag + ds.horizon });
}

/** The predictor's IC: its score P(buy) − P(sell) (or the hard call). */
export function icOos(ds: Dataset, oos: Oos) {
  return icOfScore(ds, oos, signalScore(ds, oos));
}

/**
 * The IC of a predictor's static twin: each row scored with its symbol's average score over
 * every out-of-sample row, on the same days and forward returns. Its IC is what a constant
 * cross-sectional ranking of the names earns.
 */
export function staticTwinIc(ds: Dataset, oos: Oos) {
  const score = signalScore(ds, oos);
  const sum = new Float64Array(ds.symbols.length);
  const count = new Float64Array(ds.symbols.length);
  oos.rows.forEach((i, r) => {
    if (!Number.isFinite(score[r])) return;
    sum[ds.symbol[i]] += score[r];
    count[ds.symbol[i]]++;
  });
  return icOfScore(ds, oos, Float64Array.from(oos.rows, (i) => (count[ds.symbol[i]] > 0 ? sum[ds.symbol[i]] / count[ds.symbol[i]] : NaN)));
}

/** Sector of a symbol: a sector ETF is its own sector; others from the map, else "unmapped". */
export function sectorOf(symbol: string, sectors: Record<string, string>, sectorEtfs: readonly string[]): string {
  if (sectorEtfs.includes(symbol)) return symbol;
  return sectors[symbol] ?? 'unmapped';
}

export interface SymbolPerformance {
  symbol: string;
  sector: string;
  n: number;
  accuracy: number;
  macro_f1: number;
  /** Time-series IC of the score with the symbol's forward return. */
  ic: number;
  /** Mean daily return of holding +1 (buy) / -1 (sell) / 0 over the first session after execution, annualised. */
  longShort: number;
  /** The newest fold's accuracy is significantly below this symbol's earlier folds (one-sided p < 0.01). */
  collapsed: boolean;
  collapse: { recentAccuracy: number; earlierAccuracy: number; pValue: number } | null;
}

function corr(a: number[], b: number[]): number {
  const n = a.length;
  if (n < 3) return NaN;
  const ma = a.reduce((x, y) => x + y, 0) / n;
  const mb = b.reduce((x, y) => x + y, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

/**
 * Per-symbol and per-sector tracking of a signal predictor's out-of-sample results. `foldOf`
 * gives each pooled row's fold (time order), so a symbol's newest fold can be tested against
 * its own earlier ones: a two-proportion z-test on accuracy.
 */
export function symbolTracking(ds: Dataset, oos: Oos, foldOf: Int32Array, sectors: Record<string, string>, sectorEtfs: readonly string[]) {
  const K = ds.classNames.length;
  const n = ds.dates.length;
  const score = signalScore(ds, oos);
  const lastFold = foldOf.length ? foldOf[foldOf.length - 1] : 0;
  const bySymbol = new Map<number, number[]>();
  oos.rows.forEach((i, r) => {
    const list = bySymbol.get(ds.symbol[i]) ?? [];
    list.push(r);
    bySymbol.set(ds.symbol[i], list);
  });
  const symbols: SymbolPerformance[] = [];
  for (const [s, rs] of [...bySymbol.entries()].sort((a, b) => a[0] - b[0])) {
    const y = Int32Array.from(rs, (r) => ds.y[oos.rows[r]]);
    const pred = Int32Array.from(rs, (r) => oos.pred[r]);
    const m = predictionMetrics(pred, null, y, K)!;
    const ic = corr(rs.map((r) => score[r]), rs.map((r) => ds.pnl[oos.rows[r]]));
    let ls = 0;
    let lsN = 0;
    for (const r of rs) {
      const d = ds.t[oos.rows[r]] + ds.executionLag + 1; // the first session the decision is held
      const ret = d < n ? ds.symbolReturns[s * n + d] : NaN;
      const pos = oos.pred[r] === BUY ? 1 : oos.pred[r] === SELL ? -1 : 0;
      if (Number.isFinite(ret)) {
        ls += pos * ret;
        lsN++;
      }
    }
    const recent = rs.filter((r) => foldOf[r] === lastFold);
    const earlier = rs.filter((r) => foldOf[r] !== lastFold);
    let collapse: SymbolPerformance['collapse'] = null;
    if (recent.length >= 30 && earlier.length >= 30) {
      const acc = (list: number[]) => list.filter((r) => oos.pred[r] === ds.y[oos.rows[r]]).length / list.length;
      const a1 = acc(recent);
      const a0 = acc(earlier);
      const p = (a1 * recent.length + a0 * earlier.length) / (recent.length + earlier.length);
      const se = Math.sqrt(p * (1 - p) * (1 / recent.length + 1 / earlier.length));
      collapse = { recentAccuracy: a1, earlierAccuracy: a0, pValue: se > 0 ? normalCdf((a1 - a0) / se) : 1 };
    }
    const symbol = ds.symbols[s];
    symbols.push({
      symbol,
      sector: sectorOf(symbol, sectors, sectorEtfs),
      n: rs.length,
      accuracy: m.accuracy,
      macro_f1: m.macro_f1,
      ic,
      longShort: lsN > 0 ? (ls / lsN) * 252 : NaN,
      collapsed: collapse !== null && collapse.pValue < 0.01,
      collapse,
    });
  }
  const sectorsOut = [...new Set(symbols.map((x) => x.sector))].sort().map((sector) => {
    const members = symbols.filter((x) => x.sector === sector);
    const total = members.reduce((a, x) => a + x.n, 0);
    const w = (f: (x: SymbolPerformance) => number) => members.reduce((a, x) => a + (Number.isFinite(f(x)) ? f(x) * x.n : 0), 0) / total;
    return { sector, symbols: members.length, n: total, accuracy: w((x) => x.accuracy), macro_f1: w((x) => x.macro_f1), ic: w((x) => x.ic), longShort: w((x) => x.longShort) };
  });
  return { symbols, sectors: sectorsOut };
}
