import { selectRanks } from '../evaluation/stats';

/**
 * Population stability index of one feature: bins are the reference sample's quantiles;
 * PSI = Σ over bins of (q − p)·ln(q / p), p = reference share, q = recent share. Rule of thumb:
 * < 0.1 stable, 0.1–0.25 moderate shift, > 0.25 significant shift — but see calibratedDrift.ts:
 * for persistent features a fixed threshold flags almost every recent window.
 */

/** Bins for a recent sample of `recentRows`: ~10 rows per bin at least, 2..maxBins. */
export function psiBinCount(recentRows: number, maxBins = 10): number {
  // With fewer rows per bin, empty bins alone push PSI past any threshold.
  return Math.max(2, Math.min(maxBins, Math.floor(recentRows / 10)));
}

/**
 * Inner bin edges at the reference's quantiles, duplicates dropped (a feature with many equal
 * values gets fewer bins). `reference` holds finite values and is reordered in place.
 */
export function psiBinEdges(reference: Float64Array, bins: number): Float64Array {
  return psiQuantileEdges(reference, Array.from({ length: bins - 1 }, (_, b) => (b + 1) / bins));
}

/** Inner bin edges at given quantile levels (ascending) of the reference, duplicates dropped; reorders `reference`. */
export function psiQuantileEdges(reference: Float64Array, levels: number[]): Float64Array {
  const n = reference.length;
  const ranks = levels.map((q) => Math.min(n - 1, Math.floor(q * n)));
  const values = selectRanks(reference, ranks);
  const edges: number[] = [];
  for (const v of values) if (edges.length === 0 || v > edges[edges.length - 1]) edges.push(v);
  return Float64Array.from(edges);
}

/** Bin of x: the number of edges strictly below it. */
export function psiBin(x: number, edges: Float64Array): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x > edges[mid]) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const EPS = 1e-4;

/** PSI from bin counts of the reference (p) and the recent sample (q). */
export function psiFromCounts(p: ArrayLike<number>, pTotal: number, q: ArrayLike<number>, qTotal: number): number {
  let psi = 0;
  for (let k = 0; k < p.length; k++) {
    const pk = Math.max(p[k] / pTotal, EPS);
    const qk = Math.max(q[k] / qTotal, EPS);
    psi += (qk - pk) * Math.log(qk / pk);
  }
  return psi;
}

export function populationStabilityIndex(reference: ArrayLike<number>, recent: ArrayLike<number>, maxBins = 10): number {
  const ref = Float64Array.from(Array.from(reference).filter(Number.isFinite));
  const cur = Array.from(recent).filter(Number.isFinite);
  if (ref.length === 0 || cur.length === 0) return NaN;
  const edges = psiBinEdges(Float64Array.from(ref), psiBinCount(cur.length, maxBins));
  const count = (xs: ArrayLike<number>) => {
    const c = new Float64Array(edges.length + 1);
    for (let i = 0; i < xs.length; i++) c[psiBin(xs[i], edges)]++;
    return c;
  };
  return psiFromCounts(count(ref), ref.length, count(cur), cur.length);
}

/** The textbook rule of thumb (PSI > 0.25 = significant shift), kept only to show why a fixed threshold cries wolf. */
export const FIXED_PSI_RULE_OF_THUMB = 0.25;
