import type { TrmConfig } from './trm';

/**
 * The TRM profile of the weekly run: the paper's recursion (n 6, T 3, deep supervision, halting,
 * EMA) at hidden 64 with nSup 4. The model's own defaults are the paper's (hidden 512, nSup 16).
 *
 * Why this small: the selection protocol fits every candidate on every walk-forward window
 * (about 10 strategy and 12 signal fits from cold), and the weekly run must finish in 15
 * minutes on 2 cores. Measured by `npm run bench:trm -- --skip-throughput --skip-quality`
 * on the real final windows (CPU seconds, accuracy, macro-F1 on the newest year, seed 1,
 * idle machine, 2026-11-24):
 *   signal (16,000 rows)  previous 128/nSup 8/6 ep  75.6 s 0.390 0.355 | this 11.5 s 0.402 0.371
 *   strategy (5,291 rows) previous                  25.0 s 0.372 0.168 | this  3.7 s 0.377 0.174
 *   (hidden 64/nSup 8: 22.4 s 0.358 signal; hidden 128/nSup 4: 37.4 s 0.333; 3 epochs: 38.3 s 0.319)
 * The smaller profile is no worse on either task and 6.5x cheaper; the halting head does not stop before
 * nSup on these tasks, so nSup sets the steps. The paper-ward profile (hidden 256, nSup 16,
 * 2 epochs in the former time) lost 0.107 macro-F1 on signal. Explicit `modelParams.trm` wins.
 */
export const TRM_WEEKLY_PROFILE: Partial<TrmConfig> = { hidden: 64, nSup: 4, epochs: 6, batchSize: 256 };

/** The weekly profile until 2026-11-24 (hidden 128, nSup 8): kept to measure against. */
export const TRM_PREVIOUS_WEEKLY_PROFILE: Partial<TrmConfig> = { hidden: 128, nSup: 8, epochs: 6, batchSize: 256 };

/** Hidden 256 and the paper's nSup 16 in the previous weekly profile's tfjs time; measured above. */
export const PAPERWARD_PROFILE: Partial<TrmConfig> = { hidden: 256, nSup: 16, epochs: 2, batchSize: 256 };

/** The `npm start` demo: the whole recursion, tiny (it was two thirds of the demo's training time at hidden 64, nSup 4). */
export const TRM_DEMO_PROFILE: Partial<TrmConfig> = { hidden: 32, n: 2, T: 2, nSup: 2, epochs: 2, batchSize: 512 };
