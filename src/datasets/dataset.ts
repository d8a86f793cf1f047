import type { Standardizer } from '../features/standardize';
import type { RegimeMixReport } from '../sampling/balancedSampler';
import type { Split } from '../sampling/splits';
import { decodeArrays, encodeArrays } from '../util/arrayCodec';

export type Task = 'strategy' | 'signal';
export const TASKS: Task[] = ['strategy', 'signal'];

export const SPLIT_TRAIN = 0;
export const SPLIT_VALIDATION = 1;
export const SPLIT_TEST = 2;

/** Everything the train and evaluate stages need, loaded by dataset id. */
export interface Dataset {
  task: Task;
  featureNames: string[];
  classNames: string[];
  symbols: string[];
  rows: number;
  cols: number;
  /** Raw (unstandardised) features, row-major rows x cols. */
  X: Float64Array;
  y: Int32Array;
  regime: Int8Array;
  split: Int8Array;
  /** Day as yyyymmdd, per row. */
  day: Int32Array;
  symbol: Int16Array;
  /** Regime sample weight per row. */
  weight: Float64Array;
  /** Training rows that came back from the error replay buffer (weighted up). */
  replayRows: number;
  /** Balanced training sample: row indices (train split only), possibly repeated. */
  trainSample: Int32Array;
  /** Strategy task: realised forward return per strategy (rows x classes); signal: rows x 1. */
  pnl: Float64Array;
  /** Return from this row's day to the next trading day, same columns as pnl (backtests). */
  next: Float64Array;
  /** SPY's next-day return per row (the buy-and-hold benchmark). */
  marketNext: Float64Array;
  pnlCols: number;
  standardizer: Standardizer;
  splitDays: Split;
  splitDates: { train: [string, string]; validation: [string, string]; test: [string, string] };
  mix: RegimeMixReport[];
}

type Meta = Omit<Dataset, 'X' | 'y' | 'regime' | 'split' | 'day' | 'symbol' | 'weight' | 'trainSample' | 'pnl' | 'next' | 'marketNext'>;

export function encodeDataset(d: Dataset): Buffer {
  const { X, y, regime, split, day, symbol, weight, trainSample, pnl, next, marketNext, ...meta } = d;
  return encodeArrays(meta satisfies Meta, { X, y, regime, split, day, symbol, weight, trainSample, pnl, next, marketNext });
}

export function decodeDataset(buf: Uint8Array): Dataset {
  const { meta, arrays } = decodeArrays<Meta>(buf);
  return {
    ...meta,
    X: arrays.X as Float64Array,
    y: arrays.y as Int32Array,
    regime: arrays.regime as Int8Array,
    split: arrays.split as Int8Array,
    day: arrays.day as Int32Array,
    symbol: arrays.symbol as Int16Array,
    weight: arrays.weight as Float64Array,
    trainSample: arrays.trainSample as Int32Array,
    pnl: arrays.pnl as Float64Array,
    next: arrays.next as Float64Array,
    marketNext: arrays.marketNext as Float64Array,
  };
}

export function dayNumber(iso: string): number {
  return Number(iso.replaceAll('-', ''));
}

export function dayString(n: number): string {
  const s = String(n);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}

/** Row indices of a split. */
export function splitRows(d: Dataset, which: number): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < d.rows; i++) if (d.split[i] === which) out.push(i);
  return Int32Array.from(out);
}

/** Gathers rows of a row-major matrix. */
export function gatherRows(X: Float64Array, cols: number, idx: ArrayLike<number>): Float64Array {
  const out = new Float64Array(idx.length * cols);
  for (let k = 0; k < idx.length; k++) out.set(X.subarray(idx[k] * cols, idx[k] * cols + cols), k * cols);
  return out;
}

/** Rows of one split sorted by day (stable), for anything that folds over time. */
export function timeOrderedRows(d: Dataset, which: number): Int32Array {
  return Int32Array.from(splitRows(d, which)).sort((a, b) => d.day[a] - d.day[b] || a - b);
}
