import { loadBars } from '../store/barStore';
import { MARKET_INPUTS } from '../data/universe';
import type { Db } from '../db/client';
import { buildDataset } from '../datasets/buildDataset';
import { InsufficientDataError, NotFoundError } from '../errors';
import { featureRow, taskFeatures } from '../features/featureRows';
import { featureSources, type MarketFeatureInputs } from '../features/marketFeatures';
import { buildPanel, type Panel } from '../features/panel';
import { laggedDailyCashRate } from '../data/rates';
import type { Bar } from '../data/bars';
import { backtestLegs } from '../datasets/backtestLegs';
import { loadCashRates } from '../store/cashRateStore';
import { referenceAnswer } from './referenceAnswer';
import { applyStandardizer } from '../features/standardize';
import { EnsemblePipeline } from '../models/ensemblePipeline';
import { ModelPipeline } from '../models/pipeline';
import { currentTfBackend, initTfBackend } from '../models/tf/backend';
import { Trm } from '../models/trm/trm';
import { engineName, selectedEngine } from '../models/trm/engine/kernels';
import { parseRunConfig } from '../pipeline/runConfig';
import type { TaskName } from '../pipeline/tasks';
import { labelRegimes } from '../regimes/regimeLabeler';
import { championAge } from '../registry/championAge';
import { baselineInstead, deployedModel, feedFor, nothingToServe } from '../registry/deployment';
import { datasetMeta } from '../store/datasetStore';
import { loadModel, modelRow } from '../store/modelStore';
import { getRun } from '../store/runStore';

/** One prediction, in the product's JSON format. */
export interface Prediction {
  timestamp: string;
  as_of: string;
  task: string;
  symbol: string;
  /** Index of the class answered; −1 when the answer is a reference allocation that is not one of the classes. */
  strategy_id: number;
  strategy_name: string;
  /** Strategy task: the risky weights to hold (cash is the rest); null for signal. */
  allocation: { SPY: number; TLT: number; cash: number } | null;
  confidence: number;
  probabilities: Record<string, number>;
  raw_features: Record<string, number>;
  normalized_features: Record<string, number> | null;
  /** Where each feature comes from: `real`, or `proxy: <what it stands in for>`. */
  feature_sources: Record<string, string>;
  halt_probability: number | null;
  halting_step: number | null;
  model_metadata: {
    /** null when no champion is deployed and the best baseline answers. */
    model_id: string | null;
    kind: string;
    is_baseline: boolean;
    run_id: string;
    feed: string;
    lineage: string;
    /** Last day of the newest label window the model was trained on. */
    trained_through: string | null;
    /** The as-of date from which this model is the champion. */
    effective_from: string | null;
    /** Days from trained_through to the day answered for (--as-of, else today); null for a baseline. */
    age_days: number | null;
    /** True when age_days exceeds gate.maxChampionAgeDays of the champion's run: not served silently. */
    stale: boolean;
    max_age_days: number;
    recursion_cycles: number | null;
    latent_steps: number | null;
    effective_depth: number | null;
    backend: string;
  };
}

async function configOfRun(db: Db, runId: string) {
  const r = await getRun(db, runId);
  if (!r) throw new NotFoundError(`run ${runId} is gone`);
  return parseRunConfig(r.run.input).config;
}

/**
 * The live champion's predictions from the features of the last trading day on or before
 * `asOf` (default: the newest stored bar), built from bars up to that day by the same code
 * that built its training rows. With `asOf`, the champion is the one live at that date and
 * trained only on data up to it. With no champion deployed, the best baseline of the newest
 * decision answers, labelled as a baseline. Strategy: one prediction; signal: one per symbol.
 */
