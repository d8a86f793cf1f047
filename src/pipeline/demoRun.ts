import { TRM_DEMO_PROFILE } from '../models/trm/trmProfiles';

/**
 * The `npm start` demo: every model kind and the meta-learner through the real protocol, sized
 * to finish in under two minutes on two cores. Two walk-forward folds of ten years (the count
 * stays two for as-of dates years apart) on a five-year training window, a few signal stocks,
 * small models, fewer bootstrap resamples, and the soft-voting meta-learner (no cross-fitted
 * stacking). The weekly schedule keeps the full defaults.
 */
export const DEMO_RUN_CONFIG: Record<string, Record<string, unknown>> = {
  dataset: {
    split: { foldDays: 2520, trainWindowDays: 1260 },
    signal: { sampleSize: 3000, symbols: ['XLK', 'XLF', 'XLE', 'AAPL'] },
  },
  gate: { bootstrapReps: 200 },
  modelParams: {
    random_forest: { nTrees: 20, maxDepth: 8 },
    extra_trees: { nTrees: 20, maxDepth: 8 },
    xgboost: { nRounds: 40, maxDepth: 4 },
    lightgbm: { nRounds: 40, maxLeaves: 15 },
    gradient_boosting: { nRounds: 40 },
    mlp: { hidden: [32], epochs: 8, batchSize: 256 },
    logistic: { maxIter: 150 },
    svm: { maxIter: 60 },
    trm: TRM_DEMO_PROFILE,
    meta: { method: 'soft_vote' },
  },
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `dev --config` over the demo settings, merged key by key (arrays and values replace). */
export function demoRunConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const merge = (base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = isRecord(v) && isRecord(base[k]) ? merge(base[k], v) : v;
    return out;
  };
  return merge(DEMO_RUN_CONFIG, overrides);
}
