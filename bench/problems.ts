/** The two benchmark datasets shared by bench:models and bench:binning. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CsvFolderSource } from '../src/data/sources/csvFolder';
import { datasetConfig } from '../src/datasets/config';
import { datasetsFromSource } from '../src/datasets/datasetFromSource';
import { windowProblem } from '../src/evaluation/protocol';
import type { Matrix } from '../src/models/classifier';
import { Rng } from '../src/util/rng';

export interface Problem {
  name: string;
  train: { X: Matrix; y: Int32Array; w: Float64Array };
  test: { X: Matrix; y: Int32Array };
  K: number;
}

const MARKET = resolve(process.env.MARKET_DATA_DIR ?? '../shared/data/market');

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

/** 16,000 x 40 training rows, 4,000 test rows, with regime-like weights cycling over rows. */
export function syntheticProblem(): Problem {
  const tr = synthetic(16_000, 1);
  const te = synthetic(4_000, 2);
  // Regime-like weights so sample weights are exercised on both sides.
  const w = Float64Array.from({ length: tr.X.rows }, (_, i) => [0.8, 1, 1.3, 2, 1.5][i % 5]);
  return { name: 'synthetic 16000 x 40, 3 classes', train: { ...tr, w }, test: te, K: 3 };
}

/** The product's signal dataset from the real-market CSVs (null when they are not there). */
export async function realSignalProblem(): Promise<Problem | null> {
  if (!existsSync(MARKET)) {
    console.log(`(real-data signal set skipped: ${MARKET} not found)`);
    return null;
  }
  const build = await datasetsFromSource(new CsvFolderSource(MARKET, 'csv'), { asOf: '2020-12-11', tasks: ['signal'] });
  const ds = build.datasets.signal!;
  const p = windowProblem(ds, datasetConfig({}));
  return {
    name: `real signal (${p.train.X.rows} x ${ds.cols}, test ${p.test.X.rows})`,
    K: p.K,
    train: { X: p.train.X, y: p.train.y, w: p.train.w },
    test: { X: p.test.X, y: p.test.y },
  };
}
