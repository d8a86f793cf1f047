/**
 * npm run bench:scale -- [--symbols 50,200,500] [--e2e] [--skip-stages] [--trainers N] [--models k1,k2] [--shard 25]
 *
 * The signal task at scale on the seeded synthetic market (30 years, N extra stocks S0001..):
 * per N, the wall time of each stage in this process (ingest into Postgres, panel and features,
 * dataset build and store, one fit of every model kind on the refit window) with this
 * process's peak RSS, and with --e2e a whole run on a real Temporal dev server and a separate
 * worker process (default models, full walk-forward protocol) with that worker's peak RSS.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { ingestMarketData } from '../src/ingest/ingest';
import { loadBarsWithVintage } from '../src/store/barStore';
import { SyntheticMarketSource } from '../src/data/sources/syntheticMarket';
import { MARKET_INPUTS } from '../src/data/universe';
import { assembleDataset, buildDataset } from '../src/datasets/buildDataset';
import { shardSymbols, signalFeatureShard } from '../src/datasets/featureShard';
import { datasetConfig } from '../src/datasets/config';
import { fitCandidate, runCandidates, protocolFolds } from '../src/evaluation/protocol';
import { buildPanel } from '../src/features/panel';
import { DEFAULT_MODEL_KINDS } from '../src/models/modelKinds';
import { labelRegimes } from '../src/regimes/regimeLabeler';
import { loadDataset, saveDataset } from '../src/store/datasetStore';
import { upsertRunStart } from '../src/store/runStore';
import { startRetrain } from '../src/temporal/startRetrain';
import { createTestDb } from '../tests/helpers/postgres';
import { startTestServer } from '../tests/helpers/temporal';
import { startWorkerProcesses } from '../tests/helpers/workerProcess';
import { treeCpuSecondsOf, treePeakRssOf } from './procStats';

const args = process.argv.slice(2);
const arg = (name: string, def: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : def);
const SIZES = arg('--symbols', '50,200,500').split(',').map(Number);
const MODELS = arg('--models', DEFAULT_MODEL_KINDS.join(',')).split(',');
const E2E = args.includes('--e2e');
/** With --e2e: only the whole runs (the per-stage table was measured separately). */
const SKIP_STAGES = args.includes('--skip-stages');
/** With --e2e: the production shape, one `--role workflows` worker and this many single-slot trainers (0: one process, default slots). */
const TRAINERS = Number(arg('--trainers', '0'));
const SHARD = Number(arg('--shard', '25'));
const START = '1996-01-02';
const AS_OF = '2026-02-13';

let peak = 0;
setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 200).unref();
const mb = (b: number) => (b / 2 ** 20).toFixed(0);
const cpuSelf = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

type StageRow = [label: string, wall: string, cpu: string, peakMb: string];

async function timed<T>(label: string, rows: StageRow[], fn: () => Promise<T> | T): Promise<T> {
  const t0 = performance.now();
  const c0 = cpuSelf();
  const out = await fn();
  rows.push([label, ((performance.now() - t0) / 1000).toFixed(1), (cpuSelf() - c0).toFixed(1), mb(peak)]);
  const [, wall, cpu, rss] = rows.at(-1)!;
  console.log(`  ${label.padEnd(34)} ${wall.padStart(7)} s wall ${cpu.padStart(7)} s CPU   peak RSS ${rss} MB`);
  return out;
}

