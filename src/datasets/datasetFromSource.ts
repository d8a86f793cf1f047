import type { IngestConfig } from '../data/checkPolicy';
import { readMarket, type MarketRead } from '../data/readMarket';
import { resolveUniverse, universeSymbols } from '../data/universe';
import type { MarketSource } from '../data/sources/types';
import { buildPanel, type Panel } from '../features/panel';
import { labelRegimes, type RegimeLabels } from '../regimes/regimeLabeler';
import { buildDataset } from './buildDataset';
import { backtestLegs } from './backtestLegs';
import { laggedDailyCashRate } from '../data/rates';
import { datasetConfig } from './config';
import type { Dataset, Task } from './dataset';

export interface InMemoryBuild {
  market: MarketRead;
  panel: Panel;
  regimes: RegimeLabels;
  datasets: Partial<Record<Task, Dataset>>;
  timings: { readMs: number; panelMs: number; regimesMs: number; datasetMs: Partial<Record<Task, number>> };
}

/**
 * The ingest -> regimeLabel -> dataset chain without Postgres or Temporal: the same
 * domain functions the activities call, for benchmarks, real-data tests and notebooks.
 * `ingest` is the run's ingest config (default: reject bad rows).
 */
export async function datasetsFromSource(source: MarketSource, opts: { asOf: string; tasks: Task[]; config?: unknown; ingest?: IngestConfig }): Promise<InMemoryBuild> {
  const cfg = datasetConfig(opts.config);
  let t = performance.now();
  const universe = await resolveUniverse(cfg.signal.symbols, source);
  // The run's `ingest` settings (onBadRow, daily limits) apply here as in the workflow's ingest.
  const market = await readMarket(source, { symbols: universeSymbols(universe), until: opts.asOf, config: opts.ingest });
  const readMs = performance.now() - t;
  t = performance.now();
  const panel = buildPanel(market.bars, { maxStaleDays: cfg.maxStaleDays });
  const panelMs = performance.now() - t;
  t = performance.now();
  const regimes = labelRegimes(panel, cfg.regimeThresholds);
  const regimesMs = performance.now() - t;
  const datasets: InMemoryBuild['datasets'] = {};
  const datasetMs: InMemoryBuild['timings']['datasetMs'] = {};
  const rates = source.cashRates ? await source.cashRates() : null;
  const cash = rates ? laggedDailyCashRate(rates, panel.dates) : undefined;
  for (const task of opts.tasks) {
    t = performance.now();
    datasets[task] = buildDataset(panel, regimes.regime, task, cfg, { cash, legs: backtestLegs(market.bars, panel.dates, cfg.maxStaleDays) });
    datasetMs[task] = performance.now() - t;
  }
  return { market, panel, regimes, datasets, timings: { readMs, panelMs, regimesMs, datasetMs } };
}
