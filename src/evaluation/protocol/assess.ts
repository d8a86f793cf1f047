import type { DatasetConfig } from '../../datasets/config';
import type { Dataset } from '../../datasets/dataset';
import { SECTOR_SYMBOLS } from '../../data/bars';
import { REGIMES } from '../../regimes/regimes';
import type { FoldPlan } from '../../sampling/folds';
import { describeReturnCoverage } from '../../data/totalReturn';
import { decidePromotion, type Evidence, type GateConfig, type GateDecision, type LegEvidence } from '../gate/promotionGate';
import { decisionEvidence, type DecisionEvidence } from './decisionEvidence';
import { signalSeries, strategySeries, type DecisionSeries } from './decisionSeries';
import { classificationDiagnostics, shapeMetrics } from './diagnostics';
import { META_KIND } from './candidates';
import { pooledPredictors, type CandidateOos, type Predictor } from './predictors';
import type { FoldCache } from './runFold';
import { symbolTracking } from './signalEvaluation';
import type { BacktestSettings } from './strategyEvaluation';
import { describeHolding } from '../backtest/tranches';

export type { CandidateOos } from './predictors';

export interface AssessOptions {
  gate: GateConfig;
  dataset: DatasetConfig;
  backtest: BacktestSettings;
  /** Meta-learner parameter overrides, or null when the run evaluates no meta-learner. */
  meta: Record<string, unknown> | null;
  championKey: string | null;
  championIncomparable: boolean;
  /** Every configuration evaluated before for this task and feed, with its active information ratio (the DSR's trials). */
  trials: { candidateHash: string; activeIr: number | null }[];
  /** Sector of each non-ETF signal symbol (per-sector tracking). */
  sectors?: Record<string, string>;
  /** Where the walk-forward meta-learner's window fits are kept between runs (the fold cache and its feed). */
  metaCache?: { cache: FoldCache; feed: string };
  onProgress?: (what: string) => void;
}

/** The declared reference's name, as the verdict and `predict` use it. */
export function declaredReference(task: string, gate: GateConfig): string {
  return task === 'strategy' ? gate.benchmark : gate.signalBaseline;
}

function decisionSeriesOf(ds: Dataset, plan: FoldPlan, predictors: Predictor[], o: AssessOptions): DecisionSeries {
  if (ds.task === 'strategy') return strategySeries(ds, plan.cv, predictors, o.backtest, o.gate.benchmark);
  const ref = o.gate.signalBaseline;
  return signalSeries(ds, predictors, o.backtest.costBps, ref === 'flat' ? { name: 'flat' } : { name: ref, predictor: predictors.findIndex((p) => p.key === ref) });
}

const legsOf = (ev: DecisionEvidence, i: number, corrected: boolean): LegEvidence[] =>
  ev.values[i].comparisons.map((c) => ({ name: c.name, reference: c.reference, unit: c.unit, diff: c.diff, ci: c.ci, pValue: c.pValue, n: c.n, pAdjusted: corrected && c.pAdjusted !== null ? c.pAdjusted : c.pValue }));

const finiteLegs = (ev: DecisionEvidence, i: number) => ev.values[i].comparisons.every((c) => Number.isFinite(c.diff) && c.n > 0);

/**
 * The gate's decision alone: the pooled predictors, their decision series, the paired bootstrap
 * with SPA, DSR and PBO, and the gate's move, without the classification diagnostics and the
 * report (the study's week-by-week replay needs only this). `assessProtocol` decides through it
 * with `report` (the per-regime estimates too: the same draws, so the decision is the same).
 */
