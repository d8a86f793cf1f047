import type { ModelJSON } from '../classifier';
import { BoostedTrees, type BoostingParams } from './boostedTrees';

/**
 * Classic first-order gradient boosting with sklearn's GradientBoostingClassifier defaults:
 * 100 shallow (depth 3) least-squares trees on the negative gradient, a Newton step per leaf,
 * learning rate 0.1, no regularisation beyond shrinkage.
 */
export const DEFAULT_GRADIENT_BOOSTING: BoostingParams = {
  nRounds: 100,
  learningRate: 0.1,
  maxDepth: 3,
  maxLeaves: 0,
  minChildWeight: 1e-9,
  minDataInLeaf: 1,
  lambda: 0,
  gamma: 0,
  colsampleByTree: 1,
  subsample: 1,
  maxBins: 256,
  binning: 'weighted',
  earlyStoppingRounds: 0,
  secondOrder: false,
  seed: 42,
};

export class GradientBoosting extends BoostedTrees {
  static readonly NAME = 'gradient_boosting';

  constructor(params: Partial<BoostingParams> = {}) {
    super(GradientBoosting.NAME, { ...DEFAULT_GRADIENT_BOOSTING, ...params });
  }

  static fromJSON(json: ModelJSON): GradientBoosting {
    return new GradientBoosting(json.params as BoostingParams).restore(json);
  }
}
