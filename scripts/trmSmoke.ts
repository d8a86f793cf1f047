/**
 * Trains a small TRM on a synthetic nonlinear problem and prints, as one JSON line, the engine
 * it ran on and its test accuracy; exits 1 below 0.75. `.ci/run` runs it in an install made
 * without the native build (the WebAssembly fallback) and in the normal one.
 * Usage: npx tsx scripts/trmSmoke.ts
 */
import { nativeStatus, selectedEngine } from '../src/models/trm/engine/kernels';
import { Trm } from '../src/models/trm/trm';
import { Rng } from '../src/util/rng';

function problem(n: number, seed: number) {
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
  return { X: { data, rows: n, cols }, y };
}

const train = problem(1200, 21);
const test = problem(500, 22);
const m = new Trm({ hidden: 32, n: 3, T: 2, nSup: 4, epochs: 10, batchSize: 128, learningRate: 3e-3, warmupSteps: 10, patience: 0 });
await m.fit(train.X, train.y, undefined, { nClasses: 3, seed: 3 });
const pred = m.predict(test.X);
const accuracy = pred.reduce((a, p, i) => a + (p === test.y[i] ? 1 : 0), 0) / pred.length;
const status = nativeStatus();
console.log(JSON.stringify({ backend: m.backend, engine: selectedEngine(), accuracy, native: status.available, nativeReason: status.reason }));
process.exit(accuracy >= 0.75 ? 0 : 1);
