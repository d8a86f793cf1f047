import { Context } from '@temporalio/activity';
import { createSource, feedOf } from '../src/data/sources';
import { datasetsFromSource } from '../src/datasets/datasetFromSource';
import type { Task } from '../src/datasets/dataset';
import { parseRunConfig } from '../src/pipeline/runConfig';
import { loadDataset, saveDataset } from '../src/store/datasetStore';
import { evaluationDetail, saveEvaluationDetail } from '../src/store/evaluationStore';
import { postgresFoldCache } from '../src/store/foldCache';
import { finishRun, getRun, upsertRunStart } from '../src/store/runStore';
import { parseArms } from '../src/study/arms';
import { studyFold } from '../src/study/fitting';
import type { PolicyReplay } from '../src/study/policyArms';
import { runStudy, studyJson, studyReplay } from '../src/study/runStudy';
import { policyServeUnits, studyUnits, unitConfig, type StudyUnit } from '../src/study/units';
import { stableId } from '../src/util/hash';
import type { StudyInput, StudyRef } from '../workflows/retrainStudy';
import type { ActivityDeps } from './deps';
import { trainingHooks } from './fitHooks';
import { heartbeatProgress, runStep } from './steps';

const PLAN = 'study-plan';
/** The policy arms' replayed gate and the refits it serves (the second fan-out). */
const SERVE = 'study-serve';

type ServePlan = { replay: PolicyReplay; units: StudyUnit[] };

async function studyContext(deps: ActivityDeps, a: StudyRef) {
  const r = await getRun(deps.db, a.runId);
  if (!r) throw new Error(`study run ${a.runId} not found`);
  const input = r.run.input as StudyInput;
  const cfg = parseRunConfig({ asOf: input.asOf, tasks: [input.task], source: input.source, models: input.models, config: input.config });
  const ds = await loadDataset(deps.db, a.datasetId);
  return { input, cfg, ds, cache: postgresFoldCache(deps.db, { task: input.task, feed: ds.feed }) };
}

/**
 * The study's activities: plan (the dataset and every distinct fit), one fit per activity (the
 * protocol's `runFold` with heartbeats and checkpoints, its result stored in the fold cache, so a
 * study interrupted midway refits nothing it finished), and the assessment (every fit reused).
 */
export function createStudyActivities(deps: ActivityDeps) {
  return {
    async planStudy(a: { runId: string; workflowId: string; input: StudyInput }): Promise<{ datasetId: string; units: number; policy: boolean }> {
      const arms = parseArms(a.input.arms.join(','));
      await upsertRunStart(deps.db, { id: a.runId, workflowId: a.workflowId, trigger: 'study', asOf: a.input.asOf, tasks: [a.input.task], input: a.input, lineage: 'study', buildId: deps.buildId ?? null });
      return runStep(deps, a.runId, 'study:plan', async () => {
        const cfg = parseRunConfig({ asOf: a.input.asOf, tasks: [a.input.task], source: a.input.source, models: a.input.models, config: a.input.config });
        const task = a.input.task as Task;
        const build = await datasetsFromSource(createSource(cfg.source), { asOf: cfg.asOf, tasks: [task], config: cfg.config.dataset });
        const ds = build.datasets[task]!;
        const datasetId = stableId('d', a.runId, task);
        await saveDataset(deps.db, { id: datasetId, runId: a.runId, feed: feedOf(cfg.source), asOf: cfg.asOf, maxBarDate: ds.dates[ds.dates.length - 1], dataset: ds, summary: { rows: ds.rows }, sampleCounts: {} });
        const units = await studyUnits(ds, cfg, arms, a.input.from);
        await saveEvaluationDetail(deps.db, { runId: a.runId, task, modelId: PLAN, detail: { units } });
        return { datasetId, units: units.length, policy: arms.some((x) => x.startsWith('policy:')) };
      });
    },

    /**
     * The policy arms' gate replayed week by week on the fanned-out protocol fits (any missing one
     * is fitted here), and the refits its decisions serve planned as the second fan-out.
     */
    async decideStudy(a: StudyRef): Promise<{ units: number; trained: number }> {
      return runStep(deps, a.runId, 'study:decide', async () => {
        const { input, cfg, ds, cache } = await studyContext(deps, a);
        const arms = parseArms(input.arms.join(','));
        const beat = heartbeatProgress('study gate replay');
        const replay = await studyReplay(ds, cfg, { arms, from: input.from, cache, feed: ds.feed, hooks: beat, onProgress: (what) => Context.current().heartbeat({ label: 'study gate replay', progress: what }) });
        if (!replay) throw new Error(`study ${a.runId} asked no policy arm`);
        const plan = (await evaluationDetail(deps.db, a.runId, input.task, PLAN)) as { units: StudyUnit[] } | null;
        const units = await policyServeUnits(ds, cfg, arms, input.from!, replay.decisions, plan?.units ?? []);
        await saveEvaluationDetail(deps.db, { runId: a.runId, task: input.task as Task, modelId: SERVE, detail: { replay, units } satisfies ServePlan });
        return { units: units.length, trained: Object.values(replay.fits).reduce((s, c) => s + c.trained, 0) };
      });
    },

    /** One distinct fit of the study (of the plan, or of the refits the policy arms serve); heartbeats, checkpoints, resumes like `fitFold`. */
    async fitStudy(a: StudyRef & { unit: number; serve?: boolean }): Promise<{ unit: number; source: string; seconds: number }> {
      const step = `study:${a.serve ? 'serve' : 'fit'}:${a.unit}`;
      return runStep(deps, a.runId, step, async () => {
        const { input, cfg, ds, cache } = await studyContext(deps, a);
        const plan = (await evaluationDetail(deps.db, a.runId, input.task, a.serve ? SERVE : PLAN)) as { units: StudyUnit[] } | null;
        const u = plan?.units[a.unit];
        if (!u) throw new Error(`study ${a.runId} has no ${a.serve ? 'serving ' : ''}unit ${a.unit}`);
        const training = await trainingHooks(deps, a.runId, step, `study ${u.arm} ${u.spec.kind} fold ${u.fold.index}`, cfg.config.checkpointSeconds);
        const out = await studyFold(ds, u.fold, u.spec, unitConfig(u.arm, cfg.config.dataset), u.gap, ds.feed, cache, training.hooks);
        await training.done();
        return { unit: a.unit, source: out.source, seconds: out.source === 'fitted' ? out.summary.seconds : 0 };
      });
    },

    /** Every arm's evidence and the verdicts (the fits come from the cache; the policy arms replay the gate here). */
    async assessStudy(a: StudyRef): Promise<{ arms: number; verdicts: string[]; trained: number; reused: number }> {
      return runStep(deps, a.runId, 'study:assess', async () => {
        const { input, cfg, ds, cache } = await studyContext(deps, a);
        const beat = heartbeatProgress('study assessment');
        const served = (await evaluationDetail(deps.db, a.runId, input.task, SERVE)) as ServePlan | null;
        const doc = await runStudy(ds, cfg, { arms: parseArms(input.arms.join(',')), from: input.from, cache, feed: ds.feed, hooks: beat, onProgress: (what) => Context.current().heartbeat({ label: 'study assessment', progress: what }), policyReplay: served?.replay });
        await finishRun(deps.db, { id: a.runId, status: 'completed', summary: studyJson(doc) });
        return { arms: doc.arms.length, verdicts: doc.verdicts, trained: doc.arms.reduce((s, x) => s + x.fits.trained, 0), reused: doc.arms.reduce((s, x) => s + x.fits.reused, 0) };
      });
    },
  };
}
