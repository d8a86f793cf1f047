import type { Dataset } from './dataset';
import { Rng } from '../util/rng';

/** The circular offset a placebo applied, and the span it rotated (calendar positions). */
export interface PlaceboShift {
  offsetDays: number;
  span: [number, number];
  droppedRows: number;
}

/**
 * A placebo copy of a dataset whose null sits on the boundary: every target — each row's label
 * and realised per-class PnL (or forward return), each symbol's daily returns, the market legs
 * and the cash rate — is rotated in time against the features by one random circular offset of
 * at least `minShiftDays` trading days, the same for every symbol (the cross-section moves
 * together). Features, regimes and the calendar stay where they are. A policy is a function of
 * the features, so its expected edge over any fixed allocation built on the same targets — its
 * static twin, a benchmark of the same weights — is zero, while the targets keep their own
 * distribution, autocorrelation and overlap. Row (symbol, t) takes the targets of (symbol,
 * ρ(t)); a row whose source has no targets (a symbol not yet listed there) is dropped.
 */
export function shiftTargets(ds: Dataset, seed: number, minShiftDays = 252): Dataset & { placebo: PlaceboShift } {
  const n = ds.dates.length;
  const b = Math.min(n - 1, ds.t[ds.rows - 1] + ds.executionLag + ds.horizon);
  // The strategy backtest holds SPY, TLT and cash: rotate only days on which all three have a return.
  const m = ds.market;
  let a = ds.t[0];
  if (ds.task === 'strategy') while (a < b && !(Number.isFinite(m.spy[a]) && Number.isFinite(m.tlt[a]) && Number.isFinite(m.cash[a]))) a++;
  const span = b - a + 1;
  if (!(Number.isInteger(minShiftDays) && minShiftDays >= 1)) throw new RangeError(`placebo: minShiftDays must be a positive integer, got ${minShiftDays}`);
  if (span < 2 * minShiftDays) throw new RangeError(`placebo: ${span} days of targets cannot be shifted by at least ${minShiftDays} days both ways`);
  const offset = minShiftDays + new Rng(seed).int(span - 2 * minShiftDays + 1);
  const rho = (d: number) => a + ((d - a + offset) % span);
  const rotate = (x: Float64Array): Float64Array => {
    const out = Float64Array.from(x);
    for (let d = a; d <= b; d++) out[d] = x[rho(d)];
    return out;
  };
  const rowAt = new Map<number, number>();
  for (let i = 0; i < ds.rows; i++) rowAt.set(ds.t[i] * 65536 + ds.symbol[i], i);
  const keep: number[] = [];
  const source: number[] = [];
  for (let i = 0; i < ds.rows; i++) {
    if (ds.t[i] < a) continue; // outside the rotated span: its targets would be its own
    const j = rowAt.get(rho(ds.t[i]) * 65536 + ds.symbol[i]);
    if (j === undefined) continue;
    keep.push(i);
    source.push(j);
  }
  const rows = keep.length;
  const K = ds.pnlCols;
  const X = new Float32Array(rows * ds.cols);
  const pnl = new Float64Array(rows * K);
  keep.forEach((i, k) => {
    X.set(ds.X.subarray(i * ds.cols, (i + 1) * ds.cols), k * ds.cols);
    pnl.set(ds.pnl.subarray(source[k] * K, (source[k] + 1) * K), k * K);
  });
  const symbolReturns = new Float64Array(ds.symbolReturns.length);
  for (let s = 0; s * n < ds.symbolReturns.length; s++) symbolReturns.set(rotate(ds.symbolReturns.subarray(s * n, (s + 1) * n)), s * n);
  return {
    ...ds,
    rows,
    X,
    y: Int32Array.from(source, (j) => ds.y[j]),
    regime: Int8Array.from(keep, (i) => ds.regime[i]),
    t: Int32Array.from(keep, (i) => ds.t[i]),
    symbol: Int16Array.from(keep, (i) => ds.symbol[i]),
    archiveEnd: Int32Array.from(keep, (i) => ds.archiveEnd[i]),
    pnl,
    replayWeight: Float64Array.from(keep, (i) => ds.replayWeight[i]),
    market: { spy: rotate(ds.market.spy), tlt: rotate(ds.market.tlt), spyOvernight: rotate(ds.market.spyOvernight), tltOvernight: rotate(ds.market.tltOvernight), cash: rotate(ds.market.cash) },
    symbolReturns,
    placebo: { offsetDays: offset, span: [a, b], droppedRows: ds.rows - rows },
  };
}
