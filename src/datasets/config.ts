import { z } from 'zod';
import { DEFAULT_REGIME_THRESHOLDS } from '../regimes/regimeLabeler';
import { DEFAULT_REGIME_WEIGHTS, DEFAULT_TARGET_MIX, REGIMES } from '../regimes/regimes';
import { DEFAULT_STRATEGIES } from '../labels/strategies';
import { DEFAULT_SIGNAL_SYMBOLS } from '../data/bars';
import { SymbolSelectionSchema } from '../data/symbols';
import { DEFAULT_MAX_STALE_DAYS } from '../features/panel';

const regimeRecord = z.object(Object.fromEntries(REGIMES.map((r) => [r, z.number().nonnegative()])) as Record<(typeof REGIMES)[number], z.ZodNumber>);

/** Dataset configuration; every field has a default, overrides arrive in workflow input. */
export const DatasetConfigSchema = z.object({
  seed: z.number().int().default(42),
  /** A series is forward-filled over at most this many trading days; after that it is missing. */
  maxStaleDays: z.number().int().min(0).max(63).default(DEFAULT_MAX_STALE_DAYS),
  regimeThresholds: z
    .object({
      lowVolVix: z.number().positive(),
      highVolVix: z.number().positive(),
      crashVix: z.number().positive(),
      panicVix: z.number().positive(),
      crashDrawdown: z.number().max(0),
      crashReturn20d: z.number().max(0),
      recoveryDrawdown: z.number().max(0),
      recoveryRebound: z.number().nonnegative(),
      drawdownWindow: z.number().int().positive(),
      reboundWindow: z.number().int().positive(),
    })
    .partial()
    .default({}),
  strategy: z
    .object({
      /** The allocations available; `prune` decides which become classes. */
      strategies: z
        .array(z.object({ name: z.string().min(1), spy: z.number(), tlt: z.number(), cash: z.number() }))
        .default(DEFAULT_STRATEGIES),
      /** `dominated`: drop allocations inside the others' convex hull (labels cannot reach them). */
      prune: z.enum(['dominated', 'none']).default('dominated'),
      /** Sessions a decision is held and its label scores (1: re-decided every day; measured in the README). */
      horizon: z.number().int().min(1).max(60).default(1),
      objective: z.enum(['return', 'risk_adjusted']).default('risk_adjusted'),
      lambda: z.number().nonnegative().default(1),
      /** Annual cash yield used when no cash-rate series (DTB3) was ingested. */
      cashRate: z.number().default(0.02),
      executionLag: z.number().int().min(0).max(5).default(1),
    })
    .default({}),
  signal: z
    .object({
      /** The stocks the signal task learns on: a list of symbols, or "all" (every series the source holds). */
      symbols: SymbolSelectionSchema.default(DEFAULT_SIGNAL_SYMBOLS),
      /** Sessions a signal is held and its label scores (1: re-decided every day; the power audit measured h = 5 weaker, README). */
      horizon: z.number().int().min(1).max(60).default(1),
      executionLag: z.number().int().min(0).max(5).default(1),
      thresholds: z
        .object({ mode: z.enum(['volatility', 'fixed']).default('volatility'), k: z.number().positive().default(0.5), volWindow: z.number().int().min(5).default(60) })
        .default({}),
      buyThreshold: z.number().default(0.01),
      sellThreshold: z.number().default(-0.01),
      /** Balanced training sample size per fit (fewer when the training window has fewer rows). */
      sampleSize: z.number().int().positive().default(16_000),
      /** A universe with more signal symbols than this builds its features in parallel activities of this many symbols each. */
      shardSymbols: z.number().int().positive().default(100),
    })
    .default({}),
  /** Purged walk-forward evaluation (src/evaluation/protocol/folds.ts). */
  split: z
    .object({
      /** Extra gap after the purge (which is the label's lag + horizon) against serial correlation. */
      embargo: z.number().int().nonnegative().default(5),
      /** Training days before the first test fold. */
      minTrainDays: z.number().int().min(20).default(756),
      /** Test-fold length; folds are anchored at the first usable day so they stay put week to week. */
      foldDays: z.number().int().min(20).default(504),
      /** The final window after the last fold (at least this long) is reported, never used to choose. */
      holdoutDays: z.number().int().min(20).default(252),
      /** Early stopping uses the last this-many days of a training window (purged), never a test fold. */
      innerValDays: z.number().int().min(20).default(126),
      /** At most this many of those validation rows (a uniform, seeded draw): a large universe has tens of thousands. */
      maxValidationRows: z.number().int().min(100).default(16_000),
      /** Use only the newest this-many training days (a drift re-run adapts to the recent market); null = all history. */
      trainWindowDays: z.number().int().min(20).nullable().default(null),
    })
    .default({}),
  sampler: z
    .object({
      /** `balanced`: draw toward `targetMix`; `natural`: a uniform draw with the window's own regime mix (the study's "no balanced sample"). */
      mode: z.enum(['balanced', 'natural']).default('balanced'),
      targetMix: regimeRecord.default(DEFAULT_TARGET_MIX),
      maxOversample: z.number().min(1).default(5),
    })
    .default({}),
  regimeWeights: regimeRecord.default(DEFAULT_REGIME_WEIGHTS),
  /** Multiply regime weights by each row's average label uniqueness (overlapping horizons). */
  uniquenessWeights: z.boolean().default(true),
  includeCrisisArchive: z.boolean().default(true),
  /** Audits only: rotate every target against the features by a seeded circular offset of at least `minShiftDays` (src/datasets/placebo.ts): a run the gate must refuse at its stated rate. */
  placebo: z.object({ seed: z.number().int(), minShiftDays: z.number().int().min(1).default(252) }).nullable().default(null),
});

export type DatasetConfig = z.infer<typeof DatasetConfigSchema>;

export function datasetConfig(overrides: unknown = {}): DatasetConfig {
  return DatasetConfigSchema.parse(overrides ?? {});
}

export { DEFAULT_REGIME_THRESHOLDS };
