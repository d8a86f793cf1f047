import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { loadConfig, type AppConfig } from '../config';
import { openDatabase, type Database } from '../db/client';
import { createLogger, type Logger } from '../logger';
import { connectClient } from '../temporal/connection';
import { flushTracing } from '../ops/tracing';

export interface CliContext {
  config: AppConfig;
  logger: Logger;
}

/** The embedded PGlite directory (used when DATABASE_URL is unset). */
export const embeddedDir = (config: AppConfig) => join(config.dataDir, 'pglite');

/** How this process names itself to others that find the embedded database in use. */
export function commandLine(): string {
  const line = ['regime-retrain', ...process.argv.slice(2)].join(' ');
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

export function cliContext(): CliContext {
  const config = loadConfig();
  return { config, logger: createLogger({ level: config.logLevel }) };
}

export async function withDb<T>(ctx: CliContext, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase({ databaseUrl: ctx.config.databaseUrl, dataDir: embeddedDir(ctx.config), command: commandLine(), onWait: (note) => console.error(note) });
  try {
    await db.migrate();
    return await fn(db);
  } finally {
    await db.close();
  }
}

export async function withClient<T>(ctx: CliContext, fn: (client: Client) => Promise<T>): Promise<T> {
  const address = ctx.config.temporal.address ?? `127.0.0.1:${ctx.config.temporal.port}`;
  const client = await connectClient(ctx.config.temporal, address);
  try {
    return await fn(client);
  } finally {
    await client.connection.close();
    await flushTracing(); // a short command's StartWorkflow span, before the process exits
  }
}
