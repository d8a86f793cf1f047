import { REGIMES, type Regime } from '../../regimes/regimes';
import { Rng } from '../../util/rng';
import { bootstrapReplicates, type BootstrapReplicates } from '../stats/bootstrap';
import { pairedMeanBlock } from '../stats/blockLength';
import { dailyMeanStatistic, daysWithValue } from '../stats/dailyMeans';
import { quantileSorted } from '../stats/descriptive';
import { probabilityOfBacktestOverfittingOf, type PboResult } from '../stats/pbo';
import { deflatedSharpeRatio, sharpeSample, type DeflatedSharpe } from '../stats/sharpe';
import { spaOnAdvantages } from '../stats/spa';
import type { ComparisonSeries, DecisionSeries } from './decisionSeries';

/** A mean daily advantage with its paired-bootstrap 95% CI, one-sided p ("> 0") and the days behind it. */
export interface Estimate {
  /** Mean daily advantage; annualised (×252) when the unit is a return. */
  diff: number;
  ci: [number, number];
  pValue: number;
  n: number;
}

export interface ComparisonEstimate extends Estimate {
  name: ComparisonSeries['name'];
  reference: string;
  unit: ComparisonSeries['unit'];
  /** Information ratio of the daily advantage (mean / sd, per day): the selection criterion's leg. */
  ir: number;
  /** p corrected for choosing among the candidates (single-step SPA, consistent recentring); null for non-candidates. */
  pAdjusted: number | null;
}

export interface PredictorValue {
  comparisons: ComparisonEstimate[];
  byRegime: Record<Regime, Record<string, Estimate | null>>;
  /** Deflated information ratio of the active daily return (the first return comparison). */
  dsr: DeflatedSharpe | null;
}

export interface ChampionComparison {
  /** Challenger's own daily value minus the champion configuration's (same days). */
  overall: Estimate;
  stress: Record<'crash' | 'recovery', Estimate | null>;
}

export interface DecisionEvidence {
  /** Index of the selected candidate among the predictors, or −1. */
  selected: number;
  values: PredictorValue[];
  vsChampion: ChampionComparison | null;
  pbo: PboResult | null;
  bootstrap: { resamples: number; meanBlockDays: number; days: number };
  trials: { count: number; variance: number; ir: number[] };
}

export interface EvidenceOptions {
  /** Candidate predictors (the selection pool). */
  pool: number[];
  champion: number;
  resamples: number;
  seed: number;
  /** Lag + horizon in days: the bootstrap's block length follows it. */
  horizon: number;
  /** Every configuration ever tried for this task and feed, with its active information ratio (per day). */
  trials: { candidateHash: string; ir: number | null }[];
  hashes: (string | null)[];
  /** Per-regime estimates (reported, never decisive); false skips them: the same draws, so every other number is unchanged. */
  byRegime?: boolean;
}

const ANNUAL = 252;

function meanSd(x: Float64Array): { mean: number; sd: number; n: number } {
  let s = 0;
  let n = 0;
  for (const v of x) {
    if (Number.isNaN(v)) continue;
    s += v;
    n++;
  }
  if (n < 2) return { mean: n ? s : NaN, sd: NaN, n };
  const m = s / n;
  let ss = 0;
  for (const v of x) if (!Number.isNaN(v)) ss += (v - m) ** 2;
  return { mean: m, sd: Math.sqrt(ss / (n - 1)), n };
}

/** Per-day information ratio: the criterion's leg (mean / sd of the daily advantage). */
export function informationRatio(x: Float64Array): number {
  const m = meanSd(x);
  return m.sd > 0 ? m.mean / m.sd : m.mean > 0 ? Infinity : m.mean < 0 ? -Infinity : 0;
}

/** Selection: the candidate with the best worst leg (every comparison must be beaten). */
export function selectByWorstLeg(series: DecisionSeries, pool: number[]): number {
  let best = -1;
  let bestScore = -Infinity;
  for (const i of pool) {
    const score = Math.min(...series.comparisons.map((c) => informationRatio(c.values[i])));
    if (best < 0 || score > bestScore) {
      best = i;
      bestScore = score;
    }
  }
  return best;
}

