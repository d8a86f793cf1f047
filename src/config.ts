import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * Process configuration, only from the environment (secrets never come from files in the repo
 * and are never logged: see `describeConfig`).
 */
export const EnvSchema = z.object({
  DATABASE_URL: z.string().min(1).optional(),
  DATA_DIR: z.string().default('.data'),
  REPORTS_DIR: z.string().default('reports'),
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('retrain'),
  TEMPORAL_TLS_CERT_PATH: z.string().optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().optional(),
  TEMPORAL_TLS_CA_PATH: z.string().optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
  TEMPORAL_API_KEY: z.string().optional(),
  TEMPORAL_CLI_PATH: z.string().optional(),
  TEMPORAL_UI_PORT: z.coerce.number().int().positive().default(8233),
  TEMPORAL_PORT: z.coerce.number().int().positive().default(7233),
  SCHEDULE_ID: z.string().default('weekly-retrain'),
  SCHEDULE_TIMEZONE: z.string().default('America/New_York'),
  SCHEDULE_DAY: z.enum(['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY']).default('SATURDAY'),
  SCHEDULE_HOUR: z.coerce.number().int().min(0).max(23).default(21),
  SCHEDULE_MINUTE: z.coerce.number().int().min(0).max(59).default(0),
  SCHEDULE_CATCHUP_WINDOW: z.string().default('1 day'),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().positive().default(2),
  /**
   * A plain `worker`'s activities in this many child processes, one slot each (0: in-process
   * slots); auto: one per activity slot when the worker has a shared database (DATABASE_URL).
   */
  WORKER_ACTIVITY_PROCESSES: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), // `${VAR:-}` sets it empty: that is unset, not 0
    z.union([z.literal('auto'), z.string().regex(/^\d+$/, 'must be auto or a whole number').transform(Number)]).default('auto'),
  ),
  /** auto: Worker Deployment versioning (runs pinned to their build) when the server supports it; off: unversioned. */
  WORKER_VERSIONING: z.enum(['auto', 'off']).default('auto'),
  WORKER_DEPLOYMENT_NAME: z.string().regex(/^[^.]+$/, 'must not contain "."').default('regime-retrain'),
  /** A secret (Slack's carries its token in the path): never logged. */
  NOTIFY_WEBHOOK_URL: z.string().url().optional(),
  MARKET_DATA_DIR: z.string().optional(),
  LOG_LEVEL: z.string().default('info'),
  /** Prometheus endpoint (GET /metrics) of `worker` and `dev`: Temporal runtime metrics plus regime_retrain_*. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().default('0.0.0.0'),
  /** Set by `dev` for its training workers: where their runtime metrics go, and their `process` label. */
  RUNTIME_METRICS_ADDRESS: z.string().optional(),
  RUNTIME_METRICS_PROCESS: z.string().optional(),
});

export type AppConfig = {
  databaseUrl?: string;
  dataDir: string;
  reportsDir: string;
  temporal: {
    address?: string;
    namespace: string;
    taskQueue: string;
    tls?: { certPath?: string; keyPath?: string; caPath?: string; serverName?: string };
    apiKey?: string;
    cliPath?: string;
    uiPort: number;
    port: number;
  };
  schedule: {
    id: string;
    timeZone: string;
    dayOfWeek: z.infer<typeof EnvSchema>['SCHEDULE_DAY'];
    hour: number;
    minute: number;
    catchupWindow: string;
  };
  worker: { maxConcurrentActivities: number; activityProcesses: number | 'auto'; versioning: 'auto' | 'off'; deploymentName: string };
  notify: { webhookUrl?: string };
  marketDataDir?: string;
  logLevel: string;
  metrics: { port?: number; host: string; runtimeAddress?: string; process?: string };
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid environment: ${issues}`);
  }
  const e = parsed.data;
  const tlsWanted = e.TEMPORAL_TLS_CERT_PATH || e.TEMPORAL_TLS_KEY_PATH || e.TEMPORAL_TLS_CA_PATH;
  if ((e.TEMPORAL_TLS_CERT_PATH && !e.TEMPORAL_TLS_KEY_PATH) || (!e.TEMPORAL_TLS_CERT_PATH && e.TEMPORAL_TLS_KEY_PATH)) {
    throw new Error('invalid environment: TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH must be set together');
  }
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: resolve(e.DATA_DIR),
    reportsDir: resolve(e.REPORTS_DIR),
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      tls: tlsWanted
        ? { certPath: e.TEMPORAL_TLS_CERT_PATH, keyPath: e.TEMPORAL_TLS_KEY_PATH, caPath: e.TEMPORAL_TLS_CA_PATH, serverName: e.TEMPORAL_TLS_SERVER_NAME }
        : undefined,
      apiKey: e.TEMPORAL_API_KEY,
      cliPath: e.TEMPORAL_CLI_PATH,
      uiPort: e.TEMPORAL_UI_PORT,
      port: e.TEMPORAL_PORT,
    },
    schedule: {
      id: e.SCHEDULE_ID,
      timeZone: e.SCHEDULE_TIMEZONE,
      dayOfWeek: e.SCHEDULE_DAY,
      hour: e.SCHEDULE_HOUR,
      minute: e.SCHEDULE_MINUTE,
      catchupWindow: e.SCHEDULE_CATCHUP_WINDOW,
    },
    worker: { maxConcurrentActivities: e.WORKER_MAX_CONCURRENT_ACTIVITIES, activityProcesses: e.WORKER_ACTIVITY_PROCESSES, versioning: e.WORKER_VERSIONING, deploymentName: e.WORKER_DEPLOYMENT_NAME },
    notify: { webhookUrl: e.NOTIFY_WEBHOOK_URL },
    marketDataDir: e.MARKET_DATA_DIR,
    logLevel: e.LOG_LEVEL,
    metrics: { port: e.METRICS_PORT, host: e.METRICS_HOST, runtimeAddress: e.RUNTIME_METRICS_ADDRESS, process: e.RUNTIME_METRICS_PROCESS },
  };
}

/** A loggable view of the config: no passwords, no keys. */
export function describeConfig(c: AppConfig): Record<string, unknown> {
  return {
    database: c.databaseUrl ? 'postgres (DATABASE_URL)' : `embedded PGlite in ${c.dataDir}`,
    temporal: { address: c.temporal.address ?? 'embedded dev server', namespace: c.temporal.namespace, taskQueue: c.temporal.taskQueue, tls: !!c.temporal.tls, apiKey: !!c.temporal.apiKey },
    schedule: c.schedule,
    worker: c.worker,
    notify: c.notify.webhookUrl ? 'webhook (NOTIFY_WEBHOOK_URL)' : 'off',
    metricsPort: c.metrics.port ?? null,
  };
}
