/**
 * npm run bench:trm — TRM throughput (samples/s, training and inference, every sample running
 * all nSup supervision steps) at hidden 128/256/512 on the native and the WebAssembly engine,
 * side by side with the same model in PyTorch CPU where Debian's python3-torch is installed (median of
 * --repeats runs, 3 by default; the machine is shared, so the load average is printed); then
 * accuracy and macro-F1 of the TRM vs the MLP and two ensemble members on the real strategy
 * task, overall and per regime. Prints tables; not a test.
 * Then the TRM's wall time alone on the real signal and strategy final windows (the weekly
 * run's TRM work) with the weekly profile and the paper-ward one of equal time.
 * Options: --skip-throughput --skip-wall --skip-quality --profiles weekly,previous,paperward
 * --profile name={json} (repeatable; an extra profile, named in --profiles too)
 * --tasks signal,strategy --seeds 1,2,3 --threads N --repeats N --engines native,wasm --hidden 128,256,512
 * --json: the last line is { blas: { library, kernel, threads }, rows: [{ hidden, engine,
 *   train: { ours, torch, ratio }, inference: { ours, torch, ratio } }] } (samples/s of wall time)
 */
import { runPythonPeer } from './pythonPeer';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { CsvFolderSource } from '../src/data/sources/csvFolder';
import { datasetConfig } from '../src/datasets/config';
import { datasetsFromSource } from '../src/datasets/datasetFromSource';
import { evaluatePerRegime } from '../src/evaluation/metrics';
import { windowProblem } from '../src/evaluation/protocol';
import { createModel } from '../src/models/modelKinds';
import { engineName, nativeStatus, type EngineKind } from '../src/models/trm/engine/kernels';
import { Trm, type TrmConfig } from '../src/models/trm/trm';
import { PAPERWARD_PROFILE, TRM_PREVIOUS_WEEKLY_PROFILE, TRM_WEEKLY_PROFILE } from '../src/models/trm/trmProfiles';
import { REGIMES } from '../src/regimes/regimes';
import { Rng } from '../src/util/rng';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const threads = option('--threads', 1);
const repeats = option('--repeats', 3);
const MARKET = resolve(process.env.MARKET_DATA_DIR ?? '../shared/data/market');
const SHAPE = { inputDim: 10, classes: 8, rows: 512, nSup: 16, n: 6, T: 3, batch: 256 };

