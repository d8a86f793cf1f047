import { Context } from '@temporalio/activity';
import { assessProtocol, type CandidateOos, candidateHash, allFolds, foldAt, foldRef, protocolFolds, type StoredPlan, championCandidate, runCandidates, runFold } from '../src/evaluation/protocol';
import { sameInputsAndClasses } from '../src/models/predictor';
import { steps } from '../src/pipeline/steps';
import { championAt } from '../src/store/aliasStore';
import { loadDataset } from '../src/store/datasetStore';
import { recordTrials, saveEvaluationDetail, saveMetrics, trialsOf } from '../src/store/evaluationStore';
import { getRun } from '../src/store/runStore';
import { loadModelIfPresent, modelRow } from '../src/store/modelStore';
import { stableId } from '../src/util/hash';
import type { AssessmentResult, EvaluationPlan, FitResult } from '../workflows/types';
import type { ActivityDeps } from './deps';
import { loadPlan, planCandidate, storeFoldModel, taskContext, type TaskRef } from './taskContext';
import { trainingHooks } from './fitHooks';
import { loadRunConfig } from './runs';
import { runStep } from './steps';

export function createEvaluationActivities(deps: ActivityDeps) {
  return {
    /**
     * Fixes what the task's evaluation fits: the folds, every candidate's configuration, and the
     * configuration of the lineage's champion at the as-of date (evaluated on the same folds).
     */
    async planEvaluation(a: TaskRef): Promise<EvaluationPlan> {
      return runStep(deps, a.runId, steps.plan(a.task), async () => {
        const cfg = await loadRunConfig(deps.db, a.runId);
        const ds = await loadDataset(deps.db, a.datasetId);
        const plan = protocolFolds(ds, cfg.config.dataset);
        const candidates = (await runCandidates(cfg.models, cfg.config.modelParams)).map((c) => ({ ...c, key: c.kind }));
        const meta = cfg.meta && cfg.models.length >= 2;
        const live = await championAt(deps.db, { task: a.task, feed: ds.feed, lineage: cfg.lineage }, cfg.asOf);
        let championKey: string | null = null;
        let champion: StoredPlan['champion'] = null;
        let championIncomparable = false;
        if (live) {
          const row = await modelRow(deps.db, live.modelId);
          const stored = row ? await loadModelIfPresent(deps.db, live.modelId) : null;
          if (row && stored && sameInputsAndClasses(ds, stored.pipeline)) {
            champion = { modelId: live.modelId, kind: row.kind, effectiveFrom: live.effectiveFrom, trainedThrough: row.trainedThrough };
            const c = championCandidate(row, candidates, ds.task, cfg.config.dataset, meta);
            championKey = c.key;
            championIncomparable = c.key === null;
            if (c.extra) candidates.push(c.extra);
          } else {
            championIncomparable = true;
            deps.logger.warn({ championId: live.modelId }, 'champion missing or not comparable with this dataset (features or classes differ)');
          }
        }
        const stored: StoredPlan = { candidates, meta, championKey, champion, championIncomparable };
        await saveEvaluationDetail(deps.db, { runId: a.runId, task: a.task, modelId: 'plan', detail: stored });
        return { folds: allFolds(plan).map((f) => foldRef(ds, f)), candidates: candidates.map((c) => ({ key: c.key, kind: c.kind })), meta, championKey };
      });
    },

    /** One candidate on one fold: fitted, or reused from an earlier run with the same configuration and training rows. */
    async fitFold(a: TaskRef & { candidate: string; fold: number }): Promise<FitResult> {
      const step = steps.fit(a.task, a.candidate, a.fold);
      return runStep(deps, a.runId, step, async () => {
        const { cfg, ds, folds, settings, cache } = await taskContext(deps, a);
        const spec = planCandidate(await loadPlan(deps, a), a.candidate);
        const fold = foldAt(folds, a.fold);
        const training = await trainingHooks(deps, a.runId, step, `fit ${spec.kind} fold ${a.fold}`, cfg.config.checkpointSeconds);
        const out = await runFold(ds, fold, spec, settings, cache, training.hooks);
        await training.done();
        if (fold.role === 'final') {
          // The kind's model trained up to the final window: the run's stored candidate.
          await storeFoldModel(deps, a, { cfg, ds }, spec, out, { id: stableId('m', a.runId, a.task, a.candidate), role: 'candidate' });
        }
        deps.logger.info({ runId: a.runId, task: a.task, candidate: a.candidate, fold: a.fold, source: out.source, seconds: out.summary.seconds }, 'fold done');
        return { candidate: a.candidate, fold: a.fold, source: out.source, seconds: out.source === 'fitted' ? out.summary.seconds : 0, resumedFrom: out.source === 'fitted' ? (out.summary.report.resumedFrom ?? null) : null };
      });
    },

    /**
     * Pools every candidate's out-of-sample predictions over the folds, scores them overall
     * and per regime against the baselines and the champion's configuration with bootstrap
     * statistics, and decides what should be deployed (the gate applies it).
     */
    async assessCandidates(a: TaskRef): Promise<AssessmentResult> {
      return runStep(deps, a.runId, steps.assess(a.task), async () => {
        const { cfg, ds, folds: plan, settings: s, cache } = await taskContext(deps, a);
        const stored = await loadPlan(deps, a);
        const fits = { fitted: 0, reused: 0, repredicted: 0 };
        for (const st of (await getRun(deps.db, a.runId))?.steps ?? []) {
          const src = (st.summary as { source?: keyof typeof fits } | null)?.source;
          if (st.step.startsWith(`fit:${a.task}:`) && src) fits[src]++;
        }
        const oos: CandidateOos[] = [];
        for (const c of stored.candidates) {
          Context.current().heartbeat(`loading ${c.key}`);
          const outs = [];
          for (const f of [...plan.cv, plan.final]) outs.push(await runFold(ds, f, c, s, cache));
          oos.push({ key: c.key, kind: c.kind, hash: candidateHash(a.task, c, cfg.config.dataset), cv: outs.slice(0, -1), final: outs[outs.length - 1] });
        }
        const trials = await trialsOf(deps.db, a.task, ds.feed);
        const assessment = await assessProtocol(ds, plan, oos, {
          gate: cfg.config.gate,
          dataset: cfg.config.dataset,
          backtest: cfg.config.backtest,
          meta: stored.meta ? (cfg.config.modelParams.meta ?? {}) : null,
          championKey: stored.championKey,
          championIncomparable: stored.championIncomparable,
          trials,
          metaCache: { cache, feed: ds.feed },
          onProgress: (what) => Context.current().heartbeat(what),
        });
        await saveEvaluationDetail(deps.db, { runId: a.runId, task: a.task, modelId: 'assessment', detail: assessment.document });
        await saveMetrics(deps.db, assessment.metricRows.map((r) => ({ ...r, runId: a.runId })));
        await recordTrials(deps.db, assessment.trials.map((t) => ({ ...t, task: a.task, feed: ds.feed, runId: a.runId })));
        deps.logger.info({ runId: a.runId, task: a.task, selected: assessment.selected, action: assessment.decision.action, pValue: assessment.decision.pValue, reason: assessment.decision.reason }, 'candidates assessed');
        return {
          task: a.task,
          primaryMetric: cfg.config.gate.primaryMetric,
          selected: assessment.selected,
          bestBaseline: assessment.bestBaseline,
          refit: assessment.refit,
          verdict: { action: assessment.decision.action, reason: assessment.decision.reason, pValue: assessment.decision.pValue },
          folds: plan.cv.length,
          fits,
        };
      });
    },
  };
}
