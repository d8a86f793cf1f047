import { REGIMES, type Regime } from '../regimes/regimes';
import { Rng } from '../util/rng';

export interface SamplerConfig {
  targetMix: Record<Regime, number>;
  /** Sample size; default = number of candidate rows. */
  size?: number;
  /** A rare regime is oversampled at most this many times its available rows. */
  maxOversample: number;
  seed: number;
}

export interface RegimeMixReport {
  regime: Regime;
  available: number;
  target: number;
  achieved: number;
  sampled: number;
  note?: string;
}

export interface SampleResult {
  /** Indices into the candidate rows; may repeat (oversampling). Sorted ascending. */
  indices: Int32Array;
  mix: RegimeMixReport[];
  /** Sampled rows that came from the archive, and their share of the sample. */
  archiveRows: number;
  archiveShare: number;
}

/**
 * Draws a training sample whose regime mix approaches the target. Abundant regimes are
 * subsampled without replacement; rare ones are kept whole and oversampled with replacement
 * (capped by maxOversample). Rows flagged `preferred` (the crisis archive) are drawn first but
 * count against their regime's quota like any other row, so the archive can never swamp the
 * mix. An absent regime is reported as absent and its share spread over the others, never
 * silently dropped. Only training candidates are passed in, so test rows are never duplicated.
 */
export function balancedSample(regimes: ArrayLike<number>, preferred: ArrayLike<boolean> | null, cfg: SamplerConfig): SampleResult {
  const rng = new Rng(cfg.seed);
  const n = regimes.length;
  const byRegime: number[][] = REGIMES.map(() => []);
  for (let i = 0; i < n; i++) if (regimes[i] >= 0) byRegime[regimes[i]].push(i);
  const present = REGIMES.map((_, r) => byRegime[r].length > 0);
  const totalTarget = REGIMES.reduce((a, r, i) => a + (present[i] ? cfg.targetMix[r] : 0), 0);
  const size = cfg.size ?? byRegime.reduce((a, b) => a + b.length, 0);
  const chosen: number[] = [];
  const mix: RegimeMixReport[] = [];
  let archiveRows = 0;
  REGIMES.forEach((regime, r) => {
    const rows = byRegime[r];
    const target = cfg.targetMix[regime];
    if (rows.length === 0) {
      mix.push({ regime, available: 0, target, achieved: 0, sampled: 0, note: 'absent from the training window; its share was spread over the other regimes' });
      return;
    }
    const pref = preferred ? rows.filter((i) => preferred[i]) : [];
    const rest = preferred ? rows.filter((i) => !preferred[i]) : rows;
    const want = Math.round((size * target) / totalTarget);
    const cap = rows.length * cfg.maxOversample;
    const quota = Math.min(want, cap);
    const picked: number[] = [];
    const prefPerm = rng.permutation(pref.length);
    for (let k = 0; picked.length < quota && k < pref.length; k++) picked.push(pref[prefPerm[k]]);
    archiveRows += picked.length;
    const perm = rng.permutation(rest.length);
    for (let k = 0; picked.length < quota && k < rest.length; k++) picked.push(rest[perm[k]]);
    while (picked.length < quota) picked.push(rows[rng.int(rows.length)]);
    chosen.push(...picked);
    let note: string | undefined;
    if (want > cap) note = `only ${rows.length} rows: oversampled ${cfg.maxOversample}x (cap) instead of reaching the target`;
    else if (want > rows.length) note = `oversampled ${(quota / rows.length).toFixed(2)}x`;
    mix.push({ regime, available: rows.length, target, achieved: 0, sampled: picked.length, note });
  });
  const total = chosen.length;
  for (const m of mix) m.achieved = total > 0 ? m.sampled / total : 0;
  const indices = Int32Array.from(chosen).sort();
  return { indices, mix, archiveRows, archiveShare: total > 0 ? archiveRows / total : 0 };
}

export function regimeSampleWeights(regimes: ArrayLike<number>, weights: Record<Regime, number>): Float64Array {
  return Float64Array.from({ length: regimes.length }, (_, i) => (regimes[i] >= 0 ? weights[REGIMES[regimes[i]]] : 1));
}

/**
 * The window as it comes (the study's "no balanced sample"): `size` rows drawn uniformly without
 * replacement, so each regime keeps its own share. Rows flagged `preferred` (the crisis archive)
 * are taken first; when `size` covers every row (the strategy task) the draw is the whole window
 * and the archive changes nothing. `targetMix` is only reported beside what was drawn.
 */
export function naturalSample(regimes: ArrayLike<number>, preferred: ArrayLike<boolean> | null, cfg: { seed: number; size?: number; targetMix: Record<Regime, number> }): SampleResult {
  const rng = new Rng(cfg.seed);
  const eligible: number[] = [];
  for (let i = 0; i < regimes.length; i++) if (regimes[i] >= 0) eligible.push(i);
  const size = Math.min(cfg.size ?? eligible.length, eligible.length);
  const chosen: number[] = [];
  let archiveRows = 0;
  if (size === eligible.length) chosen.push(...eligible);
  else {
    const pref = preferred ? eligible.filter((i) => preferred[i]) : [];
    const rest = preferred ? eligible.filter((i) => !preferred[i]) : eligible;
    const pp = rng.permutation(pref.length);
    for (let k = 0; chosen.length < size && k < pref.length; k++) chosen.push(pref[pp[k]]);
    archiveRows = chosen.length;
    const perm = rng.permutation(rest.length);
    for (let k = 0; chosen.length < size && k < rest.length; k++) chosen.push(rest[perm[k]]);
  }
  if (preferred && size === eligible.length) for (const i of chosen) if (preferred[i]) archiveRows++;
  const total = chosen.length;
  const mix: RegimeMixReport[] = REGIMES.map((regime, r) => {
    const available = eligible.filter((i) => regimes[i] === r).length;
    const sampled = chosen.filter((i) => regimes[i] === r).length;
    return { regime, available, target: cfg.targetMix[regime], achieved: total > 0 ? sampled / total : 0, sampled, note: available === 0 ? 'absent from the training window' : 'natural sample: the window\'s own share' };
  });
  return { indices: Int32Array.from(chosen).sort(), mix, archiveRows, archiveShare: total > 0 ? archiveRows / total : 0 };
}
