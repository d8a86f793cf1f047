import type { AppConfig } from '../config';

/**
 * WORKER_ACTIVITY_PROCESSES: how many `worker --role activities` child processes (one slot
 * each) run a plain worker's activities, so that each slot is a core: fits are synchronous, and
 * in-process slots share the one JavaScript thread (~1 core for 2 slots). `auto` (the default)
 * gives one per slot when there is a shared database (DATABASE_URL): the embedded one has a
 * single owner. A worker with a role runs its slots in-process.
 */
export function activityProcessCount(config: Pick<AppConfig, 'databaseUrl' | 'worker'>, role: 'all' | 'workflows' | 'activities'): number {
  if (role !== 'all' || !config.databaseUrl) return 0;
  const n = config.worker.activityProcesses;
  return n === 'auto' ? config.worker.maxConcurrentActivities : n;
}

/** An activity process's environment: its parent's build, and its own runtime-metrics port instead of METRICS_PORT. */
export function activityProcessEnv(base: NodeJS.ProcessEnv, o: { index: number; buildId: string; versioned: boolean; runtimeAddress?: string }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, WORKER_BUILD_ID: o.buildId, WORKER_VERSIONING: o.versioned ? 'auto' : 'off' };
  delete env.METRICS_PORT; // one endpoint for all: the parent's, which merges the children's runtime metrics
  if (o.runtimeAddress) Object.assign(env, { RUNTIME_METRICS_ADDRESS: o.runtimeAddress, RUNTIME_METRICS_PROCESS: `worker-activities-${o.index + 1}` });
  return env;
}
