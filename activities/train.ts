import { gatherRows, splitRows, SPLIT_VALIDATION, timeOrderedRows, type Dataset } from '../src/datasets/dataset';
import { EnsemblePipeline } from '../src/models/ensemblePipeline';
import { DEFAULT_META, MetaLearner, type MetaParams } from '../src/models/metaLearner';
import { applyStandardizer } from '../src/features/standardize';
import { createModel } from '../src/models/registry';
import { probaAccuracy } from '../src/models/probabilityScores';
import { initTfBackend } from '../src/models/tf/backend';
import { Trm } from '../src/models/trm/trm';
import { TRM_PROFILES } from '../src/models/trm/trmProfiles';
import { ModelPipeline } from '../src/models/pipeline';
import { loadDataset } from '../src/store/datasetStore';
import { loadModel, saveModel } from '../src/store/modelStore';
import { deleteCheckpoint, loadCheckpoint, saveCheckpoint } from '../src/store/checkpointStore';
import type { ModelJSON } from '../src/models/classifier';
import { Context } from '@temporalio/activity';
import { stableId } from '../src/util/hash';
import type { TaskName, TrainResult } from '../workflows/types';
import type { ActivityDeps } from './deps';
import { loadRunConfig } from './runs';
import { heartbeatProgress, runStep } from './steps';

/**
 * Realised forward PnL of choosing each class, per row: the strategies' own returns for the
 * strategy task; for buy/hold/sell, +r / 0 / -r of the symbol's forward return r.
 */
function classPnl(ds: Dataset, idx: Int32Array): Float64Array {
  const K = ds.classNames.length;
  const out = new Float64Array(idx.length * K);
  idx.forEach((i, r) => {
    if (ds.pnlCols === K) out.set(ds.pnl.subarray(i * K, (i + 1) * K), r * K);
    else {
      const fwd = ds.pnl[i * ds.pnlCols];
      const v = Number.isFinite(fwd) ? fwd : 0;
      ds.classNames.forEach((c, k) => (out[r * K + k] = c === 'buy' ? v : c === 'sell' ? -v : 0));
    }
  });
  return out;
}

