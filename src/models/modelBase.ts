import { ModelArtifactError } from '../errors';
import { argmaxRows, type Classifier, type FitOptions, type FitReport, type Matrix, type ModelJSON } from './classifier';

/** The artifact header every loader checks first: the right model, a version it can read. */
export function checkArtifact(json: ModelJSON, name: string, version: number): void {
  if (json.name !== name) throw new ModelArtifactError(`expected a "${name}" model, got "${json.name}"`);
  if (json.version !== version) throw new ModelArtifactError(`unsupported ${name} model version ${json.version}`);
}

/**
 * What every probabilistic classifier shares (mljs's base-class pattern): `predict` is the
 * argmax of `predictProba` over the fitted number of classes. Models hold only what is theirs.
 */
export abstract class ProbabilisticClassifier implements Classifier {
  abstract readonly name: string;
  abstract readonly version: number;
  /** Classes seen at fit (or read from the artifact). */
  protected classes = 0;

  abstract fit(X: Matrix, y: Int32Array, weights: Float64Array | undefined, opts: FitOptions): Promise<FitReport>;
  abstract predictProba(X: Matrix): Float64Array;
  abstract toJSON(): ModelJSON;

  predict(X: Matrix): Int32Array {
    return argmaxRows(this.predictProba(X), this.classes);
  }

  /** The artifact: the header every loader checks (`checkArtifact`), the shape, then the model's own state. */
  protected artifact(params: unknown, cols: number, state: Record<string, unknown>): ModelJSON {
    return { name: this.name, version: this.version, params, cols, classes: this.classes, ...state };
  }
}
