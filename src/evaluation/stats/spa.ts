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

/** One candidate's advantage over its reference: on all the data, and in each paired resample. */
export interface Advantage {
  observed: number;
  replicates: Float64Array;
}

export interface SpaCore {
  /** Index (into the advantages given) of the largest studentised advantage. */
  best: number;
  statistic: number;
  pValue: number;
  pLower: number;
  pUpper: number;
  pRealityCheck: number;
  /**
   * Per candidate: the single-step max-T p-value of "this candidate beats its reference", with
   * the consistent recentring (Hansen 2005; Hsu, Hsu & Kuan 2010, the first step of the
   * stepwise SPA). It controls the family-wise error over all K candidates at once, so it stays
   * valid for whichever candidate is selected, by whatever rule; for the best one it equals
   * `pValue`.
   */
  adjusted: number[];
  advantage: number[];
  se: number[];
  resamples: number;
}

function sdOf(x: Float64Array): number {
  let m = 0;
  let k = 0;
  for (const v of x) {
    if (Number.isNaN(v)) continue;
    m += v;
    k++;
  }
  if (k < 2) return NaN;
  m /= k;
  let ss = 0;
  for (const v of x) if (!Number.isNaN(v)) ss += (v - m) ** 2;
  return Math.sqrt(ss / (k - 1));
}

/**
 * Hansen's SPA on advantages given directly: each candidate may have its own reference (a
 * strategy against its own static twin, say), as long as every advantage was resampled on the
 * same draws. `units` is the number of time units resampled (for the consistent threshold).
 * A replicate that is NaN (a regime absent from that resample) never counts as an exceedance.
 */
export function spaOnAdvantages(diffs: Advantage[], units: number): SpaCore {
  const K = diffs.length;
  if (K === 0) throw new RangeError('spaOnAdvantages: no candidates');
  const B = diffs[0].replicates.length;
  for (const d of diffs) if (d.replicates.length !== B) throw new RangeError('spaOnAdvantages: every candidate needs the same resamples');
  const d = diffs.map((x) => x.observed);
  const se = diffs.map((x) => sdOf(x.replicates));
  // A candidate whose advantage never varies (se = 0) is a fixed offset: its sign is certain.
  const tOf = (k: number, v: number) => (se[k] > 0 ? v / se[k] : v > 0 ? Infinity : v < 0 ? -Infinity : 0);
  const t = d.map((v, k) => (Number.isFinite(v) ? tOf(k, v) : -Infinity));
  let best = 0;
  for (let k = 1; k < K; k++) if (t[k] > t[best]) best = k;
  const statistic = Math.max(0, t[best]);
  const logLog = Math.log(Math.log(Math.max(units, 16)));
  const threshold = -Math.sqrt(2 * logLog);
  const shifts = {
    lower: d.map((v) => Math.max(v, 0)),
    consistent: d.map((v, k) => (t[k] >= threshold ? v : 0)),
    upper: d,
  };
  const exceed = { lower: 0, consistent: 0, upper: 0, rc: 0 };
  const maxConsistent = new Float64Array(B);
  const rcStatistic = Math.max(...d.filter(Number.isFinite));
  for (let r = 0; r < B; r++) {
    for (const kind of ['lower', 'consistent', 'upper'] as const) {
      let tStar = 0;
      for (let k = 0; k < K; k++) {
        const z = diffs[k].replicates[r] - shifts[kind][k];
        const v = se[k] > 0 ? z / se[k] : 0;
        if (v > tStar) tStar = v;
      }
      if (tStar >= statistic) exceed[kind]++;
      if (kind === 'consistent') maxConsistent[r] = tStar;
    }
    let rcStar = -Infinity;
    for (let k = 0; k < K; k++) rcStar = Math.max(rcStar, diffs[k].replicates[r] - d[k]);
    if (rcStar >= rcStatistic) exceed.rc++;
  }
  const p = (x: number) => (1 + x) / (B + 1);
  const adjusted = t.map((tk) => {
    const stat = Math.max(0, tk);
    let c = 0;
    for (let r = 0; r < B; r++) if (maxConsistent[r] >= stat) c++;
    return p(c);
  });
  return { best, statistic, pValue: p(exceed.consistent), pLower: p(exceed.lower), pUpper: p(exceed.upper), pRealityCheck: p(exceed.rc), adjusted, advantage: d, se, resamples: B };
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
  const core = spaOnAdvantages(
    candidates.map((c) => advantageReplicates(boot, c, benchmark)),
    boot.units,
  );
  return {
    metric: boot.name,
    benchmark,
    candidates,
    best: candidates[core.best],
    bestAdvantage: core.advantage[core.best],
    statistic: core.statistic,
    pValue: core.pValue,
    pLower: core.pLower,
    pUpper: core.pUpper,
    pRealityCheck: core.pRealityCheck,
    advantage: core.advantage,
    se: core.se,
    resamples: core.resamples,
  };
}
