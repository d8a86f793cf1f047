import type { RetrainInput } from '../../workflows/types';

/** Small but real models and windows so an end-to-end run takes seconds, not minutes. */
export function fastInput(overrides: Partial<RetrainInput> = {}): RetrainInput {
  return {
    tasks: ['strategy'],
    source: { kind: 'synthetic', seed: 7 },
    // All nine models (the eight-model ensemble and the TRM, small) plus the meta-learner.
    config: {
      dataset: { split: { valDays: 252, testDays: 252, minTrainDays: 250 }, signal: { sampleSize: 3000, symbols: ['XLK', 'XLF', 'AAPL'] } },
      // The mechanics tests run tiny models on a synthetic strategy task whose labels are
      // dominated by the two extreme allocations; the 3-class rule itself is unit-tested.
      gate: { minClassesPredicted: 2 },
      modelParams: {
        random_forest: { nTrees: 15, maxDepth: 8 },
        extra_trees: { nTrees: 15, maxDepth: 8 },
        xgboost: { nRounds: 30, maxDepth: 4 },
        lightgbm: { nRounds: 30, maxLeaves: 15 },
        gradient_boosting: { nRounds: 30 },
        mlp: { hidden: [32], epochs: 8, batchSize: 256 },
        logistic: { maxIter: 150 },
        svm: { maxIter: 60 },
        trm: { hidden: 32, n: 2, T: 2, nSup: 3, epochs: 2, batchSize: 512, patience: 0 },
      },
    },
    ...overrides,
  };
}

/** The smallest real run: one task, two quick models, no meta-learner. */
export function tinyInput(overrides: Partial<RetrainInput> = {}): RetrainInput {
  return {
    tasks: ['strategy'],
    source: { kind: 'synthetic', seed: 7 },
    models: ['logistic', 'random_forest'],
    meta: false,
    config: {
      dataset: { split: { valDays: 120, testDays: 120, minTrainDays: 250 } },
      gate: { minClassesPredicted: 1 },
      modelParams: { random_forest: { nTrees: 5, maxDepth: 5 }, logistic: { maxIter: 50 } },
    },
    ...overrides,
  };
}
