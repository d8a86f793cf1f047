/**
 * npm run bench:trm — TRM throughput (samples/s, training and inference, every sample running
 * all nSup supervision steps) at hidden 128/256/512 on the chosen tfjs backend, side by side
 * with the same model in PyTorch CPU where Debian's python3-torch is installed; then accuracy
 * and macro-F1 of the TRM vs the MLP and two ensemble members on the real strategy task,
 * overall and per regime. Prints tables; not a test. Options: --skip-quality --threads N
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CsvFolderSource } from '../src/data/sources/csvFolder';
import { datasetConfig } from '../src/datasets/config';
import { datasetsFromSource } from '../src/datasets/datasetFromSource';
import { evaluatePerRegime } from '../src/evaluation/perRegime';
import { windowProblem } from '../src/evaluation/protocol/windowProblem';
import { createModel } from '../src/models/modelKinds';
import { initTfBackend } from '../src/models/tf/backend';
import { Trm } from '../src/models/trm/trm';
import { REGIMES } from '../src/regimes/regimes';
import { Rng } from '../src/util/rng';

const args = process.argv.slice(2);
const threads = args.includes('--threads') ? Number(args[args.indexOf('--threads') + 1]) : 1;
const MARKET = resolve(process.env.MARKET_DATA_DIR ?? '../shared/data/market');
const SHAPE = { inputDim: 10, classes: 8, rows: 512, nSup: 16, n: 6, T: 3, batch: 256 };

async function throughput(backend: string): Promise<void> {
  const rng = new Rng(1);
  const X = { data: Float64Array.from({ length: SHAPE.rows * SHAPE.inputDim }, () => rng.normal()), rows: SHAPE.rows, cols: SHAPE.inputDim };
  const y = Int32Array.from({ length: SHAPE.rows }, () => rng.int(SHAPE.classes));
  const hidden = [128, 256, 512];
  let torch: Record<string, { train: number; infer: number }> = {};
  if (existsSync('/usr/bin/python3')) {
    const r = spawnSync('/usr/bin/python3', [resolve('bench/trm_torch.py'), JSON.stringify({ ...SHAPE, hidden }), String(threads)], { encoding: 'utf8' });
    if (r.status === 0) torch = JSON.parse(r.stdout.trim().split('\n').pop()!);
    else console.log(`(PyTorch reference unavailable: ${(r.stderr || '').trim().split('\n').pop()})`);
  }
  console.log(`\n## TRM throughput: ${SHAPE.rows} samples, n=${SHAPE.n}, T=${SHAPE.T}, nSup=${SHAPE.nSup} (no early halting), batch ${SHAPE.batch}; tfjs ${backend} vs PyTorch CPU ${threads} thread(s)`);
  console.log('hidden  train s/s  torch train s/s  ratio   infer s/s  torch infer s/s  ratio');
  for (const H of hidden) {
    // haltExploration 1 with a huge minimum keeps every sample for all nSup steps.
    const m = new Trm({ hidden: H, n: SHAPE.n, T: SHAPE.T, nSup: SHAPE.nSup, epochs: 1, batchSize: SHAPE.batch, patience: 0, haltExploration: 0 });
    let t = performance.now();
    await m.fit(X, y, undefined, { nClasses: SHAPE.classes, seed: 1 });
    const train = SHAPE.rows / ((performance.now() - t) / 1000);
    t = performance.now();
    m.predictDetailed(X, { nSup: SHAPE.nSup });
    const infer = SHAPE.rows / ((performance.now() - t) / 1000);
    const ref = torch[String(H)];
    const f = (v: number) => v.toFixed(0).padStart(9);
    console.log(`${String(H).padEnd(6)} ${f(train)}  ${ref ? f(ref.train).padStart(15) : '-'.padStart(15)}  ${ref ? (train / ref.train).toFixed(2).padStart(5) : '    -'}  ${f(infer)}  ${ref ? f(ref.infer).padStart(15) : '-'.padStart(15)}  ${ref ? (infer / ref.infer).toFixed(2).padStart(5) : '    -'}`);
  }
  console.log('(inference halts early when Q > 0, so inference s/s is an upper bound on work per sample)');
}

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
    ['trm', new Trm({ hidden: 128, n: 6, T: 3, nSup: 8, epochs: 8, batchSize: 256 })],
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

async function main(): Promise<void> {
  const backend = await initTfBackend();
  await throughput(backend);
  if (!args.includes('--skip-quality')) await quality();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