export async function protocolDecision(ds: Dataset, plan: FoldPlan, candidates: CandidateOos[], o: AssessOptions, report = false) {
  const predictors = await pooledPredictors(ds, plan, candidates, { dataset: o.dataset, meta: o.meta, metaCache: o.metaCache, onProgress: o.onProgress });
  o.onProgress?.('decision value');
  const series = decisionSeriesOf(ds, plan, predictors, o);
  const pool = predictors.map((p, i) => (p.role === 'candidate' ? i : -1)).filter((i) => i >= 0);
  const champIdx = o.championKey ? predictors.findIndex((p) => p.key === o.championKey) : -1;
  o.onProgress?.('bootstrap');
  const ev = decisionEvidence(series, {
    pool,
    champion: champIdx,
    resamples: o.gate.bootstrapReps,
    seed: o.dataset.seed,
    horizon: ds.executionLag + ds.horizon,
    trials: o.trials.map((t) => ({ candidateHash: t.candidateHash, ir: t.activeIr })),
    hashes: predictors.map((p) => (p.role === 'baseline' ? null : p.hash)),
    byRegime: report,
  });
  const sel = ev.selected;
  const reference = declaredReference(ds.task, o.gate);
  const maxDd = (i: number) => (ds.task === 'strategy' ? ((series.summaries[i] as { maxDrawdown: number }).maxDrawdown ?? null) : null);
  const evidence: Evidence = {
    task: ds.task,
    reference,
    selected: sel >= 0 ? { key: predictors[sel].key, legs: legsOf(ev, sel, true), finite: finiteLegs(ev, sel), dsr: ev.values[sel].dsr?.dsr ?? null, maxDrawdown: maxDd(sel) } : null,
    candidates: pool.length,
    champion:
      champIdx >= 0
        ? { key: predictors[champIdx].key, sameConfig: champIdx === sel, legs: legsOf(ev, champIdx, false), dsr: ev.values[champIdx].dsr?.dsr ?? null, maxDrawdown: maxDd(champIdx), vsChampion: ev.vsChampion }
        : null,
    championIncomparable: o.championIncomparable,
  };
  const decision: GateDecision = decidePromotion(evidence, o.gate);
  return { predictors, series, pool, champIdx, ev, sel, reference, maxDd, evidence, decision };
}

/**
 * The walk-forward assessment of a task. Every candidate's out-of-sample decisions are pooled
 * over the CV folds (the final window is scored but never chooses), the walk-forward
 * meta-learner and the baselines are added on the same rows, and the decisions are traded as
 * their labels score them. The gate weighs decision value — strategy: daily net return over the
 * declared benchmark and over the policy's own static twin; signal: daily IC and long-short
 * return over the declared baseline — with one paired stationary bootstrap over days, Hansen's
 * SPA over the candidates per leg, the deflated information ratio with the registry's trials,
 * PBO of the same criterion, and the champion's configuration on the same folds.
 * Classification metrics (macro-F1, kappa, Brier skill) are reported as diagnostics.
 */
