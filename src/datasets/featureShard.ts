import { taskFeatures } from '../features/featureRows';
import { marketFeatureInputs, type FeatureMatrix, type MarketFeatureInputs } from '../features/marketFeatures';
import type { Panel } from '../features/panel';
import { labelSignals } from '../labels/signalLabeler';
import { decodeArrays, encodeArrays } from '../util/arrayCodec';
import type { DatasetConfig } from './config';

/**
 * Pass 1 of a dataset build for one symbol: its usable days and, for just those days, its
 * float32 feature rows, labels and pnl, plus its daily returns over the whole calendar.
 */
export interface SymbolRows {
  symbol: string;
  /** Calendar indices of the usable days, ascending. */
  days: Int32Array;
  /** days.length x cols, row-major. */
  X: Float32Array;
  /** Label of each usable day. */
  label: Int32Array;
  /** days.length x pnlCols. */
  pnl: Float64Array;
  /** Daily total returns over the calendar (NaN on day 0 and where unknown); empty for the strategy task. */
  returns: Float64Array;
}

/**
 * Pass 1 for a slice of the signal universe: what a `buildFeatureShard` activity computes
 * and stores. The market-feature inputs travel with it so the assembly can check every shard
 * computed its market columns over the same cross-section.
 */
export interface FeatureShard {
  featureNames: string[];
  marketInputs: MarketFeatureInputs;
  /** Calendar length the shard's days index into. */
  days: number;
  symbols: SymbolRows[];
}

/** Typed arrays end to end. */
export function concatTyped<T extends Float32Array | Float64Array | Int32Array>(Ctor: new (n: number) => T, parts: T[]): T {
  const out = new Ctor(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function dailyReturns(p: Float64Array | undefined, n: number): Float64Array {
  const out = new Float64Array(n).fill(NaN);
  if (p) for (let t = 1; t < n; t++) out[t] = p[t] / p[t - 1] - 1;
  return out;
}

/**
 * The usable days of one symbol: its day's regime and label are known and every feature is
 * finite, also after rounding to float32 (a huge feature can overflow to Infinity).
 * `label` and `pnl` are calendar-aligned (n and n x pnlCols).
 */
export function usableRows(f: FeatureMatrix, label: Int32Array, pnl: Float64Array, pnlCols: number, dayRegime: Int8Array): Omit<SymbolRows, 'symbol' | 'returns'> {
  const n = f.rows;
  const cols = f.names.length;
  const days: number[] = [];
  const row = new Float32Array(cols);
  for (let t = 0; t < n; t++) {
    if (dayRegime[t] < 0 || label[t] < 0) continue;
    let ok = true;
    for (let j = 0; ok && j < cols; j++) ok = Number.isFinite(f.values[t * cols + j]);
    if (!ok) continue;
    row.set(f.values.subarray(t * cols, (t + 1) * cols));
    if (row.every(Number.isFinite)) days.push(t);
  }
  const X = new Float32Array(days.length * cols);
  const outPnl = new Float64Array(days.length * pnlCols);
  days.forEach((t, r) => {
    X.set(f.values.subarray(t * cols, (t + 1) * cols), r * cols);
    outPnl.set(pnl.subarray(t * pnlCols, (t + 1) * pnlCols), r * pnlCols);
  });
  return { days: Int32Array.from(days), X, label: Int32Array.from(days, (t) => label[t]), pnl: outPnl };
}

/**
 * Pass 1 of the signal task for `symbols` (in the order given; those without bars in the
 * panel are left out), one symbol at a time so a large slice is never held as float64.
 * The panel must hold the market inputs: the market columns are computed from them, the same
 * way in every shard, over `marketInputs` (default: fixed from this panel, which gives the same
 * inputs whatever signal symbols it also holds).
 */
export function signalFeatureShard(
  panel: Panel,
  dayRegime: Int8Array,
  cfg: DatasetConfig,
  symbols: string[],
  marketInputs: MarketFeatureInputs = marketFeatureInputs(panel),
  onSymbol?: (k: number) => void,
): FeatureShard {
  const n = panel.dates.length;
  if (dayRegime.length !== n) throw new RangeError(`regime labels cover ${dayRegime.length} days, calendar ${n}`);
  const present = symbols.filter((s) => panel.price.has(s));
  if (present.length === 0) return { featureNames: [], marketInputs, days: n, symbols: [] };
  const features = taskFeatures(panel, 'signal', present, marketInputs);
  const rows = features.symbols.map((symbol, k) => {
    onSymbol?.(k);
    const { label, forwardReturn } = labelSignals(panel, symbol, cfg.signal);
    return { symbol, ...usableRows(features.matrix(k), label, forwardReturn, 1, dayRegime), returns: dailyReturns(panel.price.get(symbol), n) };
  });
  return { featureNames: features.names, marketInputs, days: n, symbols: rows };
}

/** The signal universe cut into consecutive slices of at most `size` symbols. */
export function shardSymbols(symbols: string[], size: number): string[][] {
  if (!(Number.isInteger(size) && size > 0)) throw new RangeError(`shard size must be a positive integer, got ${size}`);
  const out: string[][] = [];
  for (let i = 0; i < symbols.length; i += size) out.push(symbols.slice(i, i + size));
  return out;
}

type ShardMeta = Omit<FeatureShard, 'symbols'> & { symbols: { symbol: string; rows: number }[] };

/** A shard as one binary payload (typed arrays concatenated per field, like a dataset's). */
export function encodeFeatureShard(s: FeatureShard): Buffer {
  const meta: ShardMeta = { featureNames: s.featureNames, marketInputs: s.marketInputs, days: s.days, symbols: s.symbols.map((r) => ({ symbol: r.symbol, rows: r.days.length })) };
  const rows = s.symbols;
  return encodeArrays(meta, {
    days: concatTyped(Int32Array, rows.map((r) => r.days)),
    X: concatTyped(Float32Array, rows.map((r) => r.X)),
    label: concatTyped(Int32Array, rows.map((r) => r.label)),
    pnl: concatTyped(Float64Array, rows.map((r) => r.pnl)),
    returns: concatTyped(Float64Array, rows.map((r) => r.returns)),
  });
}

export function decodeFeatureShard(buf: Uint8Array): FeatureShard {
  const { meta, arrays } = decodeArrays<ShardMeta>(buf);
  const cols = meta.featureNames.length;
  const total = meta.symbols.reduce((a, s) => a + s.rows, 0);
  const pnlCols = total > 0 ? arrays.pnl.length / total : 1;
  let o = 0;
  const symbols = meta.symbols.map((s, k) => {
    const at = (a: Int32Array | Float32Array | Float64Array, width: number) => a.subarray(o * width, (o + s.rows) * width);
    const r = {
      symbol: s.symbol,
      days: at(arrays.days as Int32Array, 1) as Int32Array,
      X: at(arrays.X as Float32Array, cols) as Float32Array,
      label: at(arrays.label as Int32Array, 1) as Int32Array,
      pnl: at(arrays.pnl as Float64Array, pnlCols) as Float64Array,
      returns: (arrays.returns as Float64Array).subarray(k * meta.days, (k + 1) * meta.days),
    };
    o += s.rows;
    return r;
  });
  return { featureNames: meta.featureNames, marketInputs: meta.marketInputs, days: meta.days, symbols };
}
