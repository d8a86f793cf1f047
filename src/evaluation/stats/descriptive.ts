/** Moments and quantiles of a sample. Non-finite values are the caller's to remove. */

export function mean(x: ArrayLike<number>): number {
  if (x.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** Sample standard deviation (n − 1 denominator); NaN below two values. */
export function standardDeviation(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) return NaN;
  const m = mean(x);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - m) ** 2;
  return Math.sqrt(ss / (n - 1));
}

export interface SampleMoments {
  n: number;
  mean: number;
  /** n − 1 denominator. */
  sd: number;
  /** m3 / m2^1.5 with population central moments (the estimator Bailey & López de Prado use). */
  skewness: number;
  /** m4 / m2², NOT excess: 3 for a normal distribution. */
  kurtosis: number;
}

export function sampleMoments(x: ArrayLike<number>): SampleMoments {
  const n = x.length;
  const m = mean(x);
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - m;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  return {
    n,
    mean: m,
    sd: n > 1 ? Math.sqrt((m2 * n) / (n - 1)) : NaN,
    skewness: m2 > 0 ? m3 / m2 ** 1.5 : NaN,
    kurtosis: m2 > 0 ? m4 / (m2 * m2) : NaN,
  };
}

/** Quantile of an ascending-sorted sample, linear interpolation between order statistics (type 7). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile level must be in [0, 1], got ${p}`);
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Long-run (HAC) standard error of the mean, Newey & West (1987) with Bartlett weights and
 * `lags` lags: overlapping h-day outcomes make consecutive values correlated up to lag h − 1,
 * and the iid formula sd/√n would then overstate the evidence.
 */
export function neweyWestStandardError(x: ArrayLike<number>, lags: number): number {
  const n = x.length;
  if (n < 2) return NaN;
  const m = mean(x);
  let lrv = 0;
  for (let i = 0; i < n; i++) lrv += (x[i] - m) ** 2;
  lrv /= n;
  const L = Math.min(Math.max(0, Math.floor(lags)), n - 1);
  for (let l = 1; l <= L; l++) {
    let c = 0;
    for (let i = l; i < n; i++) c += (x[i] - m) * (x[i - l] - m);
    lrv += 2 * (1 - l / (L + 1)) * (c / n);
  }
  return Math.sqrt(Math.max(lrv, 0) / n);
}

/**
 * Order statistics at 0-based `ranks` (the value a full ascending sort would put there) by
 * three-way quickselect: expected O(n log r) instead of a sort's O(n log n). `x` is reordered
 * in place; pass a copy to keep it.
 */
export function selectRanks(x: Float64Array, ranks: number[]): Float64Array {
  const out = new Float64Array(ranks.length);
  const order = ranks.map((r, i) => i).sort((a, b) => ranks[a] - ranks[b]);
  for (const r of ranks) if (!(Number.isInteger(r) && r >= 0 && r < x.length)) throw new RangeError(`selectRanks: rank ${r} outside 0..${x.length - 1}`);
  const stack: [number, number, number, number][] = [[0, x.length - 1, 0, order.length]];
  while (stack.length > 0) {
    const [lo, hi, qa, qb] = stack.pop()!;
    if (qa >= qb) continue;
    if (hi - lo < 16) {
      const part = x.subarray(lo, hi + 1).sort();
      for (let q = qa; q < qb; q++) out[order[q]] = part[ranks[order[q]] - lo];
      continue;
    }
    const a = x[lo];
    const b = x[(lo + hi) >> 1];
    const c = x[hi];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    // Dutch-flag partition: [lo, lt) < pivot, [lt, gt] == pivot, (gt, hi] > pivot.
    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i <= gt) {
      const v = x[i];
      if (v < pivot) {
        x[i++] = x[lt];
        x[lt++] = v;
      } else if (v > pivot) {
        x[i] = x[gt];
        x[gt--] = v;
      } else i++;
    }
    let q = qa;
    const leftEnd = q;
    while (q < qb && ranks[order[q]] < lt) q++;
    stack.push([lo, lt - 1, leftEnd, q]);
    while (q < qb && ranks[order[q]] <= gt) out[order[q++]] = pivot;
    stack.push([gt + 1, hi, q, qb]);
  }
  return out;
}
