import { eq } from 'drizzle-orm';
import { metrics as metricsTable } from '../src/db/schema';
import { gatherRows, SPLIT_TEST, SPLIT_VALIDATION, timeOrderedRows, type Dataset } from '../src/datasets/dataset';
import { evaluatePerRegime, fromMetricRows, metricRows, type RegimeMetrics } from '../src/evaluation/perRegime';
import { decidePromotion } from '../src/evaluation/promotionGate';
import { backtestBuyAndHold, backtestChoices, backtestMetricRows, type BacktestResult } from '../src/evaluation/backtest';
import { argmaxRows } from '../src/models/classifier';
import { Context } from '@temporalio/activity';
import { EnsemblePipeline } from '../src/models/ensemblePipeline';
import { sameInputsAndClasses, type Predictor } from '../src/models/predictor';
import { loadDataset } from '../src/store/datasetStore';
import { getAlias, loadModel, loadModelIfPresent, modelsOfRun, saveDecision, saveEvaluationDetail, saveMetrics, setAlias } from '../src/store/modelStore';
import type { EvaluateResult, GateResult, ModelEvaluation, TaskName } from '../workflows/types';
import type { ActivityDeps } from './deps';
import { loadRunConfig } from './runs';
import { runStep } from './steps';

/**
 * Scores a model on one split. The meta-learner was fitted on the validation window, so its
 * validation scores come from cross-fitting (each half predicted by a fit on the other half).
 */
async function evaluateOn(ds: Dataset, pipeline: Predictor, split: number): Promise<{ metrics: RegimeMetrics; proba: Float64Array; idx: Int32Array }> {
  const idx = timeOrderedRows(ds, split);
  const X = { data: gatherRows(ds.X, ds.cols, idx), rows: idx.length, cols: ds.cols };
  const y = Int32Array.from(idx, (i) => ds.y[i]);
  const proba =
    pipeline instanceof EnsemblePipeline && split === SPLIT_VALIDATION
      ? await pipeline.meta.crossFitProba(pipeline.memberProba(X), y, Float64Array.from(idx, (i) => ds.weight[i]))
      : pipeline.predictProba(X);
  return { metrics: evaluatePerRegime(proba, y, Int8Array.from(idx, (i) => ds.regime[i]), ds.classNames.length), proba, idx };
}

/** Confusion matrix cells as metric rows (test window, all regimes): confusion_<true>_<pred>. */
function confusionRows(m: RegimeMetrics): { regime: 'all'; name: string; value: number }[] {
  return (m.all?.confusion ?? []).flatMap((row, t) => row.map((v, p) => ({ regime: 'all' as const, name: `confusion_${t}_${p}`, value: v })));
}

/** At most ~300 points of an equity curve: enough for a chart, small for storage. */
function thin(equity: number[]): number[] {
  const step = Math.max(1, Math.ceil(equity.length / 300));
  return equity.filter((_, i) => i % step === 0 || i === equity.length - 1).map((v) => Number(v.toFixed(6)));
}

