import { openDatabase } from '../db/client';
import { connectClient, connectWorker } from '../temporal/connection';
import { workerBuildId } from '../temporal/buildId';
import { ensureSearchAttributes } from '../temporal/searchAttributes';
import { deploymentsSupported, rollOut } from '../temporal/versioning';
import { createRetrainWorker, type WorkerRole } from '../../worker/createWorker';
import { describeConfig } from '../config';
import { setUpProcessMetrics } from '../ops/processMetrics';
import { closeTracing } from '../ops/tracing';
import { commandLine, embeddedDir, type CliContext } from './context';
import { startTrainingWorkers } from './trainingWorkers';
import { activityProcessCount, activityProcessEnv } from './activityProcesses';
import { freeLocalPort } from '../util/freePort';

/** A long-running worker against an existing Temporal cluster and Postgres. */
export async function runWorker(ctx: CliContext, o: { role?: WorkerRole } = {}): Promise<void> {
  const { config, logger } = ctx;
  if (!config.temporal.address) throw new Error('worker needs TEMPORAL_ADDRESS (host:port); for a self-contained setup use `npm start`');
  if (!config.databaseUrl) logger.warn('DATABASE_URL not set: using the embedded PGlite, through `npm start` if it runs, else alone (no other process can use it meanwhile)');
  const buildId = workerBuildId();
  logger.info({ ...describeConfig(config), role: o.role ?? 'all', buildId }, 'starting worker');
  const childCount = activityProcessCount(config, o.role ?? 'all');
  // With activity processes the merged page labels this process's runtime series `worker`, theirs `worker-activities-N`.
  const startMetrics = await setUpProcessMetrics(config, childCount > 0 ? { process: 'worker' } : {}); // before the Temporal Runtime exists
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: embeddedDir(config), command: commandLine(), onWait: (note) => logger.warn(note) });
  await db.migrate();
  if (config.worker.activityProcesses !== 'auto' && config.worker.activityProcesses > 0 && childCount === 0) {
    logger.warn('WORKER_ACTIVITY_PROCESSES needs a plain worker (--role all) and DATABASE_URL: running activities in this process');
  }
  // With METRICS_PORT, each activity process exports its runtime metrics on an internal port and this endpoint merges them (as `dev`).
  const runtimeAddresses = startMetrics ? await Promise.all(Array.from({ length: childCount }, async () => `127.0.0.1:${await freeLocalPort()}`)) : [];
  const metrics = startMetrics ? await startMetrics(db.db, logger, runtimeAddresses.map((a) => `http://${a}/metrics`)) : null;
  const client = await connectClient(config.temporal, config.temporal.address);
  const connection = await connectWorker(config.temporal, config.temporal.address);
  try {
    await ensureSearchAttributes(client, config.temporal.namespace, logger);
    const { deploymentName } = config.worker;
    const versioned = config.worker.versioning === 'auto' && (await deploymentsSupported(client, config.temporal.namespace));
    if (config.worker.versioning === 'auto' && !versioned) logger.warn('the Temporal server has no Worker Deployments: running unversioned (runs are not pinned to their build)');
    const trainers = childCount
      ? startTrainingWorkers({ count: childCount, env: (i) => activityProcessEnv(process.env, { index: i, buildId, versioned, runtimeAddress: runtimeAddresses[i] }), logger, versioned })
      : null;
    const worker = await createRetrainWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      db: db.db,
      logger,
      maxConcurrentActivities: config.worker.maxConcurrentActivities,
      reportsDir: config.reportsDir,
      role: trainers ? 'workflows' : (o.role ?? 'all'),
      buildId,
      versioning: versioned ? { deploymentName } : null,
      notifyWebhookUrl: config.notify.webhookUrl,
    });
    // A `dev` training worker has an IPC channel to `dev`: when `dev` ends, however it ended
    // (a SIGKILL included), the channel closes and this worker stops as on SIGTERM.
    if (process.send) {
      process.channel?.unref(); // the channel alone must not keep this process alive
      process.once('disconnect', () => worker.getState() === 'RUNNING' && worker.shutdown());
    }
    const running = worker.run(); // returns after SIGINT/SIGTERM once in-flight tasks drain
    running.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
    // A trainer that dies on its own takes this worker down with it (the orchestrator restarts both).
    trainers?.failed.catch((e: Error) => {
      logger.error({ err: e.message }, 'an activity process exited; stopping');
      if (worker.getState() === 'RUNNING') worker.shutdown();
    });
    // Only a worker that runs workflows rolls its build out: a trainer that came up first would
    // route new runs to a version with nobody to run their workflow tasks yet.
    if (versioned && o.role !== 'activities') {
      const done = await rollOut(client, { namespace: config.temporal.namespace, deploymentName, buildId, identity: worker.options.identity, logger }).catch((e: Error) => {
        logger.error({ err: e.message }, 'could not make this build the current version; it serves only runs pinned to it');
        return null;
      });
      if (done) logger.info({ deploymentName, buildId, rollOut: done }, `worker deployment version ${deploymentName}.${buildId}: ${done}`);
    }
    try {
      await running;
    } finally {
      await trainers?.stop();
    }
  } finally {
    await client.connection.close();
    await metrics?.close();
    await connection.close();
    await closeTracing(); // the last spans, sent before exit
    await db.close();
    logger.info('worker stopped');
  }
}