const masked = (x: Float64Array, regime: Int8Array, r: number) => Float64Array.from(x, (v, g) => (regime[g] === r ? v : NaN));

/** Estimates of one column of the bootstrap: observed mean, percentile CI, one-sided p from the null-recentred replicates. */
function estimate(boot: BootstrapReplicates, column: number, n: number, scale: number, zero = false): Estimate {
  const C = boot.candidates;
  const observed = boot.observed[column];
  // A predictor identical to its reference has no advantage to test (rounding noise is not evidence).
  if (zero) return { diff: 0, ci: [0, 0], pValue: 1, n };
  const reps: number[] = [];
  let exceed = 0;
  for (let r = 0; r < boot.resamples; r++) {
    const v = boot.replicates[r * C + column];
    if (Number.isNaN(v)) continue;
    reps.push(v);
    if (v - observed >= observed) exceed++;
  }
  const sorted = Float64Array.from(reps).sort();
  const ci: [number, number] = sorted.length ? [quantileSorted(sorted, 0.025) * scale, quantileSorted(sorted, 0.975) * scale] : [NaN, NaN];
  return { diff: observed * scale, ci, pValue: sorted.length ? (1 + exceed) / (sorted.length + 1) : 1, n };
}

function columnOf(boot: BootstrapReplicates, column: number): Float64Array {
  const C = boot.candidates;
  return Float64Array.from({ length: boot.resamples }, (_, r) => boot.replicates[r * C + column]);
}

/**
 * Everything the gate weighs about decision value, from one paired stationary bootstrap over
 * calendar days: every predictor's advantage over each reference (overall and per regime, with
 * CIs and n), the selected candidate by the worst-leg criterion, Hansen-SPA-corrected p-values
 * per leg over the candidate pool, the challenger against the champion's configuration (overall
 * and on crash and recovery days), the deflated information ratio with the registry's trials,
 * and the PBO of the same worst-leg criterion.
 */
