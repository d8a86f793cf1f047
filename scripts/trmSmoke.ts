/**
 * Trains a small TRM on a synthetic nonlinear problem and prints, as one JSON line, the engine
 * it ran on and its test accuracy; exits 1 below 0.75. `.ci/run` runs it in an install made
 * without the native build (the WebAssembly fallback) and in the normal one.
 * Usage: npx tsx scripts/trmSmoke.ts
 */
import { nativeStatus, selectedEngine } from '../src/models/trm/engine/kernels';
import { Trm } from '../src/models/trm/trm';
import { nonlinearProblem as problem } from '../tests/helpers/problems';

const train = problem(1200, 21);
const test = problem(500, 22);
const m = new Trm({ hidden: 32, n: 3, T: 2, nSup: 4, epochs: 10, batchSize: 128, learningRate: 3e-3, warmupSteps: 10, patience: 0 });
await m.fit(train.X, train.y, undefined, { nClasses: 3, seed: 3 });
const pred = m.predict(test.X);
const accuracy = pred.reduce((a, p, i) => a + (p === test.y[i] ? 1 : 0), 0) / pred.length;
const status = nativeStatus();
console.log(JSON.stringify({ backend: m.backend, engine: selectedEngine(), accuracy, native: status.available, nativeReason: status.reason }));
process.exit(accuracy >= 0.75 ? 0 : 1);
