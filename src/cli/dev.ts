import { join } from 'node:path';
import { startRetrain } from '../temporal/startRetrain';
import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { openDatabase } from '../db/client';
import { startDevServer } from '../temporal/devServer';
import { createRetrainWorker } from '../../worker/createWorker';
import { ensureWeeklySchedule } from '../../schedules/weeklySchedule';
import { dateInZone } from '../util/dates';
import { formatRunSummary } from './runSummary';
import { TRM_DEMO_PROFILE } from '../models/trm/trmProfiles';
import type { CliContext } from './context';

/**
 * The embedded default: everything in one process, nothing to configure. A Temporal dev
 * server (with UI), the database (DATABASE_URL or embedded PGlite), a worker, the weekly
 * schedule, then one retrain on the synthetic market. Ctrl-C stops it all.
 */
export async function runDev(ctx: CliContext, o: { asOf?: string; run: boolean }): Promise<void> {
  const { config, logger } = ctx;
  mkdirSync(config.dataDir, { recursive: true });
  const server = config.temporal.address
    ? null
    : await startDevServer({ cliPath: config.temporal.cliPath, port: config.temporal.port, ui: true, uiPort: config.temporal.uiPort, dbFilename: join(config.dataDir, 'temporal.sqlite') });
  if (server) logger.info({ address: server.address, ui: server.uiUrl, executable: server.executable }, 'Temporal dev server started');
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: join(config.dataDir, 'pglite') });
  await db.migrate();
  logger.info({ database: db.describe }, 'database ready');
  const { Client, Connection } = await import('@temporalio/client');
  const { NativeConnection } = await import('@temporalio/worker');
  const address = config.temporal.address ?? server!.address;
  const connection = await NativeConnection.connect({ address });
  const client = new Client({ connection: await Connection.connect({ address }), namespace: config.temporal.namespace });
  const worker = await createRetrainWorker({ connection, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue, db: db.db, logger, maxConcurrentActivities: config.worker.maxConcurrentActivities, reportsDir: config.reportsDir });
  const s = config.schedule;
  const what = await ensureWeeklySchedule(client, {
    scheduleId: s.id,
    taskQueue: config.temporal.taskQueue,
    timeZone: s.timeZone,
    dayOfWeek: s.dayOfWeek,
    hour: s.hour,
    minute: s.minute,
    catchupWindow: s.catchupWindow,
    input: { source: { kind: 'synthetic' }, searchAttributes: !!server },
  });
  logger.info({ scheduleId: s.id, what }, `schedule ready: ${s.dayOfWeek} ${s.hour}:${String(s.minute).padStart(2, '0')} ${s.timeZone}`);
  const running = worker.run();
  try {
    if (o.run) {
      const asOf = o.asOf ?? dateInZone(new Date(), s.timeZone);
      const workflowId = `retrain-dev-${asOf}-${randomUUID().slice(0, 8)}`;
      const handle = await startRetrain(client, { taskQueue: config.temporal.taskQueue, workflowId, input: { asOf, trigger: 'manual', source: { kind: 'synthetic' }, searchAttributes: !!server, config: { modelParams: { trm: TRM_DEMO_PROFILE } } } });
      const ui = server?.uiUrl ? `${server.uiUrl}/namespaces/${config.temporal.namespace}/workflows/${workflowId}` : '(your Temporal UI)';
      console.log(`\nretrain started: workflow ${workflowId}, run ${handle.firstExecutionRunId}\nwatch it at ${ui}\n`);
      const result = await handle.result();
      console.log(`\n${formatRunSummary(result)}\n\nTemporal UI: ${server?.uiUrl ?? '(your Temporal UI)'}   run history: npm run cli -- runs list\nCtrl-C to stop.`);
    }
    await running;
  } finally {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.catch(() => {});
    await connection.close();
    await client.connection.close();
    await db.close();
    await server?.stop();
    logger.info('stopped');
  }
}
