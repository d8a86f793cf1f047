import type { Dataset } from '../datasets/dataset';
import type { GateConfig } from '../evaluation/gate';
import { classificationDiagnostics, shapeMetrics, decisionEvidence, type PredictorValue, signalSeries, strategySeries, type DecisionSeries, labelsOf, type Predictor, type BacktestSettings } from '../evaluation/protocol';
import { bootstrapReplicates, pairedMeanBlock, dailyMeanStatistic, daysWithValue, dayConfusionStatistic } from '../evaluation/stats';
import { REGIMES, type Regime } from '../regimes/regimes';
import type { FoldSpec } from '../sampling/folds';
import { Rng } from '../util/rng';
import { pairedEstimate, type PairedEstimate } from './pairedEstimate';

const ANNUAL = 252;

/** One arm against one reference, on the same days: decision value (and for signal the IC) and macro-F1, overall and per regime. */
export interface Comparison {
  reference: string;
  /** Strategy: annualised daily net return difference; signal: annualised long-short return difference. */
  unit: 'annualised return';
  diff: number;
  ci95: [number, number];
  pValue: number;
  n: number;
  byRegime: Record<Regime, PairedEstimate>;
  /** Signal only: mean daily IC difference. */
  ic: (PairedEstimate & { byRegime: Record<Regime, PairedEstimate> }) | null;
  /** Macro-F1 difference of the hard decisions (days resampled), overall and per regime, n = rows. */
  macroF1: PairedEstimate & { byRegime: Record<Regime, PairedEstimate> };
}

export interface ArmEvidence {
  metrics: ReturnType<typeof shapeMetrics>;
  /** The gate's decision value: each leg over its declared reference, overall and per regime, with n; plus Sharpe, drawdown or IC. */
  value: { legs: PredictorValue['comparisons']; byRegime: PredictorValue['byRegime']; summary: Record<string, unknown> };
  comparisons: Comparison[];
  /** Cumulative own return on the grid (for equity curves): [date, growth of 1]. */
  equity: [string, number][];
}

export interface GroupSettings {
  gate: GateConfig;
  backtest: BacktestSettings;
  seed: number;
}

function series(ds: Dataset, folds: FoldSpec[], predictors: Predictor[], s: GroupSettings): DecisionSeries {
  if (ds.task === 'strategy') return strategySeries(ds, folds, predictors, s.backtest, s.gate.benchmark);
  const ref = s.gate.signalBaseline;
  const sr = signalSeries(ds, predictors, s.backtest.costBps, ref === 'flat' ? { name: 'flat' } : { name: ref, predictor: predictors.findIndex((p) => p.key === ref) });
  // The study reports the daily IC over the reference beside the gate's legs (issue 23's contract: signal value is IC and the book).
  return sr.ic ? { ...sr, comparisons: [...sr.comparisons, { name: 'ic', reference: ref, unit: 'ic', values: sr.ic.values, regime: sr.ic.regime }] } : sr;
}

const masked = (x: Float64Array, regime: Int8Array, r: number) => Float64Array.from(x, (v, g) => (regime[g] === r ? v : NaN));

/**
 * The evidence of one group of arms (arms that decide on the same rows: the training-policy arms
 * on the protocol's CV folds; the cadence or policy arms from --from on): the gate's decision
 * value per arm (the same series, bootstrap and legs as the gate), classification metrics per
 * regime with n, and each arm's paired difference with each of its references, from one paired
 * stationary bootstrap over calendar days for the money and one over days for macro-F1.
 */