async function stages(n: number): Promise<StageRow[]> {
  const rows: StageRow[] = [];
  const db = await createTestDb('scale');
  const feed = `scale-${n}`;
  const stocks = Array.from({ length: n }, (_, i) => `S${String(i + 1).padStart(4, '0')}`);
  const cfg = datasetConfig({ signal: { symbols: stocks } });
  try {
    await timed(`ingest (${MARKET_INPUTS.length - 1 + n} series)`, rows, () => ingestMarketData(db.db, new SyntheticMarketSource(feed, 42, START, n), { symbols: [...MARKET_INPUTS, ...stocks], until: AS_OF }));
    const bars = await timed('read bars', rows, async () => (await loadBarsWithVintage(db.db, feed, [...MARKET_INPUTS, ...stocks], AS_OF)).bars);
    const panel = await timed('panel + regimes', rows, () => {
      const p = buildPanel(bars);
      return { p, regime: labelRegimes(p).regime };
    });
    bars.clear();
    const ds = await timed('features + dataset', rows, () => buildDataset(panel.p, panel.regime, 'signal', cfg));
    console.log(`    ${ds.rows} rows x ${ds.cols} features, ${ds.symbols.length} symbols`);
    // What a fanned-out run does (one shard per activity there): pass 1 in shards, then the assembly.
    const sharded = await timed(`features in shards of ${SHARD} + assembly`, rows, () => assembleDataset(panel.p, panel.regime, cfg, shardSymbols(stocks, SHARD).map((s) => signalFeatureShard(panel.p, panel.regime, cfg, s))));
    if (sharded.rows !== ds.rows || sharded.X.length !== ds.X.length) throw new Error(`the sharded build has ${sharded.rows} rows, the whole one ${ds.rows}`);
    await upsertRunStart(db.db, { id: 'bench', workflowId: 'bench', trigger: 'manual', asOf: AS_OF, tasks: ['signal'], input: {}, lineage: 'bench', buildId: null });
    await timed('store dataset', rows, () => saveDataset(db.db, { id: `ds-${feed}`, runId: 'bench', feed, asOf: AS_OF, maxBarDate: AS_OF, dataset: ds, summary: {}, sampleCounts: {} }));
    await timed('load dataset', rows, () => loadDataset(db.db, `ds-${feed}`));
    const plan = protocolFolds(ds, cfg);
    for (const spec of await runCandidates(MODELS, {})) {
      await timed(`fit ${spec.kind} (refit window)`, rows, () => fitCandidate(ds, plan.refit, spec, { dataset: cfg, gap: plan.gap }));
    }
  } finally {
    await db.drop();
  }
  return rows;
}

async function endToEnd(n: number): Promise<string> {
  const [server, db] = await Promise.all([startTestServer(), createTestDb('scale')]);
  const taskQueue = `scale-${randomUUID().slice(0, 6)}`;
  const workers = startWorkerProcesses({ temporalAddress: server.address, databaseUrl: db.url, taskQueue, extra: { LOG_LEVEL: 'warn' } }, { trainers: TRAINERS });
  const cpuOf = () => workers.map((w) => treeCpuSecondsOf(w.child.pid!)); // a plain worker's activity processes included
  try {
    const stocks = Array.from({ length: n }, (_, i) => `S${String(i + 1).padStart(4, '0')}`);
    const t0 = performance.now();
    const h = await startRetrain(server.env.client, { taskQueue, workflowId: `scale-${n}-${randomUUID().slice(0, 6)}`, input: { asOf: AS_OF, tasks: ['signal'], source: { kind: 'synthetic', seed: 42, start: START, stocks: n }, config: { dataset: { signal: { symbols: stocks } } } } });
    const c0 = cpuOf();
    const r = await h.result();
    const s = (performance.now() - t0) / 1000;
    const cpu = cpuOf().map((v, i) => v - c0[i]);
    const rss = workers.map((w) => mb(treePeakRssOf(w.child.pid!)));
    return `N=${n}: whole run ${s.toFixed(0)} s wall (${(s / 60).toFixed(1)} min), ${workers.length === 1 ? 'one plain worker (its activity processes included; peak RSS the largest)' : `workflow worker + ${TRAINERS} trainers`}: CPU s ${cpu.map((v) => v.toFixed(0)).join(' / ')}, peak RSS MB ${rss.join(' / ')}, load average ${loadavg()[0].toFixed(1)}; fits ${JSON.stringify(r.tasks.signal!.assessment.fits)}; ${r.tasks.signal!.decision.reason.slice(0, 100)}`;
  } finally {
    await Promise.all(workers.map((w) => w.kill('SIGTERM')));
    await server.stop();
    await db.drop();
  }
}

async function main(): Promise<void> {
  const table: string[] = [];
  let header = '';
  for (const n of SIZES) {
    console.log(`\n## ${n} stocks, ${START}..${AS_OF}`);
    peak = 0;
    if (!SKIP_STAGES) {
      const rows = await stages(n);
      if (!header) header = `| N | ${rows.map((r) => r[0].replace(/ \(.*\)$/, '')).join(' | ')} | peak RSS MB |`;
      table.push(`| ${n} | ${rows.map((r) => `${r[1]} (${r[2]})`).join(' | ')} | ${mb(peak)} |`);
    }
    if (E2E) console.log(`  ${await endToEnd(n)}`);
  }
  if (SKIP_STAGES) return;
  console.log(`\nseconds per stage, wall (CPU), this process; load average ${loadavg()[0].toFixed(1)}:`);
  console.log([header, header.replace(/[^|]+/g, '---'), ...table].join('\n'));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
