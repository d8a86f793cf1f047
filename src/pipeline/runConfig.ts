import { msToNumber } from '@temporalio/common';
import { z } from 'zod';
import { IngestConfigSchema } from '../data/checkPolicy';
import { DatasetConfigSchema } from '../datasets/config';
import { DEFAULT_GATE } from '../evaluation/gate';
import { DEFAULT_MAX_CHAMPION_AGE_DAYS, DEFAULT_RETIRE_AFTER_UNPROVEN_WEEKS } from '../registry/championAge';
import { STRATEGY_BENCHMARKS } from '../evaluation/protocol';
import { MAX_PLANTED_EDGE } from '../data/sources/plantedSignal';
import { DEFAULT_CALIBRATED_DRIFT } from '../monitoring/calibratedDrift';
import { InvalidConfigError } from '../errors';
import { DEFAULT_MODEL_KINDS, MODEL_KINDS } from '../models/modelKinds';
import { isIsoDate } from '../util/dates';
import { DEFAULT_TASKS, TASK_NAMES } from './tasks';

const SourceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('synthetic'),
    seed: z.number().int().optional(),
    start: z.string().refine(isIsoDate, 'start must be YYYY-MM-DD').optional(),
    feed: z.string().min(1).optional(),
    /** Extra generated stocks S0001..SN (scale tests); default none. */
    stocks: z.number().int().min(0).max(10_000).optional(),
    /** Plant a predictable, volume-revealed edge of this daily size (tests and audits of the gate). */
    planted: z.number().gt(0).max(MAX_PLANTED_EDGE).optional(),
    /** The planted edge reverses sign from a date, or lives only on days with VIX at or above a level (the study's known effects). */
    plantedShape: z.object({ reverseOn: z.string().refine(isIsoDate, 'reverseOn must be YYYY-MM-DD').optional(), minVix: z.number().positive().optional() }).optional(),
  }),
  z.object({ kind: z.literal('csv'), dir: z.string().min(1), files: z.record(z.string(), z.string()).optional(), feed: z.string().min(1).optional(), cashRateFile: z.string().min(1).optional() }),
  z.object({ kind: z.literal('online'), provider: z.literal('yahoo').optional(), start: z.string().refine(isIsoDate).optional(), feed: z.string().min(1).optional() }),
]);

/** Everything a run is configured by; stored on the run row, read by every activity. */
export const RunConfigSchema = z.object({
  asOf: z.string().refine(isIsoDate, 'asOf must be a YYYY-MM-DD date'),
  tasks: z.array(z.enum(TASK_NAMES)).min(1).default(DEFAULT_TASKS),
  source: SourceSchema.default({ kind: 'synthetic' }),
  models: z
    .array(z.string())
    .min(1)
    .default(DEFAULT_MODEL_KINDS)
    .refine((ks) => ks.every((k) => k in MODEL_KINDS), { message: `unknown model kind; known: ${Object.keys(MODEL_KINDS).join(', ')}` }),
  /** Train the accuracy-weighted / stacked meta-learner over the members (needs >= 2 members). */
  meta: z.boolean().default(true),
  config: z
    .object({
      dataset: DatasetConfigSchema.default({}),
      /** Bad-row policy and daily-move limits of ingest (src/data/checkPolicy.ts). */
      ingest: IngestConfigSchema.default({}),
      /** Per-kind hyperparameter overrides, e.g. { random_forest: { nTrees: 50 } }. */
      modelParams: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
      gate: z
        .object({
          /** The classification metric reported as a diagnostic beside the decision value (never decisive). */
          primaryMetric: z.enum(['macro_f1', 'balanced_accuracy', 'accuracy', 'kappa']).default(DEFAULT_GATE.primaryMetric),
          /** One-sided significance of every leg (each corrected for the candidates) and of "beats the champion". */
          alpha: z.number().gt(0).max(1).default(DEFAULT_GATE.alpha),
          /** Deflated information ratio (DSR of the active daily return, the registry's trials) must reach this. */
          minDsr: z.number().min(0).max(1).default(DEFAULT_GATE.minDsr),
          /** Fewer days than this in a regime makes its stress check inconclusive (never "passed"). */
          minRegimeSamples: z.number().int().min(1).default(DEFAULT_GATE.minRegimeSamples),
          /** Annualised return a challenger may surely trail the champion's configuration by on crash / recovery days. */
          stressTolerance: z.number().nonnegative().default(DEFAULT_GATE.stressTolerance),
          drawdownTolerance: z.number().nonnegative().default(DEFAULT_GATE.drawdownTolerance),
          /** Strategy task: the benchmark declared before the run (a policy must beat it and its own static twin). */
          benchmark: z.enum(STRATEGY_BENCHMARKS).default(DEFAULT_GATE.benchmark),
          /** Signal task: the baseline whose IC and long-short book a signal must beat (`flat`: no position). */
          signalBaseline: z.enum(['flat', 'label_persistence']).default(DEFAULT_GATE.signalBaseline),
          /** Stationary-bootstrap resamples behind every p-value and CI. */
          bootstrapReps: z.number().int().min(100).default(DEFAULT_GATE.bootstrapReps),
          /** `required`: a verdict that would move the live champion waits for `models approve` / `models reject`. */
          approval: z.enum(['auto', 'required']).default('auto'),
          /** How long it waits (a Temporal duration: "2 days", "36h", "90s"); then nothing is promoted. */
          approvalTimeout: z.string().default('2 days').refine(isDuration, 'approvalTimeout must be a duration such as "2 days", "36h" or "90s"'),
          /** A champion trained through a date more than this many days before the day it answers for is marked stale (predict, report, trend). */
          maxChampionAgeDays: z.number().int().min(1).default(DEFAULT_MAX_CHAMPION_AGE_DAYS),
          /** A kept champion whose configuration has not proved skill for this many weeks is retired to the declared reference (null: never). */
          retireAfterUnprovenWeeks: z.number().int().min(1).nullable().default(DEFAULT_RETIRE_AFTER_UNPROVEN_WEEKS),
        })
        .default({}),
      drift: z
        .object({
          /** The newest this-many days are compared with the history before them. */
          recentDays: z.number().int().min(5).default(DEFAULT_CALIBRATED_DRIFT.recentDays),
          /** Flag a feature whose PSI exceeds this quantile of its own history's PSIs (same-length windows). */
          percentile: z.number().min(0.5).max(0.9999).default(DEFAULT_CALIBRATED_DRIFT.percentile),
          /** When a feature drifts, start an extra run trained on the newest `retrainWindowDays` only. */
          retrainOnDrift: z.boolean().default(false),
          retrainWindowDays: z.number().int().min(60).default(756),
        })
        .default({}),
      /** Error replay buffer: the champion's recent mistakes, mixed into later training sets. */
      replay: z
        // Off by default: it makes training depend on earlier runs' champions, so runs stop being
        // reproducible from data and config alone and fold results cannot be reused week to week.
        .object({ enabled: z.boolean().default(false), weight: z.number().positive().default(1.5), maxSize: z.number().int().positive().default(5000) })
        .default({}),
      /** Training checkpoints are written at most this often (serialising a model is not free). */
      checkpointSeconds: z.number().nonnegative().default(15),
      /** Strategy-task backtest: cost per unit of traded risky notional, in basis points; when the decision trades. */
      backtest: z.object({ costBps: z.number().nonnegative().default(5), execution: z.enum(['next_close', 'next_open']).default('next_close') }).default({}),
    })
    .default({}),
});