export function groupEvidence(ds: Dataset, arms: Predictor[], refsOf: (key: string) => string[], baselines: Predictor[], folds: FoldSpec[], s: GroupSettings): ArmEvidence[] {
  const predictors = [...arms, ...baselines];
  const sr = series(ds, folds, predictors, s);
  const horizon = ds.executionLag + ds.horizon;
  // Policy arms serve the declared reference on some rows (predicted −1): no class there, so their
  // classification metrics count the model-served rows only, and macro-F1 is not paired.
  const servedReference = arms.some((a) => a.cv.pred.some((x) => x < 0));
  const metricsOf = servedReference ? arms.map((a) => modelRowsMetrics(ds, a, s.seed)) : classificationDiagnostics(ds, predictors, { resamples: 100, seed: s.seed }).metrics.map((m) => shapeMetrics(m));
  if (servedReference && ds.task === 'signal') flatDaysHaveZeroIc(ds, sr, arms);
  const ev = decisionEvidence(sr, { pool: arms.map((_, i) => i), champion: -1, resamples: s.gate.bootstrapReps, seed: s.seed, horizon, trials: [], hashes: predictors.map(() => null) });

  // Paired columns: every (arm, reference) difference of the own series, overall and per regime (+ IC for signal).
  const pairs = arms.flatMap((a, i) => refsOf(a.key).map((r) => ({ i, j: arms.findIndex((b) => b.key === r) }))).filter((p) => p.j >= 0);
  const icLeg = sr.ic;
  const columns: Float64Array[] = [];
  const add = (x: Float64Array) => columns.push(x) - 1;
  const cols = pairs.map(({ i, j }) => {
    const d = Float64Array.from(sr.own[i], (v, g) => v - sr.own[j][g]);
    const ic = icLeg ? Float64Array.from(icLeg.values[i], (v, g) => v - icLeg.values[j][g]) : null;
    return {
      all: add(d),
      regimes: REGIMES.map((_, r) => add(masked(d, sr.ownRegime, r))),
      ic: ic ? { all: add(ic), regimes: REGIMES.map((_, r) => add(masked(ic, icLeg!.regime, r))) } : null,
    };
  });
  // Blocks as long as the differences' own dependence needs (as the gate's), money and IC legs alike.
  const meanBlock = pairedMeanBlock([cols.map((c) => columns[c.all]), cols.flatMap((c) => (c.ic ? [columns[c.ic.all]] : []))], sr.days, horizon);
  const boot = columns.length ? bootstrapReplicates(dailyMeanStatistic(columns, 'paired daily difference'), { resamples: s.gate.bootstrapReps, rng: new Rng(s.seed + 7), meanBlock }) : null;
  const est = (col: number, scale: number) => {
    const C = boot!.candidates;
    const reps = Float64Array.from({ length: boot!.resamples }, (_, r) => boot!.replicates[r * C + col]);
    return pairedEstimate(boot!.observed[col], reps, daysWithValue(columns[col]), scale);
  };

  // Macro-F1 of every arm on the same rows, days resampled (overall and within each regime's rows).
  const K = ds.classNames.length;
  const truth = labelsOf(ds, arms[0].cv.rows);
  const f1Boot = (keep: (r: number) => boolean, salt: number) => {
    const idx: number[] = [];
    for (let r = 0; r < truth.y.length; r++) if (keep(r)) idx.push(r);
    if (!idx.length) return null;
    const stat = dayConfusionStatistic(Int32Array.from(idx, (r) => truth.y[r]), arms.map((a) => Int32Array.from(idx, (r) => a.cv.pred[r])), Int32Array.from(idx, (r) => truth.day[r]), K, 'macro_f1');
    return { n: idx.length, boot: bootstrapReplicates(stat, { resamples: s.gate.bootstrapReps, rng: new Rng(s.seed + 11 + salt), horizon }) };
  };
  const f1All = servedReference ? null : f1Boot(() => true, 0);
  const f1Regime = REGIMES.map((_, ri) => (servedReference ? null : f1Boot((r) => truth.regime[r] === ri, ri + 1)));
  const f1Diff = (b: ReturnType<typeof f1Boot>, i: number, j: number) => {
    if (!b) return pairedEstimate(NaN, [], 0);
    const C = b.boot.candidates;
    return pairedEstimate(b.boot.observed[i] - b.boot.observed[j], Float64Array.from({ length: b.boot.resamples }, (_, r) => b.boot.replicates[r * C + i] - b.boot.replicates[r * C + j]), b.n);
  };
  const byRegime = <T>(f: (ri: number) => T) => Object.fromEntries(REGIMES.map((r, ri) => [r, f(ri)])) as Record<Regime, T>;

  const dayOf = (g: number) => ds.dates[sr.from + g];
  return arms.map((a, i) => {
    let growth = 1;
    const equity: [string, number][] = [];
    sr.own[i].forEach((v, g) => {
      if (Number.isNaN(v)) return;
      growth *= 1 + v;
      equity.push([dayOf(g), growth]);
    });
    const comparisons = pairs
      .map((p, k) => ({ p, k }))
      .filter(({ p }) => p.i === i)
      .map(({ p, k }): Comparison => {
        const c = cols[k];
        const all = est(c.all, ANNUAL);
        return {
          reference: arms[p.j].key,
          unit: 'annualised return',
          ...all,
          byRegime: byRegime((ri) => est(c.regimes[ri], ANNUAL)),
          ic: c.ic ? { ...est(c.ic.all, 1), byRegime: byRegime((ri) => est(c.ic!.regimes[ri], 1)) } : null,
          macroF1: { ...f1Diff(f1All, p.i, p.j), byRegime: byRegime((ri) => f1Diff(f1Regime[ri], p.i, p.j)) },
        };
      });
    const summary = sr.summaries[i];
    return {
      metrics: metricsOf[i],
      value: {
        legs: ev.values[i].comparisons,
        byRegime: ev.values[i].byRegime,
        summary:
          ds.task === 'strategy'
            ? (({ cagr, sharpe, maxDrawdown, days }) => ({ cagr, sharpe, maxDrawdown, days }))(summary as { cagr: number; sharpe: number; maxDrawdown: number; days: number })
            : summary,
      },
      comparisons,
      equity,
    };
  });
}

