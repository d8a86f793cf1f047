import type { RetrainInput } from '../../workflows/types';

/**
 * Small but real models and windows so an end-to-end run takes seconds, not minutes: three
 * walk-forward folds of four years on the synthetic market up to 2014, a few symbols.
 */
const FAST_DATASET = { split: { foldDays: 1008 }, signal: { sampleSize: 2500, symbols: ['XLK', 'XLF', 'XLE', 'AAPL'] } };
const FAST_PARAMS = {
  random_forest: { nTrees: 15, maxDepth: 8 },
  extra_trees: { nTrees: 15, maxDepth: 8 },
  xgboost: { nRounds: 30, maxDepth: 4 },
  lightgbm: { nRounds: 30, maxLeaves: 15 },
  gradient_boosting: { nRounds: 30 },
  mlp: { hidden: [32], epochs: 8, batchSize: 256 },
  logistic: { maxIter: 150 },
  svm: { maxIter: 60 },
  trm: { hidden: 32, n: 2, T: 2, nSup: 3, epochs: 2, batchSize: 512, patience: 0 },
};

/**
 * Two quick models and the meta-learner on a synthetic market with a planted edge (each
 * stock's volume reveals the sign of its return two days later): the signal task has real,
 * provable skill to promote; the strategy task's labels barely see it, so its gate refuses.
 */
export function fastInput(overrides: Partial<RetrainInput> = {}): RetrainInput {
  return {
    asOf: '2014-06-30',
    tasks: ['strategy', 'signal'],
    source: { kind: 'synthetic', seed: 11, planted: 0.03 },
    models: ['logistic', 'random_forest'],
    config: { dataset: FAST_DATASET, gate: { bootstrapReps: 300 }, modelParams: FAST_PARAMS },
    ...overrides,
  };
}

/** All nine kinds (small) plus the meta-learner: the whole ensemble through the real pipeline. */
export function allModelsInput(overrides: Partial<RetrainInput> = {}): RetrainInput {
  return fastInput({ tasks: ['signal'], models: undefined, ...overrides });
}

/** The smallest real run: one task, two quick models, no meta-learner. */
export function tinyInput(overrides: Partial<RetrainInput> = {}): RetrainInput {
  return {
    tasks: ['strategy'],
    source: { kind: 'synthetic', seed: 7 },
    models: ['logistic', 'random_forest'],
    meta: false,
    config: {
      dataset: { split: { foldDays: 1260, minTrainDays: 500 } },
      gate: { bootstrapReps: 200 },
      modelParams: { random_forest: { nTrees: 5, maxDepth: 5 }, logistic: { maxIter: 50 } },
    },
    ...overrides,
  };
}