const short = (b: BacktestResult) => ({ cagr: b.cagr, sharpe: b.sharpe, maxDrawdown: b.maxDrawdown, hitRate: b.hitRate });

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
        // Strategy task: follow each model's predicted allocation over the test window.
        const strategies = cfg.config.dataset.strategy.strategies;
        const costBps = cfg.config.backtest.costBps;
        const backtestable = a.task === 'strategy' && ds.pnlCols === ds.classNames.length;
        const testIdx = timeOrderedRows(ds, SPLIT_TEST);
        const testNext = Float64Array.from({ length: testIdx.length * ds.pnlCols }, (_, q) => ds.next[testIdx[Math.floor(q / ds.pnlCols)] * ds.pnlCols + (q % ds.pnlCols)]);
        let benchmarks: EvaluateResult['benchmarks'];
        if (backtestable) {
          const counts = new Array(ds.classNames.length).fill(0);
          for (const i of ds.trainSample) counts[ds.y[i]]++;
          const majority = counts.indexOf(Math.max(...counts));
          const spy = backtestBuyAndHold(Float64Array.from(testIdx, (i) => ds.marketNext[i]), costBps);
          const maj = backtestChoices(new Int32Array(testIdx.length).fill(majority), testNext, strategies, costBps);
          benchmarks = { buy_and_hold_spy: short(spy), [`always_${ds.classNames[majority]}`]: short(maj) };
          for (const [id, b] of [['benchmark:buy_and_hold_spy', spy], ['benchmark:majority', maj]] as const) {
            await saveEvaluationDetail(deps.db, { runId: a.runId, task: a.task, modelId: id, detail: { kind: 'benchmark', role: 'benchmark', equity: thin(b.equity) } });
          }
          await saveMetrics(deps.db, [
            ...backtestMetricRows('backtest', spy).map((r) => ({ ...r, modelId: 'benchmark:buy_and_hold_spy', runId: a.runId, split: 'test' })),
            ...backtestMetricRows('backtest', maj).map((r) => ({ ...r, modelId: 'benchmark:majority', runId: a.runId, split: 'test' })),
          ]);
        }
        for (const t of targets) {
          Context.current().heartbeat(`evaluating ${t.id}`);
          // A champion alias pointing at a deleted model must not block retraining.
          const m = t.role === 'champion' ? await loadModelIfPresent(deps.db, t.id) : await loadModel(deps.db, t.id);
          if (!m) {
            deps.logger.warn({ championId: t.id }, 'champion alias points at a missing model; judging challengers on sanity only');
            continue;
          }
          if (t.role === 'champion' && !sameInputsAndClasses(ds, m.pipeline)) {
            deps.logger.warn({ championId: t.id }, 'champion not comparable with this dataset (features or classes differ)');
            continue;
          }
          const val = (await evaluateOn(ds, m.pipeline, SPLIT_VALIDATION)).metrics;
          const testEval = await evaluateOn(ds, m.pipeline, SPLIT_TEST);
          const test = testEval.metrics;
          const bt = backtestable ? backtestChoices(argmaxRows(testEval.proba, ds.classNames.length), testNext, strategies, costBps) : null;
          await saveMetrics(deps.db, [
            ...metricRows(val).map((r) => ({ ...r, modelId: t.id, runId: a.runId, split: 'validation' })),
            ...metricRows(test).map((r) => ({ ...r, modelId: t.id, runId: a.runId, split: 'test' })),
            ...confusionRows(test).map((r) => ({ ...r, modelId: t.id, runId: a.runId, split: 'test' })),
            ...(bt ? backtestMetricRows('backtest', bt).map((r) => ({ ...r, modelId: t.id, runId: a.runId, split: 'test' })) : []),
          ]);
          const perRegimeConfusion = Object.fromEntries(Object.entries(test).map(([r, v]) => [r, v?.confusion ?? null]));
          await saveEvaluationDetail(deps.db, {
            runId: a.runId,
            task: a.task,
            modelId: t.id,
            detail: { kind: m.kind, role: t.role, classNames: ds.classNames, confusion: perRegimeConfusion, testDates: [ds.splitDates.test[0], ds.splitDates.test[1]], equity: bt ? thin(bt.equity) : null },
          });
          evaluations.push({
            modelId: t.id,
            kind: m.kind,
            role: t.role,
            validation: { primary: val.all?.[primary] ?? null, accuracy: val.all?.accuracy ?? null },
            test: { primary: test.all?.[primary] ?? null, accuracy: test.all?.accuracy ?? null, crash: test.crash?.[primary] ?? null, recovery: test.recovery?.[primary] ?? null },
            ...(bt ? { backtest: short(bt) } : {}),
          });
        }
        return { task: a.task, primaryMetric: primary, evaluations, championId: evaluations.some((e) => e.role === 'champion') ? championId : null, ...(benchmarks ? { benchmarks } : {}) };
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
        const drawdownOf = (id: string | null) => {
          const r = id ? rows.find((x) => x.modelId === id && x.split === 'test' && x.name === 'backtest_max_drawdown') : undefined;
          return r?.value !== undefined && r.value !== null ? { maxDrawdown: r.value } : null;
        };
        const decision = decidePromotion(metricsOf(best.id, 'test'), championId ? metricsOf(championId, 'test') : null, gate, nClasses, { challenger: drawdownOf(best.id), champion: drawdownOf(championId) });
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
