import { quantileSorted } from '../evaluation/stats';

/** A paired difference with its bootstrap 95% CI, two-sided p ("≠ 0") and the n behind it. */
export interface PairedEstimate {
  diff: number;
  ci95: [number, number];
  pValue: number;
  n: number;
}

/**
 * From the observed difference and its paired-bootstrap replicates: the percentile 95% CI and a
 * two-sided p from the null-recentred replicates (|v − observed| ≥ |observed|). The study asks
 * "does this choice change the outcome", either way, so the test is two-sided (the gate's is
 * one-sided: it only asks "better"). NaN replicates (a resample without the regime) are skipped.
 */
export function pairedEstimate(observed: number, replicates: ArrayLike<number>, n: number, scale = 1): PairedEstimate {
  if (n === 0 || !Number.isFinite(observed)) return { diff: NaN, ci95: [NaN, NaN], pValue: NaN, n };
  const reps: number[] = [];
  let extreme = 0;
  for (let r = 0; r < replicates.length; r++) {
    const v = replicates[r];
    if (Number.isNaN(v)) continue;
    reps.push(v);
    if (Math.abs(v - observed) >= Math.abs(observed) - 1e-15) extreme++;
  }
  // Identical arms: no difference to test (rounding noise is not evidence).
  if (Math.abs(observed) < 1e-15 && reps.every((v) => Math.abs(v) < 1e-15)) return { diff: 0, ci95: [0, 0], pValue: 1, n };
  const sorted = Float64Array.from(reps).sort();
  const ci95: [number, number] = sorted.length ? [quantileSorted(sorted, 0.025) * scale, quantileSorted(sorted, 0.975) * scale] : [NaN, NaN];
  return { diff: observed * scale, ci95, pValue: sorted.length ? Math.min(1, (1 + extreme) / (sorted.length + 1)) : NaN, n };
}

/** "helps", "hurts" or "not shown to help": the CI's side of zero, nothing else. */
export function effectWord(e: PairedEstimate): 'helps' | 'hurts' | 'not shown to help' | 'not measurable' {
  if (!Number.isFinite(e.ci95[0]) || !Number.isFinite(e.ci95[1]) || e.n === 0) return 'not measurable';
  if (e.ci95[0] > 0) return 'helps';
  if (e.ci95[1] < 0) return 'hurts';
  return 'not shown to help';
}
