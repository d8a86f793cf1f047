import type { Matrix } from '../classifier';

/**
 * Quantile binning: each feature is cut into at most `maxBins` bins once, and trees search
 * splits over bin boundaries (histogram method) instead of sorting values at every node.
 * `edges[j][b]` is the upper bound of bin b; value v falls in the first bin with v <= edge.
 */
export interface Bins {
  edges: Float64Array[];
  /** Column-major bin codes: codes[j * rows + i]. */
  codes: Uint8Array;
  rows: number;
  cols: number;
}

/** Edges come only from rows with positive weight, so a zero-weight row is exactly a removed row. */
export function computeEdges(X: Matrix, maxBins: number, weights?: Float64Array): Float64Array[] {
  if (!(maxBins >= 2 && maxBins <= 256)) throw new RangeError(`maxBins must be in [2, 256], got ${maxBins}`);
  const edges: Float64Array[] = [];
  const rows: number[] = [];
  for (let i = 0; i < X.rows; i++) if (!weights || weights[i] > 0) rows.push(i);
  const col = new Float64Array(rows.length);
  for (let j = 0; j < X.cols; j++) {
    for (let k = 0; k < rows.length; k++) col[k] = X.data[rows[k] * X.cols + j];
    const sorted = Float64Array.from(col).sort();
    const uniq: number[] = [];
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) uniq.push(sorted[i]);
    let e: number[];
    if (uniq.length <= maxBins) {
      // Midpoints between distinct values: exact splits for low-cardinality features.
      e = uniq.slice(0, -1).map((v, i) => (v + uniq[i + 1]) / 2);
    } else {
      e = [];
      for (let b = 1; b < maxBins; b++) {
        const v = sorted[Math.min(sorted.length - 1, Math.floor((b * sorted.length) / maxBins))];
        if (e.length === 0 || v > e[e.length - 1]) e.push(v);
      }
    }
    e.push(Infinity);
    edges.push(Float64Array.from(e));
  }
  return edges;
}

export function binIndex(edges: Float64Array, v: number): number {
  let lo = 0;
  let hi = edges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function applyBins(X: Matrix, edges: Float64Array[]): Bins {
  const codes = new Uint8Array(X.rows * X.cols);
  for (let j = 0; j < X.cols; j++) {
    const e = edges[j];
    for (let i = 0; i < X.rows; i++) codes[j * X.rows + i] = binIndex(e, X.data[i * X.cols + j]);
  }
  return { edges, codes, rows: X.rows, cols: X.cols };
}
