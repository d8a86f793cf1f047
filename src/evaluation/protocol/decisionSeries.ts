import type { Dataset } from '../../datasets/dataset';
import type { FoldSpec } from '../../sampling/folds';
import type { BacktestResult } from '../backtest/backtest';
import type { Oos } from './pooling';
import { icOos, longShortOos, longShortTwinOos, staticTwinIc } from './signalEvaluation';
import { backtestMarket, backtestSummary, benchmarkWeights, backtestTranches, choiceDecisions, meanRegret, staticTwin, strategyBenchmarks, type BacktestSettings, type StrategyBenchmark } from './strategyEvaluation';
import { describeHolding } from '../backtest/tranches';

/** What the gate compares each predictor with, declared before the run. */
export interface DecisionReferences {
  /** Strategy: the benchmark allocation. */
  benchmark: StrategyBenchmark;
  /** Signal: `flat` (no position: IC 0, return 0) or a baseline predictor's book (its index). */
  signal: { name: 'flat' } | { name: string; predictor: number };
}

/** One comparison: each predictor's daily advantage over its reference, on the grid. */
export interface ComparisonSeries {
  /** `benchmark`, `twin` (strategy); `long_short`, `twin` (signal); `ic`: the study's IC beside them (never a gate leg). */
  name: 'benchmark' | 'twin' | 'long_short' | 'ic';
  /** What is compared with, in words (e.g. "sixty_forty", "its static twin", "flat"). */
  reference: string;
  /** `return`: a daily return difference (annualised ×252 for people); `ic`: a daily IC difference. */
  unit: 'return' | 'ic';
  /** Per predictor, grid-aligned; NaN where the day has no value. */
  values: Float64Array[];
  /** Regime index of each grid day for this comparison (the state when the position was held, or the decision day's). */
  regime: Int8Array;
}

/** Every predictor's decision value as daily series on one calendar grid. */
export interface DecisionSeries {
  /** Calendar position of grid day 0; the grid covers `days` consecutive calendar days. */
  from: number;
  days: number;
  comparisons: ComparisonSeries[];
  /** Per predictor, its own daily net return (strategy) or long-short return (signal), for the champion comparison. */
  own: Float64Array[];
  ownRegime: Int8Array;
  /** Per predictor, what a person reads about its money (backtest or book summary, IC). */
  summaries: Record<string, unknown>[];
  /** Strategy: the benchmarks on the same days and tranches (the declared one is among them). */
  benchmarks: Record<string, ReturnType<typeof backtestSummary>>;
  /**
   * Signal: each predictor's daily IC minus the reference's, on the grid — a diagnostic, not a
   * leg: a model's learned tilt to some names changes fold by fold, so the mean of the daily IC
   * is a sum of a dozen fold effects and day-block bootstraps call it significant both ways
   * under the placebo (docs/results.md). The study pairs arms on it.
   */
  ic?: { values: Float64Array[]; regime: Int8Array };
}

/** Regime of each calendar day (the dataset's rows carry it; −1 where no row). */
function regimeOfDay(ds: Dataset): Int8Array {
  const r = new Int8Array(ds.dates.length).fill(-1);
  for (let i = 0; i < ds.rows; i++) r[ds.t[i]] = ds.regime[i];
  return r;
}

/** A return series on the grid: return day d sits at d − from; its regime is the state at the close before (d − 1). */
function onGrid(from: number, days: number, day: ArrayLike<number>, value: ArrayLike<number>): Float64Array {
  const out = new Float64Array(days).fill(NaN);
  for (let i = 0; i < day.length; i++) {
    const g = day[i] - from;
    if (g >= 0 && g < days) out[g] = value[i];
  }
  return out;
}

function regimes(dayRegime: Int8Array, from: number, days: number, shift: number): Int8Array {
  return Int8Array.from({ length: days }, (_, g) => (from + g - shift >= 0 ? dayRegime[from + g - shift] : -1));
}

const minus = (a: Float64Array, b: Float64Array) => Float64Array.from(a, (x, i) => x - b[i]);

function calendarDays(ds: Dataset, b: BacktestResult): Int32Array {
  const pos = new Map(ds.dates.map((d, i) => [d, i]));
  return Int32Array.from(b.dates, (d) => pos.get(d)!);
}

/**
 * Strategy: each predictor's walk-forward policy (tranches of the label's horizon, next-close
 * execution, costs on traded risky notional) against the declared benchmark and against its own
 * static twin, as daily net-return differences. Every backtest covers the same return days.
 */
