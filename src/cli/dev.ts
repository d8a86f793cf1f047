import { join } from 'node:path';
import { startRetrain } from '../temporal/startRetrain';
import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { openPostgres, type Database } from '../db/client';
import { startDevServer } from '../temporal/devServer';
import { createRetrainWorker } from '../../worker/createWorker';
import { ensureWeeklySchedule } from '../../schedules/weeklySchedule';
import { dateInZone } from '../util/dates';
import type { TaskName } from '../../workflows/types';
import { formatRunSummary } from './runSummary';
import { demoRunConfig } from '../pipeline/demoRun';
import { connectClient, connectWorker } from '../temporal/connection';
import { closeTracing } from '../ops/tracing';
import { startTrainingWorkers } from './trainingWorkers';
import { setUpProcessMetrics } from '../ops/processMetrics';
import { freeLocalPort } from '../util/freePort';
import type { Logger } from '../logger';
import { commandLine, embeddedDir, type CliContext } from './context';

export interface DevOptions {
  asOf?: string;
  run: boolean;
  /** Tasks of the demo run (default: both). */
  tasks?: TaskName[];
  /** Overrides of the demo run's settings (src/pipeline/demoRun.ts), as `run --config` takes them. */
  config?: Record<string, unknown>;
}

/** The first SIGINT/SIGTERM asks for a clean stop; a second one exits at once. */
function stopSignals(logger: Logger) {
  let requested = false;
  let stopped!: () => void;
  const promise = new Promise<void>((resolve) => (stopped = resolve));
  const onSignal = (signal: NodeJS.Signals) => {
    if (requested) {
      logger.warn({ signal }, 'second signal: exiting without a clean stop (committed data is safe; the next start recovers)');
      process.exit(130);
    }
    requested = true;
    logger.info({ signal }, 'stopping: the worker finishes or cancels its tasks, then the database closes');
    stopped();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    promise,
    get requested() {
      return requested;
    },
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** DATABASE_URL, else the embedded PGlite, owned by this process and served to every other. */
async function openDevDatabase(ctx: CliContext): Promise<{ db: Database; servedUrl: string | null }> {
  if (ctx.config.databaseUrl) {
    const db = openPostgres(ctx.config.databaseUrl);
    await db.migrate();
    return { db, servedUrl: null };
  }
  const { serveEmbedded } = await import('../db/embedded/embeddedDatabase');
  const served = await serveEmbedded(embeddedDir(ctx.config), { command: commandLine(), onWait: (note) => ctx.logger.warn(note), onServerError: (e) => ctx.logger.warn({ err: e.message }, 'embedded database server') });
  return { db: served.database, servedUrl: served.url };
}

/** The training workers' environment: this process's database and Temporal server, whatever the user's env said. */
function trainerEnv(ctx: CliContext, address: string, servedUrl: string | null, embeddedServer: boolean): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TEMPORAL_ADDRESS: address, DATA_DIR: ctx.config.dataDir, REPORTS_DIR: ctx.config.reportsDir };
  delete env.METRICS_PORT; // one endpoint for all: this process's
  if (servedUrl) env.DATABASE_URL = servedUrl;
  if (embeddedServer) for (const k of ['TEMPORAL_TLS_CERT_PATH', 'TEMPORAL_TLS_KEY_PATH', 'TEMPORAL_TLS_CA_PATH', 'TEMPORAL_TLS_SERVER_NAME', 'TEMPORAL_API_KEY']) delete env[k];
  return env;
}

/**
 * The embedded default: everything in one process, nothing to configure. The database
 * (DATABASE_URL, or the embedded PGlite, served on 127.0.0.1 to the other commands), a
 * Temporal dev server (with UI), a workflow worker here and training workers in child
 * processes, the weekly schedule, then one retrain on the
 * synthetic market. Ctrl-C (or SIGTERM) stops it all and closes the database cleanly.
 */
