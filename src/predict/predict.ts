import { eq } from 'drizzle-orm';
import { loadBars } from '../data/barStore';
import { DEFAULT_UNIVERSE, PUT_CALL_SYMBOL } from '../data/bars';
import type { Db } from '../db/client';
import { datasets, models } from '../db/schema';
import { InsufficientDataError, NotFoundError } from '../errors';
import { computeMarketFeatures, type FeatureMatrix } from '../features/marketFeatures';
import { buildPanel } from '../features/panel';
import { computeSymbolFeatures } from '../features/signalFeatures';
import { applyStandardizer } from '../features/standardize';
import { EnsemblePipeline } from '../models/ensemblePipeline';
import { ModelPipeline } from '../models/pipeline';
import { currentTfBackend, initTfBackend } from '../models/tf/backend';
import { Trm } from '../models/trm/trm';
import { getAlias, loadModel } from '../store/modelStore';

/** One prediction of the promoted champion, in the product's JSON format. */
export interface Prediction {
  timestamp: string;
  as_of: string;
  task: string;
  symbol: string;
  strategy_id: number;
  strategy_name: string;
  confidence: number;
  probabilities: Record<string, number>;
  raw_features: Record<string, number>;
  normalized_features: Record<string, number> | null;
  halt_probability: number | null;
  halting_step: number | null;
  model_metadata: {
    model_id: string;
    kind: string;
    run_id: string;
    feed: string;
    recursion_cycles: number | null;
    latent_steps: number | null;
    effective_depth: number | null;
    backend: string;
  };
}

/**
 * Loads the task's champion and predicts from the features of the last trading day on or
 * before `asOf` (default: the newest stored bar), using only bars up to that day.
 * Strategy: one prediction. Signal: one per symbol the champion was trained on.
 */
export async function predictWithChampion(db: Db, o: { task: 'strategy' | 'signal'; asOf?: string; now?: () => Date }): Promise<Prediction[]> {
  const championId = await getAlias(db, o.task, 'champion');
  if (!championId) throw new NotFoundError(`no champion for task ${o.task}: run a retrain first`);
  const [row] = await db.select({ datasetId: models.datasetId, runId: models.runId }).from(models).where(eq(models.id, championId));
  const [ds] = await db.select({ feed: datasets.feed, symbols: datasets.summary }).from(datasets).where(eq(datasets.id, row.datasetId));
  const feed = ds?.feed;
  if (!feed) throw new NotFoundError(`champion ${championId}'s dataset is gone`);
  const backend = await initTfBackend();
  const m = await loadModel(db, championId);
  const asOf = o.asOf ?? '9999-12-31';
  const panel = buildPanel(await loadBars(db, feed, [...DEFAULT_UNIVERSE, PUT_CALL_SYMBOL], asOf));
  const t = panel.dates.length - 1;
  if (t < 0) throw new InsufficientDataError(`no bars on or before ${asOf} in feed ${feed}`);
  const day = panel.dates[t];
  const market = computeMarketFeatures(panel);
  const rows: { symbol: string; features: number[] }[] = [];
  const rowOf = (f: FeatureMatrix) => Array.from(f.values.subarray(t * f.names.length, (t + 1) * f.names.length));
  if (o.task === 'strategy') rows.push({ symbol: 'SPY', features: rowOf(market) });
  else {
    const own = m.pipeline.featureNames.filter((n) => !market.names.includes(n)).length;
    for (const symbol of panel.symbols) {
      if (!panel.price.has(symbol) || symbol === 'VIX' || symbol === 'PCR') continue;
      const f = computeSymbolFeatures(panel, symbol);
      if (f.names.length !== own) continue;
      const values = [...rowOf(f), ...rowOf(market)];
      if (values.every(Number.isFinite)) rows.push({ symbol, features: values });
    }
  }
  const names = m.pipeline.featureNames;
  const out: Prediction[] = [];
  for (const r of rows) {
    if (r.features.length !== names.length) throw new InsufficientDataError(`features for ${r.symbol} do not match the champion's ${names.length} inputs`);
    const bad = r.features.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new InsufficientDataError(`feature ${names[bad]} is not computable on ${day} (not enough history)`);
    const X = { data: Float64Array.from(r.features), rows: 1, cols: names.length };
    const base = m.pipeline instanceof ModelPipeline ? m.pipeline : null;
    const trm = base?.classifier instanceof Trm ? base.classifier : null;
    let proba: Float64Array;
    let halt: number | null = null;
    let step: number | null = null;
    if (trm && base) {
      const d = trm.predictDetailed(base.transform(X));
      proba = d.proba;
      halt = d.haltProbability[0];
      step = d.haltingStep[0];
    } else proba = m.pipeline.predictProba(X);
    let best = 0;
    for (let k = 1; k < proba.length; k++) if (proba[k] > proba[best]) best = k;
    const normalized = base ? applyStandardizer(base.standardizer, X.data, X.cols) : null;
    out.push({
      timestamp: (o.now ?? (() => new Date()))().toISOString(),
      as_of: day,
      task: o.task,
      symbol: r.symbol,
      strategy_id: best,
      strategy_name: m.pipeline.classNames[best],
      confidence: proba[best],
      probabilities: Object.fromEntries(m.pipeline.classNames.map((c, k) => [c, proba[k]])),
      raw_features: Object.fromEntries(names.map((n, j) => [n, r.features[j]])),
      normalized_features: normalized ? Object.fromEntries(names.map((n, j) => [n, normalized[j]])) : null,
      halt_probability: halt,
      halting_step: step,
      model_metadata: {
        model_id: championId,
        kind: m.pipeline instanceof EnsemblePipeline ? 'meta' : m.kind,
        run_id: row.runId,
        feed,
        recursion_cycles: trm ? trm.cfg.T : null,
        latent_steps: trm ? trm.cfg.n : null,
        effective_depth: trm ? trm.effectiveDepth : null,
        backend: backend ?? currentTfBackend(),
      },
    });
  }
  return out;
}
