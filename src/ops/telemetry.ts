import { Runtime } from '@temporalio/worker';

/**
 * Installs the Temporal Runtime with its Prometheus exporter on an internal 127.0.0.1 address
 * (our metrics endpoint merges it with the pipeline's own). Must run before anything creates
 * the Runtime: a NativeConnection, a Worker, or the dev server of `dev`. `process` labels every
 * series when several processes feed one endpoint (`dev` and its training workers).
 */
export function installRuntimeMetrics(o: { bindAddress: string; process?: string }): string {
  Runtime.install({
    telemetryOptions: {
      metrics: {
        prometheus: { bindAddress: o.bindAddress, useSecondsForDurations: true },
        ...(o.process ? { globalTags: { process: o.process } } : {}),
      },
    },
  });
  return `http://${o.bindAddress}/metrics`;
}
