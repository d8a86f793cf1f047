/** Row-major dense matrix. */
export interface Matrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

export interface TrainProgress {
  step: number;
  total: number;
  /** e.g. training loss or validation accuracy at this step */
  metric?: number;
}

export interface FitOptions {
  nClasses: number;
  seed?: number;
  /** Held-out rows for early stopping; never training rows. */
  validation?: { X: Matrix; y: Int32Array; weights?: Float64Array };
  /** Called between iterations (trees, rounds, epochs): the activity heartbeats here. */
  onProgress?: (p: TrainProgress) => void | Promise<void>;
  /** Aborted when the activity is cancelled; fit stops promptly and throws. */
  signal?: AbortSignal;
  /**
   * Realised forward PnL of choosing each class, per training row (rows x nClasses). Models
   * with a profit-aware loss (the TRM) use it; the others ignore it.
   */
  pnl?: Float64Array;
  /**
   * Checkpointing (forests, boosting, the TRM per epoch): every `checkpointEvery` iterations `onCheckpoint`
   * may take the partial model (`state()` serialises it, so call it only when saving);
   * passing it back as `resumeFrom` continues from there and yields exactly the model an
   * uninterrupted fit would have.
   */
  resumeFrom?: ModelJSON | null;
  onCheckpoint?: (state: () => ModelJSON, iteration: number) => Promise<void>;
  checkpointEvery?: number;
  /** Meta-learner cross-fitting: calendar day per row, and days to purge around the split. */
  rowDays?: Int32Array;
  purgeDays?: number;
}

export interface FitReport {
  iterations: number;
  trainLoss?: number;
  notes?: string[];
  /** Early stopping: the iteration count (rounds, epochs) that scored best on validation. */
  bestIteration?: number;
  /** Iterations restored from a checkpoint instead of recomputed. */
  resumedFrom?: number;
  /** Per-epoch metrics (loss components, validation scores) for models that report them. */
  history?: Record<string, number>[];
}

export interface ModelJSON {
  name: string;
  version: number;
  [key: string]: unknown;
}

/** The one interface every model (ensemble members, meta-learner, TRM) implements. */
export interface Classifier {
  readonly name: string;
  readonly version: number;
  fit(X: Matrix, y: Int32Array, weights: Float64Array | undefined, opts: FitOptions): Promise<FitReport>;
  /** rows x nClasses probabilities, row-major. */
  predictProba(X: Matrix): Float64Array;
  predict(X: Matrix): Int32Array;
  toJSON(): ModelJSON;
}

export function argmaxRows(proba: Float64Array, nClasses: number): Int32Array {
  const rows = proba.length / nClasses;
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let k = 1; k < nClasses; k++) if (proba[i * nClasses + k] > proba[i * nClasses + best]) best = k;
    out[i] = best;
  }
  return out;
}

/** Shared input checks: clear messages instead of NaN models. */
export function checkFitInputs(name: string, X: Matrix, y: Int32Array, weights: Float64Array | undefined, nClasses: number): void {
  if (X.rows <= 0 || X.cols <= 0) throw new RangeError(`${name}: empty training matrix (${X.rows}x${X.cols})`);
  if (X.data.length !== X.rows * X.cols) throw new RangeError(`${name}: X has ${X.data.length} values, expected rows*cols = ${X.rows * X.cols}`);
  if (y.length !== X.rows) throw new RangeError(`${name}: y has ${y.length} labels but X has ${X.rows} rows`);
  if (weights && weights.length !== X.rows) throw new RangeError(`${name}: weights has ${weights.length} entries but X has ${X.rows} rows`);
  if (!(nClasses >= 2)) throw new RangeError(`${name}: nClasses must be >= 2, got ${nClasses}`);
  checkFinite(name, X);
  for (let i = 0; i < y.length; i++) {
    if (!(y[i] >= 0 && y[i] < nClasses)) throw new RangeError(`${name}: label ${y[i]} at row ${i} outside [0, ${nClasses})`);
  }
  if (weights) {
    for (let i = 0; i < weights.length; i++) {
      if (!(weights[i] >= 0) || !Number.isFinite(weights[i])) throw new RangeError(`${name}: weight ${weights[i]} at row ${i} must be finite and >= 0`);
    }
  }
}

export function checkFinite(name: string, X: Matrix): void {
  for (let i = 0; i < X.data.length; i++) {
    if (!Number.isFinite(X.data[i])) {
      throw new RangeError(`${name}: non-finite value ${X.data[i]} at row ${Math.floor(i / X.cols)}, column ${i % X.cols}`);
    }
  }
}

export function checkPredictInputs(name: string, X: Matrix, cols: number): void {
  if (X.cols !== cols) throw new RangeError(`${name}: expected ${cols} features, got ${X.cols}`);
  if (X.data.length !== X.rows * X.cols) throw new RangeError(`${name}: X has ${X.data.length} values, expected ${X.rows * X.cols}`);
  checkFinite(name, X);
}

/** Stops a fit when its activity is cancelled, rethrowing Temporal's own cancellation reason. */
export function throwIfAborted(signal: AbortSignal | undefined, name: string): void {
  if (!signal?.aborted) return;
  const reason: unknown = signal.reason;
  if (reason instanceof Error) throw reason;
  throw new Error(`${name}: training cancelled`);
}