export function createTrainActivities(deps: ActivityDeps) {
  return {
    /**
     * Trains one model kind on the dataset's balanced sample with regime weights, and stores
     * it. The model id is derived from (run, task, kind), so a retry overwrites, never adds.
     */
    async trainModel(a: { runId: string; task: TaskName; datasetId: string; kind: string }): Promise<TrainResult> {
      return runStep(deps, a.runId, `train:${a.task}:${a.kind}`, async () => {
        const cfg = await loadRunConfig(deps.db, a.runId);
        const ds = await loadDataset(deps.db, a.datasetId);
        const profile = a.kind === Trm.NAME ? TRM_PROFILES[await initTfBackend()] : {};
        const params = { seed: cfg.config.dataset.seed, ...profile, ...(cfg.config.modelParams[a.kind] ?? {}) };
        const model = createModel(a.kind, params);
        const Xs = applyStandardizer(ds.standardizer, ds.X, ds.cols);
        const idx = ds.trainSample;
        const X = { data: gatherRows(Xs, ds.cols, idx), rows: idx.length, cols: ds.cols };
        const y = Int32Array.from(idx, (i) => ds.y[i]);
        const w = Float64Array.from(idx, (i) => ds.weight[i]);
        const valIdx = splitRows(ds, SPLIT_VALIDATION);
        const validation = { X: { data: gatherRows(Xs, ds.cols, valIdx), rows: valIdx.length, cols: ds.cols }, y: Int32Array.from(valIdx, (i) => ds.y[i]) };
        const started = Date.now();
        const pnl = classPnl(ds, idx);
        // Resume after a crash: the last heartbeat names the checkpoint saved before it.
        const step = `train:${a.task}:${a.kind}`;
        const ctx = Context.current();
        const last = ctx.info.heartbeatDetails as { checkpoint?: number } | undefined;
        const resumeFrom = last?.checkpoint ? await loadCheckpoint(deps.db, a.runId, step, last.checkpoint) : null;
        const hb = { checkpoint: resumeFrom ? (last?.checkpoint ?? 0) : 0 };
        let lastSave = Date.now();
        const onCheckpoint = async (state: () => ModelJSON, iteration: number) => {
          if (Date.now() - lastSave < cfg.config.checkpointSeconds * 1000) return;
          await saveCheckpoint(deps.db, a.runId, step, iteration, state());
          lastSave = Date.now();
          hb.checkpoint = iteration;
          ctx.heartbeat({ checkpoint: iteration, label: `train ${a.kind}` });
        };
        const report = await model.fit(X, y, w, { nClasses: ds.classNames.length, seed: cfg.config.dataset.seed, validation, pnl, resumeFrom, onCheckpoint, ...heartbeatProgress(`train ${a.kind}`, hb) });
        if (report.resumedFrom) deps.logger.info({ runId: a.runId, step, resumedFrom: report.resumedFrom }, 'resumed training from checkpoint');
        const seconds = (Date.now() - started) / 1000;
        const validationAccuracy = valIdx.length > 0 ? probaAccuracy(model.predictProba(validation.X), validation.y, ds.classNames.length) : null;
        const modelId = stableId('m', a.runId, a.task, a.kind);
        const pipeline = new ModelPipeline(model, ds.standardizer, ds.featureNames, ds.classNames);
        await saveModel(deps.db, { id: modelId, runId: a.runId, datasetId: a.datasetId, task: a.task, kind: a.kind, params, pipeline, trainSummary: { ...report, seconds, validationAccuracy, trainRows: idx.length, attempt: ctx.info.attempt } });
        await deleteCheckpoint(deps.db, a.runId, step);
        deps.logger.info({ runId: a.runId, task: a.task, kind: a.kind, modelId, seconds, validationAccuracy }, 'model trained');
        return { modelId, kind: a.kind, task: a.task, seconds, validationAccuracy };
      });
    },

    /**
     * Fits the meta-learner on the members' predictions over the validation window (the
     * members never saw it), weighted by regime like training, and stores it as an ensemble
     * model that references its members by id.
     */
    async trainMetaLearner(a: { runId: string; task: TaskName; datasetId: string; memberIds: string[] }): Promise<TrainResult> {
      return runStep(deps, a.runId, `train:${a.task}:meta`, async () => {
        const cfg = await loadRunConfig(deps.db, a.runId);
        const ds = await loadDataset(deps.db, a.datasetId);
        const members = await Promise.all(a.memberIds.map(async (id) => (await loadModel(deps.db, id)).pipeline));
        const meta = new MetaLearner({ ...DEFAULT_META, ...(cfg.config.modelParams.meta ?? {}) } as MetaParams);
        const ensemble = new EnsemblePipeline(meta, a.memberIds, members, ds.featureNames, ds.classNames);
        const idx = timeOrderedRows(ds, SPLIT_VALIDATION);
        const Z = ensemble.memberProba({ data: gatherRows(ds.X, ds.cols, idx), rows: idx.length, cols: ds.cols });
        const y = Int32Array.from(idx, (i) => ds.y[i]);
        const w = Float64Array.from(idx, (i) => ds.weight[i]);
        const started = Date.now();
        const report = await meta.fit(Z, y, w, { nClasses: ds.classNames.length, seed: cfg.config.dataset.seed, ...heartbeatProgress('train meta') });
        const seconds = (Date.now() - started) / 1000;
        const honest = await meta.crossFitProba(Z, y, w);
        const validationAccuracy = y.length > 0 ? probaAccuracy(honest, y, ds.classNames.length) : null;
        const modelId = stableId('m', a.runId, a.task, 'meta');
        const voteWeights = Object.fromEntries(a.memberIds.map((id, j) => [id, meta.voteWeights[j]]));
        await saveModel(deps.db, {
          id: modelId,
          runId: a.runId,
          datasetId: a.datasetId,
          task: a.task,
          kind: 'meta',
          params: meta.params,
          pipeline: ensemble,
          trainSummary: { ...report, seconds, validationAccuracy, method: meta.method, selection: meta.selection, voteWeights, members: a.memberIds, validationRows: idx.length },
        });
        deps.logger.info({ runId: a.runId, task: a.task, modelId, method: meta.method, validationAccuracy }, 'meta-learner trained');
        return { modelId, kind: 'meta', task: a.task, seconds, validationAccuracy };
      });
    },
  };
}
