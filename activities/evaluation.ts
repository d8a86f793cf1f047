import { Context } from '@temporalio/activity';
import { assessProtocol, type CandidateOos } from '../src/evaluation/protocol/assess';
import { candidateHash } from '../src/evaluation/protocol/candidates';
import type { ProtocolSettings } from '../src/evaluation/protocol/fitCandidate';
import { allFolds, foldAt, foldRef, protocolFolds, type StoredPlan } from '../src/evaluation/protocol/plan';
import { championCandidate, runCandidates } from '../src/evaluation/protocol/candidateSpecs';
import { runFold } from '../src/evaluation/protocol/runFold';
import { sameInputsAndClasses } from '../src/models/predictor';
import { steps } from '../src/pipeline/steps';
import { championAt } from '../src/store/aliasStore';
import { loadDataset, type StoredDataset } from '../src/store/datasetStore';
import { evaluationDetail, recordTrials, saveEvaluationDetail, saveMetrics, trialsOf } from '../src/store/evaluationStore';
import { postgresFoldCache } from '../src/store/foldCache';
import { getFold } from '../src/store/foldStore';
import { getRun } from '../src/store/runStore';
import { loadModelIfPresent, modelRow, saveModelArtifact } from '../src/store/modelStore';
import { stableId } from '../src/util/hash';
import type { AssessmentResult, EvaluationPlan, FitResult, TaskName } from '../workflows/types';
import type { ActivityDeps } from './deps';
import { trainingHooks } from './fitHooks';
import { loadRunConfig } from './runs';
import { runStep } from './steps';

type TaskRef = { runId: string; task: TaskName; datasetId: string };

export async function loadPlan(deps: ActivityDeps, a: TaskRef): Promise<StoredPlan> {
  const plan = (await evaluationDetail(deps.db, a.runId, a.task, 'plan')) as StoredPlan | null;
  if (!plan) throw new Error(`run ${a.runId} has no evaluation plan for ${a.task}`);
  return plan;
}

export function settingsOf(cfg: Awaited<ReturnType<typeof loadRunConfig>>, ds: StoredDataset): ProtocolSettings & { feed: string } {
  const folds = protocolFolds(ds, cfg.config.dataset);
  return { dataset: cfg.config.dataset, gap: folds.gap, feed: ds.feed };
}

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
        const cfg = await loadRunConfig(deps.db, a.runId);
        const ds = await loadDataset(deps.db, a.datasetId);
        const spec = (await loadPlan(deps, a)).candidates.find((c) => c.key === a.candidate);
        if (!spec) throw new Error(`candidate ${a.candidate} is not in the plan`);
        const s = settingsOf(cfg, ds);
        const fold = foldAt(protocolFolds(ds, cfg.config.dataset), a.fold);
        const training = await trainingHooks(deps, a.runId, step, `fit ${spec.kind} fold ${a.fold}`, cfg.config.checkpointSeconds);
        const out = await runFold(ds, fold, spec, s, postgresFoldCache(deps.db, { task: a.task, feed: ds.feed }), training.hooks);
        await training.done();
        if (fold.role === 'final') {
          // The kind's model trained up to the final window: the run's stored candidate.
          const cached = await getFold(deps.db, out.key);
          await saveModelArtifact(deps.db, {
            id: stableId('m', a.runId, a.task, a.candidate),
            runId: a.runId,
            datasetId: a.datasetId,
            task: a.task,
            kind: spec.kind,
            feed: ds.feed,
            role: 'candidate',
            candidateHash: candidateHash(a.task, spec, cfg.config.dataset),
            asOf: ds.asOf,
            trainedFrom: out.summary.trainedFrom,
            trainedThrough: out.summary.trainedThrough,
            params: spec.params,
            trainSummary: out.summary,
            artifact: cached!.artifact,
          });
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
        const cfg = await loadRunConfig(deps.db, a.runId);
        const ds = await loadDataset(deps.db, a.datasetId);
        const stored = await loadPlan(deps, a);
        const plan = protocolFolds(ds, cfg.config.dataset);
        const s = settingsOf(cfg, ds);
        const cache = postgresFoldCache(deps.db, { task: a.task, feed: ds.feed });
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
