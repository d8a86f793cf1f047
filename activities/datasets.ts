import { Context } from '@temporalio/activity';
import { loadBars, loadBarsWithVintage } from '../src/data/barStore';
import { MARKET_INPUT_SYMBOLS } from '../src/data/bars';
import { runUniverse, universeSymbols } from '../src/data/universe';
import { featureSources, marketFeatureInputs } from '../src/features/marketFeatures';
import { buildDataset } from '../src/datasets/buildDataset';
import { SPLIT_TEST, SPLIT_TRAIN, SPLIT_VALIDATION } from '../src/datasets/dataset';
import { buildPanel } from '../src/features/panel';
import { labelRegimes, regimeCounts } from '../src/regimes/regimeLabeler';
import { REGIMES } from '../src/regimes/regimes';
import { loadRegimeLabels, saveDataset, saveRegimeLabels } from '../src/store/datasetStore';
import { loadReplayKeys } from '../src/store/monitoringStore';
import { canonicalJson, sha256Hex, stableId } from '../src/util/hash';
import type { DatasetResult, RegimeResult, TaskName } from '../workflows/types';
import type { ActivityDeps } from './deps';
import { loadRunConfig } from './runs';
import { runStep } from './steps';

function maxDate(bars: Map<string, { date: string }[]>): string {
  let m = '';
  for (const list of bars.values()) if (list.length && list[list.length - 1].date > m) m = list[list.length - 1].date;
  return m;
}

export function createDatasetActivities(deps: ActivityDeps) {
  return {
    /** Labels every day up to as-of with a regime and stores the labels (keyed by config hash). */
    async labelRegimes(a: { runId: string; feed: string; asOf: string }): Promise<RegimeResult> {
      return runStep(deps, a.runId, 'regimeLabel', async () => {
        const cfg = await loadRunConfig(deps.db, a.runId);
        const thresholds = cfg.config.dataset.regimeThresholds;
        const maxStaleDays = cfg.config.dataset.maxStaleDays;
        const configHash = sha256Hex(canonicalJson({ ...thresholds, maxStaleDays })).slice(0, 16);
        const panel = buildPanel(await loadBars(deps.db, a.feed, MARKET_INPUT_SYMBOLS, a.asOf), { maxStaleDays });
        const labels = labelRegimes(panel, thresholds);
        Context.current().heartbeat('labelled');
        await saveRegimeLabels(deps.db, a.feed, configHash, labels);
        return { configHash, days: panel.dates.length, counts: regimeCounts(labels.regime) };
      });
    },

    /** Features, labels, walk-forward split, balanced sample and weights -> a stored dataset id. */
    async buildDataset(a: { runId: string; task: TaskName; feed: string; asOf: string; regimeConfigHash: string }): Promise<DatasetResult> {
      return runStep(deps, a.runId, `balancedSample:${a.task}`, async () => {
        const cfg = await loadRunConfig(deps.db, a.runId);
        const read = await loadBarsWithVintage(deps.db, a.feed, universeSymbols(await runUniverse(cfg)), a.asOf);
        const bars = read.bars;
        const panel = buildPanel(bars, { maxStaleDays: cfg.config.dataset.maxStaleDays });
        const marketInputs = marketFeatureInputs(panel);
        const regime = await loadRegimeLabels(deps.db, a.feed, a.regimeConfigHash, panel.dates, a.asOf);
        Context.current().heartbeat('panel built');
        const replay = cfg.config.replay.enabled ? { keys: await loadReplayKeys(deps.db, a.task, a.feed), weight: cfg.config.replay.weight } : undefined;
        const ds = buildDataset(panel, regime, a.task, cfg.config.dataset, { replay });
        const id = stableId('ds', a.runId, a.task);
        const classCounts: Record<string, number> = Object.fromEntries(ds.classNames.map((c) => [c, 0]));
        for (const i of ds.trainSample) classCounts[ds.classNames[ds.y[i]]]++;
        const perSplit = (s: number) => {
          const c: Record<string, number> = Object.fromEntries(REGIMES.map((r) => [r, 0]));
          for (let i = 0; i < ds.rows; i++) if (ds.split[i] === s) c[REGIMES[ds.regime[i]]]++;
          return c;
        };
        const sampleCounts = { train: perSplit(SPLIT_TRAIN), validation: perSplit(SPLIT_VALIDATION), test: perSplit(SPLIT_TEST) };
        const mix = ds.mix.map((m) => ({ regime: m.regime, target: m.target, achieved: m.achieved, available: m.available, ...(m.note ? { note: m.note } : {}) }));
        const summary = {
          classCounts, mix, splitDates: ds.splitDates, rows: ds.rows, cols: ds.cols, trainSample: ds.trainSample.length, replayRows: ds.replayRows,
          barsVintage: read.vintage, panelWarnings: panel.warnings, marketInputs, featureSources: featureSources(marketInputs),
        };
        await saveDataset(deps.db, { id, runId: a.runId, feed: a.feed, asOf: a.asOf, maxBarDate: maxDate(bars), dataset: ds, summary, sampleCounts });
        deps.logger.info({ runId: a.runId, task: a.task, datasetId: id, rows: ds.rows, classCounts, mix }, 'dataset built');
        return { datasetId: id, task: a.task, rows: ds.rows, trainSample: ds.trainSample.length, replayRows: ds.replayRows, splitDates: ds.splitDates, classCounts, mix };
      });
    },
  };
}
