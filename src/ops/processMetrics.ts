import type { AppConfig } from '../config';
import type { Db } from '../db/client';
import type { Logger } from '../logger';
import { TASK_NAMES } from '../pipeline/tasks';
import { trendPoints } from '../reports/runTrend';
import { pipelineTotals } from '../store/opsMetricsStore';
import { taskRunHistory } from '../store/trendStore';
import { fetchExposition, startMetricsServer, type MetricsServer } from './metricsServer';
import { renderPipelineMetrics } from './pipelineMetrics';
import { installRuntimeMetrics } from './telemetry';
import { freeLocalPort } from '../util/freePort';

/** regime_retrain_* now: totals from the run store and each task's newest decided live point. */
export async function pipelineMetricsPage(db: Db): Promise<string> {
  const totals = await pipelineTotals(db);
  const champions = [];
  for (const task of TASK_NAMES) {
    const point = trendPoints(await taskRunHistory(db, { task, last: 10, lineage: 'live' }))
      .reverse()
      .find((p) => p.verdict !== null);
    if (point) champions.push({ task, point });
  }
  return renderPipelineMetrics(totals, champions);
}

/**
 * This process's share of the metrics, decided before the Temporal Runtime exists:
 * - a `dev` training worker (RUNTIME_METRICS_ADDRESS) exports its runtime metrics there, for `dev` to merge;
 * - with METRICS_PORT, the runtime exports on an internal port and this process serves
 *   GET /metrics: runtime metrics (its own and `extraRuntimes`'), then regime_retrain_* from `db`.
 * Returns a starter for the endpoint (call it once the database is open) or null.
 */
export async function setUpProcessMetrics(config: AppConfig, o: { process?: string } = {}) {
  const m = config.metrics;
  if (m.runtimeAddress) {
    installRuntimeMetrics({ bindAddress: m.runtimeAddress, process: m.process });
    return null;
  }
  if (m.port === undefined) return null;
  const runtimeUrl = installRuntimeMetrics({ bindAddress: `127.0.0.1:${await freeLocalPort()}`, process: o.process });
  return async (db: Db, logger: Logger, extraRuntimes: string[] = []): Promise<MetricsServer> => {
    const server = await startMetricsServer({
      port: m.port!,
      host: m.host,
      sources: [runtimeUrl, ...extraRuntimes].map((url) => () => fetchExposition(url)).concat([() => pipelineMetricsPage(db)]),
      onError: (e) => logger.warn({ err: e.message }, 'metrics source failed'),
    });
    logger.info({ port: server.port }, `metrics at http://${m.host === '0.0.0.0' ? '127.0.0.1' : m.host}:${server.port}/metrics`);
    return server;
  };
}
