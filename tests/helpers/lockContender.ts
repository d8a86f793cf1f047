import { tryLock } from '../../src/db/embedded/dirLock';

/**
 * One of several processes racing for the same lock: waits for the agreed moment, tries once,
 * prints what it got, and holds a won lock until its stdin closes — the test closes it once
 * every contender has tried, so a contender that loads late under load still meets a live
 * holder instead of a released lock.
 */
const [path, startAt] = process.argv.slice(2);
await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())));
const r = tryLock(path!, { role: 'direct', command: 'lock contender' });
console.log(JSON.stringify('lock' in r ? { acquired: true } : { acquired: false, holder: r.heldBy.pid }));
await new Promise((resolve) => {
  process.stdin.on('end', resolve).resume();
});
if ('lock' in r) r.lock.release();
