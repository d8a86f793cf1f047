import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

/** A problem with the embedded database that the user must act on; its message is one line. */
export class EmbeddedDatabaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedDatabaseError';
  }
}

const LOG_LINES = 50;

/**
 * Opens a PGlite data directory that the caller holds the lock for. A directory that cannot
 * be opened is left exactly as it is: the error names it, quotes the database's own message
 * (PGlite prints it and then aborts its WebAssembly module, which surfaces only as
 * "Aborted()"), and says the way out.
 */
export async function openPgliteDir(dir: string): Promise<PGlite> {
  // initdb would write a fresh cluster into whatever is there.
  if (existsSync(dir) && readdirSync(dir).length > 0 && !existsSync(join(dir, 'PG_VERSION'))) {
    throw new EmbeddedDatabaseError(`${dir} is not empty but holds no database (no PG_VERSION); not touching it: move it away, or set DATABASE_URL to use another Postgres`);
  }
  mkdirSync(dir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  // Postgres's log lines go to the module's print/printErr, which PGlite silences; the
  // extension hook is the one place to see them.
  const log: string[] = [];
  const keep = (line: string) => {
    log.push(line);
    if (log.length > LOG_LINES) log.shift();
  };
  const capture = { name: 'log-capture', setup: async (_pg: unknown, emscriptenOpts: Record<string, unknown>) => ({ emscriptenOpts: { ...emscriptenOpts, print: keep, printErr: keep } }) };
  const pg = new PGlite(dir, { extensions: { logCapture: capture } });
  try {
    await pg.waitReady;
    return pg;
  } catch (e) {
    throw new EmbeddedDatabaseError(`cannot open the embedded database at ${dir}: ${databaseMessage(log, e)}. It was left as it is: restore a backup of that directory, or set DATABASE_URL to use another Postgres`);
  }
}

/** The server's own PANIC/FATAL/ERROR lines, else the last thing it printed, else the exception. */
export function databaseMessage(log: string[], e: unknown): string {
  const severe = log.map((l) => /\b(PANIC|FATAL|ERROR):\s+(.*)$/.exec(l)).filter((m) => m !== null);
  const own = severe.length ? severe.map((m) => `${m[1]}: ${m[2]}`).join('; ') : log.filter((l) => /\b(LOG|WARNING):/.test(l)).slice(-2).join('; ');
  const thrown = e instanceof Error ? e.message : String(e);
  return own ? `${own} (${thrown.replace(/\. Build with -sASSERTIONS.*$/, '')})` : thrown;
}

/** Closes PGlite after whatever query or transaction is in flight, never in the middle of one. */
export async function closePglite(pg: PGlite): Promise<void> {
  if (pg.closed) return;
  await pg._runExclusiveTransaction(() => pg.runExclusive(() => pg.close()));
}
