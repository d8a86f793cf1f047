import type { Worker } from '@temporalio/worker';
import { createLogger } from '../../src/logger';
import type { DevServer } from '../../src/temporal/devServer';
import { createRetrainWorker } from '../../worker/createWorker';
import { createTestDb, type TestDb } from './postgres';
import { startTestServer } from './temporal';

/** A real Temporal dev server and a fresh, migrated Postgres database of its own. */
export interface ServerAndDatabase {
  server: DevServer;
  db: TestDb;
  /** Stops the server and drops the database (both, even when one of them fails). */
  stop(): Promise<void>;
}

/**
 * Starts both at once. When one fails to start, the other is stopped before the error is
 * thrown, so a failed beforeAll leaves no server process or database behind.
 */
export async function startServerAndDatabase(dbPrefix?: string): Promise<ServerAndDatabase> {
  const [server, db] = await Promise.allSettled([startTestServer(), createTestDb(dbPrefix)]);
  const stop = async () => {
    const results = await Promise.allSettled([server.status === 'fulfilled' ? server.value.stop() : undefined, db.status === 'fulfilled' ? db.value.drop() : undefined]);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  };
  if (server.status === 'rejected' || db.status === 'rejected') {
    await stop().catch(() => undefined);
    throw server.status === 'rejected' ? server.reason : (db as PromiseRejectedResult).reason;
  }
  return { server: server.value, db: db.value, stop };
}

/** A real Temporal dev server, a fresh Postgres database and a running in-process worker. */
export interface TestStack extends ServerAndDatabase {
  worker: Worker;
}

export async function startTestStack(taskQueue: string): Promise<TestStack> {
  const base = await startServerAndDatabase();
  let worker: Worker;
  try {
    worker = await createRetrainWorker({ connection: base.server.env.nativeConnection, namespace: 'default', taskQueue, db: base.db.db, logger: createLogger({ level: 'warn', pretty: false }), maxConcurrentActivities: 2 });
  } catch (e) {
    await base.stop().catch(() => undefined);
    throw e;
  }
  const running = worker.run();
  return {
    ...base,
    worker,
    async stop() {
      worker.shutdown();
      await running;
      await base.stop();
    },
  };
}
