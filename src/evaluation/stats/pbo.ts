import { InsufficientDataError } from '../../errors';

export type PboMetric = 'sharpe' | 'mean';

export interface PboResult {
  /** Share of splits whose in-sample winner ranks at or below the out-of-sample median (logit <= 0). */
  pbo: number;
  /** Logit of the in-sample winner's relative out-of-sample rank, one per split. */
  logits: Float64Array;
  partitions: number;
  combinations: number;
  /** Rows used: the oldest T mod S rows are dropped so partitions are equal. */
  rowsUsed: number;
  /** In-sample winner's performance, in and out of sample, per split (for the degradation plot). */
  inSample: Float64Array;
  outOfSample: Float64Array;
  /** Least-squares fit outOfSample ≈ intercept + slope · inSample across splits. */
  degradation: { slope: number; intercept: number };
  /** Share of splits where the in-sample winner loses out of sample (performance < 0). */
  probabilityOfLoss: number;
}

/** Largest even S <= 16 with at least `minRows` rows per partition (Bailey et al. use S = 16). */
export function defaultPartitions(rows: number, minRows = 10): number {
  return Math.min(16, 2 * Math.floor(rows / (2 * minRows)));
}

/**
 * Probability of Backtest Overfitting by combinatorially symmetric cross-validation (Bailey,
 * Borwein, López de Prado & Zhu, "The probability of backtest overfitting", J. Computational
 * Finance 20(4), 2017). `perf` is T x N row-major: per-period returns (or scores) of N
 * candidates over the same T periods, time-ordered. The rows are cut into S contiguous
 * partitions; each of the C(S, S/2) ways to pick half of them is an in-sample set, the rest
 * out of sample. The in-sample best candidate's out-of-sample relative rank ω = rank/(N+1)
 * gives λ = ln(ω/(1−ω)); PBO = share of λ <= 0.
 */
export function probabilityOfBacktestOverfitting(perf: Float64Array, rows: number, candidates: number, opts: { partitions?: number; metric?: PboMetric } = {}): PboResult {
  return probabilityOfBacktestOverfittingOf([{ perf, rows }], candidates, opts);
}

/** One performance matrix (rows x candidates, row-major, time-ordered) of a multi-leg criterion. */
export interface PboLeg {
  perf: Float64Array;
  rows: number;
}

/**
 * PBO of a selection criterion that is the worst of several legs' scores (e.g. a strategy must
 * beat both its benchmark and its static twin: the criterion is min of the two information
 * ratios). Each leg is cut into the same number S of contiguous partitions, so partition s of
 * every leg covers the same stretch of time; a split's score of a candidate is the minimum over
 * legs of its score on that split's partitions. One leg is the classic CSCV.
 */
