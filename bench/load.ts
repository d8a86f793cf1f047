/**
 * npm run bench:load -- [--runs N] [--concurrency C]
 * N concurrent as-of-dated runs (like a backfill) against a real Temporal dev server and
 * Postgres: first on one worker process with C in-process activity slots
 * (WORKER_ACTIVITY_PROCESSES=0), then on two such worker processes on the same task queue. Prints wall time, throughput, each worker's peak memory (VmHWM) and
 * how the activities were shared between the workers (the scale-out story).
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { startTestServer } from '../tests/helpers/temporal';
import { createTestDb } from '../tests/helpers/postgres';
import { tinyInput } from '../tests/helpers/fastConfig';
import { startWorkerProcess, type WorkerProcess } from '../tests/helpers/workerProcess';
import { startRetrain } from '../src/temporal/startRetrain';
import { saturdaysBetween } from '../src/util/dates';
import type { RetrainInput } from '../workflows/types';

const args = process.argv.slice(2);
const opt = (name: string, def: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : def);
const RUNS = opt('--runs', 6);
const SLOTS = opt('--concurrency', 2);

const peakRssMb = (w: WorkerProcess) => {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${w.child.pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
};

async function main(): Promise<void> {
  const [server, db] = await Promise.all([startTestServer(), createTestDb('bench')]);
  const client = server.env.client;
  const input = (asOf: string): RetrainInput => tinyInput({ asOf, models: ['logistic', 'random_forest', 'xgboost'], config: { ...tinyInput().config, modelParams: { random_forest: { nTrees: 40, maxDepth: 8 }, xgboost: { nRounds: 40 }, logistic: { maxIter: 100 } } } });
  const dates = saturdaysBetween('2010-01-01', '2014-12-31');
  const rows: string[] = [];
  try {
    for (const workers of [1, 2]) {
      const taskQueue = `load-${workers}-${randomUUID().slice(0, 6)}`;
      const procs = Array.from({ length: workers }, () => startWorkerProcess({ temporalAddress: server.address, databaseUrl: db.url, taskQueue, extra: { WORKER_MAX_CONCURRENT_ACTIVITIES: String(SLOTS), WORKER_ACTIVITY_PROCESSES: '0', LOG_LEVEL: 'warn' } }));
      const t0 = performance.now();
      const handles = await Promise.all(
        dates.slice((workers - 1) * RUNS, workers * RUNS).map((asOf) => startRetrain(client, { taskQueue, workflowId: `load-${asOf}-${randomUUID().slice(0, 6)}`, input: input(asOf) })),
      );
      await Promise.all(handles.map((h) => h.result()));
      const seconds = (performance.now() - t0) / 1000;
      const byIdentity = new Map<string, number>();
      for (const h of handles) {
        for (const e of (await h.fetchHistory()).events ?? []) {
          const id = e.activityTaskStartedEventAttributes?.identity;
          if (id) byIdentity.set(id, (byIdentity.get(id) ?? 0) + 1);
        }
      }
      const peaks = procs.map((p) => peakRssMb(p).toFixed(0)).join(' / ');
      await Promise.all(procs.map((p) => p.kill('SIGTERM')));
      rows.push(
        `${workers} worker(s) x ${SLOTS} slots: ${RUNS} runs in ${seconds.toFixed(1)} s = ${((RUNS / seconds) * 60).toFixed(1)} runs/min; peak RSS MB ${peaks}; activities per worker ${[...byIdentity.values()].join(' / ')}`,
      );
      console.log(rows.at(-1));
    }
  } finally {
    await server.stop();
    await db.drop();
  }
  console.log('\n' + rows.join('\n'));
  console.log('(on this 2-core machine two workers mostly show the sharing; on more cores or machines they add throughput)');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
