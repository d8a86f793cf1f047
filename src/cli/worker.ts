import { openDatabase } from '../db/client';
import { connectClient, connectWorker } from '../temporal/connection';
import { ensureSearchAttributes } from '../temporal/searchAttributes';
import { createRetrainWorker, type WorkerRole } from '../../worker/createWorker';
import { describeConfig } from '../config';
import { setUpProcessMetrics } from '../ops/processMetrics';
import { commandLine, embeddedDir, type CliContext } from './context';

/** A long-running worker against an existing Temporal cluster and Postgres. */
export async function runWorker(ctx: CliContext, o: { role?: WorkerRole } = {}): Promise<void> {
  const { config, logger } = ctx;
  if (!config.temporal.address) throw new Error('worker needs TEMPORAL_ADDRESS (host:port); for a self-contained setup use `npm start`');
  if (!config.databaseUrl) logger.warn('DATABASE_URL not set: using the embedded PGlite, through `npm start` if it runs, else alone (no other process can use it meanwhile)');
  logger.info({ ...describeConfig(config), role: o.role ?? 'all' }, 'starting worker');
  const startMetrics = await setUpProcessMetrics(config); // before the Temporal Runtime exists
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: embeddedDir(config), command: commandLine(), onWait: (note) => logger.warn(note) });
  await db.migrate();
  const metrics = startMetrics ? await startMetrics(db.db, logger) : null;
  const client = await connectClient(config.temporal, config.temporal.address);
  await ensureSearchAttributes(client, config.temporal.namespace, logger);
  await client.connection.close();
  const connection = await connectWorker(config.temporal, config.temporal.address);
  const worker = await createRetrainWorker({ connection, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue, db: db.db, logger, maxConcurrentActivities: config.worker.maxConcurrentActivities, reportsDir: config.reportsDir, role: o.role ?? 'all' });
  // A `dev` training worker has an IPC channel to `dev`: when `dev` ends, however it ended
  // (a SIGKILL included), the channel closes and this worker stops as on SIGTERM.
  if (process.send) {
    process.channel?.unref(); // the channel alone must not keep this process alive
    process.once('disconnect', () => worker.getState() === 'RUNNING' && worker.shutdown());
  }
  try {
    await worker.run(); // returns after SIGINT/SIGTERM once in-flight tasks drain
  } finally {
    await metrics?.close();
    await connection.close();
    await db.close();
    logger.info('worker stopped');
  }
}