/** Classification metrics of an arm on the rows a model served (n 0 when it served the reference throughout). */
function modelRowsMetrics(ds: Dataset, a: Predictor, seed: number): ReturnType<typeof shapeMetrics> {
  const keep: number[] = [];
  a.cv.pred.forEach((p, r) => p >= 0 && keep.push(r));
  if (!keep.length) return { all: { n: 0 }, byRegime: Object.fromEntries(REGIMES.map((r) => [r, { n: 0 }])) } as ReturnType<typeof shapeMetrics>;
  const K = ds.classNames.length;
  const proba = a.cv.proba ? Float64Array.from({ length: keep.length * K }, (_, k) => a.cv.proba![keep[Math.floor(k / K)] * K + (k % K)]) : null;
  const cv = { rows: Int32Array.from(keep, (r) => a.cv.rows[r]), pred: Int32Array.from(keep, (r) => a.cv.pred[r]), proba };
  return shapeMetrics(classificationDiagnostics(ds, [{ ...a, cv, foldOf: Int32Array.from(keep, (r) => a.foldOf[r]) }], { resamples: 100, seed }).metrics[0]);
}

/** Signal, flat reference: a day on which an arm served the reference has IC 0 (no position), as the gate's flat reference has. */
function flatDaysHaveZeroIc(ds: Dataset, sr: DecisionSeries, arms: Predictor[]): void {
  const ic = sr.ic;
  if (!ic || sr.comparisons.find((c) => c.name === 'long_short')?.reference !== 'flat') return;
  arms.forEach((a, i) => {
    a.cv.pred.forEach((p, r) => {
      const g = ds.t[a.cv.rows[r]] - sr.from;
      if (p < 0 && g >= 0 && g < sr.days && Number.isNaN(ic.values[i][g])) ic.values[i][g] = 0;
    });
  });
}