export function probabilityOfBacktestOverfittingOf(legs: PboLeg[], candidates: number, opts: { partitions?: number; metric?: PboMetric } = {}): PboResult {
  const N = candidates;
  if (legs.length === 0) throw new RangeError('PBO: no legs');
  if (N < 2) throw new RangeError(`PBO: need at least 2 candidates, got ${N}`);
  for (const { perf, rows: T } of legs) {
    if (perf.length !== T * N) throw new RangeError(`PBO: matrix has ${perf.length} values, expected ${T} x ${N}`);
    for (let i = 0; i < perf.length; i++) if (!Number.isFinite(perf[i])) throw new RangeError(`PBO: row ${Math.floor(i / N)}, candidate ${i % N} is ${perf[i]}`);
  }
  const T = Math.min(...legs.map((l) => l.rows));
  const S = opts.partitions ?? defaultPartitions(T);
  if (!(Number.isInteger(S) && S >= 4 && S % 2 === 0)) {
    if (opts.partitions === undefined) throw new InsufficientDataError(`PBO: ${T} rows allow only ${S} partitions of >= 10 rows; need at least 4 (>= 40 rows)`);
    throw new RangeError(`PBO: partitions must be an even integer >= 4, got ${S}`);
  }
  if (S > 24) throw new RangeError(`PBO: ${S} partitions would mean too many combinations; use <= 24`);
  if (Math.floor(T / S) < 2) throw new InsufficientDataError(`PBO: ${T} rows cannot fill ${S} partitions of >= 2 rows`);
  const metric = opts.metric ?? 'sharpe';
  // Per leg, partition and candidate: sum and sum of squares, so a split's statistics are sums of S/2 blocks.
  const parts = legs.map(({ perf, rows }) => {
    const size = Math.floor(rows / S);
    const skip = rows - size * S;
    const sum = new Float64Array(S * N);
    const sq = new Float64Array(S * N);
    for (let s = 0; s < S; s++) {
      for (let t = skip + s * size; t < skip + (s + 1) * size; t++) {
        for (let j = 0; j < N; j++) {
          const v = perf[t * N + j];
          sum[s * N + j] += v;
          sq[s * N + j] += v * v;
        }
      }
    }
    const totalSum = new Float64Array(N);
    const totalSq = new Float64Array(N);
    for (let s = 0; s < S; s++)
      for (let j = 0; j < N; j++) {
        totalSum[j] += sum[s * N + j];
        totalSq[j] += sq[s * N + j];
      }
    return { size, sum, sq, totalSum, totalSq, isSum: new Float64Array(N), isSq: new Float64Array(N) };
  });
  const half = S / 2;
  const scoreOf = (count: number, sm: number, sqs: number) => {
    const m = sm / count;
    if (metric === 'mean') return m;
    const v = (sqs - count * m * m) / (count - 1);
    return v > 0 ? m / Math.sqrt(v) : m > 0 ? Infinity : m < 0 ? -Infinity : 0;
  };
  const worst = (j: number, inSample: boolean) => {
    let w = Infinity;
    for (const p of parts) {
      const count = half * p.size;
      const v = inSample ? scoreOf(count, p.isSum[j], p.isSq[j]) : scoreOf(count, p.totalSum[j] - p.isSum[j], p.totalSq[j] - p.isSq[j]);
      if (v < w) w = v;
    }
    return w;
  };
  const logits: number[] = [];
  const isPerf: number[] = [];
  const oosPerf: number[] = [];
  const oos = new Float64Array(N);
  for (let mask = 0; mask < 1 << S; mask++) {
    if (popcount(mask) !== half) continue;
    for (const p of parts) {
      p.isSum.fill(0);
      p.isSq.fill(0);
      for (let s = 0; s < S; s++) {
        if (!(mask & (1 << s))) continue;
        for (let j = 0; j < N; j++) {
          p.isSum[j] += p.sum[s * N + j];
          p.isSq[j] += p.sq[s * N + j];
        }
      }
    }
    let best = 0;
    let bestIs = -Infinity;
    for (let j = 0; j < N; j++) {
      const v = worst(j, true);
      if (v > bestIs) {
        bestIs = v;
        best = j;
      }
      oos[j] = worst(j, false);
    }
    let below = 0;
    let ties = 0;
    for (let j = 0; j < N; j++) {
      if (j === best) continue;
      if (oos[j] < oos[best]) below++;
      else if (oos[j] === oos[best]) ties++;
    }
    const omega = (below + 1 + ties / 2) / (N + 1);
    logits.push(Math.log(omega / (1 - omega)));
    isPerf.push(bestIs);
    oosPerf.push(oos[best]);
  }
  const C = logits.length;
  return {
    pbo: logits.filter((l) => l <= 0).length / C,
    logits: Float64Array.from(logits),
    partitions: S,
    combinations: C,
    rowsUsed: parts[0].size * S,
    inSample: Float64Array.from(isPerf),
    outOfSample: Float64Array.from(oosPerf),
    degradation: leastSquares(isPerf, oosPerf),
    probabilityOfLoss: oosPerf.filter((v) => v < 0).length / C,
  };
}

function popcount(x: number): number {
  let c = 0;
  for (let v = x; v; v &= v - 1) c++;
  return c;
}

function leastSquares(x: number[], y: number[]): { slope: number; intercept: number } {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : NaN;
  return { slope, intercept: my - slope * mx };
}
