import type { TrmConfig } from './trm';

/**
 * The TRM profile of the weekly run. The model's own defaults are the paper's (hidden 512,
 * n 6, T 3, nSup 16); the weekly run used hidden 128, nSup 8 on tfjs-WebAssembly, which
 * trained at 0.13-0.17x PyTorch CPU. The WebAssembly SIMD engine (engine/) made the same fit
 * several times faster, and the profile moves to hidden 256 and the paper's nSup 16 within
 * the same wall time. Measured by `npm run bench:trm` (see README, TRM section, for the
 * table: time, accuracy and macro-F1 on the real signal and strategy final windows).
 * Explicit `modelParams.trm` in the run config always wins.
 */
export const TRM_WEEKLY_PROFILE: Partial<TrmConfig> = { hidden: 256, nSup: 16, epochs: 6, batchSize: 256 };

/** The weekly profile before the engine (tfjs WebAssembly backend), kept for bench:trm's before/after. */
export const PREVIOUS_WASM_PROFILE: Partial<TrmConfig> = { hidden: 128, nSup: 8, epochs: 6, batchSize: 256 };

/** The `npm start` demo: small enough to finish in a couple of minutes on any backend. */
export const TRM_DEMO_PROFILE: Partial<TrmConfig> = { hidden: 64, n: 4, T: 2, nSup: 4, epochs: 3, batchSize: 512 };
