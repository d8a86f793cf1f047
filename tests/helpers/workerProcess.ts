import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * The product's own worker (`regime-retrain worker`) as a separate OS process, so tests can
 * kill it like a crashed machine. With `group`, it leads its own process group and SIGKILL
 * takes the whole group (a plain worker's activity processes included, as a machine crash
 * would); without, SIGKILL kills the worker alone and its activity processes stop when their
 * IPC channel closes. (A group leader does not get the terminal's Ctrl-C: only crash tests use it.)
 */
export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** `args` follow `worker` on the command line, e.g. `['--role', 'activities']`. */
export function startWorkerProcess(env: { temporalAddress: string; databaseUrl: string; taskQueue: string; extra?: Record<string, string>; args?: string[]; group?: boolean }): WorkerProcess {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', resolve('src/cli/main.ts'), 'worker', ...(env.args ?? [])], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: env.temporalAddress,
      DATABASE_URL: env.databaseUrl,
      TEMPORAL_TASK_QUEUE: env.taskQueue,
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      REPORTS_DIR: resolve('.data/test-reports'),
      ...env.extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: env.group ?? false,
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return {
    child,
    output: () => out,
    kill: (signal = 'SIGKILL') =>
      new Promise((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        try {
          if (env.group && signal === 'SIGKILL') process.kill(-child.pid!, signal);
          else child.kill(signal);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e; // already gone: 'exit' follows
        }
      }),
  };
}

/**
 * The workers of a benchmark run: one plain worker with `slots` activity slots (its default
 * when unset; with DATABASE_URL they are child processes, one core each, unless
 * WORKER_ACTIVITY_PROCESSES=0 in `extra`), or with `trainers` > 0 the
 * production shape: one `--role workflows` worker and that many single-slot trainers.
 */
export function startWorkerProcesses(env: { temporalAddress: string; databaseUrl: string; taskQueue: string; extra?: Record<string, string> }, o: { trainers: number; slots?: number }): WorkerProcess[] {
  if (o.trainers <= 0) return [startWorkerProcess({ ...env, extra: { ...env.extra, ...(o.slots ? { WORKER_MAX_CONCURRENT_ACTIVITIES: String(o.slots) } : {}) } })];
  return [
    startWorkerProcess({ ...env, args: ['--role', 'workflows'] }),
    ...Array.from({ length: o.trainers }, () => startWorkerProcess({ ...env, args: ['--role', 'activities'], extra: { ...env.extra, WORKER_MAX_CONCURRENT_ACTIVITIES: '1' } })),
  ];
}

export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 120_000, everyMs = 250): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
