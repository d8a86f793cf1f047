import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { holderAlive, lockPathFor, processStart, readLock, tryLock, type LockHolder } from '../../src/db/embedded/dirLock';
import { openEmbedded, serveEmbedded } from '../../src/db/embedded/embeddedDatabase';
import { EmbeddedDatabaseError } from '../../src/db/embedded/pgliteDir';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

const temps: string[] = [];
afterAll(() => temps.forEach((t) => rmSync(t, { recursive: true, force: true })));
const tempDir = () => {
  temps.push(mkdtempSync(join(tmpdir(), 'rr-lock-')));
  return join(temps.at(-1)!, 'pglite');
};

/** A process that stays alive until the test ends. */
async function liveProcess(): Promise<number> {
  const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(c);
  await new Promise((r) => c.once('spawn', r));
  return c.pid!;
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const c = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((r) => c.once('exit', r));
  return c.pid!;
}

function writeHolder(path: string, h: Partial<LockHolder> & { pid: number }) {
  const holder: LockHolder = { pidStart: processStart(h.pid), role: 'direct', command: 'regime-retrain runs list', since: new Date().toISOString(), token: randomUUID(), ...h };
  writeFileSync(path, JSON.stringify(holder));
  return holder;
}

describe('embedded database directory lock', () => {
  it('is created atomically with our pid, only readable by us, and released only by its holder', () => {
    const path = lockPathFor(tempDir());
    const r = tryLock(path, { role: 'direct', command: 'test' });
    if (!('lock' in r)) throw new Error('expected to take a free lock');
    const onDisk = readLock(path)!;
    expect(onDisk.pid).toBe(process.pid);
    expect(onDisk.token).toBe(r.lock.holder.token);
    expect(statSync(path).mode & 0o777).toBe(0o600);

    // While held, a second taker in this very process sees the live holder.
    const again = tryLock(path, { role: 'direct', command: 'test 2' });
    expect('heldBy' in again && again.heldBy.pid).toBe(process.pid);

    r.lock.advertise({ port: 5555, password: 'pw' });
    expect(readLock(path)).toMatchObject({ pid: process.pid, port: 5555, password: 'pw', token: r.lock.holder.token });

    // A lock that is no longer ours (replaced by another holder) is not removed by release.
    const other = writeHolder(path, { pid: process.pid });
    r.lock.release();
    expect(readLock(path)!.token).toBe(other.token);
  });

  it('refuses while a live process holds it, naming the pid and what to do, in one line', async () => {
    const dir = tempDir();
    const pid = await liveProcess();
    writeHolder(lockPathFor(dir), { pid });
    const r = tryLock(lockPathFor(dir), { role: 'direct', command: 'test' });
    expect('heldBy' in r && r.heldBy.pid).toBe(pid);

    const err = await openEmbedded(dir, { command: 'test', directWaitMs: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmbeddedDatabaseError);
    const message = (err as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain(`process ${pid}`);
    expect(message).toContain(dir);
    expect(message).toMatch(/wait for it to finish/);
    // A second `npm start` is refused the same way, and neither touched the directory.
    await expect(serveEmbedded(dir, { command: 'test', directWaitMs: 0 })).rejects.toThrow(`process ${pid}`);
    expect(existsSync(dir)).toBe(false);
    expect(readLock(lockPathFor(dir))!.pid).toBe(pid);
  });

  it('waits for a short-lived direct holder instead of refusing at once', async () => {
    const dir = tempDir();
    const pid = await liveProcess();
    writeHolder(lockPathFor(dir), { pid });
    setTimeout(() => children.find((c) => c.pid === pid)!.kill('SIGKILL'), 500);
    const t0 = Date.now();
    const notes: string[] = [];
    const db = await openEmbedded(dir, { command: 'test', directWaitMs: 30_000, onWait: (n) => notes.push(n) });
    try {
      expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
      expect(notes).toEqual([`waiting up to 30 s for process ${pid} (regime-retrain runs list) to finish with the embedded database…`]);
      expect(readLock(lockPathFor(dir))!.pid).toBe(process.pid);
    } finally {
      await db.close();
    }
    expect(existsSync(lockPathFor(dir))).toBe(false);
  });

  it('clears the stale lock of a process that is gone, and of a recycled pid', async () => {
    const path = lockPathFor(tempDir());
    const pid = await deadPid();
    writeHolder(path, { pid });
    expect(holderAlive(readLock(path)!)).toBe(false);
    const r = tryLock(path, { role: 'direct', command: 'test' });
    if (!('lock' in r)) throw new Error(`stale lock of ${pid} was not cleared`);
    expect(readLock(path)!.pid).toBe(process.pid);
    r.lock.release();

    // Our own (live) pid with another start time: the pid was reused after the holder died.
    if (processStart(process.pid) === null) return; // no procfs: liveness is by pid alone
    writeHolder(path, { pid: process.pid, pidStart: '1' });
    const again = tryLock(path, { role: 'direct', command: 'test' });
    expect('lock' in again).toBe(true);
  });

  it('has exactly one winner when processes race for it, a stale lock included', async () => {
    const path = lockPathFor(tempDir());
    writeHolder(path, { pid: await deadPid() });
    const startAt = Date.now() + 4000; // after every contender has loaded
    const contenders = Array.from({ length: 5 }, () => {
      const c = spawn(process.execPath, ['--import', 'tsx', resolve('tests/helpers/lockContender.ts'), path, String(startAt)], { stdio: ['pipe', 'pipe', 'inherit'] });
      children.push(c);
      let out = '';
      const tried = new Promise<{ acquired: boolean; holder?: number }>((done, fail) => {
        c.stdout!.on('data', (d) => {
          out += d;
          if (out.includes('\n')) done(JSON.parse(out));
        });
        c.once('exit', (code) => fail(new Error(`a contender exited (${code}) before it tried: ${out}`)));
      });
      return { c, tried, exited: new Promise((done) => c.once('exit', done)) };
    });
    // Every contender has tried before the winner lets go: however late one loaded, it met a live holder.
    const outputs = await Promise.all(contenders.map((x) => x.tried));
    for (const x of contenders) x.c.stdin!.end();
    await Promise.all(contenders.map((x) => x.exited));
    const winners = outputs.filter((o) => o.acquired);
    expect(winners).toHaveLength(1);
    const losers = outputs.filter((o) => !o.acquired);
    expect(new Set(losers.map((o) => o.holder)).size).toBe(1);
    expect(existsSync(path)).toBe(false); // the winner released it
  }, 60_000);

  it('creates the data directory on the very first run', () => {
    const path = lockPathFor(join(tempDir(), 'not', 'yet', 'pglite'));
    const r = tryLock(path, { role: 'direct', command: 'test' });
    expect('lock' in r && readLock(path)!.pid).toBe(process.pid);
  });

  it('names a lock file it did not write instead of guessing', () => {
    const path = lockPathFor(tempDir());
    writeFileSync(path, 'garbage');
    expect(() => tryLock(path, { role: 'direct', command: 'test' })).toThrow(/not a lock file written by regime-retrain/);
    expect(readFileSync(path, 'utf8')).toBe('garbage');
  });
});
