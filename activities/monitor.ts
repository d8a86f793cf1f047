import { calibratedMatrixDrift, DEFAULT_CALIBRATED_DRIFT } from '../src/monitoring/calibratedDrift';
import { liveChampionResults } from '../src/monitoring/liveChampion';
import { sameInputsAndClasses } from '../src/models/predictor';
import { steps } from '../src/pipeline/steps';
import { loadDataset } from '../src/store/datasetStore';
import { saveMetrics } from '../src/store/evaluationStore';
import { addReplayRows, saveDrift } from '../src/store/monitoringStore';
import { loadModelIfPresent } from '../src/store/modelStore';
import type { MonitorResult, TaskName } from '../workflows/types';
import type { ActivityDeps } from './deps';
import { loadPlan } from './taskContext';
import { loadRunConfig } from './runs';
import { runStep } from './steps';

export function createMonitorActivities(deps: ActivityDeps) {
  return {
    /**
     * Before the gate moves anything: feature drift of the newest days, judged against the PSIs
     * of same-length windows over the feature's own history (calibrated, so it does not cry wolf), the
     * incumbent champion's accuracy on the days it was live, and (when enabled) its mistakes
     * there into the error replay buffer.
     */
    async monitorTask(a: { runId: string; task: TaskName; datasetId: string; feed: string }): Promise<MonitorResult> {
      return runStep(deps, a.runId, steps.monitor(a.task), async () => {
        const cfg = await loadRunConfig(deps.db, a.runId);
        const ds = await loadDataset(deps.db, a.datasetId);
        const drift = calibratedMatrixDrift(ds.featureNames, ds.X, ds.t, { ...DEFAULT_CALIBRATED_DRIFT, recentDays: cfg.config.drift.recentDays, percentile: cfg.config.drift.percentile });
        await saveDrift(deps.db, a.runId, a.task, drift);
        const finite = drift.map((d) => d.psi).filter(Number.isFinite);
        const result: MonitorResult = {
          task: a.task,
          flaggedFeatures: drift.filter((d) => d.flagged).map((d) => d.feature),
          maxPsi: finite.length > 0 ? Math.max(...finite) : null,
          championRecentAccuracy: null,
          replayAdded: 0,
          replaySize: 0,
        };
        const champion = (await loadPlan(deps, a)).champion;
        const model = champion ? await loadModelIfPresent(deps.db, champion.modelId) : null;
        if (!champion?.trainedThrough || !model || !sameInputsAndClasses(ds, model.pipeline)) return result;
        const live = liveChampionResults(ds, model.pipeline, champion.trainedThrough);
        result.championRecentAccuracy = live.accuracy;
        await saveMetrics(deps.db, [
          { modelId: champion.modelId, runId: a.runId, split: 'live', regime: 'all', name: 'samples', value: live.rows },
          { modelId: champion.modelId, runId: a.runId, split: 'live', regime: 'all', name: 'accuracy', value: live.accuracy },
        ]);
        if (cfg.config.replay.enabled && live.mistakes.length > 0) {
          result.replayAdded = live.mistakes.length;
          result.replaySize = await addReplayRows(deps.db, { task: a.task, feed: a.feed, runId: a.runId, rows: live.mistakes, maxSize: cfg.config.replay.maxSize });
        }
        deps.logger.info({ runId: a.runId, task: a.task, flagged: result.flaggedFeatures, maxPsi: result.maxPsi, championLiveAccuracy: live.accuracy, liveRows: live.rows }, 'monitoring');
        return result;
      });
    },
  };
}
