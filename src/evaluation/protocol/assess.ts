import type { DatasetConfig } from '../../datasets/config';
import type { Dataset } from '../../datasets/dataset';
import { SECTOR_SYMBOLS } from '../../data/bars';
import { DEFAULT_META } from '../../models/metaLearner';
import { REGIMES } from '../../regimes/regimes';
import type { FoldPlan } from '../../sampling/folds';
import { Rng } from '../../util/rng';
import type { ClassificationMetrics } from '../metrics';
import { predictionsPerRegime, type RegimeMetrics } from '../perRegime';
import { decidePromotion, type Evidence, type GateConfig, type GateDecision } from '../promotionGate';
import { bootstrapReplicates } from '../stats/bootstrap';
import { pairedComparison, type PairedComparison } from '../stats/pairedComparison';
import { probabilityOfBacktestOverfitting } from '../stats/pbo';
import { dayConfusionStatistic } from '../stats/dayConfusionStatistic';
import { deflatedSharpeRatio, sharpeRatio, sharpeSample } from '../stats/sharpe';
import { superiorPredictiveAbility } from '../stats/spa';
import { baselinesOnFold, BASELINE_NAMES } from './baselineFolds';
import { META_KIND, metaCandidateHash } from './candidates';
import { metaOutOfSample } from './metaFolds';
import { concatOos, fromProba, labelsOf, sameRows, type Oos } from './pooling';
import { icOos, longShortOos, symbolTracking } from './signalEvaluation';
import { backtestMarket, backtestOos, backtestSummary, meanRegret, strategyBenchmarks, type BacktestSettings } from './strategyEvaluation';

/** One candidate's out-of-sample predictions: every CV fold, then the final window. */
export interface CandidateOos {
  key: string;
  kind: string;
  hash: string;
  cv: { rows: Int32Array; proba: Float64Array }[];
  final: { rows: Int32Array; proba: Float64Array };
}

export interface AssessOptions {
  gate: GateConfig;
  dataset: DatasetConfig;
  backtest: BacktestSettings;
  /** Meta-learner parameter overrides, or null when the run evaluates no meta-learner. */
  meta: Record<string, unknown> | null;
  championKey: string | null;
  championIncomparable: boolean;
  /** Every configuration evaluated before for this task and feed (the DSR's trial count). */
  trials: { candidateHash: string; sharpe: number | null }[];
  /** Sector of each non-ETF signal symbol (per-sector tracking). */
  sectors?: Record<string, string>;
  onProgress?: (what: string) => void;
}

type Predictor = { key: string; kind: string; hash: string | null; role: 'candidate' | 'champion' | 'baseline'; cv: Oos; final: Oos; foldOf: Int32Array };

/** Metrics in the shape people and scripts read: overall, then per regime with its n. */
function shape(m: RegimeMetrics) {
  const brief = (x: ClassificationMetrics | null) =>
    x ? { n: x.samples, accuracy: x.accuracy, balanced_accuracy: x.balanced_accuracy, macro_f1: x.macro_f1, log_loss: Number.isFinite(x.log_loss) ? x.log_loss : null, classes_predicted: x.classes_predicted, max_pred_share: x.max_pred_share } : { n: 0 };
  return { all: brief(m.all), byRegime: Object.fromEntries(REGIMES.map((r) => [r, brief(m[r])])) };
}

function variance(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
}

const ci = (c: PairedComparison) => ({ diff: c.advantage, ci: c.ci, pValue: c.pValue, se: c.se });

/**
 * The walk-forward assessment of a task: pools every candidate's out-of-sample predictions over
 * the CV folds (the final window is scored but never chooses), adds the walk-forward
 * meta-learner and the baselines on the same rows, scores all of them overall and per regime,
 * and weighs the best candidate against the best baseline (Hansen's SPA over the candidates),
 * the champion's configuration (paired bootstrap), and — for the strategy task — the deflated
 * Sharpe ratio of its walk-forward backtest with the registry's trial count.
 */
