/** Z-score parameters fitted on training rows only and stored with the model. */
export interface Standardizer {
  mean: number[];
  std: number[];
}

export function fitStandardizer(X: Float64Array | Float32Array, rows: number, cols: number, rowIdx?: ArrayLike<number>): Standardizer {
  const mean = new Array<number>(cols).fill(0);
  const sq = new Array<number>(cols).fill(0);
  const m = rowIdx ? rowIdx.length : rows;
  for (let k = 0; k < m; k++) {
    const i = rowIdx ? rowIdx[k] : k;
    for (let j = 0; j < cols; j++) mean[j] += X[i * cols + j];
  }
  for (let j = 0; j < cols; j++) mean[j] /= m;
  for (let k = 0; k < m; k++) {
    const i = rowIdx ? rowIdx[k] : k;
    for (let j = 0; j < cols; j++) sq[j] += (X[i * cols + j] - mean[j]) ** 2;
  }
  // A constant column gets std 1 so it maps to 0 instead of NaN.
  const std = sq.map((s) => Math.sqrt(s / Math.max(1, m - 1)) || 1);
  return { mean, std };
}

export function applyStandardizer(s: Standardizer, X: Float64Array, cols: number): Float64Array {
  const out = new Float64Array(X.length);
  for (let i = 0; i < X.length; i++) {
    const j = i % cols;
    out[i] = (X[i] - s.mean[j]) / s.std[j];
  }
  return out;
}
