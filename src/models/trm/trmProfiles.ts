import type { TrmConfig } from './trm';

/**
 * The TRM profile of the weekly run. The model's own defaults are the paper's (hidden 512,
 * n 6, T 3, nSup 16). Before the WebAssembly SIMD engine (engine/) the weekly run used hidden
 * 128, nSup 8, 6 epochs on tfjs-WebAssembly. The engine fits that profile in 2.25x less CPU
 * time, and the profile moves to hidden 256 and the paper's nSup 16 in the same time: 2 epochs
 * (the halting head rarely stops before nSup, so nSup 16 doubles the steps; hidden 256
 * costs ~3.5x per step). Measured by `npm run bench:trm` on the real final windows, CPU
 * seconds on the loaded 2-core machine: strategy (5,291 rows) 91.8 s, accuracy 0.369,
 * macro-F1 0.157, vs the previous profile 40.6 s on the engine / ~91 s on tfjs, accuracy
 * 0.372, macro-F1 0.168 (one seed: within noise on this hard task); signal in the README.
 * Explicit `modelParams.trm` in the run config always wins.
 */
export const TRM_WEEKLY_PROFILE: Partial<TrmConfig> = { hidden: 256, nSup: 16, epochs: 2, batchSize: 256 };

/** The weekly profile before the engine (tfjs WebAssembly backend), kept for bench:trm's before/after. */
export const PREVIOUS_WASM_PROFILE: Partial<TrmConfig> = { hidden: 128, nSup: 8, epochs: 6, batchSize: 256 };

/** The `npm start` demo: small enough to finish in a couple of minutes on any backend. */
export const TRM_DEMO_PROFILE: Partial<TrmConfig> = { hidden: 64, n: 4, T: 2, nSup: 4, epochs: 3, batchSize: 512 };
