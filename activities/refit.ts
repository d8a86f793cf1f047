import { candidateHash, metaCandidateHash, META_KIND, fitMetaOnHistory, type MemberFold, runFold } from '../src/evaluation/protocol';
import { EnsemblePipeline } from '../src/models/ensemblePipeline';
import { DEFAULT_META, type MetaParams } from '../src/models/metaLearner';
import { ModelPipeline } from '../src/models/pipeline';
import { steps } from '../src/pipeline/steps';
import { loadModel, saveModel } from '../src/store/modelStore';
import { stableId } from '../src/util/hash';
import type { RefitResult } from '../workflows/types';
import type { ActivityDeps } from './deps';
import { loadPlan, planCandidate, storeFoldModel, taskContext, type TaskRef } from './taskContext';
import { trainingHooks } from './fitHooks';
import { runStep } from './steps';

const refitId = (a: TaskRef, candidate: string) => stableId('m', a.runId, a.task, `refit:${candidate}`);

export function createRefitActivities(deps: ActivityDeps) {
  return {
    /**
     * Retrains a candidate's configuration on every labelled row up to as-of (the same
     * procedure the folds used) and stores it as the run's refit: the model that gets deployed.
     */
    async refitCandidate(a: TaskRef & { candidate: string; asMember?: boolean }): Promise<RefitResult> {
      const step = steps.refit(a.task, a.candidate);
      return runStep(deps, a.runId, step, async () => {
        const { cfg, ds, folds, settings, cache } = await taskContext(deps, a);
        const spec = planCandidate(await loadPlan(deps, a), a.candidate);
        const training = await trainingHooks(deps, a.runId, step, `refit ${spec.kind}`, cfg.config.checkpointSeconds);
        const out = await runFold(ds, folds.refit, spec, settings, cache, training.hooks);
        await training.done();
        const modelId = refitId(a, a.candidate);
        await storeFoldModel(deps, a, { cfg, ds }, spec, out, { id: modelId, role: a.asMember ? 'refit_member' : 'refit' });
        deps.logger.info({ runId: a.runId, task: a.task, modelId, kind: spec.kind, trainedThrough: out.summary.trainedThrough, source: out.source }, 'refit stored');
        return { candidate: a.candidate, modelId, kind: spec.kind, trainedFrom: out.summary.trainedFrom, trainedThrough: out.summary.trainedThrough, seconds: out.source === 'fitted' ? out.summary.seconds : 0, resumedFrom: out.source === 'fitted' ? (out.summary.report.resumedFrom ?? null) : null };
      });
    },

    /**
     * The deployed meta-learner: members refitted on every row, combined with weights fitted on
     * all of their walk-forward out-of-sample predictions (the same way each fold's meta was).
     */
    async refitMeta(a: TaskRef & { members: string[] }): Promise<RefitResult> {
      return runStep(deps, a.runId, steps.refitMeta(a.task), async () => {
        const started = Date.now();
        const { cfg, ds, folds: plan, settings: s, cache } = await taskContext(deps, a);
        const stored = await loadPlan(deps, a);
        const specs = a.members.map((m) => planCandidate(stored, m));
        const history: MemberFold[] = [];
        for (const f of [...plan.cv, plan.final]) {
          const outs = [];
          for (const spec of specs) outs.push(await runFold(ds, f, spec, s, cache));
          history.push({ fold: f, rows: outs[0].rows, proba: outs.map((o) => o.proba) });
        }
        const params = { ...DEFAULT_META, ...(cfg.config.modelParams.meta ?? {}) } as MetaParams;
        const meta = await fitMetaOnHistory(ds, history, ds.t[ds.rows - 1] + s.gap + 1, s.gap, cfg.config.dataset, params);
        if (!meta) throw new Error('too few out-of-sample rows to fit the meta-learner');
        const memberIds = a.members.map((m) => refitId(a, m));
        const members = await Promise.all(memberIds.map(async (id) => (await loadModel(deps.db, id)).pipeline as ModelPipeline));
        const ensemble = new EnsemblePipeline(meta, memberIds, members, ds.featureNames, ds.classNames);
        const modelId = refitId(a, META_KIND);
        const trainedFrom = ds.dates[ds.t[0]];
        const trainedThrough = ds.dates[Math.min(ds.dates.length - 1, ds.t[ds.rows - 1] + ds.executionLag + ds.horizon)];
        await saveModel(deps.db, {
          id: modelId,
          runId: a.runId,
          datasetId: a.datasetId,
          task: a.task,
          kind: META_KIND,
          feed: ds.feed,
          role: 'refit',
          candidateHash: metaCandidateHash(a.task, params as unknown as Record<string, unknown>, specs.map((sp) => candidateHash(a.task, sp, cfg.config.dataset))),
          asOf: ds.asOf,
          trainedFrom,
          trainedThrough,
          params,
          trainSummary: { method: meta.method, selection: meta.selection, members: memberIds, voteWeights: Array.from(meta.voteWeights) },
          pipeline: ensemble,
          buildId: deps.buildId ?? null,
        });
        return { candidate: META_KIND, modelId, kind: META_KIND, trainedFrom, trainedThrough, seconds: (Date.now() - started) / 1000, resumedFrom: null };
      });
    },
  };
}
