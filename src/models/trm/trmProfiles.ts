import type { TfBackendName } from '../tf/backend';
import type { TrmConfig } from './trm';

/**
 * Pipeline defaults for the TRM by tfjs backend. The model's own defaults are the paper's
 * (hidden 512, n 6, T 3, nSup 16). With native TensorFlow (tfjs-node) the weekly run uses
 * them. On WebAssembly, training measured ~0.07x of PyTorch CPU (see `npm run bench:trm`), so
 * the weekly run uses a smaller profile that finishes in well under an hour on 2 cores.
 * Explicit `modelParams.trm` in the run config always wins.
 */
export const TRM_PROFILES: Record<TfBackendName, Partial<TrmConfig>> = {
  tensorflow: {},
  wasm: { hidden: 128, nSup: 8, epochs: 6, batchSize: 256 },
  cpu: { hidden: 64, n: 4, nSup: 4, epochs: 4, batchSize: 256 },
};

/** The `npm start` demo: the whole recursion, tiny (it was two thirds of the demo's training time at hidden 64, nSup 4). */
export const TRM_DEMO_PROFILE: Partial<TrmConfig> = { hidden: 32, n: 2, T: 2, nSup: 2, epochs: 2, batchSize: 512 };
