import { createRequire } from 'node:module';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { InjectedSinks, WorkerInterceptors } from '@temporalio/worker';
import type { OpenTelemetrySinks } from '@temporalio/interceptors-opentelemetry'; // a type: erased, loads nothing

/**
 * Optional OpenTelemetry traces (Temporal's interceptors-opentelemetry), switched on by the
 * standard OTEL_EXPORTER_OTLP_ENDPOINT. Without it nothing here loads an OTel package: every
 * import below is dynamic, so an untraced process pays nothing.
 */
export interface TracingSettings {
  /** Where spans go over OTLP/HTTP (JSON): OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is, else OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces. */
  tracesUrl: string;
  serviceName: string;
}

export function tracingSettings(env: NodeJS.ProcessEnv = process.env): TracingSettings | null {
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (!base && !traces) return null;
  return { tracesUrl: traces || `${base!.replace(/\/+$/, '')}/v1/traces`, serviceName: env.OTEL_SERVICE_NAME?.trim() || 'regime-retrain' };
}

export interface Tracing {
  /** For every Client: a run's trace starts at the client's StartWorkflow span. */
  client: WorkflowClientInterceptor[];
  /** For Worker.create: workflow interceptors (bundled by path) and activity interceptors. */
  worker: WorkerInterceptors;
  /** Workflow spans leave the sandbox through this sink. */
  sinks: InjectedSinks<OpenTelemetrySinks>;
  /** Sends the spans still buffered (before a short-lived command exits). */
  flush(): Promise<void>;
  /** Flushes and stops exporting (once, when the process ends). */
  close(): Promise<void>;
}

let loaded: Promise<Tracing | null> | undefined;

/** This process's tracing, set up once on first use (one tracer provider per process); null when off. */
export function processTracing(): Promise<Tracing | null> {
  loaded ??= setUpTracing(tracingSettings());
  return loaded;
}

async function setUpTracing(s: TracingSettings | null): Promise<Tracing | null> {
  if (!s) return null;
  const [api, { AsyncHooksContextManager }, { BasicTracerProvider, BatchSpanProcessor }, { Resource }, { OTLPTraceExporter }, otel] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@temporalio/interceptors-opentelemetry'),
  ]);
  const resource = new Resource({ 'service.name': s.serviceName });
  const processor = new BatchSpanProcessor(new OTLPTraceExporter({ url: s.tracesUrl }));
  const provider = new BasicTracerProvider({ resource, spanProcessors: [processor] });
  // Global, so the activity and client interceptors (which use the global tracer) and the
  // async-hooks context reach the same provider; a span's children then share its trace.
  provider.register({ contextManager: new AsyncHooksContextManager().enable() });
  // The workflow half runs inside the sandbox: the worker bundles this module by path.
  const workflowModule = createRequire(import.meta.url).resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');
  return {
    client: [new otel.OpenTelemetryWorkflowClientInterceptor()],
    worker: {
      workflowModules: [workflowModule],
      activity: [(ctx) => ({ inbound: new otel.OpenTelemetryActivityInboundInterceptor(ctx), outbound: new otel.OpenTelemetryActivityOutboundInterceptor(ctx) })],
    },
    sinks: { exporter: otel.makeWorkflowExporter(processor, resource) },
    flush: () => provider.forceFlush(),
    close: async () => {
      await provider.shutdown();
      api.trace.disable();
    },
  };
}

/** Flushes this process's spans if tracing was ever set up (never loads it just to flush). */
export async function flushTracing(): Promise<void> {
  await (await loaded)?.flush();
}

/** Flushes and stops this process's tracing, if any; for the end of a long-running command. */
export async function closeTracing(): Promise<void> {
  const t = await loaded;
  loaded = Promise.resolve(null);
  await t?.close();
}
