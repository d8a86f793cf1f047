import type { Matrix } from './classifier';

/** Anything the registry stores and evaluation scores: raw feature rows in, probabilities out. */
export interface Predictor {
  readonly featureNames: string[];
  readonly classNames: string[];
  /** rows x classes, for raw (unstandardised) feature rows. */
  predictProba(X: Matrix): Float64Array;
  toArtifact(): Buffer;
}

/** A model can score a dataset only if it takes the same features and predicts the same classes. */
export function sameInputsAndClasses(a: { featureNames: string[]; classNames: string[] }, b: { featureNames: string[]; classNames: string[] }): boolean {
  return a.featureNames.join('|') === b.featureNames.join('|') && a.classNames.join('|') === b.classNames.join('|');
}
