import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Who owns an embedded database directory. PGlite is one Postgres backend inside one process:
 * a second process opening the same directory overwrites its WAL and control file. So every
 * opener first creates `<dir>.lock` atomically; the file says who holds it and, when the holder
 * serves the database to other processes, on which port.
 */
export interface LockHolder {
  pid: number;
  /** Kernel start time of `pid` (Linux), so a recycled pid is not mistaken for the holder. */
  pidStart: string | null;
  /** `serve`: the holder serves the database on `port` (npm start); `direct`: it uses it alone. */
  role: 'serve' | 'direct';
  command: string;
  since: string;
  port?: number;
  /** What clients of the serving holder authenticate with (the file is readable by its owner only). */
  password?: string;
  /** Tells this holder's lock from a later one with the same pid. */
  token: string;
}

export interface HeldLock {
  path: string;
  holder: LockHolder;
  /** Records where and how the database is served (atomic replace; only while we hold it). */
  advertise(served: { port: number; password: string }): void;
  /** Removes the lock if it is still ours. */
  release(): void;
}

export const lockPathFor = (dataDir: string) => `${dataDir}.lock`;

/** Start time of a process in clock ticks since boot (field 22 of /proc/PID/stat); null where there is no procfs. */
export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** Whether the process that wrote this lock still runs (same pid and, where known, same start time). */
export function holderAlive(h: Pick<LockHolder, 'pid' | 'pidStart'>): boolean {
  try {
    process.kill(h.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const start = processStart(h.pid);
  return h.pidStart === null || start === null || start === h.pidStart;
}

export function readLock(path: string): LockHolder | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    const h = JSON.parse(text) as LockHolder;
    if (Number.isInteger(h.pid) && typeof h.token === 'string') return h;
  } catch {
    // fall through: the file is not a lock we wrote
  }
  throw new Error(`${path} is not a lock file written by regime-retrain; remove it only if no process uses the database`);
}

function writeTemp(path: string, holder: LockHolder): string {
  const tmp = `${path}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(holder)}\n`, { mode: 0o600 });
  return tmp;
}

/**
 * Moves a dead holder's lock aside. Renaming is atomic, so of several processes clearing the
 * same stale lock only one moves it; if what was moved turns out to be a live lock written in
 * the meantime, it is put back (link fails rather than replace a newer one).
 */
function clearStale(path: string, stale: LockHolder): void {
  const aside = `${path}.stale.${process.pid}.${randomUUID().slice(0, 8)}`;
  try {
    renameSync(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const moved = readLock(aside);
  if (moved && moved.token !== stale.token) {
    try {
      linkSync(aside, path);
    } catch {
      // a newer lock exists already; the moved one's holder will find its lock replaced
    }
  }
  unlinkSync(aside);
}

/** Takes the lock, or returns the live process holding it (clearing dead holders' locks on the way). */
export function tryLock(path: string, o: { role: LockHolder['role']; command: string }): { lock: HeldLock } | { heldBy: LockHolder } {
  mkdirSync(dirname(path), { recursive: true }); // DATA_DIR on the very first run
  const holder: LockHolder = { pid: process.pid, pidStart: processStart(process.pid), role: o.role, command: o.command, since: new Date().toISOString(), token: randomUUID() };
  for (let attempt = 0; attempt < 10; attempt++) {
    const tmp = writeTemp(path, holder);
    try {
      // link() creates the name only if it does not exist, with the content already complete.
      linkSync(tmp, path);
      return { lock: heldLock(path, holder) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      unlinkSync(tmp);
    }
    const current = readLock(path);
    if (!current) continue;
    if (holderAlive(current)) return { heldBy: current };
    clearStale(path, current);
  }
  throw new Error(`could not take ${path}: it keeps changing hands`);
}

function heldLock(path: string, holder: LockHolder): HeldLock {
  const ours = () => readLock(path)?.token === holder.token;
  return {
    path,
    holder,
    advertise({ port, password }) {
      if (!ours()) throw new Error(`${path} is no longer held by this process`);
      Object.assign(holder, { port, password });
      renameSync(writeTemp(path, holder), path);
    },
    release() {
      try {
        if (ours()) unlinkSync(path);
      } catch {
        // already gone or unreadable: nothing of ours to remove
      }
    },
  };
}
