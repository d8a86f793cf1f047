import { eq } from 'drizzle-orm';
import { metrics as metricsTable } from '../src/db/schema';
import { gatherRows, SPLIT_TEST, SPLIT_VALIDATION, timeOrderedRows, type Dataset } from '../src/datasets/dataset';
import { evaluatePerRegime, fromMetricRows, metricRows, type RegimeMetrics } from '../src/evaluation/perRegime';
import { decidePromotion } from '../src/evaluation/promotionGate';
import { EnsemblePipeline } from '../src/models/ensemblePipeline';
import type { Predictor } from '../src/models/predictor';
import { loadDataset } from '../src/store/datasetStore';
import { getAlias, loadModel, modelsOfRun, saveDecision, saveMetrics, setAlias } from '../src/store/modelStore';
import type { EvaluateResult, GateResult, ModelEvaluation, TaskName } from '../workflows/types';
import type { ActivityDeps } from './deps';
import { loadRunConfig } from './runs';
import { runStep } from './steps';

/**
 * Scores a model on one split. The meta-learner was fitted on the validation window, so its
 * validation scores come from cross-fitting (each half predicted by a fit on the other half).
 */
async function evaluateOn(ds: Dataset, pipeline: Predictor, split: number): Promise<RegimeMetrics> {
  const idx = timeOrderedRows(ds, split);
  const X = { data: gatherRows(ds.X, ds.cols, idx), rows: idx.length, cols: ds.cols };
  const y = Int32Array.from(idx, (i) => ds.y[i]);
  const proba =
    pipeline instanceof EnsemblePipeline && split === SPLIT_VALIDATION
      ? await pipeline.meta.crossFitProba(pipeline.memberProba(X), y, Float64Array.from(idx, (i) => ds.weight[i]))
      : pipeline.predictProba(X);
  return evaluatePerRegime(proba, y, Int8Array.from(idx, (i) => ds.regime[i]), ds.classNames.length);
}

/** A champion trained on other features or classes cannot be scored on this dataset. */
function comparable(ds: Dataset, p: Predictor): boolean {
  return p.featureNames.join('|') === ds.featureNames.join('|') && p.classNames.join('|') === ds.classNames.join('|');
}

export function createEvaluateActivities(deps: ActivityDeps) {
  return {
    /** Scores every challenger and the current champion on the same validation and test windows. */
    async evaluateModels(a: { runId: string; task: TaskName; datasetId: string; modelIds: string[] }): Promise<EvaluateResult> {
      return runStep(deps, a.runId, `evaluate:${a.task}`, async () => {
        const cfg = await loadRunConfig(deps.db, a.runId);
        const primary = cfg.config.gate.primaryMetric;
        const ds = await loadDataset(deps.db, a.datasetId);
        const championId = await getAlias(deps.db, a.task, 'champion');
        const targets: { id: string; role: 'challenger' | 'champion' }[] = a.modelIds.map((id) => ({ id, role: 'challenger' }));
        if (championId && !a.modelIds.includes(championId)) targets.push({ id: championId, role: 'champion' });
        const evaluations: ModelEvaluation[] = [];
        for (const t of targets) {
          const m = await loadModel(deps.db, t.id);
          if (t.role === 'champion' && !comparable(ds, m.pipeline)) {
            deps.logger.warn({ championId: t.id }, 'champion not comparable with this dataset (features or classes differ)');
            continue;
          }
          const val = await evaluateOn(ds, m.pipeline, SPLIT_VALIDATION);
          const test = await evaluateOn(ds, m.pipeline, SPLIT_TEST);
          await saveMetrics(deps.db, [
            ...metricRows(val).map((r) => ({ ...r, modelId: t.id, runId: a.runId, split: 'validation' })),
            ...metricRows(test).map((r) => ({ ...r, modelId: t.id, runId: a.runId, split: 'test' })),
          ]);
          evaluations.push({
            modelId: t.id,
            kind: m.kind,
            role: t.role,
            validation: { primary: val.all?.[primary] ?? null, accuracy: val.all?.accuracy ?? null },
            test: { primary: test.all?.[primary] ?? null, accuracy: test.all?.accuracy ?? null, crash: test.crash?.[primary] ?? null, recovery: test.recovery?.[primary] ?? null },
          });
        }
        return { task: a.task, primaryMetric: primary, evaluations, championId: evaluations.some((e) => e.role === 'champion') ? championId : null };
      });
    },

    /**
     * Picks the best challenger on validation, then compares it with the champion on the test
     * window. Aliases move (with an audit event) only when every check passes.
     */
    async promotionGate(a: { runId: string; task: TaskName; datasetId: string }): Promise<GateResult> {
      return runStep(deps, a.runId, `promotionGate:${a.task}`, async () => {
        const cfg = await loadRunConfig(deps.db, a.runId);
        const gate = cfg.config.gate;
        const challengers = await modelsOfRun(deps.db, a.runId, a.task);
        const rows = await deps.db.select().from(metricsTable).where(eq(metricsTable.runId, a.runId));
        const metricsOf = (id: string, split: string) => fromMetricRows(rows.filter((r) => r.modelId === id && r.split === split));
        let best: { id: string; score: number } | null = null;
        for (const c of challengers) {
          const score = metricsOf(c.id, 'validation').all?.[gate.primaryMetric] ?? -Infinity;
          if (!best || score > best.score) best = { id: c.id, score };
        }
        const currentChampion = await getAlias(deps.db, a.task, 'champion');
        const championScored = currentChampion !== null && rows.some((r) => r.modelId === currentChampion && r.split === 'test');
        const championId = championScored ? currentChampion : null;
        if (!best) {
          const res = { task: a.task, promoted: false, challengerId: null, championId, reason: 'no challenger was trained', checks: [] };
          await saveDecision(deps.db, { runId: a.runId, ...res });
          return res;
        }
        const nClasses = (await loadDataset(deps.db, a.datasetId)).classNames.length;
        const decision = decidePromotion(metricsOf(best.id, 'test'), championId ? metricsOf(championId, 'test') : null, gate, nClasses);
        if (currentChampion && !championScored) decision.checks.push({ name: 'champion_comparable', passed: true, detail: `champion ${currentChampion} uses other features/classes; judged on sanity only` });
        await saveDecision(deps.db, { runId: a.runId, task: a.task, challengerId: best.id, championId, promoted: decision.promoted, checks: decision.checks, reason: decision.reason });
        const actor = `workflow:${a.runId}`;
        await setAlias(deps.db, { task: a.task, alias: 'challenger', modelId: best.id, actor, reason: 'best validation score of its run', runId: a.runId });
        if (decision.promoted) await setAlias(deps.db, { task: a.task, alias: 'champion', modelId: best.id, actor, reason: decision.reason, runId: a.runId });
        deps.logger.info({ runId: a.runId, task: a.task, challengerId: best.id, championId, promoted: decision.promoted, reason: decision.reason }, 'promotion decision');
        return {
          task: a.task,
          promoted: decision.promoted,
          challengerId: best.id,
          championId,
          reason: decision.reason,
          checks: decision.checks.map((c) => ({ name: c.name, passed: c.passed, detail: c.detail })),
        };
      });
    },
  };
}
