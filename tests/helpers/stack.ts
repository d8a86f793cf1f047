import type { Worker } from '@temporalio/worker';
import { createLogger } from '../../src/logger';
import type { DevServer } from '../../src/temporal/devServer';
import { createRetrainWorker } from '../../worker/createWorker';
import { createTestDb, type TestDb } from './postgres';
import { startTestServer } from './temporal';

/** A real Temporal dev server, a fresh Postgres database and a running in-process worker. */
export interface TestStack {
  server: DevServer;
  db: TestDb;
  worker: Worker;
  stop(): Promise<void>;
}

export async function startTestStack(taskQueue: string): Promise<TestStack> {
  const [server, db] = await Promise.all([startTestServer(), createTestDb()]);
  const worker = await createRetrainWorker({ connection: server.env.nativeConnection, namespace: 'default', taskQueue, db: db.db, logger: createLogger({ level: 'warn', pretty: false }), maxConcurrentActivities: 2 });
  const running = worker.run();
  return {
    server,
    db,
    worker,
    async stop() {
      worker.shutdown();
      await running;
      await server.stop();
      await db.drop();
    },
  };
}
