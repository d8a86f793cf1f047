import type { ModelJSON } from './classifier';
import { DEFAULT_FOREST, RandomForest, type ForestParams } from './randomForest';

/** Extremely randomised trees: random split thresholds, no bootstrap (sklearn's default). */
export class ExtraTrees extends RandomForest {
  static override readonly NAME = 'extra_trees';

  constructor(params: ForestParams = { ...DEFAULT_FOREST, bootstrap: false }) {
    super(params, true);
  }

  override get name(): string {
    return ExtraTrees.NAME;
  }

  static override fromJSON(json: ModelJSON): ExtraTrees {
    return new ExtraTrees(json.params as ForestParams).restore(json);
  }
}
