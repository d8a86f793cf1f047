export { MIGRATIONS_FOLDER, openPostgres, ping, redactUrl, type Database, type Db, type Schema } from './postgres';
import { openPostgres, type Database } from './postgres';

/**
 * DATABASE_URL, else the embedded PGlite in `dataDir`: through the process serving it if one
 * runs, else opened by this process under the directory's lock (see src/db/embedded/).
 */
export async function openDatabase(opts: { databaseUrl?: string; dataDir: string; command: string; onWait?: (note: string) => void }): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl);
  const { openEmbedded } = await import('./embedded/embeddedDatabase');
  return openEmbedded(opts.dataDir, { command: opts.command, onWait: opts.onWait });
}