interface Rates {
  train: number;
  infer: number;
  trainCpu: number;
  inferCpu: number;
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const load = () => loadavg().map((v) => v.toFixed(1)).join(' / ');

async function throughput(): Promise<void> {
  const rng = new Rng(1);
  const X = { data: Float64Array.from({ length: SHAPE.rows * SHAPE.inputDim }, () => rng.normal()), rows: SHAPE.rows, cols: SHAPE.inputDim };
  const y = Int32Array.from({ length: SHAPE.rows }, () => rng.int(SHAPE.classes));
  const hidden = (args.includes('--hidden') ? args[args.indexOf('--hidden') + 1] : '128,256,512').split(',').map(Number);
  const engines = (args.includes('--engines') ? args[args.indexOf('--engines') + 1] : 'native,wasm').split(',').filter((e): e is EngineKind => e === 'native' || e === 'wasm').filter((e) => e === 'wasm' || nativeStatus().available);
  if (!nativeStatus().available) console.log(`(native engine unavailable: ${nativeStatus().reason})`);
  let torch: Record<string, Rates> = {};
  let blas: { library: string | null; kernel: string | null; threads: number } = { library: null, kernel: null, threads };
  console.log(`load average before (1 / 5 / 15 min): ${load()}`);
  if (existsSync('/usr/bin/python3')) {
    const r = runPythonPeer('bench/trm_torch.py', [JSON.stringify({ ...SHAPE, hidden }), String(threads), String(repeats)]);
    if (r.status === 0) {
      const parsed = JSON.parse(r.stdout.trim().split('\n').pop()!);
      console.log(`PyTorch BLAS: ${JSON.stringify(parsed.blas)}`);
      blas = { library: parsed.blas.library ?? parsed.blas.torch_blas ?? null, kernel: parsed.blas.corename ?? parsed.blas.core ?? null, threads: parsed.blas.threads ?? threads };
      delete parsed.blas;
      torch = parsed;
    } else console.log(`(PyTorch reference unavailable: ${(r.stderr || '').trim().split('\n').pop()})`);
  }
  console.log(`\n## TRM throughput: ${SHAPE.rows} samples, n=${SHAPE.n}, T=${SHAPE.T}, nSup=${SHAPE.nSup} (no early halting), batch ${SHAPE.batch}; ${engines.map(engineName).join(' and ')} engines vs PyTorch CPU ${threads} thread(s) (${blas.library ?? '?'} ${blas.kernel ?? '?'}), median of ${repeats}`);
  console.log('samples/s of wall time, and in brackets of the process\'s CPU time (steadier on a shared machine)');
  console.log('| hidden | engine | train s/s | torch train s/s | ratio | infer s/s | torch infer s/s | ratio |');
  console.log('|---|---|---|---|---|---|---|---|');
  const cpuSeconds = (since: NodeJS.CpuUsage) => {
    const u = process.cpuUsage(since);
    return (u.user + u.system) / 1e6;
  };
  const rows: { hidden: number; engine: EngineKind; train: { ours: number; torch: number | null; ratio: number | null }; inference: { ours: number; torch: number | null; ratio: number | null } }[] = [];
  for (const H of hidden) {
    for (const engine of engines) {
      const runs: Rates[] = [];
      for (let rep = 0; rep < repeats; rep++) {
        // haltExploration 0 and an untrained halting head (Q < 0) keep every sample for all nSup steps.
        const m = new Trm({ hidden: H, n: SHAPE.n, T: SHAPE.T, nSup: SHAPE.nSup, epochs: 1, batchSize: SHAPE.batch, patience: 0, haltExploration: 0 }, { engine });
        let t = performance.now();
        let c = process.cpuUsage();
        const report = await m.fit(X, y, undefined, { nClasses: SHAPE.classes, seed: 1 });
        const train = SHAPE.rows / ((performance.now() - t) / 1000);
        const trainCpu = SHAPE.rows / cpuSeconds(c);
        if (report.history![0].meanSupervisionSteps !== SHAPE.nSup) console.log(`(warning: training halted early, ${report.history![0].meanSupervisionSteps} steps)`);
        t = performance.now();
        c = process.cpuUsage();
        m.predictDetailed(X, { nSup: SHAPE.nSup });
        runs.push({ train, trainCpu, infer: SHAPE.rows / ((performance.now() - t) / 1000), inferCpu: SHAPE.rows / cpuSeconds(c) });
      }
      const ours: Rates = { train: median(runs.map((r) => r.train)), infer: median(runs.map((r) => r.infer)), trainCpu: median(runs.map((r) => r.trainCpu)), inferCpu: median(runs.map((r) => r.inferCpu)) };
      const ref = torch[String(H)];
      const cell = (k: 'train' | 'infer', v: Rates | undefined) => (v ? `${v[k].toFixed(0)} (${v[`${k}Cpu`].toFixed(0)})` : '-');
      const ratio = (k: 'train' | 'infer') => (ref ? `${(ours[k] / ref[k]).toFixed(2)} (${(ours[`${k}Cpu`] / ref[`${k}Cpu`]).toFixed(2)})` : '-');
      console.log(`| ${H} | ${engineName(engine)} | ${cell('train', ours)} | ${cell('train', ref)} | ${ratio('train')} | ${cell('infer', ours)} | ${cell('infer', ref)} | ${ratio('infer')} |`);
      const pair = (k: 'train' | 'infer') => ({ ours: round(ours[k]), torch: ref ? round(ref[k]) : null, ratio: ref ? round(ours[k] / ref[k], 3) : null });
      rows.push({ hidden: H, engine, train: pair('train'), inference: pair('infer') });
    }
  }
  console.log('(inference halts early when Q > 0, so inference s/s is an upper bound on work per sample)');
  console.log(`load average after (1 / 5 / 15 min): ${load()}`);
  // The contract checks read: the last line of `--json` output (samples per second of wall time).
  if (args.includes('--json')) jsonOut = { blas, rows };
}

let jsonOut: unknown = null;
const round = (v: number, digits = 1) => Number(v.toFixed(digits));

async function quality(): Promise<void> {
  if (!existsSync(MARKET)) {
    console.log(`(quality comparison skipped: ${MARKET} not found)`);
    return;
  }
  const b = await datasetsFromSource(new CsvFolderSource(MARKET, 'csv'), { asOf: '2026-12-31', tasks: ['strategy'] });
  const ds = b.datasets.strategy!;
  // The final, report-only window of the product's own protocol: standardised on its training
  // rows, trained on the balanced weighted sample, tested on the newest year.
  const p = windowProblem(ds, datasetConfig({}));
  const { X, y, w, pnl } = p.train;
  const K = p.K;
  const Xt = p.test.X;
  const yt = p.test.y;
  const rt = Int8Array.from(p.test.rows, (i) => ds.regime[i]);
  console.log(`\n## real strategy task: train ${y.length} rows, test ${yt.length} rows (${ds.dates[p.fold.test!.from]}..${ds.dates[p.fold.test!.to]}), macro-F1 / accuracy`);
  console.log(['model'.padEnd(14), 'seconds', 'accuracy', 'macro_f1', ...REGIMES.map((r) => r.slice(0, 9).padStart(9))].join('  '));
  const models: [string, ReturnType<typeof createModel>][] = [
    ['trm', new Trm(TRM_WEEKLY_PROFILE)],
    ['mlp', createModel('mlp', {})],
    ['random_forest', createModel('random_forest', {})],
    ['xgboost', createModel('xgboost', { earlyStoppingRounds: 0, nRounds: 150 })],
  ];
  for (const [name, m] of models) {
    const t = performance.now();
    await m.fit(X, y, w, { nClasses: K, seed: 1, pnl });
    const s = (performance.now() - t) / 1000;
    const r = evaluatePerRegime(m.predictProba(Xt), yt, rt, K);
    const f = (v: number | undefined | null) => (v === undefined || v === null ? 'no samples' : v.toFixed(3)).padStart(9);
    console.log([name.padEnd(14), s.toFixed(1).padStart(7), f(r.all?.accuracy), f(r.all?.macro_f1), ...REGIMES.map((g) => f(r[g]?.macro_f1))].join('  '));
  }
}

/**
 * The TRM part of a real-corpus weekly run: the TRM fitted alone, with a weekly profile, on
 * the final window of the signal and strategy tasks (the window every weekly run trains its
 * champion on), timed, with accuracy and macro-F1 on the window's test year. --profiles picks
 * which: "weekly", "previous" (the weekly profile before 2026-11-24) and "paperward" (trmProfiles.ts).
 */
async function weeklyWall(): Promise<void> {
  if (!existsSync(MARKET)) {
    console.log(`(weekly TRM wall time skipped: ${MARKET} not found)`);
    return;
  }
  const list = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback).split(',');
  const which = list('--profiles', 'weekly,previous,paperward');
  const tasks = list('--tasks', 'signal,strategy') as ('signal' | 'strategy')[];
  const seeds = list('--seeds', '1').map(Number);
  const profiles: [string, Partial<TrmConfig>][] = [
    ['weekly', TRM_WEEKLY_PROFILE],
    ['previous', TRM_PREVIOUS_WEEKLY_PROFILE],
    ['paperward', PAPERWARD_PROFILE],
    ...extraProfiles(),
  ];
  const b = await datasetsFromSource(new CsvFolderSource(MARKET, 'csv'), { asOf: '2026-12-31', tasks });
  console.log(`\n## TRM fit alone on the real final windows (the weekly run's TRM work per task), load average ${load()}`);
  console.log('| task | profile | train rows | seconds wall (CPU) | accuracy | macro-F1 | mean halting step |');
  console.log('|---|---|---|---|---|---|---|');
  for (const task of tasks) {
    const ds = b.datasets[task]!;
    const p = windowProblem(ds, datasetConfig({}));
    for (const [name, profile] of profiles.filter(([n]) => which.includes(n))) {
      const all: number[][] = [];
      for (const seed of seeds) {
        const m = new Trm(profile);
        const t = performance.now();
        const c = process.cpuUsage();
        await m.fit(p.train.X, p.train.y, p.train.w, { nClasses: p.K, seed, pnl: p.train.pnl });
        const s = (performance.now() - t) / 1000;
        const cu = process.cpuUsage(c);
        const cpu = (cu.user + cu.system) / 1e6;
        const pred = m.predictDetailed(p.test.X);
        const r = evaluatePerRegime(pred.proba, p.test.y, Int8Array.from(p.test.rows, (i) => ds.regime[i]), p.K);
        const halt = pred.haltingStep.reduce((a, v) => a + v, 0) / pred.haltingStep.length;
        all.push([s, cpu, r.all!.accuracy, r.all!.macro_f1, halt]);
        console.log(`| ${task} | ${name} ${JSON.stringify(profile)} seed ${seed} (${m.backend}) | ${p.train.y.length} | ${s.toFixed(1)} (${cpu.toFixed(1)}) | ${r.all!.accuracy.toFixed(3)} | ${r.all!.macro_f1.toFixed(3)} | ${halt.toFixed(1)} |`);
      }
      if (seeds.length > 1) {
        const mean = (j: number) => all.reduce((a, v) => a + v[j], 0) / all.length;
        console.log(`| ${task} | **${name} mean of ${seeds.length} seeds** | ${p.train.y.length} | ${mean(0).toFixed(1)} (${mean(1).toFixed(1)}) | ${mean(2).toFixed(3)} | ${mean(3).toFixed(3)} | ${mean(4).toFixed(1)} |`);
      }
    }
  }
}

/** `--profile name={"hidden":64,...}` (repeatable): more profiles to time beside the two named ones (also add the name to --profiles). */
function extraProfiles(): [string, Partial<TrmConfig>][] {
  const out: [string, Partial<TrmConfig>][] = [];
  args.forEach((a, i) => {
    if (a !== '--profile') return;
    const v = args[i + 1] ?? '';
    const eq = v.indexOf('=');
    if (eq < 1) throw new Error(`--profile expects name={json}, got "${v}"`);
    out.push([v.slice(0, eq), JSON.parse(v.slice(eq + 1)) as Partial<TrmConfig>]);
  });
  return out;
}

async function main(): Promise<void> {
  if (!args.includes('--skip-throughput')) await throughput();
  if (!args.includes('--skip-wall')) await weeklyWall();
  if (!args.includes('--skip-quality')) await quality();
  if (jsonOut) console.log(JSON.stringify(jsonOut));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
