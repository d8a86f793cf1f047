import type { Matrix } from './classifier';

/** Anything the registry stores and evaluation scores: raw feature rows in, probabilities out. */
export interface Predictor {
  readonly featureNames: string[];
  readonly classNames: string[];
  /** rows x classes, for raw (unstandardised) feature rows. */
  predictProba(X: Matrix): Float64Array;
  toArtifact(): Buffer;
}
