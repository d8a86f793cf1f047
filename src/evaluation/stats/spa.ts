import type { BootstrapReplicates } from './bootstrap';
import { advantageReplicates } from './pairedComparison';

export interface SpaResult {
  metric: string;
  benchmark: number;
  candidates: number[];
  /** Candidate with the largest studentised advantage over the benchmark. */
  best: number;
  bestAdvantage: number;
  /** T = max(0, max_k d̂_k / se_k). */
  statistic: number;
  /** Hansen's consistent SPA p-value: gate on this one. */
  pValue: number;
  /** SPA p-values with the lower (liberal) and upper (conservative) recentring. */
  pLower: number;
  pUpper: number;
  /** White's (2000) Reality Check: non-studentised, every candidate recentred to the null. */
  pRealityCheck: number;
  /** Per candidate (same order as `candidates`): advantage and its bootstrap standard error. */
  advantage: number[];
  se: number[];
  resamples: number;
}

/**
 * Is the BEST of several candidates better than the benchmark, once the choice of the best is
 * paid for? Hansen's (2005, JBES 23:365) test of Superior Predictive Ability over the paired
 * bootstrap replicates, generalised from mean loss differentials to any resampled statistic.
 *
 * d̂_k = advantage of candidate k over the benchmark (positive = better); se_k its bootstrap
 * standard deviation; T = max(0, max_k d̂_k/se_k). Null draws: T*_b = max(0, max_k (d*_bk −
 * μ̂_k)/se_k), with μ̂_k = d̂_k when candidate k could be on the null boundary and 0-shift
 * otherwise. Consistent: μ̂_k = d̂_k·1{d̂_k/se_k ≥ −√(2 ln ln n)} (n = time units), so clearly
 * bad candidates stop inflating the null; lower: μ̂_k = max(d̂_k, 0); upper: μ̂_k = d̂_k (all
 * candidates at the boundary, the least favourable configuration). White's RC uses the upper
 * recentring without studentising. p = (1 + #{T*_b ≥ T}) / (B + 1).
 */
export function superiorPredictiveAbility(boot: BootstrapReplicates, benchmark: number, opts: { candidates?: number[] } = {}): SpaResult {
  const candidates = opts.candidates ?? Array.from({ length: boot.candidates }, (_, c) => c).filter((c) => c !== benchmark);
  if (candidates.length === 0) throw new RangeError('superiorPredictiveAbility: no candidates besides the benchmark');
  if (candidates.includes(benchmark)) throw new RangeError(`superiorPredictiveAbility: the benchmark ${benchmark} is also listed as a candidate`);
  const K = candidates.length;
  const B = boot.resamples;
  const diffs = candidates.map((c) => advantageReplicates(boot, c, benchmark));
  const d = diffs.map((x) => x.observed);
  const se = diffs.map((x) => {
    let m = 0;
    for (const v of x.replicates) m += v;
    m /= B;
    let ss = 0;
    for (const v of x.replicates) ss += (v - m) ** 2;
    return B > 1 ? Math.sqrt(ss / (B - 1)) : NaN;
  });
  // A candidate whose advantage never varies (se = 0) is a fixed offset: its sign is certain.
  const tOf = (k: number, v: number) => (se[k] > 0 ? v / se[k] : v > 0 ? Infinity : v < 0 ? -Infinity : 0);
  const t = d.map((v, k) => tOf(k, v));
  let best = 0;
  for (let k = 1; k < K; k++) if (t[k] > t[best]) best = k;
  const statistic = Math.max(0, t[best]);
  const logLog = Math.log(Math.log(Math.max(boot.units, 16)));
  const threshold = -Math.sqrt(2 * logLog);
  const shifts = {
    lower: d.map((v) => Math.max(v, 0)),
    consistent: d.map((v, k) => (t[k] >= threshold ? v : 0)),
    upper: d,
  };
  const exceed = { lower: 0, consistent: 0, upper: 0, rc: 0 };
  const rcStatistic = Math.max(...d);
  for (let r = 0; r < B; r++) {
    for (const kind of ['lower', 'consistent', 'upper'] as const) {
      let tStar = 0;
      for (let k = 0; k < K; k++) {
        const z = diffs[k].replicates[r] - shifts[kind][k];
        const v = se[k] > 0 ? z / se[k] : 0;
        if (v > tStar) tStar = v;
      }
      if (tStar >= statistic) exceed[kind]++;
    }
    let rcStar = -Infinity;
    for (let k = 0; k < K; k++) rcStar = Math.max(rcStar, diffs[k].replicates[r] - d[k]);
    if (rcStar >= rcStatistic) exceed.rc++;
  }
  const p = (x: number) => (1 + x) / (B + 1);
  return {
    metric: boot.name,
    benchmark,
    candidates,
    best: candidates[best],
    bestAdvantage: d[best],
    statistic,
    pValue: p(exceed.consistent),
    pLower: p(exceed.lower),
    pUpper: p(exceed.upper),
    pRealityCheck: p(exceed.rc),
    advantage: d,
    se,
    resamples: B,
  };
}
