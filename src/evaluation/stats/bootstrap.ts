import type { Rng } from '../../util/rng';
import type { ResampledStatistic } from './resampledStatistics';
import { StationaryBootstrap, type StationaryBootstrapOptions } from './stationaryBootstrap';

/** Every candidate's statistic on the full sample and on each paired resample. */
export interface BootstrapReplicates {
  name: string;
  higherIsBetter: boolean;
  candidates: number;
  resamples: number;
  /** Statistic per candidate on all rows. */
  observed: Float64Array;
  /** resamples x candidates, row-major: all candidates scored on the same resampled rows. */
  replicates: Float64Array;
  /** Time units (days) the bootstrap resampled, and the mean block length used. */
  units: number;
  meanBlock: number;
}

/**
 * Paired stationary bootstrap of a multi-candidate statistic: each resample draws one set of
 * rows (day blocks when `groups` is given) and scores every candidate on it, so differences
 * between candidates keep their correlation.
 */
export function bootstrapReplicates(stat: ResampledStatistic, opts: StationaryBootstrapOptions & { resamples: number; rng: Rng }): BootstrapReplicates {
  if (!(Number.isInteger(opts.resamples) && opts.resamples >= 1)) throw new RangeError(`bootstrapReplicates: resamples must be a positive integer, got ${opts.resamples}`);
  const sb = new StationaryBootstrap(stat.rows, opts.rng, opts);
  const C = stat.candidates;
  const observed = new Float64Array(C);
  const all = Int32Array.from({ length: stat.rows }, (_, i) => i);
  stat.compute(all, all.length, observed);
  const replicates = new Float64Array(opts.resamples * C);
  const idx = new Int32Array(sb.capacity);
  const out = new Float64Array(C);
  for (let b = 0; b < opts.resamples; b++) {
    const len = sb.sample(idx);
    stat.compute(idx, len, out);
    replicates.set(out, b * C);
  }
  return { name: stat.name, higherIsBetter: stat.higherIsBetter, candidates: C, resamples: opts.resamples, observed, replicates, units: sb.units, meanBlock: sb.meanBlock };
}
