import { gatherRows, SPLIT_TEST, timeOrderedRows } from '../src/datasets/dataset';
import { argmaxRows } from '../src/models/classifier';
import { featureDrift, recentRows } from '../src/monitoring/drift';
import { sameInputsAndClasses } from '../src/models/predictor';
import { loadDataset } from '../src/store/datasetStore';
import { addReplayRows, saveDrift } from '../src/store/monitoringStore';
import { getAlias, loadModelIfPresent, saveMetrics } from '../src/store/modelStore';
import type { MonitorResult, TaskName } from '../workflows/types';
import type { ActivityDeps } from './deps';
import { loadRunConfig } from './runs';
import { runStep } from './steps';

export function createMonitorActivities(deps: ActivityDeps) {
  return {
    /**
     * Before the gate moves anything: feature drift (PSI, training window vs the newest days),
     * the incumbent champion's accuracy on those newest days, and its mistakes over the test
     * window into the error replay buffer.
     */
    async monitorTask(a: { runId: string; task: TaskName; datasetId: string; feed: string }): Promise<MonitorResult> {
      return runStep(deps, a.runId, `monitor:${a.task}`, async () => {
        const cfg = await loadRunConfig(deps.db, a.runId);
        const ds = await loadDataset(deps.db, a.datasetId);
        const drift = featureDrift(ds, cfg.config.drift);
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
        const championId = await getAlias(deps.db, a.task, 'champion');
        if (!championId) return result;
        const champion = await loadModelIfPresent(deps.db, championId);
        if (!champion) return result;
        if (!sameInputsAndClasses(ds, champion.pipeline)) return result;
        const predictRows = (idx: Int32Array) => argmaxRows(champion.pipeline.predictProba({ data: gatherRows(ds.X, ds.cols, idx), rows: idx.length, cols: ds.cols }), ds.classNames.length);
        const recent = recentRows(ds, cfg.config.drift.recentDays);
        const pr = predictRows(recent);
        const correct = pr.reduce((s, p, k) => s + (p === ds.y[recent[k]] ? 1 : 0), 0);
        result.championRecentAccuracy = recent.length > 0 ? correct / recent.length : null;
        await saveMetrics(deps.db, [
          { modelId: championId, runId: a.runId, split: 'recent', regime: 'all', name: 'samples', value: recent.length },
          { modelId: championId, runId: a.runId, split: 'recent', regime: 'all', name: 'accuracy', value: result.championRecentAccuracy },
        ]);
        if (cfg.config.replay.enabled) {
          const test = timeOrderedRows(ds, SPLIT_TEST);
          const pt = predictRows(test);
          const wrong = Array.from(test)
            .filter((i, k) => pt[k] !== ds.y[i])
            .map((i) => ({ day: ds.day[i], symbol: ds.symbols[ds.symbol[i]] }));
          result.replayAdded = wrong.length;
          result.replaySize = await addReplayRows(deps.db, { task: a.task, feed: a.feed, runId: a.runId, rows: wrong, maxSize: cfg.config.replay.maxSize });
        }
        deps.logger.info({ runId: a.runId, task: a.task, flagged: result.flaggedFeatures, maxPsi: result.maxPsi, championRecentAccuracy: result.championRecentAccuracy, replayAdded: result.replayAdded }, 'monitoring');
        return result;
      });
    },
  };
}
