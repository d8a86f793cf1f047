import { fileURLToPath } from 'node:url';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { Db } from '../src/db/client';
import type { Logger } from '../src/logger';
import { initTfBackend } from '../src/models/tf/backend';
import { workerBuildId } from '../src/temporal/buildId';
import { processTracing } from '../src/ops/tracing';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Db;
  logger: Logger;
  /** Bounds CPU-heavy training per worker; scale out by adding workers on the same queue. */
  maxConcurrentActivities: number;
  identity?: string;
  /**
   * 'all' (default) polls workflow and activity tasks. In production run one 'workflows'
   * worker and N 'activities' workers in separate processes: CPU-bound training then never
   * delays workflow tasks, and training scales out independently.
   */
  role?: WorkerRole;
  /** Also write run reports as files here. */
  reportsDir?: string;
  /** The code version, recorded on runs and models (default: `workerBuildId()`). */
  buildId?: string;
  /**
   * Worker Deployment versioning: this worker serves version `<deploymentName>.<buildId>` and
   * every run is pinned to the version it started on (null: unversioned).
   */
  versioning?: { deploymentName: string } | null;
  /** Slack-compatible webhook for notifications (a secret: never logged). */
  notifyWebhookUrl?: string;
}

export type WorkerRole = 'all' | 'workflows' | 'activities';

export async function createRetrainWorker(o: WorkerOptions): Promise<Worker> {
  if (o.role !== 'workflows') {
    // Chosen once per process, before any model trains or predicts (TRM inference runs in tfjs).
    const backend = await initTfBackend((b, tried) => o.logger.info({ backend: b, fallbacks: tried }, `TensorFlow.js backend: ${b}`));
    o.logger.debug({ backend }, 'tfjs ready');
  }
  const buildId = o.buildId ?? workerBuildId();
  // With OTEL_EXPORTER_OTLP_ENDPOINT: workflow and activity spans, joined to the client's trace.
  const tracing = await processTracing();
  const deps = { db: o.db, logger: o.logger, reportsDir: o.reportsDir, buildId, notifyWebhookUrl: o.notifyWebhookUrl };
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    ...(o.versioning ? { workerDeploymentOptions: { version: { deploymentName: o.versioning.deploymentName, buildId }, useWorkerVersioning: true, defaultVersioningBehavior: 'PINNED' as const } } : {}),
    ...(o.role !== 'activities' ? { workflowsPath: WORKFLOWS_PATH } : {}),
    ...(o.role !== 'workflows' ? { activities: createActivities(deps), maxConcurrentActivityTaskExecutions: o.maxConcurrentActivities, maxHeartbeatThrottleInterval: '2s' } : {}),
    ...(o.identity ? { identity: o.identity } : {}),
    ...(tracing ? { interceptors: tracing.worker, sinks: tracing.sinks } : {}),
  });
}
