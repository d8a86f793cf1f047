/**
 * npm run bench:study -- [--csv-dir DIR] [--cash-rate-file FILE] [--task strategy|signal] [--models k1,k2]
 *   [--groups training,cadence,policy] [--from D] [--as-of D] [--trainers 1,2] [--offline]
 *
 * Wall time of each arm group of the study on the real corpus: through the `retrainStudy`
 * workflow on a real Temporal dev server and Postgres, with one `worker --role workflows` and N
 * single-slot `worker --role activities` trainers for each N of --trainers (a fresh database per
 * measurement, so nothing is reused from an earlier one); with --offline, `runStudy` in this
 * process instead. Prints the distinct fits and the seconds per group.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { createSource } from '../src/data/sources';
import { datasetsFromSource } from '../src/datasets/datasetFromSource';
import { runSteps } from '../src/db/schema';
import { parseRunConfig } from '../src/pipeline/runConfig';
import { CADENCE_ARMS, POLICY_ARMS, TRAINING_ARMS, type ArmName } from '../src/study/arms';
import { runStudy } from '../src/study/runStudy';
import { retrainStudy, type StudyInput } from '../workflows/retrainStudy';
import { createTestDb } from '../tests/helpers/postgres';
import { startTestServer } from '../tests/helpers/temporal';
import { startWorkerProcesses } from '../tests/helpers/workerProcess';

const args = process.argv.slice(2);
const arg = (name: string, def: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : def);
const DIR = resolve(arg('--csv-dir', process.env.MARKET_DATA_DIR ?? '../shared/data/market'));
const RATES = resolve(arg('--cash-rate-file', '../shared/data/rates/DTB3.csv'));
const TASK = arg('--task', 'strategy') as 'strategy' | 'signal';
const MODELS = arg('--models', 'logistic,lightgbm').split(',');
const AS_OF = arg('--as-of', '2026-02-13');
const FROM = arg('--from', '2016-01-01');
const GROUPS: Record<string, readonly ArmName[]> = { training: TRAINING_ARMS, cadence: CADENCE_ARMS, policy: POLICY_ARMS };
const groups = arg('--groups', 'training').split(',');
const trainers = arg('--trainers', '1,2').split(',').map(Number);

async function main(): Promise<void> {
  if (!existsSync(DIR)) throw new Error(`no market data at ${DIR} (--csv-dir)`);
  const source = { kind: 'csv' as const, dir: DIR, ...(existsSync(RATES) ? { cashRateFile: RATES } : {}) };
  console.log(`bench:study ${TASK} as of ${AS_OF} (cadence/policy from ${FROM}), models ${MODELS.join(' ')}; load average ${loadavg()[0].toFixed(1)}`);
  for (const g of groups) {
    const arms = GROUPS[g];
    if (!arms) throw new Error(`unknown group ${g}`);
    if (args.includes('--offline')) {
      const t0 = performance.now();
      const cfg = parseRunConfig({ asOf: AS_OF, tasks: [TASK], source, models: MODELS });
      const ds = (await datasetsFromSource(createSource(cfg.source), { asOf: AS_OF, tasks: [TASK], config: cfg.config.dataset })).datasets[TASK]!;
      const doc = await runStudy(ds, cfg, { arms: [...arms], from: FROM });
      const fits = doc.arms.reduce((a, x) => ({ trained: a.trained + x.fits.trained, reused: a.reused + x.fits.reused }), { trained: 0, reused: 0 });
      console.log(`  ${g}: offline, one process: ${((performance.now() - t0) / 1000).toFixed(0)} s wall; fits ${JSON.stringify(fits)}`);
      continue;
    }
    for (const n of trainers) {
      const [server, db] = await Promise.all([startTestServer(), createTestDb('study')]);
      const taskQueue = `study-${randomUUID().slice(0, 6)}`;
      const workers = startWorkerProcesses({ temporalAddress: server.address, databaseUrl: db.url, taskQueue, extra: { LOG_LEVEL: 'warn' } }, { trainers: n });
      try {
        const t0 = performance.now();
        const input: StudyInput = { task: TASK, asOf: AS_OF, from: FROM, arms: [...arms], source, models: MODELS, parallelism: n };
        const r = await server.env.client.workflow.execute(retrainStudy, { taskQueue, workflowId: `bench-study-${randomUUID().slice(0, 8)}`, args: [input] });
        console.log(`  ${g}: ${n} trainer process(es): ${((performance.now() - t0) / 1000).toFixed(0)} s wall; ${r.units} distinct fits (${r.fitted} trained), ${r.trainedInAssessment} trained outside the fan-out; load average ${loadavg()[0].toFixed(1)}`);
        console.log(`    stages: ${stageSpans(await db.db.select().from(runSteps).where(eq(runSteps.runId, r.runId)))}`);
      } finally {
        await Promise.all(workers.map((w) => w.kill('SIGTERM')));
        await server.stop();
        await db.drop();
      }
    }
  }
}

/** Wall seconds of each stage of a study run (plan, fit fan-out, gate replay, serving fan-out, assessment), from its steps. */
function stageSpans(steps: { step: string; startedAt: Date | null; finishedAt: Date | null }[]): string {
  const stage = (step: string) => step.replace(/:\d+$/, '');
  const spans = new Map<string, { from: number; to: number; n: number }>();
  for (const s of steps) {
    if (!s.startedAt || !s.finishedAt) continue;
    const k = stage(s.step);
    const x = spans.get(k) ?? { from: Infinity, to: -Infinity, n: 0 };
    spans.set(k, { from: Math.min(x.from, s.startedAt.getTime()), to: Math.max(x.to, s.finishedAt.getTime()), n: x.n + 1 });
  }
  return [...spans].sort((a, b) => a[1].from - b[1].from).map(([k, x]) => `${k}${x.n > 1 ? ` x${x.n}` : ''} ${((x.to - x.from) / 1000).toFixed(0)} s`).join(', ');
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
