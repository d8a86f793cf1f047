import { fileURLToPath } from 'node:url';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { Db } from '../src/db/client';
import type { Logger } from '../src/logger';

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
}

export async function createRetrainWorker(o: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    activities: createActivities({ db: o.db, logger: o.logger }),
    maxConcurrentActivityTaskExecutions: o.maxConcurrentActivities,
    ...(o.identity ? { identity: o.identity } : {}),
  });
}
