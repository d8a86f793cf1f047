import type { TrmConfig } from './trm';

/**
 * The TRM profile of the weekly run. The model's own defaults are the paper's (hidden 512,
 * n 6, T 3, nSup 16). The WebAssembly SIMD engine (engine/) fits the weekly profile in 2.25x
 * less CPU time than tfjs-WebAssembly did. Moving towards the paper in the same time means
 * hidden 256, nSup 16 and only 2 epochs (the halting head rarely stops before nSup, so nSup
 * 16 doubles the steps; hidden 256 costs ~3.5x per step): PAPERWARD_PROFILE. Measured by
 * `npm run bench:trm` on the real final windows (CPU seconds, accuracy, macro-F1):
 *   signal   (16,000 rows): this profile 128 s, 0.390, 0.355; paperward 265 s, 0.394, 0.248
 *   strategy  (5,291 rows): this profile  41 s, 0.372, 0.168; paperward  92 s, 0.369, 0.157
 * (tfjs took ~288 s on signal with this profile.) At equal time the paperward profile loses
 * 0.107 macro-F1 on signal (2 epochs are too few for it), so the weekly run keeps hidden 128,
 * nSup 8, 6 epochs and takes the speed as a shorter run. Explicit `modelParams.trm` wins.
 */
export const TRM_WEEKLY_PROFILE: Partial<TrmConfig> = { hidden: 128, nSup: 8, epochs: 6, batchSize: 256 };

/** Hidden 256 and the paper's nSup 16 in the weekly profile's former (tfjs) time; measured above. */
export const PAPERWARD_PROFILE: Partial<TrmConfig> = { hidden: 256, nSup: 16, epochs: 2, batchSize: 256 };

/** The `npm start` demo: the whole recursion, tiny (it was two thirds of the demo's training time at hidden 64, nSup 4). */
export const TRM_DEMO_PROFILE: Partial<TrmConfig> = { hidden: 32, n: 2, T: 2, nSup: 2, epochs: 2, batchSize: 512 };
