import { InvalidConfigError, ModelArtifactError } from '../errors';
import { GradientBoosting } from './boosting/gradientBoosting';
import { LightGBMStyle } from './boosting/lightgbmStyle';
import { XGBoostStyle } from './boosting/xgboostStyle';
import type { Classifier, ModelJSON } from './classifier';
import { DEFAULT_EXTRA_TREES, ExtraTrees } from './extraTrees';
import { DEFAULT_LOGISTIC, LogisticRegression } from './logisticRegression';
import { MetaLearner } from './metaLearner';
import { DEFAULT_MLP, Mlp } from './mlp';
import { DEFAULT_FOREST, RandomForest } from './randomForest';
import { DEFAULT_SVM, Svm } from './svm';
import { Trm } from './trm/trm';

/** Model kinds the pipeline can train, each with its factory and loader. */
interface ModelKind {
  create(params: Record<string, unknown>): Classifier;
  fromJSON(json: ModelJSON): Classifier;
  /**
   * Models that early-stop on a validation set: which parameter counts iterations and which
   * turns early stopping on (> 0). The protocol early-stops on an inner split of the training
   * window, then refits on the whole window for the best iteration count.
   */
  earlyStopping?: { iterations: string; patience: string; effective(m: Classifier): number };
}

const boosterStopping = { iterations: 'nRounds', patience: 'earlyStoppingRounds', effective: (m: Classifier) => (m as XGBoostStyle).params.earlyStoppingRounds };

/** Every trainable model kind, in the order reports list them. */
export const MODEL_KINDS: Record<string, ModelKind> = {
  [RandomForest.NAME]: { create: (p) => new RandomForest({ ...DEFAULT_FOREST, ...p }), fromJSON: (j) => RandomForest.fromJSON(j) },
  [ExtraTrees.NAME]: { create: (p) => new ExtraTrees({ ...DEFAULT_EXTRA_TREES, ...p }), fromJSON: (j) => ExtraTrees.fromJSON(j) },
  [XGBoostStyle.NAME]: { create: (p) => new XGBoostStyle(p), fromJSON: (j) => XGBoostStyle.fromJSON(j), earlyStopping: boosterStopping },
  [LightGBMStyle.NAME]: { create: (p) => new LightGBMStyle(p), fromJSON: (j) => LightGBMStyle.fromJSON(j), earlyStopping: boosterStopping },
  [GradientBoosting.NAME]: { create: (p) => new GradientBoosting(p), fromJSON: (j) => GradientBoosting.fromJSON(j), earlyStopping: boosterStopping },
  [Mlp.NAME]: { create: (p) => new Mlp({ ...DEFAULT_MLP, ...p }), fromJSON: (j) => Mlp.fromJSON(j), earlyStopping: { iterations: 'epochs', patience: 'patience', effective: (m) => (m as Mlp).params.patience } },
  [LogisticRegression.NAME]: { create: (p) => new LogisticRegression({ ...DEFAULT_LOGISTIC, ...p }), fromJSON: (j) => LogisticRegression.fromJSON(j) },
  [Svm.NAME]: { create: (p) => new Svm({ ...DEFAULT_SVM, ...p }), fromJSON: (j) => Svm.fromJSON(j) },
  [Trm.NAME]: { create: (p) => new Trm(p), fromJSON: (j) => Trm.fromJSON(j), earlyStopping: { iterations: 'epochs', patience: 'patience', effective: (m) => (m as Trm).cfg.patience } },
};

/**
 * Bumped when a kind's training code changes what it learns from the same rows and parameters
 * (fold results are cached by configuration and rows, and parameters are only the overrides):
 * a new revision keys new fold results instead of reusing the old code's. Absent: revision 1,
 * which is not part of the key, so the other kinds' stored results stay valid.
 * logistic 2 and meta 2 (its stacked logistic): L-BFGS instead of full-batch Adam (2026-12-07).
 * lightgbm 2: minDataInLeaf counts rows exactly instead of estimating them from the hessian (2026-12-07).
 */
const MODEL_REVISIONS: Record<string, number> = { logistic: 2, meta: 2, lightgbm: 2 };

export function modelRevision(kind: string): number | undefined {
  return MODEL_REVISIONS[kind];
}

/** The eight-model ensemble; the TRM is trained beside it and the meta-learner sees all. */
export const ENSEMBLE_KINDS = Object.keys(MODEL_KINDS).filter((k) => k !== Trm.NAME);

/** Loaders for models that are not trained by kind name (the meta-learner combines members). */
const OTHER_LOADERS: Record<string, (j: ModelJSON) => Classifier> = {
  [MetaLearner.NAME]: (j) => MetaLearner.fromJSON(j),
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

/** Early-stopping parameters of a configured model, or null when it trains a fixed number of iterations. */
export function earlyStoppingOf(kind: string, model: Classifier): { iterations: string; patience: string } | null {
  const es = MODEL_KINDS[kind]?.earlyStopping;
  return es && es.effective(model) > 0 ? { iterations: es.iterations, patience: es.patience } : null;
}

export function modelFromJSON(json: ModelJSON): Classifier {
  const load = MODEL_KINDS[json.name]?.fromJSON ?? OTHER_LOADERS[json.name];
  if (!load) throw new ModelArtifactError(`artifact names unknown model kind "${json.name}"`);
  return load(json);
}