export async function runDev(ctx: CliContext, o: DevOptions): Promise<void> {
  const { config, logger } = ctx;
  mkdirSync(config.dataDir, { recursive: true });
  const stop = stopSignals(logger);
  // Undone in reverse order, however far the start got.
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    // Before the dev server: it is the first thing that creates the Temporal Runtime.
    const startMetrics = await setUpProcessMetrics(config, { process: 'dev' });
    // The database first: a second `npm start` is refused here, before it starts anything.
    const { db, servedUrl } = await openDevDatabase(ctx);
    cleanups.push(() => db.close());
    logger.info({ database: db.describe }, 'database ready');
    if (servedUrl) console.log(`\nembedded database served to other processes (the CLI finds it by itself):\nDATABASE_URL=${servedUrl}\n`);
    if (stop.requested) return;

    const server = config.temporal.address
      ? null
      : await startDevServer({
          cliPath: config.temporal.cliPath,
          port: config.temporal.port,
          ui: true,
          uiPort: config.temporal.uiPort,
          dbFilename: join(config.dataDir, 'temporal.sqlite'),
          dataDir: config.dataDir,
          onNote: (line) => console.error(line),
        });
    if (server) {
      cleanups.push(() => server.stop());
      logger.info({ address: server.address, ui: server.uiUrl, executable: server.executable }, 'Temporal dev server started');
    }
    if (stop.requested) return;

    // The same connection code as every other command: TEMPORAL_ADDRESS with TLS or an API key
    // is honoured; the embedded server is plain local gRPC.
    const temporal = server ? { ...config.temporal, tls: undefined, apiKey: undefined } : config.temporal;
    const address = config.temporal.address ?? server!.address;
    const connection = await connectWorker(temporal, address);
    cleanups.push(() => connection.close());
    const client = await connectClient(temporal, address);
    cleanups.push(() => client.connection.close());
    cleanups.push(() => closeTracing()); // runs after the worker stopped: its last spans too
    // The training workers first: they take longer to start (tfjs) than this process's workflow bundle.
    // With METRICS_PORT, each training worker exports its runtime metrics on an internal port and this endpoint merges them.
    const count = config.worker.maxConcurrentActivities;
    const runtimeAddresses = startMetrics ? await Promise.all(Array.from({ length: count }, async () => `127.0.0.1:${await freeLocalPort()}`)) : [];
    const baseEnv = trainerEnv(ctx, address, servedUrl, !!server);
    const trainers = startTrainingWorkers({
      count,
      env: (i) => (startMetrics ? { ...baseEnv, RUNTIME_METRICS_ADDRESS: runtimeAddresses[i], RUNTIME_METRICS_PROCESS: `dev-trainer-${i + 1}` } : baseEnv),
      logger,
    });
    cleanups.push(() => trainers.stop());
    // This process polls workflow tasks only; activities run in child processes (see trainingWorkers.ts).
    const worker = await createRetrainWorker({ connection, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue, db: db.db, logger, maxConcurrentActivities: config.worker.maxConcurrentActivities, reportsDir: config.reportsDir, role: 'workflows', notifyWebhookUrl: config.notify.webhookUrl });
    if (startMetrics) {
      const metrics = await startMetrics(db.db, logger, runtimeAddresses.map((a) => `http://${a}/metrics`));
      cleanups.push(() => metrics.close());
    }
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
    if (stop.requested) return;

    const running = worker.run();
    cleanups.push(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => {});
    });
    // Until Ctrl-C, or the worker failing (its error is then this command's).
    const halted = Promise.race([stop.promise, running, trainers.failed]);
    if (o.run) {
      const asOf = o.asOf ?? dateInZone(new Date(), s.timeZone);
      const workflowId = `retrain-dev-${asOf}-${randomUUID().slice(0, 8)}`;
      const demoConfig = demoRunConfig(o.config);
      const handle = await startRetrain(client, { taskQueue: config.temporal.taskQueue, workflowId, input: { asOf, tasks: o.tasks, trigger: 'manual', source: { kind: 'synthetic' }, searchAttributes: !!server, config: demoConfig } });
      const ui = server?.uiUrl ? `${server.uiUrl}/namespaces/${config.temporal.namespace}/workflows/${workflowId}` : '(your Temporal UI)';
      console.log(`\nretrain started: workflow ${workflowId}, run ${handle.firstExecutionRunId}\nwatch it at ${ui}\n`);
      const result = handle.result();
      result.catch(() => {}); // still pending when a stop wins the race below
      const done = await Promise.race([result, halted]);
      if (done) console.log(`\n${formatRunSummary(done)}\n\nTemporal UI: ${server?.uiUrl ?? '(your Temporal UI)'}   run history: npm run cli -- runs list\nCtrl-C to stop.`);
    }
    await halted;
  } finally {
    for (const undo of cleanups.reverse()) await undo().catch((e: Error) => logger.warn({ err: e.message }, 'shutdown step failed'));
    stop.dispose();
    logger.info('stopped');
  }
}