export type RunConfig = z.infer<typeof RunConfigSchema>;

function isDuration(s: string): boolean {
  try {
    return msToNumber(s as Parameters<typeof msToNumber>[0]) > 0;
  } catch {
    return false;
  }
}

/** The approval a run's live promotions wait for, or null when they are automatic. */
export function approvalPolicy(cfg: RunConfig): { timeoutMs: number } | null {
  const g = cfg.config.gate;
  return g.approval === 'required' ? { timeoutMs: msToNumber(g.approvalTimeout as Parameters<typeof msToNumber>[0]) } : null;
}

export function parseRunConfig(raw: unknown): RunConfig {
  const r = RunConfigSchema.safeParse(raw);
  if (!r.success) {
    throw new InvalidConfigError(`invalid run input: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return r.data;
}

/**
 * The keys of run-config overrides (`--config`, the `config` part of a run) that the schema
 * does not know, as dotted paths ("gate.alhpa"). The schema itself strips unknown keys, so a typo
 * would silently leave the default in force; the CLI refuses them instead. Stored runs are still
 * parsed leniently (a key an older version wrote must not fail a replay). Records
 * (`modelParams`, `ingest.maxDailyMove.bySymbol`) take any key.
 */
export function unknownOverrideKeys(overrides: unknown): string[] {
  return unknownKeys(RunConfigSchema.shape.config, overrides, '');
}

function unknownKeys(schema: z.ZodTypeAny, value: unknown, path: string): string[] {
  const s = unwrap(schema);
  if (s instanceof z.ZodObject) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return []; // a type error: the schema's own message says so
    const shape = s.shape as Record<string, z.ZodTypeAny>;
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => (Object.hasOwn(shape, k) ? unknownKeys(shape[k], v, `${path}${k}.`) : [`${path}${k}`]));
  }
  if (s instanceof z.ZodArray && Array.isArray(value)) return value.flatMap((v, i) => unknownKeys(s.element as z.ZodTypeAny, v, `${path}${i}.`));
  if (s instanceof z.ZodUnion) {
    // The first option the value fits decides (e.g. a symbol list or "all").
    const options = s.options as z.ZodTypeAny[];
    const fits = options.find((o) => o.safeParse(value).success);
    return fits ? unknownKeys(fits, value, path) : [];
  }
  return [];
}

function unwrap(schema: z.ZodTypeAny): z.ZodTypeAny {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodDefault) s = s._def.innerType as z.ZodTypeAny;
    else if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodTypeAny;
    else if (s instanceof z.ZodEffects) s = s.innerType() as z.ZodTypeAny;
    else return s;
  }
}
