import type { RetrainInput } from '../../workflows/types';

/** Small but real models and windows so an end-to-end run takes seconds, not minutes. */
export function fastInput(overrides: Partial<RetrainInput> = {}): RetrainInput {
  return {
    tasks: ['strategy'],
    source: { kind: 'synthetic', seed: 7 },
    models: ['random_forest', 'extra_trees', 'logistic'],
    config: {
      dataset: { split: { valDays: 252, testDays: 252, minTrainDays: 250 }, signal: { sampleSize: 3000, symbols: ['XLK', 'XLF', 'AAPL'] } },
      // The mechanics tests run tiny models on a synthetic strategy task whose labels are
      // dominated by the two extreme allocations; the 3-class rule itself is unit-tested.
      gate: { minClassesPredicted: 2 },
      modelParams: { random_forest: { nTrees: 15, maxDepth: 8 }, extra_trees: { nTrees: 15, maxDepth: 8 }, logistic: { maxIter: 150 } },
    },
    ...overrides,
  };
}