export function decisionEvidence(series: DecisionSeries, o: EvidenceOptions): DecisionEvidence {
  const P = series.own.length;
  const selected = o.pool.length ? selectByWorstLeg(series, o.pool) : -1;
  const columns: Float64Array[] = [];
  const add = (x: Float64Array) => columns.push(x) - 1;
  const main = series.comparisons.map((c) => c.values.map((v) => add(v)));
  const regimeCols = series.comparisons.map((c) => c.values.map((v) => REGIMES.map((_, r) => (o.byRegime === false ? -1 : add(masked(v, c.regime, r))))));
  let champCols: { overall: number; crash: number; recovery: number } | null = null;
  if (selected >= 0 && o.champion >= 0 && o.champion !== selected) {
    const d = Float64Array.from(series.own[selected], (v, g) => v - series.own[o.champion][g]);
    champCols = { overall: add(d), crash: add(masked(d, series.ownRegime, REGIMES.indexOf('crash'))), recovery: add(masked(d, series.ownRegime, REGIMES.indexOf('recovery'))) };
  }
  // The block follows the legs' own dependence (a daily IC can trend for months): judged on the pool's series.
  const judged = o.pool.length ? o.pool : series.own.map((_, i) => i);
  const meanBlock = pairedMeanBlock(series.comparisons.map((c) => judged.map((i) => c.values[i])), series.days, o.horizon);
  const boot = bootstrapReplicates(dailyMeanStatistic(columns, 'daily decision value'), { resamples: o.resamples, rng: new Rng(o.seed), meanBlock });
  const n = columns.map((c) => daysWithValue(c));
  const zero = columns.map((c) => c.every((v) => Number.isNaN(v) || Math.abs(v) < 1e-12)); // sums of weights round: 1e-12 of a daily return is nothing
  const scaleOf = (c: ComparisonSeries) => (c.unit === 'return' ? ANNUAL : 1);

  // Best-of-K correction per leg: the max-T adjusted p of each candidate over the pool.
  const adjusted = series.comparisons.map((_, ci) => {
    if (!o.pool.length) return new Map<number, number>();
    const core = spaOnAdvantages(
      o.pool.map((i) => ({ observed: boot.observed[main[ci][i]], replicates: columnOf(boot, main[ci][i]) })),
      boot.units,
    );
    return new Map(o.pool.map((i, k) => [i, core.adjusted[k]]));
  });

  // Deflated information ratio: trials = every configuration the registry has seen, this run's included.
  const active = series.comparisons.findIndex((c) => c.unit === 'return');
  const ir = series.comparisons[active].values.map((v) => informationRatio(v));
  const trialIr = new Map(o.trials.filter((t) => t.ir !== null && Number.isFinite(t.ir)).map((t) => [t.candidateHash, t.ir!]));
  for (const i of o.pool) if (o.hashes[i] && Number.isFinite(ir[i])) trialIr.set(o.hashes[i]!, ir[i]);
  const count = Math.max(1, new Set([...o.trials.map((t) => t.candidateHash), ...o.pool.map((i) => o.hashes[i]).filter((h): h is string => !!h)]).size);
  const irs = [...trialIr.values()];
  const mean = irs.reduce((a, b) => a + b, 0) / Math.max(1, irs.length);
  const variance = irs.length > 1 ? irs.reduce((a, b) => a + (b - mean) ** 2, 0) / (irs.length - 1) : 0;
  const dsrOf = (i: number): DeflatedSharpe | null => {
    const x = series.comparisons[active].values[i].filter((v) => !Number.isNaN(v));
    return x.length > 2 ? deflatedSharpeRatio(sharpeSample(x), count, variance) : null;
  };

  const values: PredictorValue[] = Array.from({ length: P }, (_, i) => ({
    comparisons: series.comparisons.map((c, ci) => ({
      name: c.name,
      reference: c.reference,
      unit: c.unit,
      ir: informationRatio(c.values[i]),
      pAdjusted: adjusted[ci].get(i) ?? null,
      ...estimate(boot, main[ci][i], n[main[ci][i]], scaleOf(c), zero[main[ci][i]]),
    })),
    byRegime: Object.fromEntries(
      REGIMES.map((r, ri) => [r, Object.fromEntries(series.comparisons.map((c, ci) => { const col = regimeCols[ci][i][ri]; return [c.name, col >= 0 && n[col] ? estimate(boot, col, n[col], scaleOf(c), zero[col]) : null]; }))]),
    ) as PredictorValue['byRegime'],
    dsr: o.pool.includes(i) || i === o.champion ? dsrOf(i) : null,
  }));

  const est = (col: number) => (n[col] ? estimate(boot, col, n[col], ANNUAL, zero[col]) : null);
  const vsChampion = champCols ? { overall: est(champCols.overall)!, stress: { crash: est(champCols.crash), recovery: est(champCols.recovery) } } : null;

  return { selected, values, vsChampion, pbo: pboOf(series, o.pool), bootstrap: { resamples: boot.resamples, meanBlockDays: boot.meanBlock, days: boot.units }, trials: { count, variance, ir: irs } };
}

/** PBO (CSCV) of the worst-leg criterion over the candidates, on the days every candidate has a value. */
function pboOf(series: DecisionSeries, pool: number[]): PboResult | null {
  if (pool.length < 2) return null;
  const legs = series.comparisons.map((c) => {
    const days: number[] = [];
    for (let g = 0; g < series.days; g++) if (pool.every((i) => !Number.isNaN(c.values[i][g]))) days.push(g);
    const perf = new Float64Array(days.length * pool.length);
    days.forEach((g, t) => pool.forEach((i, k) => (perf[t * pool.length + k] = c.values[i][g])));
    return { perf, rows: days.length };
  });
  try {
    return probabilityOfBacktestOverfittingOf(legs, pool.length, { metric: 'sharpe' });
  } catch {
    return null; // too few days for the partitions
  }
}
