import pg from 'pg';
import { openPostgres, type Database } from '../../src/db/client';

/** Admin connection for creating throwaway databases; CI's Postgres uses trust auth. */
export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDb extends Database {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database per test file, so files can run in parallel. Fails loudly if Postgres is down. */
export async function createTestDb(prefix = 'rt'): Promise<TestDb> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await admin.connect();
  } catch (e) {
    throw new Error(`Postgres is required for integration tests (${ADMIN_URL}): ${(e as Error).message}`);
  }
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const db = openPostgres(url.toString());
  await db.migrate();
  return {
    ...db,
    url: url.toString(),
    name,
    async drop() {
      await db.close();
      const a = new pg.Client({ connectionString: ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await a.end();
    },
  };
}