export function strategySeries(ds: Dataset, folds: FoldSpec[], predictors: { cv: Oos; foldOf: Int32Array }[], s: BacktestSettings, benchmark: StrategyBenchmark): DecisionSeries {
  const market = backtestMarket(ds, s.execution);
  // A row predicted −1 holds the declared benchmark (a gate-replay policy serving its reference).
  const reference = predictors.some((p) => p.cv.pred.some((x) => x < 0)) ? benchmarkWeights(ds, market, folds, predictors[0].foldOf, benchmark, s) : undefined;
  const policies = predictors.map((p) => backtestTranches(ds, market, choiceDecisions(ds, p.cv, reference), s));
  const twins = predictors.map((p) => staticTwin(ds, market, choiceDecisions(ds, p.cv, reference), s));
  const days = choiceDecisions(ds, predictors[0].cv).day;
  const bench = strategyBenchmarks(ds, market, folds, days, predictors[0].foldOf, s);
  const cal = calendarDays(ds, policies[0]);
  const from = cal[0];
  const n = cal[cal.length - 1] - from + 1;
  const grid = (b: BacktestResult) => {
    if (b.dates.length !== policies[0].dates.length || b.dates[0] !== policies[0].dates[0]) throw new RangeError('strategy backtests cover different days');
    return onGrid(from, n, cal, b.net);
  };
  const own = policies.map(grid);
  const ref = grid(bench[benchmark]);
  const dayRegime = regimeOfDay(ds);
  const regime = regimes(dayRegime, from, n, 1);
  return {
    from,
    days: n,
    comparisons: [
      { name: 'benchmark', reference: benchmark, unit: 'return', values: own.map((o) => minus(o, ref)), regime },
      { name: 'twin', reference: 'its static twin', unit: 'return', values: own.map((o, i) => minus(o, grid(twins[i].result))), regime },
    ],
    own,
    ownRegime: regime,
    summaries: predictors.map((p, i) => ({
      ...backtestSummary(policies[i]),
      regret: meanRegret(ds, p.cv),
      holding: `${describeHolding(ds.horizon)}, executed ${s.execution === 'next_open' ? "at the next day's open" : 'at the next close'}`,
      twin: { weights: Object.fromEntries(market.assets.map((a, k) => [a.name, twins[i].weights[k]])), cagr: twins[i].result.cagr, sharpe: twins[i].result.sharpe, maxDrawdown: twins[i].result.maxDrawdown },
    })),
    benchmarks: Object.fromEntries(Object.entries(bench).map(([k, b]) => [k, backtestSummary(b)])),
  };
}

/**
 * Signal: each predictor's long-short book (tranches of the label's horizon after the execution
 * lag) minus the declared reference's (`flat`: zero), and minus its static twin (the book's
 * average weights held constant): as for the strategy, what is promoted is a signal's changes
 * from day to day, not a fixed lean toward some names (the names that rose most over the sample,
 * which the placebo keeps and survivorship puts in any corpus of today's winners). The daily IC,
 * its twin's and the IC over the reference are reported beside them.
 */
export function signalSeries(ds: Dataset, predictors: { cv: Oos }[], costBps: number, reference: DecisionReferences['signal']): DecisionSeries {
  const books = predictors.map((p) => longShortOos(ds, p.cv, costBps));
  const twins = books.map((b) => longShortTwinOos(ds, b, costBps));
  const ics = predictors.map((p) => icOos(ds, p.cv));
  const twinIcs = predictors.map((p) => staticTwinIc(ds, p.cv));
  const days = [...books.flatMap((b) => (b.day.length ? [b.day[0], b.day[b.day.length - 1]] : [])), ...ics.flatMap((c) => (c.daily.length ? [c.daily[0].day, c.daily[c.daily.length - 1].day] : []))];
  const from = days.length ? Math.min(...days) : Infinity;
  const to = days.length ? Math.max(...days) : -Infinity;
  if (!Number.isFinite(from)) throw new RangeError('signal predictors have neither a long-short day nor an IC day');
  const n = to - from + 1;
  const own = books.map((b) => onGrid(from, n, b.day, b.returns));
  const twinOwn = books.map((b, i) => onGrid(from, n, b.day, twins[i]));
  const icOnGrid = ics.map((c) => onGrid(from, n, c.daily.map((x) => x.day), c.daily.map((x) => x.ic)));
  const zeroWhere = (x: Float64Array) => Float64Array.from(x, (v) => (Number.isNaN(v) ? NaN : 0));
  const refOf = (series: Float64Array[], i: number) => ('predictor' in reference ? series[reference.predictor] : zeroWhere(series[i]));
  const dayRegime = regimeOfDay(ds);
  const held = regimes(dayRegime, from, n, 1);
  return {
    from,
    days: n,
    comparisons: [
      { name: 'long_short', reference: reference.name, unit: 'return', values: own.map((x, i) => minus(x, refOf(own, i))), regime: held },
      { name: 'twin', reference: 'its static twin', unit: 'return', values: own.map((x, i) => minus(x, twinOwn[i])), regime: held },
    ],
    own,
    ownRegime: held,
    summaries: predictors.map((_, i) => ({
      longShort: { days: books[i].returns.length, mean: books[i].mean, sharpe: books[i].sharpe, turnover: books[i].turnover, flatDays: books[i].flatDays, holding: `each day's book held ${ds.horizon} sessions as 1/${ds.horizon} of the capital, executed ${ds.executionLag} session(s) after the decision` },
      ic: { days: ics[i].days, ic: ics[i].ic, rankIc: ics[i].rankIc, twin: { days: twinIcs[i].days, ic: twinIcs[i].ic }, note: 'diagnostic: Newey-West CI over days; a tilt that changes fold by fold makes it too narrow' },
    })),
    benchmarks: {},
    ic: { values: icOnGrid.map((x, i) => minus(x, refOf(icOnGrid, i))), regime: regimes(dayRegime, from, n, 0) },
  };
}
