import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockPathFor, readLock } from '../../../src/db/embedded/dirLock';
import { openEmbedded } from '../../../src/db/embedded/embeddedDatabase';
import { closePglite, EmbeddedDatabaseError, openPgliteDir } from '../../../src/db/embedded/pgliteDir';

/**
 * Every file under `dir` with its content hash: "left as it is" means this does not change.
 * postmaster.pid is Postgres's own process marker, rewritten by every start attempt; no data.
 */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name !== 'postmaster.pid') out[p.slice(dir.length)] = `${statSync(p).size}:${createHash('sha256').update(readFileSync(p)).digest('hex')}`;
    }
  };
  walk(dir);
  return out;
}

const temps: string[] = [];
afterAll(() => temps.forEach((t) => rmSync(t, { recursive: true, force: true })));
const tempDir = () => {
  temps.push(mkdtempSync(join(tmpdir(), 'rr-open-')));
  return join(temps.at(-1)!, 'pglite');
};

describe('opening an embedded database directory', () => {
  it('turns PGlite\'s abort on a corrupt directory into one clear line, and leaves the directory as it was', async () => {
    const dir = tempDir();
    const pg = await openPgliteDir(dir);
    await pg.exec('create table kept (x int); insert into kept values (1)');
    await closePglite(pg);
    // What two writers did in the field: the WAL no longer holds the checkpoint record.
    for (const f of readdirSync(join(dir, 'pg_wal')).filter((f) => /^[0-9A-F]{24}$/.test(f))) writeFileSync(join(dir, 'pg_wal', f), Buffer.alloc(statSync(join(dir, 'pg_wal', f)).size));
    const before = snapshot(dir);

    const err = await openEmbedded(dir, { command: 'test' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmbeddedDatabaseError);
    const message = (err as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain(`cannot open the embedded database at ${dir}`);
    expect(message).toMatch(/PANIC: could not locate a valid checkpoint record/); // the database's own words
    expect(message).toMatch(/restore a backup .*DATABASE_URL/);
    expect(message).not.toMatch(/-sASSERTIONS/);
    expect(snapshot(dir)).toEqual(before);
    // The failed opener let go of the lock: the next one gets the same answer, not "in use".
    expect(readLock(lockPathFor(dir))).toBeNull();
    await expect(openEmbedded(dir, { command: 'test' })).rejects.toThrow(/cannot open the embedded database/);
  }, 180_000);

  it('refuses to create a database in a non-empty directory that holds none', async () => {
    const dir = tempDir();
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    await expect(openEmbedded(dir, { command: 'test' })).rejects.toThrow(/holds no database \(no PG_VERSION\); not touching it/);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });
});
