import { describe, expect, it } from 'vitest';
import { activityProcessCount, activityProcessEnv } from '../../../src/cli/activityProcesses';
import { loadConfig } from '../../../src/config';

describe('a plain worker\'s activity processes (WORKER_ACTIVITY_PROCESSES)', () => {
  const config = (env: Record<string, string>) => loadConfig({ ...env });

  it('by default runs one process per activity slot when the database is shared', () => {
    expect(activityProcessCount(config({ DATABASE_URL: 'postgres://x/y' }), 'all')).toBe(2);
    expect(activityProcessCount(config({ DATABASE_URL: 'postgres://x/y', WORKER_MAX_CONCURRENT_ACTIVITIES: '3' }), 'all')).toBe(3);
    expect(activityProcessCount(config({ DATABASE_URL: 'postgres://x/y', WORKER_ACTIVITY_PROCESSES: 'auto' }), 'all')).toBe(2);
    expect(activityProcessCount(config({ DATABASE_URL: 'postgres://x/y', WORKER_ACTIVITY_PROCESSES: '' }), 'all')).toBe(2); // `${VAR:-}`: unset, not 0
  });

  it('keeps the slots in-process on the embedded database, for a worker with a role, or when told 0', () => {
    expect(activityProcessCount(config({}), 'all')).toBe(0);
    expect(activityProcessCount(config({ DATABASE_URL: 'postgres://x/y' }), 'activities')).toBe(0);
    expect(activityProcessCount(config({ DATABASE_URL: 'postgres://x/y' }), 'workflows')).toBe(0);
    expect(activityProcessCount(config({ DATABASE_URL: 'postgres://x/y', WORKER_ACTIVITY_PROCESSES: '0' }), 'all')).toBe(0);
    expect(activityProcessCount(config({ DATABASE_URL: 'postgres://x/y', WORKER_ACTIVITY_PROCESSES: '3' }), 'all')).toBe(3);
  });

  it('refuses a value that is neither auto nor a count', () => {
    expect(() => config({ WORKER_ACTIVITY_PROCESSES: 'many' })).toThrow(/WORKER_ACTIVITY_PROCESSES/);
    for (const bad of ['-1', '1e2', '0x3', '2.5']) expect(() => config({ WORKER_ACTIVITY_PROCESSES: bad }), bad).toThrow(/WORKER_ACTIVITY_PROCESSES/);
  });

  it('gives each process its own runtime-metrics port instead of the shared METRICS_PORT', () => {
    const env = activityProcessEnv({ METRICS_PORT: '9464', FOO: 'bar' }, { index: 1, buildId: 'b1', versioned: false, runtimeAddress: '127.0.0.1:5000' });
    expect(env).toMatchObject({ FOO: 'bar', WORKER_BUILD_ID: 'b1', WORKER_VERSIONING: 'off', RUNTIME_METRICS_ADDRESS: '127.0.0.1:5000', RUNTIME_METRICS_PROCESS: 'worker-activities-2' });
    expect(env.METRICS_PORT).toBeUndefined();
  });
});
