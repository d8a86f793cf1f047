import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from '../logger';

export interface TrainingWorkers {
  /** Rejects when a worker exits without being asked to (its error is then `dev`'s). */
  failed: Promise<never>;
  stop(): Promise<void>;
}

/**
 * `dev`'s activity workers: `worker --role activities` child processes of this same CLI, one
 * activity slot each, connected to this process's Temporal server and database. Training is
 * CPU-bound and synchronous for seconds at a time; in the `dev` process it would stall the
 * workflow tasks polled there (TMPRL1104, "workflow task duration exceeded") and the served
 * embedded database. In their own processes it stalls nothing, and two of them use both cores.
 */
export function startTrainingWorkers(o: { count: number; env: (index: number) => NodeJS.ProcessEnv; logger: Logger; versioned?: boolean }): TrainingWorkers {
  const children: ChildProcess[] = [];
  let stopping = false;
  let fail!: (e: Error) => void;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => {}); // observed by whoever races it
  for (let i = 0; i < o.count; i++) {
    // The same entry point and loader flags (tsx) this process was started with.
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, 'worker', '--role', 'activities'], {
      // Versioned as the worker that started them (`dev`'s is unversioned): a versioned trainer
      // would never get the activities of an unversioned workflow, nor the reverse.
      env: { ...o.env(i), WORKER_MAX_CONCURRENT_ACTIVITIES: '1', WORKER_ACTIVITY_PROCESSES: '0', ...(o.versioned ? {} : { WORKER_VERSIONING: 'off' }) },
      // The IPC channel is how a worker notices that `dev` is gone, even after a SIGKILL (worker.ts).
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('exit', (code, signal) => {
      if (!stopping) fail(new Error(`training worker ${i + 1} (pid ${child.pid}) exited (${signal ?? `code ${code}`}); see its log above`));
    });
    children.push(child);
  }
  o.logger.info({ pids: children.map((c) => c.pid) }, `started ${o.count} training worker processes (activities)`);
  return {
    failed,
    async stop() {
      stopping = true;
      // SIGTERM: each worker finishes or cancels its activity, then exits; a stuck one is killed.
      await Promise.all(
        children.map(async (c) => {
          if (c.exitCode !== null || c.signalCode !== null) return;
          const exited = new Promise((done) => c.once('exit', done));
          c.kill('SIGTERM');
          const timer = setTimeout(() => c.kill('SIGKILL'), 30_000);
          await exited;
          clearTimeout(timer);
        }),
      );
    },
  };
}
