import type { BootstrapReplicates } from './bootstrap';
import { quantileSorted } from './descriptive';

export interface PairedComparison {
  metric: string;
  a: number;
  b: number;
  /** stat(A) − stat(B), signed so that positive means A is better (for losses: B − A). */
  advantage: number;
  /** Percentile bootstrap interval of the advantage. */
  ci: [number, number];
  level: number;
  /** Bootstrap standard deviation of the advantage. */
  se: number;
  /** One-sided p-value of H0 "A is not better than B" (advantage <= 0). */
  pValue: number;
  resamples: number;
  units: number;
  meanBlock: number;
  method: string;
}

/** Advantage of candidate a over b in each resample (positive = a better). */
export function advantageReplicates(boot: BootstrapReplicates, a: number, b: number): { observed: number; replicates: Float64Array } {
  for (const c of [a, b]) if (!(Number.isInteger(c) && c >= 0 && c < boot.candidates)) throw new RangeError(`candidate ${c} is outside 0..${boot.candidates - 1}`);
  const sign = boot.higherIsBetter ? 1 : -1;
  const C = boot.candidates;
  const replicates = Float64Array.from({ length: boot.resamples }, (_, r) => sign * (boot.replicates[r * C + a] - boot.replicates[r * C + b]));
  return { observed: sign * (boot.observed[a] - boot.observed[b]), replicates };
}

/**
 * Paired bootstrap comparison of two candidates scored on the same rows.
 *
 * CI: percentile interval of the resampled advantage (Efron & Tibshirani 1993, ch. 13). BCa is
 * not used: its acceleration needs a jackknife, which is not defined for day-block resampling.
 * p-value: the resampled advantages are recentred on the observed one, d*_b − d̂, which
 * imitates the sampling distribution of d̂ under the least favourable null d = 0 (Hall &
 * Wilson 1991, "Two guidelines for bootstrap hypothesis testing", Biometrics 47:757 — resample
 * the null-centred statistic; Efron & Tibshirani §16.4). p = (1 + #{d*_b − d̂ ≥ d̂}) / (B + 1),
 * the +1 keeping a Monte-Carlo p-value valid (Davison & Hinkley 1997, §4.2).
 */
export function pairedComparison(boot: BootstrapReplicates, a: number, b: number, opts: { level?: number } = {}): PairedComparison {
  const level = opts.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new RangeError(`pairedComparison: level must be in (0, 1), got ${level}`);
  const { observed, replicates } = advantageReplicates(boot, a, b);
  const B = replicates.length;
  let exceed = 0;
  let m = 0;
  for (let r = 0; r < B; r++) {
    if (replicates[r] - observed >= observed) exceed++;
    m += replicates[r];
  }
  m /= B;
  let ss = 0;
  for (let r = 0; r < B; r++) ss += (replicates[r] - m) ** 2;
  const sorted = Float64Array.from(replicates).sort();
  const tail = (1 - level) / 2;
  return {
    metric: boot.name,
    a,
    b,
    advantage: observed,
    ci: [quantileSorted(sorted, tail), quantileSorted(sorted, 1 - tail)],
    level,
    se: B > 1 ? Math.sqrt(ss / (B - 1)) : NaN,
    pValue: (1 + exceed) / (B + 1),
    resamples: B,
    units: boot.units,
    meanBlock: boot.meanBlock,
    method: `paired stationary bootstrap (mean block ${boot.meanBlock} of ${boot.units} units, ${B} resamples); percentile CI; one-sided p from the null-recentred bootstrap distribution`,
  };
}
