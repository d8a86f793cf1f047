import { gatherRows, splitRows, SPLIT_VALIDATION } from '../src/datasets/dataset';
import { applyStandardizer } from '../src/features/standardize';
import { createModel } from '../src/models/registry';
import { ModelPipeline } from '../src/models/pipeline';
import { loadDataset } from '../src/store/datasetStore';
import { saveModel } from '../src/store/modelStore';
import { stableId } from '../src/util/hash';
import type { TaskName, TrainResult } from '../workflows/types';
import type { ActivityDeps } from './deps';
import { loadRunConfig } from './runs';
import { heartbeatProgress, runStep } from './steps';

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
        const params = { seed: cfg.config.dataset.seed, ...(cfg.config.modelParams[a.kind] ?? {}) };
        const model = createModel(a.kind, params);
        const Xs = applyStandardizer(ds.standardizer, ds.X, ds.cols);
        const idx = ds.trainSample;
        const X = { data: gatherRows(Xs, ds.cols, idx), rows: idx.length, cols: ds.cols };
        const y = Int32Array.from(idx, (i) => ds.y[i]);
        const w = Float64Array.from(idx, (i) => ds.weight[i]);
        const valIdx = splitRows(ds, SPLIT_VALIDATION);
        const validation = { X: { data: gatherRows(Xs, ds.cols, valIdx), rows: valIdx.length, cols: ds.cols }, y: Int32Array.from(valIdx, (i) => ds.y[i]) };
        const started = Date.now();
        const report = await model.fit(X, y, w, { nClasses: ds.classNames.length, seed: cfg.config.dataset.seed, validation, ...heartbeatProgress(`train ${a.kind}`) });
        const seconds = (Date.now() - started) / 1000;
        const pred = model.predict(validation.X);
        let correct = 0;
        pred.forEach((p, i) => (correct += p === validation.y[i] ? 1 : 0));
        const validationAccuracy = valIdx.length > 0 ? correct / valIdx.length : null;
        const modelId = stableId('m', a.runId, a.task, a.kind);
        const pipeline = new ModelPipeline(model, ds.standardizer, ds.featureNames, ds.classNames);
        await saveModel(deps.db, { id: modelId, runId: a.runId, datasetId: a.datasetId, task: a.task, kind: a.kind, params, pipeline, trainSummary: { ...report, seconds, validationAccuracy, trainRows: idx.length } });
        deps.logger.info({ runId: a.runId, task: a.task, kind: a.kind, modelId, seconds, validationAccuracy }, 'model trained');
        return { modelId, kind: a.kind, task: a.task, seconds, validationAccuracy };
      });
    },
  };
}
