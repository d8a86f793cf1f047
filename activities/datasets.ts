import { Context } from '@temporalio/activity';
import { MARKET_INPUT_SYMBOLS } from '../src/data/bars';
import { MARKET_INPUTS, runUniverse, signalSymbolsOf, universeSymbols } from '../src/data/universe';
import { uniqueSymbols } from '../src/data/symbols';
import { assembleDataset, buildDataset } from '../src/datasets/buildDataset';
import { shardSymbols, signalFeatureShard } from '../src/datasets/featureShard';
import { NotFoundError } from '../src/errors';
import { loadBars, loadBarsWithVintage, storedRanges } from '../src/store/barStore';
import { deleteFeatureShards, loadFeatureShard, planFeatureShards, saveFeatureShard, shardPlan } from '../src/store/featureShardStore';
import { backtestLegs } from '../src/datasets/backtestLegs';
import { laggedDailyCashRate } from '../src/data/rates';
import { loadCashRates } from '../src/store/cashRateStore';
import { datasetSummary } from '../src/datasets/summary';
import { featureSources } from '../src/features/marketFeatures';
import { buildPanel } from '../src/features/panel';
import { steps } from '../src/pipeline/steps';
import { labelRegimes, regimeCounts } from '../src/regimes/regimeLabeler';
import { datasetMeta, loadRegimeLabels, saveDataset, saveRegimeLabels } from '../src/store/datasetStore';
import { loadReplayKeys } from '../src/store/monitoringStore';
import { canonicalJson, sha256Hex, stableId } from '../src/util/hash';
import type { DatasetResult, FeatureShardResult, RegimeResult, TaskName } from '../workflows/types';
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

    /**
     * Cuts a large run's signal universe into shards of `dataset.signal.shardSymbols` symbols,
     * in the order a one-activity build would hold them, and stores the plan once for the run.
     */
    async planFeatureShards(a: DatasetArgs): Promise<{ shards: number }> {
      return runStep(deps, a.runId, steps.featurePlan(a.task), async () => {
        const cfg = await loadRunConfig(deps.db, a.runId);
        const universe = universeSymbols(await runUniverse(cfg));
        // Only symbols with bars up to as-of, in the order loadBars returns them (as buildDataset sees them).
        const loaded = (await storedRanges(deps.db, a.feed, universe, a.asOf)).keys();
        const symbols = signalSymbolsOf(cfg.config.dataset.signal.symbols, loaded);
        const plan = await planFeatureShards(deps.db, a.runId, a.task, shardSymbols(symbols, cfg.config.dataset.signal.shardSymbols));
        return { shards: plan.length };
      });
    },

    /** Pass 1 of the signal dataset for one shard's symbols (bars of the market inputs and those symbols up to as-of), stored by run/task/shard. */
    async buildFeatureShard(a: DatasetArgs & { shard: number }): Promise<FeatureShardResult> {
      return runStep(deps, a.runId, steps.featureShard(a.task, a.shard), async () => {
        const cfg = await loadRunConfig(deps.db, a.runId);
        const mine = (await shardPlan(deps.db, a.runId, a.task)).find((s) => s.shard === a.shard);
        if (!mine) throw new NotFoundError(`run ${a.runId} has no feature shard ${a.shard} for ${a.task}`);
        const read = await loadBarsWithVintage(deps.db, a.feed, uniqueSymbols([...MARKET_INPUTS, ...mine.symbols]), a.asOf);
        const panel = buildPanel(read.bars, { maxStaleDays: cfg.config.dataset.maxStaleDays });
        const regime = await loadRegimeLabels(deps.db, a.feed, a.regimeConfigHash, panel.dates, a.asOf);
        const ctx = Context.current();
        const shard = signalFeatureShard(panel, regime, cfg.config.dataset, mine.symbols, undefined, (k) => ctx.heartbeat({ shard: a.shard, symbol: k }));
        await saveFeatureShard(deps.db, a.runId, a.task, a.shard, shard, read.vintage);
        return { shard: a.shard, symbols: shard.symbols.length, rows: shard.symbols.reduce((n, s) => n + s.days.length, 0) };
      });
    },

    /**
     * Every usable labelled row of the task up to as-of -> a stored dataset id (folds and samples
     * are drawn per fit). `sharded`: assembled from the run's stored feature shards.
     */
    async buildDataset(a: DatasetArgs & { sharded?: boolean }): Promise<DatasetResult> {
      return runStep(deps, a.runId, steps.dataset(a.task), async () => {
        const cfg = await loadRunConfig(deps.db, a.runId);
        const id = stableId('ds', a.runId, a.task);
        const plan = a.sharded ? await shardPlan(deps.db, a.runId, a.task) : [];
        if (a.sharded && plan.length === 0) {
          // The shards go once the dataset is stored: a retry after that returns what was stored.
          const stored = await datasetMeta(deps.db, id);
          if (!stored) throw new NotFoundError(`run ${a.runId} has neither feature shards nor a dataset for ${a.task}`);
          return datasetResult(id, a.task, stored.summary as ReturnType<typeof datasetSummary>);
        }
        const unbuilt = plan.filter((s) => !s.built).map((s) => s.shard);
        if (unbuilt.length > 0) throw new NotFoundError(`feature shards ${unbuilt.join(', ')} of run ${a.runId} (${a.task}) are not built`);
        // Sharded: only the market inputs here; each shard read its own symbols.
        const read = await loadBarsWithVintage(deps.db, a.feed, a.sharded ? MARKET_INPUTS : universeSymbols(await runUniverse(cfg)), a.asOf);
        const panel = buildPanel(read.bars, { maxStaleDays: cfg.config.dataset.maxStaleDays });
        const regime = await loadRegimeLabels(deps.db, a.feed, a.regimeConfigHash, panel.dates, a.asOf);
        Context.current().heartbeat('panel built');
        const replay = cfg.config.replay.enabled ? { keys: await loadReplayKeys(deps.db, a.task, a.feed), weight: cfg.config.replay.weight } : undefined;
        const rates = await loadCashRates(deps.db, a.feed, a.asOf);
        const cash = rates ? laggedDailyCashRate(rates, panel.dates) : undefined;
        const legs = backtestLegs(read.bars, panel.dates, cfg.config.dataset.maxStaleDays);
        const ds = a.sharded
          ? assembleDataset(panel, regime, cfg.config.dataset, await Promise.all(plan.map((s) => loadFeatureShard(deps.db, a.runId, a.task, s.shard))), { replay, cash, legs })
          : buildDataset(panel, regime, a.task, cfg.config.dataset, { replay, cash, legs });
        const barsVintage = Math.max(read.vintage, ...plan.map((s) => s.vintage ?? 0));
        const summary = { ...datasetSummary(ds), barsVintage, panelWarnings: panel.warnings, marketInputs: ds.marketInputs, featureSources: featureSources(ds.marketInputs) };
        await saveDataset(deps.db, { id, runId: a.runId, feed: a.feed, asOf: a.asOf, maxBarDate: panel.dates[panel.dates.length - 1], dataset: ds, summary, sampleCounts: summary.regimeCounts });
        if (a.sharded) await deleteFeatureShards(deps.db, a.runId, a.task);
        deps.logger.info({ runId: a.runId, task: a.task, datasetId: id, rows: ds.rows, classCounts: summary.classCounts, vintage: barsVintage, shards: plan.length }, 'dataset built');
        return datasetResult(id, a.task, summary);
      });
    },
  };
}

type DatasetArgs = { runId: string; task: TaskName; feed: string; asOf: string; regimeConfigHash: string };

function datasetResult(datasetId: string, task: TaskName, s: Pick<ReturnType<typeof datasetSummary>, 'rows' | 'symbols' | 'firstDay' | 'lastLabelledDay' | 'classCounts'>): DatasetResult {
  return { datasetId, task, rows: s.rows, symbols: s.symbols.length, firstDay: s.firstDay, lastLabelledDay: s.lastLabelledDay, classCounts: s.classCounts };
}
