import { checkFitInputs, checkPredictInputs, throwIfAborted, type FitOptions, type FitReport, type Matrix, type ModelJSON } from './classifier';
import { checkArtifact, ProbabilisticClassifier } from './modelBase';
import { adamMoments, adamStep } from './optim/adam';
import { minimizeLbfgs } from './optim/lbfgs';

export interface LogisticParams {
  l2: number;
  maxIter: number;
  /** Adam's step size (solver 'adam' only). */
  learningRate: number;
  tol: number;
  /**
   * 'lbfgs' (default): L-BFGS to the optimum, tens of passes over the rows. 'adam': full-batch
   * Adam, the solver until 2026-12-07 (hundreds of passes; kept to reproduce older runs).
   */
  solver?: 'lbfgs' | 'adam';
}

export const DEFAULT_LOGISTIC: LogisticParams = { l2: 1e-3, maxIter: 500, learningRate: 0.1, tol: 1e-7 };

/**
 * Multinomial logistic regression with per-sample weights and L2 (not on the bias), fitted on
 * the weighted mean cross-entropy. Expects standardised inputs (the model pipeline does that).
 * Deterministic: no randomness at all.
 */
export class LogisticRegression extends ProbabilisticClassifier {
  static readonly NAME = 'logistic';
  readonly name = LogisticRegression.NAME;
  readonly version = 1;
  private W = new Float64Array(0); // (cols + 1) x classes, last row = bias
  private cols = 0;

  constructor(readonly params: LogisticParams = DEFAULT_LOGISTIC) {
    super();
    if (!(params.l2 >= 0)) throw new RangeError(`logistic: l2 must be >= 0, got ${params.l2}`);
    if (!(params.maxIter >= 1)) throw new RangeError(`logistic: maxIter must be >= 1, got ${params.maxIter}`);
    if (!(params.learningRate > 0)) throw new RangeError(`logistic: learningRate must be > 0, got ${params.learningRate}`);
    if (params.solver !== undefined && params.solver !== 'lbfgs' && params.solver !== 'adam') throw new RangeError(`logistic: solver must be lbfgs or adam, got "${params.solver}"`);
  }

  async fit(X: Matrix, y: Int32Array, weights: Float64Array | undefined, opts: FitOptions): Promise<FitReport> {
    checkFitInputs(this.name, X, y, weights, opts.nClasses);
    const { rows, cols, data } = X;
    const K = opts.nClasses;
    this.cols = cols;
    this.classes = K;
    const P = (cols + 1) * K;
    const W = new Float64Array(P);
    const w = weights ?? new Float64Array(rows).fill(1);
    const wSum = w.reduce((a, b) => a + b, 0);
    if (!(wSum > 0)) throw new RangeError(`${this.name}: all sample weights are zero`);
    const logits = new Float64Array(K);
    const l2 = this.params.l2;
    /** The weighted mean cross-entropy plus L2 at W, its gradient into grad: one pass over the rows. */
    const lossAndGradient = (W: Float64Array, grad: Float64Array): number => {
      grad.fill(0);
      let loss = 0;
      for (let i = 0; i < rows; i++) {
        if (w[i] === 0) continue;
        const off = i * cols;
        let max = -Infinity;
        for (let k = 0; k < K; k++) {
          let z = W[cols * K + k];
          for (let j = 0; j < cols; j++) z += data[off + j] * W[j * K + k];
          logits[k] = z;
          if (z > max) max = z;
        }
        let s = 0;
        for (let k = 0; k < K; k++) s += (logits[k] = Math.exp(logits[k] - max));
        const wi = w[i] / wSum;
        loss -= wi * Math.log(Math.max(1e-15, logits[y[i]] / s));
        for (let k = 0; k < K; k++) {
          const g = wi * (logits[k] / s - (k === y[i] ? 1 : 0));
          if (g === 0) continue;
          for (let j = 0; j < cols; j++) grad[j * K + k] += g * data[off + j];
          grad[cols * K + k] += g;
        }
      }
      for (let p = 0; p < cols * K; p++) {
        grad[p] += l2 * W[p];
        loss += 0.5 * l2 * W[p] * W[p];
      }
      return loss;
    };
    const report = async (step: number, metric: number) => {
      await opts.onProgress?.({ step, total: this.params.maxIter, metric });
      throwIfAborted(opts.signal, this.name);
    };
    let loss: number;
    let iterations: number;
    if ((this.params.solver ?? 'lbfgs') === 'lbfgs') {
      const r = await minimizeLbfgs(W, lossAndGradient, { maxIter: this.params.maxIter, tol: this.params.tol, onIteration: (it, f) => (it % 5 === 0 ? report(it, f) : throwIfAborted(opts.signal, this.name)) });
      loss = r.value;
      iterations = r.iterations;
    } else ({ loss, iterations } = await this.fitAdam(W, lossAndGradient, report));
    this.W = W;
    return { iterations, trainLoss: loss };
  }

  /** Full-batch Adam until the loss changes by less than tol (the solver until 2026-12-07). */
  private async fitAdam(W: Float64Array, lossAndGradient: (W: Float64Array, grad: Float64Array) => number, report: (step: number, metric: number) => Promise<void>): Promise<{ loss: number; iterations: number }> {
    const moments = adamMoments(W.length);
    const grad = new Float64Array(W.length);
    let loss = Infinity;
    for (let iter = 1; iter <= this.params.maxIter; iter++) {
      const newLoss = lossAndGradient(W, grad);
      adamStep(W, grad, moments, iter, this.params.learningRate);
      if (iter % 25 === 0) await report(iter, newLoss);
      if (Math.abs(loss - newLoss) < this.params.tol) return { loss: newLoss, iterations: iter };
      loss = newLoss;
    }
    return { loss, iterations: this.params.maxIter };
  }

  predictProba(X: Matrix): Float64Array {
    checkPredictInputs(this.name, X, this.cols);
    const K = this.classes;
    const out = new Float64Array(X.rows * K);
    for (let i = 0; i < X.rows; i++) {
      let max = -Infinity;
      for (let k = 0; k < K; k++) {
        let z = this.W[this.cols * K + k];
        for (let j = 0; j < this.cols; j++) z += X.data[i * this.cols + j] * this.W[j * K + k];
        out[i * K + k] = z;
        if (z > max) max = z;
      }
      let s = 0;
      for (let k = 0; k < K; k++) s += (out[i * K + k] = Math.exp(out[i * K + k] - max));
      for (let k = 0; k < K; k++) out[i * K + k] /= s;
    }
    return out;
  }

  toJSON(): ModelJSON {
    return this.artifact(this.params, this.cols, { W: Array.from(this.W) });
  }

  static fromJSON(json: ModelJSON): LogisticRegression {
    checkArtifact(json, LogisticRegression.NAME, 1);
    const m = new LogisticRegression(json.params as LogisticParams);
    m.cols = json.cols as number;
    m.classes = json.classes as number;
    m.W = Float64Array.from(json.W as number[]);
    return m;
  }
}
