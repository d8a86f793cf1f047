/** Named feature columns over a panel's days (both feature builders return one). */
export interface FeatureMatrix {
  names: string[];
  /** Row-major n x names.length; NaN where a feature is not yet computable (warm-up). */
  values: Float64Array;
  rows: number;
}