export async function predictWithChampion(db: Db, o: { task: TaskName; asOf?: string; feed?: string; now?: () => Date }): Promise<Prediction[]> {
  const feed = await feedFor(db, o.task, o.feed);
  const dep = await deployedModel(db, { task: o.task, feed, asOf: o.asOf });
  const base = dep ? null : await baselineInstead(db, { task: o.task, feed, asOf: o.asOf });
  if (!dep && !base) throw new NotFoundError(await nothingToServe(db, { task: o.task, feed, asOf: o.asOf }));
  const runId = dep ? dep.runId : base!.runId;
  const datasetId = dep ? (await modelRow(db, dep.modelId))!.datasetId : base!.datasetId;
  const runCfg = await configOfRun(db, runId);
  const dsCfg = runCfg.dataset;
  // Serve with what the model was trained with: the dataset's symbols and market-feature inputs.
  const summary = (await datasetMeta(db, datasetId))?.summary as { symbols?: string[]; marketInputs?: MarketFeatureInputs } | undefined;
  if (!summary?.symbols || !summary.marketInputs) throw new NotFoundError(`dataset ${datasetId} of run ${runId} is gone or predates this version: run a retrain`);
  const bars = await loadBars(db, feed, [...MARKET_INPUTS, ...summary.symbols], o.asOf ?? '9999-12-31');
  const panel = buildPanel(bars, { maxStaleDays: dsCfg.maxStaleDays });
  const t = panel.dates.length - 1;
  if (t < 0) throw new InsufficientDataError(`no bars on or before ${o.asOf} in feed ${feed}`);
  const day = panel.dates[t];
  const features = taskFeatures(panel, o.task, o.task === 'signal' ? summary.symbols : [], summary.marketInputs);
  const backend = await initTfBackend();
  const now = (o.now ?? (() => new Date()))().toISOString();
  // How old the champion's data is on the day it answers for: a stale champion is flagged, never served silently.
  const age = dep ? championAge({ trainedThrough: dep.trainedThrough, effectiveFrom: dep.effectiveFrom, at: o.asOf ?? now.slice(0, 10), maxAgeDays: runCfg.gate.maxChampionAgeDays }) : null;
  const model = dep ? await loadModel(db, dep.modelId) : null;
  if (model && model.pipeline.featureNames.join('|') !== features.names.join('|')) {
    throw new InsufficientDataError(`the champion's ${model.pipeline.featureNames.length} inputs are not the features built now (${features.names.length}): it was trained on another feature set`);
  }
  const answer = base ? await referenceAt(db, { panel, bars }, o.task, dsCfg, feed, base.name, t) : null;
  const sources = featureSources(summary.marketInputs);
  const out: Prediction[] = [];
  features.symbols.forEach((_, s) => {
    const row = featureRow(features.matrix(s), t);
    if (!row) {
      if (o.task === 'strategy') throw new InsufficientDataError(`a feature is not computable on ${day} (not enough history, or a stale input)`);
      return;
    }
    const X = { data: Float64Array.from(row), rows: 1, cols: row.length };
    let proba: Float64Array;
    let classNames: string[];
    let halt: number | null = null;
    let step: number | null = null;
    let normalized: Float64Array | null = null;
    let trm: Trm | null = null;
    if (model) {
      const p = model.pipeline instanceof ModelPipeline ? model.pipeline : null;
      trm = p?.classifier instanceof Trm ? p.classifier : null;
      classNames = model.pipeline.classNames;
      if (trm && p) {
        const d = trm.predictDetailed(p.transform(X));
        proba = d.proba;
        halt = d.haltProbability[0];
        step = d.haltingStep[0];
      } else proba = model.pipeline.predictProba(X);
      normalized = p ? applyStandardizer(p.standardizer, X.data, X.cols) : null;
    } else {
      classNames = answer!.classNames;
      proba = answer!.probaFor(features.symbols[s]);
    }
    let best = 0;
    for (let k = 1; k < proba.length; k++) if (proba[k] > proba[best]) best = k;
    // A reference allocation outside the classes (e.g. 60/40 when no class holds it) is answered by its weights.
    const offClass = !model && answer!.allocation && proba.every((p) => p === 0);
    if (offClass) best = -1;
    const def = dsCfg.strategy.strategies.find((x) => x.name === classNames[best]);
    const allocation = o.task !== 'strategy' ? null : offClass ? answer!.allocation! : def ? { SPY: def.spy, TLT: def.tlt } : null;
    out.push({
      timestamp: now,
      as_of: day,
      task: o.task,
      symbol: features.symbols[s],
      strategy_id: best,
      strategy_name: offClass ? answer!.allocation!.name : classNames[best],
      allocation: allocation ? { SPY: allocation.SPY, TLT: allocation.TLT, cash: 1 - allocation.SPY - allocation.TLT } : null,
      confidence: offClass ? 1 : proba[best],
      probabilities: Object.fromEntries(classNames.map((c, k) => [c, proba[k]])),
      raw_features: Object.fromEntries(features.names.map((n, j) => [n, row[j]])),
      normalized_features: normalized ? Object.fromEntries(features.names.map((n, j) => [n, normalized![j]])) : null,
      feature_sources: Object.fromEntries(features.names.map((n) => [n, sources[n] ?? 'real'])),
      halt_probability: halt,
      halting_step: step,
      model_metadata: {
        model_id: dep?.modelId ?? null,
        kind: dep ? (model!.pipeline instanceof EnsemblePipeline ? 'meta' : model!.kind) : `baseline:${base!.name}`,
        is_baseline: !dep,
        run_id: runId,
        feed,
        lineage: dep?.lineage ?? base!.lineage,
        trained_through: dep?.trainedThrough ?? null,
        effective_from: dep?.effectiveFrom ?? null,
        age_days: age?.ageDays ?? null,
        stale: age?.stale ?? false,
        max_age_days: runCfg.gate.maxChampionAgeDays,
        recursion_cycles: trm ? trm.cfg.T : null,
        latent_steps: trm ? trm.cfg.n : null,
        effective_depth: trm ? trm.effectiveDepth : null,
        // What computes this prediction: a TRM runs on its own engine, never on tfjs.
        backend: trm ? engineName(selectedEngine()) : (backend ?? currentTfBackend()),
      },
    });
  });
  return out;
}

/** The declared reference at calendar day t, from bars up to t, built as its decision's run built its dataset. */
async function referenceAt(db: Db, m: { panel: Panel; bars: Map<string, Bar[]> }, task: TaskName, cfg: ReturnType<typeof parseRunConfig>['config']['dataset'], feed: string, name: string, t: number) {
  const { panel } = m;
  const rates = await loadCashRates(db, feed, panel.dates[t]);
  const cash = rates ? laggedDailyCashRate(rates, panel.dates) : undefined;
  const legs = backtestLegs(m.bars, panel.dates, cfg.maxStaleDays);
  return referenceAnswer(buildDataset(panel, labelRegimes(panel, cfg.regimeThresholds).regime, task, cfg, { cash, legs }), name, t);
}