export async function assessProtocol(ds: Dataset, plan: FoldPlan, candidates: CandidateOos[], o: AssessOptions) {
  const { predictors, series, pool, ev, sel, reference, evidence, decision } = await protocolDecision(ds, plan, candidates, o, true);
  o.onProgress?.('diagnostics');
  const diag = classificationDiagnostics(ds, predictors, { resamples: o.gate.bootstrapReps, seed: o.dataset.seed });
  // How the legs' returns account for distributions over the out-of-sample window; a price-only
  // leg understates what an allocation holding it earned, so the verdict says so, with dates.
  // The days the money evidence covers: the walk-forward backtest's (its benchmarks share them).
  const bt = Object.values((series.benchmarks ?? {}) as Record<string, { from?: string | null; to?: string | null }>).find((b) => b.from && b.to);
  const window = bt ? { from: bt.from!, to: bt.to! } : { from: ds.dates[plan.cv[0]?.test?.from ?? plan.final.test!.from], to: ds.dates[plan.final.test!.to] };
  const coverage = ds.task === 'strategy' && ds.marketNotes.coverage ? describeReturnCoverage(ds.marketNotes.coverage, window) : null;
  const returnCoverage = coverage ? { window, priceOnly: coverage.priceOnly, sentence: coverage.sentence, legs: ds.marketNotes.coverage! } : null;
  if (coverage?.priceOnly) decision.reason = `${decision.reason} ${coverage.sentence}`;
  const selectedKey = sel >= 0 ? predictors[sel].key : null;
  const members = candidates.filter((c) => c.key !== 'champion');
  const refitOf = (key: string) => ({ candidate: key, members: key === META_KIND ? members.map((m) => m.key) : null });
  const refit = selectedKey ? [refitOf(selectedKey)] : [];
  if (decision.action === 'refresh' && o.championKey && o.championKey !== selectedKey) refit.push(refitOf(o.championKey));

  const stats = {
    /** The diagnostic classification metric (never decisive). */
    primaryMetric: o.gate.primaryMetric,
    decidesOn: ds.task === 'strategy' ? `daily net return over ${reference} and over the policy's static twin, after costs` : `the long-short book's daily net return over ${reference} and over its static twin, after costs (IC reported beside it)`,
    candidates: pool.length,
    selected: selectedKey,
    selection: 'the candidate with the highest worst-leg information ratio (mean / sd of its daily advantage over each reference)',
    reference,
    /** What `predict` serves when nothing is deployed: exactly the declared reference. */
    bestBaseline: reference,
    legs: evidence.selected?.legs ?? null,
    pValue: decision.pValue,
    pValueUncorrected: decision.pValueUncorrected,
    vsChampion: ev.vsChampion,
    championLegs: evidence.champion?.legs ?? null,
    dsr: sel >= 0 ? ev.values[sel].dsr : null,
    pbo: ev.pbo ? { pbo: ev.pbo.pbo, partitions: ev.pbo.partitions, combinations: ev.pbo.combinations, probabilityOfLoss: ev.pbo.probabilityOfLoss, degradationSlope: ev.pbo.degradation.slope, criterion: 'worst-leg information ratio (the selection criterion)' } : null,
    trials: ev.trials.count,
    bootstrap: { resamples: ev.bootstrap.resamples, meanBlockDays: ev.bootstrap.meanBlockDays, days: ev.bootstrap.days, method: "paired stationary bootstrap over calendar days, mean block from the legs' own dependence (Politis-White, never below two horizons or n^(1/3)); one-sided p from the null-recentred distribution; each leg corrected for the candidates by Hansen's consistent SPA (single-step max-T)" },
    /** Strategy task: per leg, adjusted close / distributions reinvested / price-only, and from when (null for signal). */
    returnCoverage,
    holding: ds.task === 'strategy' ? describeHolding(ds.horizon) : `the long-short book: ${describeHolding(ds.horizon)}, after an execution lag of ${ds.executionLag}`,
  };
  o.onProgress?.('tracking');
  const entry = (p: Predictor, i: number) => {
    const active = ev.values[i].comparisons.find((c) => c.unit === 'return')!;
    return {
      key: p.key,
      kind: p.kind,
      role: p.role,
      hash: p.hash,
      metrics: shapeMetrics(diag.metrics[i]),
      final: diag.final[i] ? shapeMetrics(diag.final[i]!) : null,
      kappa: diag.kappa[i],
      brierSkill: diag.brierSkill[i],
      value: ev.values[i],
      ci: { vs: active.reference, diff: active.diff, ci: active.ci, pValue: active.pValue, n: active.n },
      dsr: ev.values[i].dsr,
      pbo: p.role === 'candidate' ? (ev.pbo?.pbo ?? null) : null,
      ...(ds.task === 'strategy'
        ? { backtest: series.summaries[i] }
        : { ...(series.summaries[i] as { longShort: unknown }), signal: { ...(series.summaries[i] as { ic: object }).ic, tracking: p.role === 'baseline' ? null : symbolTracking(ds, p.cv, p.foldOf, o.sectors ?? {}, SECTOR_SYMBOLS) } }),
    };
  };
  const verdict = { promote: decision.promoted, action: decision.action, reason: decision.reason, pValue: decision.pValue };
  const document = {
    task: ds.task,
    folds: [...plan.cv, plan.final].map((f, j) => ({
      index: f.index,
      role: f.role,
      train: [ds.dates[f.train.from], ds.dates[f.train.to]],
      test: [ds.dates[f.test!.from], ds.dates[f.test!.to]],
      rows: j < plan.cv.length ? candidates[0].cv[j].rows.length : candidates[0].final.rows.length,
    })),
    purgeDays: ds.executionLag + ds.horizon,
    embargoDays: o.dataset.split.embargo,
    candidates: predictors.map((p, i) => [p, i] as const).filter(([p]) => p.role !== 'baseline').map(([p, i]) => entry(p, i)),
    baselines: predictors.map((p, i) => [p, i] as const).filter(([p]) => p.role === 'baseline').map(([p, i]) => entry(p, i)),
    benchmarks: series.benchmarks,
    selected: selectedKey,
    bestBaseline: reference,
    championKey: o.championKey,
    stats,
    decision,
    verdict,
  };
  const metricRows = predictors.flatMap((p, i) =>
    (['walk_forward', 'final'] as const).flatMap((split) => {
      const m = split === 'walk_forward' ? diag.metrics[i] : diag.final[i];
      if (!m) return [];
      return (['all', ...REGIMES] as const).flatMap((regime) => {
        const x = m[regime];
        return (['samples', 'accuracy', 'balanced_accuracy', 'macro_f1', 'kappa'] as const).map((name) => ({ modelId: p.key, split, regime, name, value: x ? x[name] : name === 'samples' ? 0 : null }));
      });
    }),
  );
  return {
    selected: selectedKey,
    bestBaseline: reference,
    refit,
    decision,
    stats,
    document,
    metricRows,
    // The registry's trials record each configuration's active information ratio (the DSR's variance).
    trials: pool.map((i) => {
      const ir = ev.values[i].comparisons.find((c) => c.unit === 'return')!.ir;
      return { candidateHash: predictors[i].hash!, kind: predictors[i].kind, activeIr: Number.isFinite(ir) ? ir : null };
    }),
  };
}

export type Assessment = Awaited<ReturnType<typeof assessProtocol>>;
