import { randomBytes } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { MIGRATIONS_FOLDER, openPostgres, ping, type Database, type Db } from '../postgres';
import * as schema from '../schema';
import { lockPathFor, tryLock, type HeldLock, type LockHolder } from './dirLock';
import { closePglite, EmbeddedDatabaseError, openPgliteDir } from './pgliteDir';
import { serveWire } from './wireServer';

/**
 * The embedded database, safe for many processes: exactly one process opens the PGlite
 * directory. `npm start` takes it and serves it on 127.0.0.1 (`serveEmbedded`); every other
 * command connects to that server, or, when nobody serves it, opens the directory itself
 * under the same lock (`openEmbedded`).
 */

/** How long to wait for a holder that uses the directory alone (a CLI command) to finish. */
const DIRECT_HOLDER_WAIT_MS = 10_000;
/** How long to wait for a serving holder to start serving (open, migrate, listen) or to go. */
const SERVING_HOLDER_WAIT_MS = 120_000;

export const servedUrl = (h: Pick<LockHolder, 'port' | 'password'>) => `postgresql://postgres:${encodeURIComponent(h.password ?? '')}@127.0.0.1:${h.port}/template1`;

function busyMessage(dir: string, h: LockHolder): string {
  const who = `process ${h.pid} (${h.command}, since ${h.since})`;
  if (h.role === 'serve') return `the embedded database ${dir} is already served by ${who}${h.port ? ` at 127.0.0.1:${h.port}` : ''}; stop that one first (Ctrl-C in its terminal, or kill ${h.pid}); while it runs, every other command uses it by itself`;
  return `the embedded database ${dir} is in use by ${who}; wait for it to finish (or stop it: kill ${h.pid}) and try again, or keep \`npm start\` running, which serves the database to every command`;
}

function pgliteDatabase(pg: PGlite, describe: string, afterClose: () => Promise<void> | void): Database {
  return {
    db: drizzle(pg, { schema }) as unknown as Db,
    kind: 'pglite',
    describe,
    async migrate() {
      await migrate(drizzle(pg, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
    },
    async close() {
      try {
        await closePglite(pg);
      } finally {
        await afterClose();
      }
    },
  };
}

/** Removes our lock if the process ends without closing (an error exit); a kill leaves a stale lock, which the next opener clears. */
function releaseOnExit(lock: HeldLock): () => void {
  const release = () => lock.release();
  process.once('exit', release);
  return () => {
    process.off('exit', release);
    lock.release();
  };
}

async function openDirect(dir: string, lock: HeldLock): Promise<Database> {
  const release = releaseOnExit(lock);
  try {
    const pg = await openPgliteDir(dir);
    return pgliteDatabase(pg, `embedded PGlite at ${dir}`, release);
  } catch (e) {
    release();
    throw e;
  }
}

/** A connection to the serving process, or why it did not answer (it is stopping, say, or the lock moved on). */
async function connectServed(dir: string, h: LockHolder): Promise<Database | { error: string }> {
  // One connection: the server takes clients in turns anyway, and a short command needs no more.
  const db = openPostgres(servedUrl(h), { max: 1, connectionTimeoutMillis: 60_000 });
  try {
    await ping(db.db);
  } catch (e) {
    await db.close().catch(() => {});
    return { error: (e as Error).message };
  }
  return { ...db, kind: 'pglite', describe: `embedded PGlite at ${dir}, served by process ${h.pid} on 127.0.0.1:${h.port}` };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * For every command but `npm start`: the serving process's database while one runs, else the
 * directory itself under the lock. A holder that does not serve is waited for briefly, then
 * refused in one line naming it.
 */
export async function openEmbedded(dir: string, o: { command: string; directWaitMs?: number; onWait?: (note: string) => void }): Promise<Database> {
  const path = lockPathFor(dir);
  const started = Date.now();
  let unanswered = '';
  for (let waited = false; ; waited = true) {
    const r = tryLock(path, { role: 'direct', command: o.command });
    if ('lock' in r) return openDirect(dir, r.lock);
    const h = r.heldBy;
    if (h.role === 'serve' && h.port) {
      const served = await connectServed(dir, h);
      if (!('error' in served)) return served;
      unanswered = `; its server did not answer: ${served.error}`;
    }
    const waitMs = h.role === 'serve' ? SERVING_HOLDER_WAIT_MS : (o.directWaitMs ?? DIRECT_HOLDER_WAIT_MS);
    if (Date.now() - started >= waitMs) throw new EmbeddedDatabaseError(busyMessage(dir, h) + unanswered);
    if (!waited) o.onWait?.(`waiting up to ${Math.round(waitMs / 1000)} s for process ${h.pid} (${h.command}) ${h.role === 'serve' ? 'to serve' : 'to finish with'} the embedded database…`);
    await sleep(250);
  }
}

export interface ServedDatabase {
  database: Database;
  /** What other processes use to reach it (the CLI finds it by itself). */
  url: string;
}

/** For `npm start`: takes the directory, opens and migrates it, and serves it on 127.0.0.1. */
export async function serveEmbedded(dir: string, o: { command: string; directWaitMs?: number; onWait?: (note: string) => void; onServerError?: (e: Error) => void }): Promise<ServedDatabase> {
  const path = lockPathFor(dir);
  const started = Date.now();
  let lock: HeldLock;
  for (let waited = false; ; waited = true) {
    const r = tryLock(path, { role: 'serve', command: o.command });
    if ('lock' in r) {
      lock = r.lock;
      break;
    }
    const h = r.heldBy;
    const waitMs = o.directWaitMs ?? DIRECT_HOLDER_WAIT_MS;
    if (h.role === 'serve' || Date.now() - started >= waitMs) throw new EmbeddedDatabaseError(busyMessage(dir, h));
    if (!waited) o.onWait?.(`waiting up to ${Math.round(waitMs / 1000)} s for process ${h.pid} (${h.command}) to finish with the embedded database…`);
    await sleep(250);
  }
  const release = releaseOnExit(lock);
  try {
    const pg = await openPgliteDir(dir);
    const database = pgliteDatabase(pg, `embedded PGlite at ${dir}`, release);
    try {
      await database.migrate();
      const password = randomBytes(18).toString('base64url');
      const server = await serveWire(pg, { password, onError: o.onServerError });
      lock.advertise({ port: server.port, password });
      const close = async () => {
        await server.stop().catch((e: Error) => o.onServerError?.(e));
        await database.close();
      };
      return { database: { ...database, describe: `embedded PGlite at ${dir}, served on 127.0.0.1:${server.port}`, close }, url: servedUrl({ port: server.port, password }) };
    } catch (e) {
      await database.close().catch(() => {});
      throw e;
    }
  } catch (e) {
    release();
    throw e;
  }
}
