import type { Classifier, Matrix } from '../../src/models/classifier';
import { Rng } from '../../src/util/rng';

/**
 * Three classes by a nonlinear rule (a disc and two half-planes) on 2 of 5 features; with
 * `labelNoise`, that share of rows gets a random label, so the classes overlap.
 */
export function nonlinearProblem(n: number, seed: number, labelNoise = 0): { X: Matrix; y: Int32Array } {
  const rng = new Rng(seed);
  const cols = 5;
  const data = new Float64Array(n * cols);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < cols; j++) data[i * cols + j] = rng.normal();
    const a = data[i * cols];
    const b = data[i * cols + 1];
    y[i] = a * a + b * b < 0.8 ? 0 : a > 0 ? 1 : 2;
  }
  if (labelNoise > 0) {
    const noise = new Rng(seed + 7919);
    for (let i = 0; i < n; i++) if (noise.next() < labelNoise) y[i] = noise.int(3);
  }
  return { X: { data, rows: n, cols }, y };
}

export function pickRows(X: Matrix, rows: number[]): Matrix {
  const data = new Float64Array(rows.length * X.cols);
  rows.forEach((i, r) => data.set(X.data.subarray(i * X.cols, (i + 1) * X.cols), r * X.cols));
  return { data, rows: rows.length, cols: X.cols };
}

export const accuracyOf = (m: Classifier, X: Matrix, y: Int32Array) => m.predict(X).reduce((s, p, i) => s + (p === y[i] ? 1 : 0), 0) / y.length;

export function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

export function meanAbsDiff(a: Float64Array, b: Float64Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += Math.abs(a[i] - b[i]);
  return d / a.length;
}

/** Share of rows whose most probable class is the same under both probability matrices. */
export function agreement(a: Float64Array, b: Float64Array, K: number): number {
  let same = 0;
  const rows = a.length / K;
  for (let i = 0; i < rows; i++) {
    let ba = 0;
    let bb = 0;
    for (let k = 1; k < K; k++) {
      if (a[i * K + k] > a[i * K + ba]) ba = k;
      if (b[i * K + k] > b[i * K + bb]) bb = k;
    }
    if (ba === bb) same++;
  }
  return same / rows;
}
