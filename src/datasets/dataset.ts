import type { ReturnCoverage } from '../data/totalReturn';
import type { MarketFeatureInputs } from '../features/marketFeatures';
import type { StrategyDef } from '../labels/strategies';
import { decodeArrays, encodeArrays } from '../util/arrayCodec';

export type Task = 'strategy' | 'signal';
export const TASKS: Task[] = ['strategy', 'signal'];

/**
 * Every usable labelled row of one task up to the as-of date, time-ordered by (day, symbol).
 * Nothing here is split or sampled: folds, training samples and weights are derived per fit
 * (src/evaluation/protocol), so one stored dataset serves every fold, the refit and the audit.
 */
export interface Dataset {
  task: Task;
  featureNames: string[];
  classNames: string[];
  /** Strategy task: the allocation behind each class (backtests); null for signal. */
  allocations: StrategyDef[] | null;
  /** What the market features were computed from (fixed cross-section, put/call source). */
  marketInputs: MarketFeatureInputs;
  symbols: string[];
  horizon: number;
  /** Days between decision (close t) and trade; a row's label ends at t + lag + horizon. */
  executionLag: number;
  /** The trading calendar; `t` indexes it. */
  dates: string[];
  rows: number;
  cols: number;
  /** Raw (unstandardised) features, row-major rows x cols, in float32 (half the memory; serving rounds the same way). */
  X: Float32Array;
  y: Int32Array;
  regime: Int8Array;
  /** Calendar index of the row's day (non-decreasing). */
  t: Int32Array;
  symbol: Int16Array;
  /** yyyymmdd end of the crisis-archive window the row's day lies in; 0 = none. */
  archiveEnd: Int32Array;
  /** Strategy: realised return of each class over the label window (rows x classes); signal: the symbol's forward return (rows x 1). */
  pnl: Float64Array;
  pnlCols: number;
  /**
   * Calendar-aligned daily returns (close t-1 -> close t) for backtests, their overnight parts
   * (close t-1 -> open t; NaN where no open is known) for next-open execution, and the daily
   * cash rate.
   */
  market: { spy: Float64Array; tlt: Float64Array; spyOvernight: Float64Array; tltOvernight: Float64Array; cash: Float64Array };
  /** Signal task: each symbol's daily return on the calendar, symbols x days (long-short backtests); empty for strategy. */
  symbolReturns: Float64Array;
  /**
   * Which legs are price-only on some day up to as-of (no adjusted close, no distribution record
   * there), how each leg's returns account for distributions (absent in datasets stored before
   * it existed), and where the cash rate came from.
   */
  marketNotes: { priceOnly: string[]; coverage?: ReturnCoverage[]; cashSource: string };
  /** Extra weight multiplier per row (error replay; 1 = none). */
  replayWeight: Float64Array;
  replayRows: number;
}

type Arrays = 'X' | 'y' | 'regime' | 't' | 'symbol' | 'archiveEnd' | 'pnl' | 'replayWeight' | 'symbolReturns';
type Meta = Omit<Dataset, Arrays | 'market'>;

export function encodeDataset(d: Dataset): Buffer {
  const { X, y, regime, t, symbol, archiveEnd, pnl, replayWeight, symbolReturns, market, ...meta } = d;
  return encodeArrays(meta satisfies Meta, { X, y, regime, t, symbol, archiveEnd, pnl, replayWeight, symbolReturns, spy: market.spy, tlt: market.tlt, spyOvernight: market.spyOvernight, tltOvernight: market.tltOvernight, cash: market.cash });
}

export function decodeDataset(buf: Uint8Array): Dataset {
  const { meta, arrays } = decodeArrays<Meta>(buf);
  return {
    ...meta,
    X: arrays.X as Float32Array,
    y: arrays.y as Int32Array,
    regime: arrays.regime as Int8Array,
    t: arrays.t as Int32Array,
    symbol: arrays.symbol as Int16Array,
    archiveEnd: arrays.archiveEnd as Int32Array,
    pnl: arrays.pnl as Float64Array,
    replayWeight: arrays.replayWeight as Float64Array,
    symbolReturns: arrays.symbolReturns as Float64Array,
    market: { spy: arrays.spy as Float64Array, tlt: arrays.tlt as Float64Array, spyOvernight: arrays.spyOvernight as Float64Array, tltOvernight: arrays.tltOvernight as Float64Array, cash: arrays.cash as Float64Array },
  };
}

export function dayNumber(iso: string): number {
  return Number(iso.replaceAll('-', ''));
}

export function dayString(n: number): string {
  const s = String(n);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}

/** Calendar index of the last day of row i's label window. */
export function labelEnd(d: Dataset, i: number): number {
  return d.t[i] + d.executionLag + d.horizon;
}

/** First row index whose day is >= calendar index `t` (rows are time-ordered). */
export function firstRowAtOrAfter(d: Dataset, t: number): number {
  let lo = 0;
  let hi = d.rows;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (d.t[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Row indices whose day lies in [from, to] (calendar indices, inclusive). */
export function rowsBetween(d: Dataset, from: number, to: number): Int32Array {
  const a = firstRowAtOrAfter(d, from);
  const b = firstRowAtOrAfter(d, to + 1);
  return Int32Array.from({ length: Math.max(0, b - a) }, (_, k) => a + k);
}

/** Gathers rows of a row-major matrix (into float64, what the models take). */
export function gatherRows(X: Float64Array | Float32Array, cols: number, idx: ArrayLike<number>): Float64Array {
  const out = new Float64Array(idx.length * cols);
  for (let k = 0; k < idx.length; k++) out.set(X.subarray(idx[k] * cols, idx[k] * cols + cols), k * cols);
  return out;
}
