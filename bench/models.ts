/**
 * npm run bench:models — fit time and test accuracy of the eight ensemble members on a
 * 16k x 40 synthetic problem and on the real-data signal dataset, side by side with sklearn /
 * xgboost where Debian's python3-sklearn / python3-xgboost are installed (ratios ours/theirs).
 * Prints a table; not a test. Options: --only kind,kind  --skip-real  --skip-python
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CsvFolderSource } from '../src/data/sources/csvFolder';
import { gatherRows, splitRows, SPLIT_TEST } from '../src/datasets/dataset';
import { datasetsFromSource } from '../src/datasets/datasetFromSource';
import { applyStandardizer } from '../src/features/standardize';
import type { Matrix } from '../src/models/classifier';
import { createModel, ENSEMBLE_KINDS } from '../src/models/registry';
import { initTfBackend } from '../src/models/tf/backend';
import { Rng } from '../src/util/rng';

interface Problem {
  name: string;
  train: { X: Matrix; y: Int32Array; w: Float64Array };
  test: { X: Matrix; y: Int32Array };
  K: number;
}

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : ENSEMBLE_KINDS; // the TRM has its own benchmark (bench:trm)
const PY = '/usr/bin/python3';
const MARKET = resolve(process.env.MARKET_DATA_DIR ?? '../shared/data/market');

/** Same settings as the Python side so the ratios compare like with like (fixed rounds, no early stopping). */
const PARAMS: Record<string, Record<string, unknown>> = {
  random_forest: { nTrees: 100, maxDepth: 12, minSamplesLeaf: 3 },
  extra_trees: { nTrees: 100, maxDepth: 12, minSamplesLeaf: 3 },
  xgboost: { nRounds: 100, earlyStoppingRounds: 0 },
  lightgbm: { nRounds: 100, earlyStoppingRounds: 0 },
  gradient_boosting: { nRounds: 100 },
  mlp: { epochs: 30, patience: 0 },
  logistic: {},
  svm: {},
};

/** 3 classes from interactions, thresholds and a sine on 10 of 40 features, plus label noise. */
function synthetic(n: number, seed: number): { X: Matrix; y: Int32Array } {
  const rng = new Rng(seed);
  const cols = 40;
  const data = new Float64Array(n * cols);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = data.subarray(i * cols, (i + 1) * cols);
    for (let j = 0; j < cols; j++) r[j] = rng.normal();
    for (let j = 20; j < 30; j++) r[j] = 0.6 * r[j - 20] + 0.8 * r[j]; // correlated copies
    const s = r[0] * r[1] + Math.sin(2 * r[2]) + (r[3] > 0.5 ? 1 : -0.5) * r[4] + 0.5 * r[5] - 0.3 * r[6] * r[6] + 0.4 * r[7] * (r[8] > 0 ? 1 : -1) + 0.2 * r[9];
    y[i] = rng.next() < 0.05 ? rng.int(3) : s < -0.6 ? 0 : s < 0.6 ? 1 : 2;
  }
  return { X: { data, rows: n, cols }, y };
}

async function realSignal(): Promise<Problem | null> {
  if (!existsSync(MARKET)) {
    console.log(`(real-data signal set skipped: ${MARKET} not found)`);
    return null;
  }
  const build = await datasetsFromSource(new CsvFolderSource(MARKET, 'csv'), { asOf: '2020-12-11', tasks: ['signal'] });
  const ds = build.datasets.signal!;
  const Xs = applyStandardizer(ds.standardizer, ds.X, ds.cols);
  const tr = ds.trainSample;
  const te = splitRows(ds, SPLIT_TEST);
  return {
    name: `real signal (${tr.length} x ${ds.cols}, test ${te.length})`,
    K: ds.classNames.length,
    train: { X: { data: gatherRows(Xs, ds.cols, tr), rows: tr.length, cols: ds.cols }, y: Int32Array.from(tr, (i) => ds.y[i]), w: Float64Array.from(tr, (i) => ds.weight[i]) },
    test: { X: { data: gatherRows(Xs, ds.cols, te), rows: te.length, cols: ds.cols }, y: Int32Array.from(te, (i) => ds.y[i]) },
  };
}

function python(p: Problem): Map<string, { fit_s: number; accuracy: number; impl: string }> {
  const out = new Map<string, { fit_s: number; accuracy: number; impl: string }>();
  if (args.includes('--skip-python') || !existsSync(PY)) return out;
  const dir = mkdtempSync(join(tmpdir(), 'bench-models-'));
  const f = (name: string, a: Float64Array | Int32Array) => {
    const path = join(dir, name);
    writeFileSync(path, Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    return path;
  };
  const spec = { cols: p.train.X.cols, Xtr: f('Xtr', p.train.X.data), ytr: f('ytr', p.train.y), wtr: f('wtr', p.train.w), Xte: f('Xte', p.test.X.data), yte: f('yte', p.test.y), only, threads: 1 };
  writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
  // One thread on both sides: sklearn's HistGradientBoosting otherwise uses every core via OpenMP.
  const r = spawnSync(PY, [resolve('bench/sklearn_models.py'), join(dir, 'spec.json')], { encoding: 'utf8', maxBuffer: 1 << 24, env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } });
  if (r.status !== 0) {
    console.log(`(python reference unavailable: ${(r.stderr || '').trim().split('\n').pop()})`);
    return out;
  }
  for (const line of r.stdout.trim().split('\n')) {
    const j = JSON.parse(line);
    out.set(j.model, j);
  }
  return out;
}

async function run(p: Problem): Promise<void> {
  console.log(`\n## ${p.name}`);
  const ref = python(p);
  const rows: string[][] = [['model', 'fit s', 'accuracy', 'reference', 'ref fit s', 'ref acc', 'time ratio', 'acc diff (pts)']];
  let total = 0;
  for (const kind of only) {
    const m = createModel(kind, PARAMS[kind] ?? {});
    const t = performance.now();
    await m.fit(p.train.X, p.train.y, p.train.w, { nClasses: p.K, seed: 1 });
    const s = (performance.now() - t) / 1000;
    total += s;
    const pred = m.predict(p.test.X);
    const acc = pred.reduce((a, v, i) => a + (v === p.test.y[i] ? 1 : 0), 0) / pred.length;
    const r = ref.get(kind);
    rows.push([kind, s.toFixed(2), acc.toFixed(4), r?.impl ?? '-', r ? r.fit_s.toFixed(2) : '-', r ? r.accuracy.toFixed(4) : '-', r ? (s / r.fit_s).toFixed(2) + 'x' : '-', r ? ((acc - r.accuracy) * 100).toFixed(1) : '-']);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((v, c) => v.padEnd(widths[c])).join('  '));
  console.log(`total fit time, all models: ${total.toFixed(1)} s`);
}

async function main(): Promise<void> {
  const backend = await initTfBackend();
  console.log(`tfjs backend: ${backend}; single-threaded JS vs python references with n_jobs=1`);
  const tr = synthetic(16_000, 1);
  const te = synthetic(4_000, 2);
  const ones = new Float64Array(tr.X.rows).fill(1);
  // Regime-like weights so sample weights are exercised on both sides.
  const w = Float64Array.from(ones, (_, i) => [0.8, 1, 1.3, 2, 1.5][i % 5]);
  await run({ name: 'synthetic 16000 x 40, 3 classes', train: { ...tr, w }, test: te, K: 3 });
  if (!args.includes('--skip-real')) {
    const real = await realSignal();
    if (real) await run(real);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
