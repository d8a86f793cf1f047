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
      strategies: z
        .array(z.object({ name: z.string().min(1), spy: z.number(), tlt: z.number(), cash: z.number() }))
        .default(DEFAULT_STRATEGIES),
      horizon: z.number().int().min(1).max(60).default(5),
      objective: z.enum(['return', 'risk_adjusted']).default('risk_adjusted'),
      lambda: z.number().nonnegative().default(1),
      cashRate: z.number().default(0.02),
    })
    .default({}),
  signal: z
    .object({
      /** The stocks the signal task learns on: a list of symbols, or "all" (every series the source holds). */
      symbols: SymbolSelectionSchema.default(DEFAULT_SIGNAL_SYMBOLS),
      horizon: z.number().int().min(1).max(60).default(5),
      buyThreshold: z.number().default(0.01),
      sellThreshold: z.number().default(-0.01),
      sampleSize: z.number().int().positive().default(16_000),
    })
    .default({}),
  split: z
    .object({
      embargo: z.number().int().nonnegative().default(5),
      valDays: z.number().int().min(20).default(252),
      testDays: z.number().int().min(20).default(252),
      minTrainDays: z.number().int().min(20).default(500),
      /** Use only the newest this-many training days (a drift re-run adapts to the recent market); null = all history. */
      trainWindowDays: z.number().int().min(20).nullable().default(null),
    })
    .default({}),
  sampler: z
    .object({
      targetMix: regimeRecord.default(DEFAULT_TARGET_MIX),
      maxOversample: z.number().min(1).default(5),
    })
    .default({}),
  regimeWeights: regimeRecord.default(DEFAULT_REGIME_WEIGHTS),
  includeCrisisArchive: z.boolean().default(true),
});

export type DatasetConfig = z.infer<typeof DatasetConfigSchema>;

export function datasetConfig(overrides: unknown = {}): DatasetConfig {
  return DatasetConfigSchema.parse(overrides ?? {});
}

export { DEFAULT_REGIME_THRESHOLDS };
