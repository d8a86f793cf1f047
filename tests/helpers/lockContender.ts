import { tryLock } from '../../src/db/embedded/dirLock';

/**
 * One of several processes racing for the same lock: waits for the agreed moment, tries once,
 * prints what it got, and holds a won lock long enough for the others to see a live holder.
 */
const [path, startAt] = process.argv.slice(2);
await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())));
const r = tryLock(path!, { role: 'direct', command: 'lock contender' });
console.log(JSON.stringify('lock' in r ? { acquired: true } : { acquired: false, holder: r.heldBy.pid }));
if ('lock' in r) {
  await new Promise((resolve) => setTimeout(resolve, 1500));
  r.lock.release();
}
