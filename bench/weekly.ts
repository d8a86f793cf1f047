/**
 * npm run bench:weekly -- [--csv-dir DIR] [--cash-rate-file FILE] [--models k1,k2] [--first D] [--second D] [--trainers N] [--engines native,wasm] [--timeline]
 *
 * A default weekly run on the real corpus, protocol included, as the Saturday schedule would
 * run it: a real Temporal dev server, Postgres and one worker process (2 activity slots), both
 * tasks, default models. First from cold (as of --first), then the week after (as of
 * --second), which reuses the stored folds. Prints each run's wall time and what dominated it
 * (activity time summed by stage; with --timeline every step's start and end). With
 * --trainers N: the production shape instead (README, "Running at scale"): one `worker --role workflows` and N
 * `worker --role activities` processes with one slot each; CPU is summed over them.
 * --engines: the pair of runs once per TRM engine (TRM_ENGINE for the workers), each from its
 * own empty database, so each cold run is cold (default: native when built, then wasm).
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadavg } from 'node:os';
import { engineName, nativeStatus, type EngineKind } from '../src/models/trm/engine/kernels';
import { getRun } from '../src/store/runStore';
import { treeCpuSecondsOf } from './procStats';
import { startRetrain } from '../src/temporal/startRetrain';
import { createTestDb } from '../tests/helpers/postgres';
import { startTestServer } from '../tests/helpers/temporal';
import { startWorkerProcesses } from '../tests/helpers/workerProcess';

const args = process.argv.slice(2);
const arg = (name: string, def: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : def);
const DIR = resolve(arg('--csv-dir', process.env.MARKET_DATA_DIR ?? '../shared/data/market'));
const RATES = resolve(arg('--cash-rate-file', '../shared/data/rates/DTB3.csv'));
const MODELS = args.includes('--models') ? arg('--models', '').split(',') : undefined;
const TRAINERS = Number(arg('--trainers', '0'));
const ENGINES = arg('--engines', nativeStatus().available ? 'native,wasm' : 'wasm').split(',') as EngineKind[];

async function main(): Promise<void> {
  if (!existsSync(DIR)) throw new Error(`no market data at ${DIR} (--csv-dir)`);
  for (const engine of ENGINES) await runPair(engine);
}

async function runPair(engine: EngineKind): Promise<void> {
  const [server, db] = await Promise.all([startTestServer(), createTestDb('weekly')]);
  const taskQueue = `weekly-${randomUUID().slice(0, 6)}`;
  const workers = startWorkerProcesses({ temporalAddress: server.address, databaseUrl: db.url, taskQueue, extra: { LOG_LEVEL: 'warn', TRM_ENGINE: engine } }, { trainers: TRAINERS, slots: 2 });
  const workerCpu = () => workers.reduce((a, w) => a + treeCpuSecondsOf(w.child.pid!), 0); // with its activity processes
  console.log(`\n# TRM engine: ${engineName(engine)}`);
  console.log(TRAINERS ? `workers: one --role workflows, ${TRAINERS} --role activities (1 slot each)` : 'workers: one plain worker, 2 activity slots (as child processes unless WORKER_ACTIVITY_PROCESSES=0)');
  try {
    for (const [label, asOf] of [
      ['cold', arg('--first', '2026-02-06')],
      ['the week after', arg('--second', '2026-02-13')],
    ]) {
      const t0 = performance.now();
      const c0 = workerCpu();
      const h = await startRetrain(server.env.client, {
        taskQueue,
        workflowId: `weekly-${asOf}-${randomUUID().slice(0, 6)}`,
        input: { asOf, source: { kind: 'csv', dir: DIR, ...(existsSync(RATES) ? { cashRateFile: RATES } : {}) }, ...(MODELS ? { models: MODELS } : {}) },
      });
      const r = await h.result();
      const seconds = (performance.now() - t0) / 1000;
      const cpu = workerCpu() - c0;
      console.log(`\n## ${engineName(engine)}, ${label}: as of ${asOf}, ${(seconds / 60).toFixed(1)} min wall (${seconds.toFixed(0)} s), workers ${cpu.toFixed(0)} s CPU (${(cpu / seconds).toFixed(2)} cores busy on average), load average ${loadavg()[0].toFixed(1)}`);
      for (const [task, o] of Object.entries(r.tasks)) console.log(`  ${task}: ${o!.assessment.folds} folds; fits ${JSON.stringify(o!.assessment.fits)}; ${o!.decision.reason.slice(0, 160)}`);
      const steps = (await getRun(db.db, r.runId))!.steps;
      const dur = (s: (typeof steps)[number]) => (s.finishedAt ? (s.finishedAt.getTime() - s.startedAt.getTime()) / 1000 : 0);
      const byStage = new Map<string, number>();
      for (const s of steps) {
        const parts = s.step.split(':');
        const key = parts[0] === 'fit' || parts[0] === 'refit' ? `${parts[0]}:${parts[1]}:${parts[2]}` : s.step;
        byStage.set(key, (byStage.get(key) ?? 0) + dur(s));
      }
      console.log('  activity seconds by stage (summed over parallel activities):');
      for (const [k, v] of [...byStage].sort((a, b) => b[1] - a[1]).slice(0, 14)) console.log(`    ${k.padEnd(36)} ${v.toFixed(1).padStart(8)}`);
      if (args.includes('--timeline')) {
        // Every step's start and end, seconds after the run's first step: where the wall time goes.
        const start = Math.min(...steps.map((s) => s.startedAt.getTime()));
        const at = (d: Date | null) => (d ? ((d.getTime() - start) / 1000).toFixed(1) : '-');
        console.log('  timeline (start .. end, seconds after the first step):');
        for (const s of [...steps].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime())) console.log(`    ${at(s.startedAt).padStart(6)} .. ${at(s.finishedAt).padStart(6)}  ${s.step}`);
      }
    }
  } finally {
    await Promise.all(workers.map((w) => w.kill('SIGTERM')));
    await server.stop();
    await db.drop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
