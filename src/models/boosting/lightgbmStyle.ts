import type { ModelJSON } from '../classifier';
import { BoostedTrees, type BoostingParams } from './boostedTrees';

/**
 * LightGBM's defaults: leaf-wise (best-first) growth bounded by num_leaves rather than depth,
 * min_data_in_leaf, histogram subtraction (in the shared tree core), and bin edges that count
 * rows, not weights.
 */
export const DEFAULT_LIGHTGBM: BoostingParams = {
  nRounds: 300,
  learningRate: 0.1,
  maxDepth: 64,
  maxLeaves: 31,
  minChildWeight: 1e-3,
  minDataInLeaf: 20,
  lambda: 0,
  gamma: 0,
  colsampleByTree: 1,
  subsample: 1,
  maxBins: 255,
  binning: 'rows',
  earlyStoppingRounds: 20,
  secondOrder: true,
  seed: 42,
};

export class LightGBMStyle extends BoostedTrees {
  static readonly NAME = 'lightgbm';

  constructor(params: Partial<BoostingParams> = {}) {
    super(LightGBMStyle.NAME, { ...DEFAULT_LIGHTGBM, ...params });
  }

  static fromJSON(json: ModelJSON): LightGBMStyle {
    return new LightGBMStyle(json.params as BoostingParams).restore(json);
  }
}
