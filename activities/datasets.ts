import { Context } from '@temporalio/activity';
import { loadBars, loadBarsWithVintage } from '../src/store/barStore';
import { MARKET_INPUT_SYMBOLS } from '../src/data/bars';
import { runUniverse, universeSymbols } from '../src/data/universe';
import { buildDataset } from '../src/datasets/buildDataset';
import { backtestLegs } from '../src/datasets/backtestLegs';
import { laggedDailyCashRate } from '../src/data/rates';
import { loadCashRates } from '../src/store/cashRateStore';
import { datasetSummary } from '../src/datasets/summary';
import { featureSources } from '../src/features/marketFeatures';
import { buildPanel } from '../src/features/panel';
import { steps } from '../src/pipeline/steps';
import { labelRegimes, regimeCounts } from '../src/regimes/regimeLabeler';
import { loadRegimeLabels, saveDataset, saveRegimeLabels } from '../src/store/datasetStore';
import { loadReplayKeys } from '../src/store/monitoringStore';
import { canonicalJson, sha256Hex, stableId } from '../src/util/hash';
import type { DatasetResult, RegimeResult, TaskName } from '../workflows/types';
import type { ActivityDeps } from './deps';
import { loadRunConfig } from './runs';
import { runStep } from './steps';

export function createDatasetActivities(deps: ActivityDeps) {
  return {
    /** Labels every day up to as-of with a regime and stores the labels (keyed by config hash). */
    async labelRegimes(a: { runId: string; feed: string; asOf: string }): Promise<RegimeResult> {
      return runStep(deps, a.runId, steps.regimeLabel, async () => {
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

    /** Every usable labelled row of the task up to as-of -> a stored dataset id (folds and samples are drawn per fit). */
    async buildDataset(a: { runId: string; task: TaskName; feed: string; asOf: string; regimeConfigHash: string }): Promise<DatasetResult> {
      return runStep(deps, a.runId, steps.dataset(a.task), async () => {
        const cfg = await loadRunConfig(deps.db, a.runId);
        const read = await loadBarsWithVintage(deps.db, a.feed, universeSymbols(await runUniverse(cfg)), a.asOf);
        const panel = buildPanel(read.bars, { maxStaleDays: cfg.config.dataset.maxStaleDays });
        const regime = await loadRegimeLabels(deps.db, a.feed, a.regimeConfigHash, panel.dates, a.asOf);
        Context.current().heartbeat('panel built');
        const replay = cfg.config.replay.enabled ? { keys: await loadReplayKeys(deps.db, a.task, a.feed), weight: cfg.config.replay.weight } : undefined;
        const rates = await loadCashRates(deps.db, a.feed, a.asOf);
        const cash = rates ? laggedDailyCashRate(rates, panel.dates) : undefined;
        const legs = backtestLegs(read.bars, panel.dates, cfg.config.dataset.maxStaleDays);
        const ds = buildDataset(panel, regime, a.task, cfg.config.dataset, { replay, cash, legs });
        const id = stableId('ds', a.runId, a.task);
        const summary = { ...datasetSummary(ds), barsVintage: read.vintage, panelWarnings: panel.warnings, marketInputs: ds.marketInputs, featureSources: featureSources(ds.marketInputs) };
        await saveDataset(deps.db, { id, runId: a.runId, feed: a.feed, asOf: a.asOf, maxBarDate: panel.dates[panel.dates.length - 1], dataset: ds, summary, sampleCounts: summary.regimeCounts });
        deps.logger.info({ runId: a.runId, task: a.task, datasetId: id, rows: ds.rows, classCounts: summary.classCounts, vintage: read.vintage }, 'dataset built');
        return { datasetId: id, task: a.task, rows: ds.rows, symbols: ds.symbols.length, firstDay: summary.firstDay, lastLabelledDay: summary.lastLabelledDay, classCounts: summary.classCounts };
      });
    },
  };
}