export async function assessProtocol(ds: Dataset, plan: FoldPlan, candidates: CandidateOos[], o: AssessOptions) {
  const K = ds.classNames.length;
  const cvFolds = plan.cv;
  const cvRows = concatOos(candidates[0].cv.map((f) => fromProba(f.rows, f.proba, K)), K).rows;
  for (const c of candidates) {
    const rows = concatOos(c.cv.map((f) => fromProba(f.rows, f.proba, K)), K).rows;
    if (!sameRows(rows, cvRows)) throw new Error(`candidate ${c.key} was evaluated on other rows than ${candidates[0].key}`);
  }
  const foldOf = Int32Array.from(cvFolds.flatMap((f, j) => Array.from(candidates[0].cv[j].rows, () => f.index)));
  const predictors: Predictor[] = candidates.map((c) => ({
    key: c.key,
    kind: c.kind,
    hash: c.hash,
    role: c.key === 'champion' ? 'champion' : 'candidate',
    cv: concatOos(c.cv.map((f) => fromProba(f.rows, f.proba, K)), K),
    final: fromProba(c.final.rows, c.final.proba, K),
    foldOf,
  }));
  const members = candidates.filter((c) => c.key !== 'champion');
  if (o.meta && members.length >= 2) {
    o.onProgress?.('meta-learner');
    const windows = [...cvFolds, plan.final].map((f, j) => ({ fold: f, rows: j < cvFolds.length ? members[0].cv[j].rows : members[0].final.rows, proba: members.map((m) => (j < cvFolds.length ? m.cv[j].proba : m.final.proba)) }));
    const params = { ...DEFAULT_META, ...o.meta };
    const metaProba = await metaOutOfSample(ds, windows, plan.gap, o.dataset, params, o.onProgress);
    predictors.push({
      key: META_KIND,
      kind: META_KIND,
      hash: metaCandidateHash(ds.task, params as unknown as Record<string, unknown>, members.map((m) => m.hash)),
      role: 'candidate',
      cv: concatOos(cvFolds.map((f, j) => fromProba(windows[j].rows, metaProba[j], K)), K),
      final: fromProba(windows[cvFolds.length].rows, metaProba[cvFolds.length], K),
      foldOf,
    });
  }
  o.onProgress?.('baselines');
  const perFold = [...cvFolds, plan.final].map((f) => baselinesOnFold(ds, f, o.dataset.seed));
  for (const name of BASELINE_NAMES) {
    predictors.push({ key: name, kind: name, hash: null, role: 'baseline', cv: concatOos(perFold.slice(0, -1).map((b) => b[name]), K), final: perFold[perFold.length - 1][name], foldOf });
  }

  const truth = labelsOf(ds, cvRows);
  const finalTruth = labelsOf(ds, predictors[0].final.rows);
  const metrics = predictors.map((p) => predictionsPerRegime(p.cv.pred, p.cv.proba, truth.y, truth.regime, K));
  const finalMetrics = predictors.map((p) => (p.final.rows.length ? predictionsPerRegime(p.final.pred, p.final.proba, finalTruth.y, finalTruth.regime, K) : null));

  // Paired stationary bootstrap over days: every predictor scored on the same resampled rows.
  o.onProgress?.('bootstrap');
  // Days are the resampled units (a day's rows move together); the statistic sums per-day confusion counts.
  const boot = bootstrapReplicates(dayConfusionStatistic(truth.y, predictors.map((p) => p.cv.pred), truth.day, K, o.gate.primaryMetric), {
    resamples: o.gate.bootstrapReps,
    rng: new Rng(o.dataset.seed),
    horizon: ds.executionLag + ds.horizon,
  });
  const idx = (pred: (p: Predictor) => boolean) => predictors.map((p, i) => (pred(p) ? i : -1)).filter((i) => i >= 0);
  const pool = idx((p) => p.role === 'candidate');
  const baselines = idx((p) => p.role === 'baseline');
  const argmax = (list: number[]) => list.reduce((b, i) => (boot.observed[i] > boot.observed[b] ? i : b), list[0]);
  const bestBase = argmax(baselines);
  const sel = pool.length ? argmax(pool) : -1;
  const spa = pool.length ? superiorPredictiveAbility(boot, bestBase, { candidates: pool }) : null;
  const vsBase = predictors.map((_, i) => (i === bestBase ? null : pairedComparison(boot, i, bestBase)));
  const champIdx = o.championKey ? predictors.findIndex((p) => p.key === o.championKey) : -1;

  // Money: a walk-forward backtest of every predictor (strategy) or its daily long-short book (signal).
  o.onProgress?.('backtests');
  const run = predictors.map(() => ({ excess: null as Float64Array | null, summary: null as unknown, signal: null as unknown }));
  let benchmarks: Record<string, unknown> = {};
  if (ds.task === 'strategy') {
    const market = backtestMarket(ds, o.backtest.execution);
    predictors.forEach((p, i) => {
      const b = backtestOos(ds, market, p.cv, o.backtest);
      run[i] = { excess: b.excess, summary: { ...backtestSummary(b), regret: meanRegret(ds, p.cv) }, signal: null };
    });
    benchmarks = Object.fromEntries(Object.entries(strategyBenchmarks(ds, market, cvFolds, o.backtest)).map(([k, b]) => [k, backtestSummary(b)]));
  } else {
    predictors.forEach((p, i) => {
      o.onProgress?.(`long-short book and tracking of ${p.key}`);
      const ls = longShortOos(ds, p.cv, o.backtest.costBps);
      const tracking = p.role === 'baseline' ? null : symbolTracking(ds, p.cv, p.foldOf, o.sectors ?? {}, SECTOR_SYMBOLS);
      run[i] = { excess: ls.returns, summary: { days: ls.returns.length, mean: ls.mean, sharpe: ls.sharpe, turnover: ls.turnover, flatDays: ls.flatDays }, signal: { ...icOos(ds, p.cv), tracking } };
    });
  }
  // Deflated Sharpe: trials = every configuration ever evaluated for this task and feed (this run's included).
  const runHashes = pool.map((i) => predictors[i].hash!).concat(champIdx >= 0 && predictors[champIdx].role === 'champion' ? [predictors[champIdx].hash!] : []);
  const perPeriod = predictors.map((_, i) => (run[i].excess && run[i].excess!.length > 2 ? sharpeRatio(run[i].excess!) : NaN));
  const trialSharpes = new Map(o.trials.filter((t) => t.sharpe !== null && Number.isFinite(t.sharpe)).map((t) => [t.candidateHash, t.sharpe!]));
  pool.forEach((i) => Number.isFinite(perPeriod[i]) && trialSharpes.set(predictors[i].hash!, perPeriod[i]));
  const nTrials = new Set([...o.trials.map((t) => t.candidateHash), ...runHashes]).size;
  const trialVariance = variance([...trialSharpes.values()]);
  const dsrOf = (i: number) => (run[i].excess && run[i].excess!.length > 2 ? deflatedSharpeRatio(sharpeSample(run[i].excess!), Math.max(1, nTrials), trialVariance) : null);
  const dsr = predictors.map((_, i) => (predictors[i].role === 'baseline' ? null : dsrOf(i)));
  let pbo: ReturnType<typeof probabilityOfBacktestOverfitting> | null = null;
  const withReturns = pool.filter((i) => run[i].excess && run[i].excess!.length === run[pool[0]].excess?.length);
  if (withReturns.length >= 2) {
    const T = run[withReturns[0]].excess!.length;
    const perf = new Float64Array(T * withReturns.length);
    withReturns.forEach((i, c) => run[i].excess!.forEach((v, t) => (perf[t * withReturns.length + c] = v)));
    try {
      pbo = probabilityOfBacktestOverfitting(perf, T, withReturns.length, { metric: 'sharpe' });
    } catch {
      pbo = null; // too few periods for the partitions
    }
  }

  const reachable = ds.classNames.filter((_, k) => {
    let c = 0;
    for (let i = 0; i < ds.rows; i++) if (ds.y[i] === k) c++;
    return c >= Math.max(1, 0.01 * ds.rows);
  }).length;
  const maxDd = (i: number) => (ds.task === 'strategy' ? ((run[i].summary as { maxDrawdown: number }).maxDrawdown ?? null) : null);
  const evidence: Evidence = {
    task: ds.task,
    selected: sel >= 0 ? { key: predictors[sel].key, metrics: metrics[sel], maxDrawdown: maxDd(sel), dsr: dsr[sel]?.dsr ?? null } : null,
    reachableClasses: reachable,
    baseline: { key: predictors[bestBase].key, primary: boot.observed[bestBase] },
    vsBaseline: sel >= 0 && spa ? { diff: vsBase[sel]!.advantage, ci: vsBase[sel]!.ci, pValue: spa.pValue, pValueUncorrected: vsBase[sel]!.pValue } : null,
    candidates: pool.length,
    champion:
      champIdx >= 0
        ? {
            key: predictors[champIdx].key,
            sameConfig: champIdx === sel,
            metrics: metrics[champIdx],
            maxDrawdown: maxDd(champIdx),
            dsr: dsr[champIdx]?.dsr ?? null,
            vsBaseline: ci(pairedComparison(boot, champIdx, bestBase)),
            vsChampion: sel >= 0 && champIdx !== sel ? ci(pairedComparison(boot, sel, champIdx)) : null,
          }
        : null,
    championIncomparable: o.championIncomparable,
  };
  const decision: GateDecision = decidePromotion(evidence, o.gate);
  const selectedKey = sel >= 0 ? predictors[sel].key : null;
  const refitOf = (key: string) => ({ candidate: key, members: key === META_KIND ? members.map((m) => m.key) : null });
  const refit = selectedKey ? [refitOf(selectedKey)] : [];
  if (decision.action === 'refresh' && o.championKey && o.championKey !== selectedKey) refit.push(refitOf(o.championKey));

  const stats = {
    primaryMetric: o.gate.primaryMetric,
    candidates: pool.length,
    selected: selectedKey,
    bestBaseline: predictors[bestBase].key,
    vsBaseline: evidence.vsBaseline,
    spa: spa ? { pValue: spa.pValue, pRealityCheck: spa.pRealityCheck, pLower: spa.pLower, pUpper: spa.pUpper, best: predictors[spa.best].key } : null,
    vsChampion: evidence.champion?.vsChampion ?? null,
    championVsBaseline: evidence.champion?.vsBaseline ?? null,
    dsr: sel >= 0 ? dsr[sel] : null,
    pbo: pbo ? { pbo: pbo.pbo, partitions: pbo.partitions, combinations: pbo.combinations, probabilityOfLoss: pbo.probabilityOfLoss, degradationSlope: pbo.degradation.slope } : null,
    trials: nTrials,
    bootstrap: { resamples: boot.resamples, meanBlockDays: boot.meanBlock, days: boot.units, method: 'paired stationary bootstrap over days; one-sided p from the null-recentred distribution; best-of-K corrected by Hansen\'s consistent SPA' },
  };
  const entry = (p: Predictor, i: number) => ({
    key: p.key,
    kind: p.kind,
    role: p.role,
    hash: p.hash,
    metrics: shape(metrics[i]),
    final: finalMetrics[i] ? shape(finalMetrics[i]!) : null,
    ci: vsBase[i] ? { vs: predictors[bestBase].key, ...ci(vsBase[i]!) } : null,
    dsr: dsr[i],
    pbo: p.role === 'candidate' ? (pbo?.pbo ?? null) : null,
    ...(ds.task === 'strategy' ? { backtest: run[i].summary } : { longShort: run[i].summary, signal: run[i].signal }),
  });
  const verdict = { promote: decision.promoted, action: decision.action, reason: decision.reason, pValue: decision.pValue };
  const document = {
    task: ds.task,
    folds: [...cvFolds, plan.final].map((f, j) => ({
      index: f.index,
      role: f.role,
      train: [ds.dates[f.train.from], ds.dates[f.train.to]],
      test: [ds.dates[f.test!.from], ds.dates[f.test!.to]],
      rows: j < cvFolds.length ? candidates[0].cv[j].rows.length : candidates[0].final.rows.length,
    })),
    purgeDays: ds.executionLag + ds.horizon,
    embargoDays: o.dataset.split.embargo,
    candidates: predictors.map((p, i) => [p, i] as const).filter(([p]) => p.role !== 'baseline').map(([p, i]) => entry(p, i)),
    baselines: predictors.map((p, i) => [p, i] as const).filter(([p]) => p.role === 'baseline').map(([p, i]) => entry(p, i)),
    benchmarks,
    selected: selectedKey,
    bestBaseline: predictors[bestBase].key,
    championKey: o.championKey,
    stats,
    decision,
    verdict,
  };
  const metricRows = predictors.flatMap((p, i) =>
    (['walk_forward', 'final'] as const).flatMap((split) => {
      const m = split === 'walk_forward' ? metrics[i] : finalMetrics[i];
      if (!m) return [];
      return (['all', ...REGIMES] as const).flatMap((regime) => {
        const x = m[regime];
        return (['samples', 'accuracy', 'balanced_accuracy', 'macro_f1'] as const).map((name) => ({ modelId: p.key, split, regime, name, value: x ? x[name] : name === 'samples' ? 0 : null }));
      });
    }),
  );
  return {
    selected: selectedKey,
    bestBaseline: predictors[bestBase].key,
    refit,
    decision,
    stats,
    document,
    metricRows,
    trials: pool.map((i) => ({ candidateHash: predictors[i].hash!, kind: predictors[i].kind, sharpe: Number.isFinite(perPeriod[i]) ? perPeriod[i] : null })),
  };
}

export type Assessment = Awaited<ReturnType<typeof assessProtocol>>;
