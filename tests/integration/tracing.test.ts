import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevServer } from '../../src/temporal/devServer';
import { fastInput } from '../helpers/fastConfig';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlpReceiver';
import type { TestDb } from '../helpers/postgres';
import { startServerAndDatabase, type ServerAndDatabase } from '../helpers/stack';
import { startWorkerProcess, waitFor, type WorkerProcess } from '../helpers/workerProcess';

const exec = promisify(execFile);

/**
 * OTEL_EXPORTER_OTLP_ENDPOINT on a real `worker` process and on the CLI's `run`: one tiny
 * retrain (one task, one model) must reach a local OTLP/HTTP receiver as one trace, from the
 * client's StartWorkflow span through the workflow to its activities.
 */
describe('OpenTelemetry traces over OTLP/HTTP (real worker process, Temporal, Postgres)', () => {
  let server: DevServer;
  let db: TestDb;
  let serverAndDb: ServerAndDatabase;
  let receiver: OtlpReceiver;
  let worker: WorkerProcess;
  const taskQueue = `otel-${randomUUID()}`;
  // A short batch delay so spans arrive within a second of ending, not after the default 5 s.
  const otelEnv = () => ({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_SERVICE_NAME: 'retrain-under-test', OTEL_BSP_SCHEDULE_DELAY: '200' });

  beforeAll(async () => {
    [serverAndDb, receiver] = await Promise.all([startServerAndDatabase(), startOtlpReceiver()]);
    ({ server, db } = serverAndDb);
    worker = startWorkerProcess({ temporalAddress: server.address, databaseUrl: db.url, taskQueue, extra: otelEnv() });
  }, 180_000);

  afterAll(async () => {
    await worker?.kill('SIGTERM');
    await Promise.allSettled([serverAndDb?.stop(), receiver?.close()]);
  });

  it('a run started by `run` is one trace: StartWorkflow at the client, RunWorkflow and RunActivity spans from the worker', async () => {
    const { config, source } = fastInput({ tasks: ['signal'], models: ['logistic'] });
    const env = { ...process.env, TEMPORAL_ADDRESS: server.address, TEMPORAL_TASK_QUEUE: taskQueue, DATABASE_URL: db.url, LOG_LEVEL: 'warn', ...otelEnv() };
    const seed = source?.kind === 'synthetic' ? String(source.seed) : '11';
    const { stdout } = await exec(process.execPath, ['--import', 'tsx', resolve('src/cli/main.ts'), 'run', '--as-of', '2014-06-30', '--task', 'signal', '--models', 'logistic', '--seed', seed, '--planted', '0.03', '--config', JSON.stringify(config)], { env });
    const workflowId = /started (\S+)/.exec(stdout)![1]!;

    const start = await waitFor('the client StartWorkflow span', async () => receiver.spans.find((s) => s.name === 'StartWorkflow:weeklyRetrain'), 20_000);
    const inTrace = () => receiver.spans.filter((s) => s.traceId === start.traceId);
    const count = (name: string) => inTrace().filter((s) => s.name === name).length;
    await waitFor('workflow and activity spans in the same trace', async () => inTrace().some((s) => s.name === 'RunWorkflow:weeklyRetrain') && count('RunActivity:fitFold') > 0 && count('RunActivity:fitFold') === count('StartActivity:fitFold'), 30_000);

    const names = new Set(inTrace().map((s) => s.name));
    expect(names).toContain('RunWorkflow:weeklyRetrain');
    expect(names).toContain('StartActivity:fitFold'); // scheduled by the workflow ...
    expect(names).toContain('RunActivity:fitFold'); // ... and run by the worker
    expect(inTrace().every((s) => s.service === 'retrain-under-test')).toBe(true);
    // The workflow's span hangs under the client's: the trace starts where the run was started.
    expect(inTrace().find((s) => s.name === 'RunWorkflow:weeklyRetrain')!.parentSpanId).toBe(start.spanId);
    // Each scheduled fit ran under its own scheduling span (workflow -> worker propagation).
    const scheduled = inTrace().filter((s) => s.name === 'StartActivity:fitFold');
    const ran = inTrace().filter((s) => s.name === 'RunActivity:fitFold');
    expect(ran.map((s) => s.parentSpanId).sort()).toEqual(scheduled.map((s) => s.spanId).sort());
    expect(stdout).toContain(workflowId);
  }, 180_000);
});
