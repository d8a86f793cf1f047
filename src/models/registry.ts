import { InvalidConfigError, ModelArtifactError } from '../errors';
import type { Classifier, ModelJSON } from './classifier';
import { ExtraTrees } from './extraTrees';
import { DEFAULT_LOGISTIC, LogisticRegression } from './logisticRegression';
import { DEFAULT_FOREST, RandomForest } from './randomForest';

/** Model kinds the pipeline can train, each with its defaults, factory and loader. */
interface ModelKind {
  defaults: Record<string, unknown>;
  create(params: Record<string, unknown>): Classifier;
  fromJSON(json: ModelJSON): Classifier;
}

export const MODEL_KINDS: Record<string, ModelKind> = {
  [RandomForest.NAME]: {
    defaults: { ...DEFAULT_FOREST },
    create: (p) => new RandomForest({ ...DEFAULT_FOREST, ...p }),
    fromJSON: (j) => RandomForest.fromJSON(j),
  },
  [ExtraTrees.NAME]: {
    defaults: { ...DEFAULT_FOREST, bootstrap: false },
    create: (p) => new ExtraTrees({ ...DEFAULT_FOREST, bootstrap: false, ...p }),
    fromJSON: (j) => ExtraTrees.fromJSON(j),
  },
  [LogisticRegression.NAME]: {
    defaults: { ...DEFAULT_LOGISTIC },
    create: (p) => new LogisticRegression({ ...DEFAULT_LOGISTIC, ...p }),
    fromJSON: (j) => LogisticRegression.fromJSON(j),
  },
};

export const DEFAULT_MODEL_KINDS = Object.keys(MODEL_KINDS);

export function createModel(kind: string, params: Record<string, unknown> = {}): Classifier {
  const k = MODEL_KINDS[kind];
  if (!k) throw new InvalidConfigError(`unknown model kind "${kind}"; known: ${Object.keys(MODEL_KINDS).join(', ')}`);
  try {
    return k.create(params);
  } catch (e) {
    if (e instanceof RangeError) throw new InvalidConfigError(e.message);
    throw e;
  }
}

export function modelFromJSON(json: ModelJSON): Classifier {
  const k = MODEL_KINDS[json.name];
  if (!k) throw new ModelArtifactError(`artifact names unknown model kind "${json.name}"`);
  return k.fromJSON(json);
}
