import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tracingSettings } from '../../src/ops/tracing';

const exec = promisify(execFile);

/** Loads the client connection module, asks for this process's tracing, lists the OTel modules now in memory. */
const PROBE = `
import { createRequire } from 'node:module';
import '../../src/temporal/connection';
const { processTracing } = await import('../../src/ops/tracing');
const t = await processTracing();
const loaded = Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('/@opentelemetry/') || k.includes('/interceptors-opentelemetry/'));
console.log(JSON.stringify({ on: t !== null, loaded: loaded.length }));
await t?.close();
`;

async function probe(env: Record<string, string>): Promise<{ on: boolean; loaded: number }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_')));
  const { stdout } = await exec(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', PROBE], { env: { ...clean, ...env }, cwd: new URL('.', import.meta.url).pathname });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

describe('tracing settings (OTEL_* env)', () => {
  it('is off without an OTLP endpoint, whatever else is set', () => {
    expect(tracingSettings({})).toBeNull();
    expect(tracingSettings({ OTEL_SERVICE_NAME: 'x', OTEL_EXPORTER_OTLP_ENDPOINT: '  ' })).toBeNull();
  });

  it('sends to <endpoint>/v1/traces, or to the traces endpoint as is; service name defaults to regime-retrain', () => {
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toEqual({ tracesUrl: 'http://collector:4318/v1/traces', serviceName: 'regime-retrain' });
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:9999/traces', OTEL_SERVICE_NAME: 'weekly' })).toEqual({ tracesUrl: 'http://b:9999/traces', serviceName: 'weekly' });
  });

  it('loads no OpenTelemetry module at all without the endpoint, and the SDK with it', async () => {
    const [off, on] = await Promise.all([probe({}), probe({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' })]);
    expect(off).toEqual({ on: false, loaded: 0 });
    expect(on.on).toBe(true);
    expect(on.loaded).toBeGreaterThan(5);
  }, 60_000);
});
