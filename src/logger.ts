import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs by default (for log shippers); pretty when a person is watching a TTY.
 * Secrets never reach the logger: config is logged through `redactConfig`.
 */
export function createLogger(opts: { level?: string; pretty?: boolean; name?: string } = {}): Logger {
  const level = opts.level ?? process.env.LOG_LEVEL ?? 'info';
  const pretty = opts.pretty ?? (process.stdout.isTTY === true && process.env.LOG_FORMAT !== 'json');
  return pino({
    name: opts.name ?? 'regime-retrain',
    level,
    redact: { paths: ['databaseUrl', '*.databaseUrl', 'password', '*.password', 'tls.key', '*.key'], censor: '[redacted]' },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname' } } } : {}),
  });
}
