import { Rng } from '../util/rng';
import { checkFitInputs, checkPredictInputs, throwIfAborted, type FitOptions, type FitReport, type Matrix, type ModelJSON } from './classifier';
import { checkArtifact, ProbabilisticClassifier } from './modelBase';
import { adamMoments, adamStep } from './optim/adam';

export interface SvmParams {
  /** Regularisation strength (inverse of sklearn's C): objective = l2/2 |w|^2 + mean weighted loss. */
  l2: number;
  /** 'linear' or 'rbf' (random Fourier features approximating exp(-gamma |x - x'|^2)). */
  kernel: 'linear' | 'rbf';
  gamma: number;
  nComponents: number;
  maxIter: number;
  learningRate: number;
  tol: number;
  seed: number;
}

export const DEFAULT_SVM: SvmParams = { l2: 1e-3, kernel: 'linear', gamma: 0.05, nComponents: 256, maxIter: 300, learningRate: 0.05, tol: 1e-7, seed: 42 };

/**
 * Weighted one-vs-rest SVM: squared hinge loss (LinearSVC's default) per class, fitted by
 * full-batch Adam, then Platt scaling per class (sigmoid on the margin, fitted by Newton on the
 * weighted training margins) and normalisation across classes for probabilities. The RBF
 * option maps inputs through random Fourier features first, so it stays linear in cost.
 */
export class Svm extends ProbabilisticClassifier {
  static readonly NAME = 'svm';
  readonly name = Svm.NAME;
  readonly version = 1;
  private W: Float64Array = new Float64Array(0); // (dim + 1) x classes, last row = bias
  private platt: Float64Array = new Float64Array(0); // per class: a, b
  private rff: { W: Float64Array; b: Float64Array } | null = null;
  private cols = 0;

  constructor(readonly params: SvmParams = DEFAULT_SVM) {
    super();
    if (!(params.l2 > 0)) throw new RangeError(`svm: l2 must be > 0, got ${params.l2}`);
    if (params.kernel !== 'linear' && params.kernel !== 'rbf') throw new RangeError(`svm: kernel must be "linear" or "rbf", got "${params.kernel}"`);
    if (!(params.maxIter >= 1)) throw new RangeError(`svm: maxIter must be >= 1, got ${params.maxIter}`);
    if (params.kernel === 'rbf' && !(params.gamma > 0 && params.nComponents >= 1)) throw new RangeError('svm: rbf needs gamma > 0 and nComponents >= 1');
  }

  private features(X: Matrix): Matrix {
    if (!this.rff) return X;
    const D = this.rff.b.length;
    const out = new Float64Array(X.rows * D);
    const scale = Math.sqrt(2 / D);
    for (let i = 0; i < X.rows; i++) {
      for (let d = 0; d < D; d++) {
        let z = this.rff.b[d];
        for (let j = 0; j < X.cols; j++) z += X.data[i * X.cols + j] * this.rff.W[d * X.cols + j];
        out[i * D + d] = scale * Math.cos(z);
      }
    }
    return { data: out, rows: X.rows, cols: D };
  }

  async fit(X: Matrix, y: Int32Array, weights: Float64Array | undefined, opts: FitOptions): Promise<FitReport> {
    checkFitInputs(this.name, X, y, weights, opts.nClasses);
    const K = opts.nClasses;
    this.cols = X.cols;
    this.classes = K;
    const rng = new Rng(opts.seed ?? this.params.seed);
    if (this.params.kernel === 'rbf') {
      const D = this.params.nComponents;
      const sd = Math.sqrt(2 * this.params.gamma);
      this.rff = { W: Float64Array.from({ length: D * X.cols }, () => sd * rng.normal()), b: Float64Array.from({ length: D }, () => 2 * Math.PI * rng.next()) };
    } else this.rff = null;
    const Z = this.features(X);
    const { rows, cols: dim, data } = Z;
    const w = weights ?? new Float64Array(rows).fill(1);
    const wSum = w.reduce((a, b) => a + b, 0);
    if (!(wSum > 0)) throw new RangeError(`${this.name}: all sample weights are zero`);
    const P = (dim + 1) * K;
    const W = new Float64Array(P);
    const moments = adamMoments(P);
    const grad = new Float64Array(P);
    const margin = new Float64Array(K);
    let loss = Infinity;
    let iter = 1;
    for (; iter <= this.params.maxIter; iter++) {
      grad.fill(0);
      let newLoss = 0;
      for (let i = 0; i < rows; i++) {
        if (w[i] === 0) continue;
        const off = i * dim;
        const wi = w[i] / wSum;
        for (let k = 0; k < K; k++) {
          let z = W[dim * K + k];
          for (let j = 0; j < dim; j++) z += data[off + j] * W[j * K + k];
          margin[k] = z;
        }
        for (let k = 0; k < K; k++) {
          const t = y[i] === k ? 1 : -1;
          const slack = 1 - t * margin[k];
          if (slack <= 0) continue;
          newLoss += wi * slack * slack;
          const gk = -2 * wi * slack * t;
          for (let j = 0; j < dim; j++) grad[j * K + k] += gk * data[off + j];
          grad[dim * K + k] += gk;
        }
      }
      for (let q = 0; q < dim * K; q++) {
        grad[q] += this.params.l2 * W[q];
        newLoss += 0.5 * this.params.l2 * W[q] * W[q];
      }
      const lr = this.params.learningRate;
      adamStep(W, grad, moments, iter, lr);
      if (iter % 10 === 0) {
        await opts.onProgress?.({ step: iter, total: this.params.maxIter, metric: newLoss });
        throwIfAborted(opts.signal, this.name);
      }
      const converged = Math.abs(loss - newLoss) < this.params.tol;
      loss = newLoss;
      if (converged) break;
    }
    this.W = W;
    this.platt = fitPlatt(this.margins(Z), y, w, K);
    return { iterations: Math.min(iter, this.params.maxIter), trainLoss: loss };
  }

  private margins(Z: Matrix): Float64Array {
    const K = this.classes;
    const dim = Z.cols;
    const out = new Float64Array(Z.rows * K);
    for (let i = 0; i < Z.rows; i++) {
      for (let k = 0; k < K; k++) {
        let z = this.W[dim * K + k];
        for (let j = 0; j < dim; j++) z += Z.data[i * dim + j] * this.W[j * K + k];
        out[i * K + k] = z;
      }
    }
    return out;
  }

  predictProba(X: Matrix): Float64Array {
    checkPredictInputs(this.name, X, this.cols);
    const K = this.classes;
    const out = this.margins(this.features(X));
    for (let i = 0; i < X.rows; i++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += (out[i * K + k] = 1 / (1 + Math.exp(-(this.platt[2 * k] * out[i * K + k] + this.platt[2 * k + 1]))));
      for (let k = 0; k < K; k++) out[i * K + k] = s > 0 ? out[i * K + k] / s : 1 / K;
    }
    return out;
  }

  toJSON(): ModelJSON {
    return this.artifact(this.params, this.cols, {
      W: Array.from(this.W),
      platt: Array.from(this.platt),
      rff: this.rff ? { W: Array.from(this.rff.W), b: Array.from(this.rff.b) } : null,
    });
  }

  static fromJSON(json: ModelJSON): Svm {
    checkArtifact(json, Svm.NAME, 1);
    const m = new Svm(json.params as SvmParams);
    m.cols = json.cols as number;
    m.classes = json.classes as number;
    m.W = Float64Array.from(json.W as number[]);
    m.platt = Float64Array.from(json.platt as number[]);
    const rff = json.rff as { W: number[]; b: number[] } | null;
    m.rff = rff ? { W: Float64Array.from(rff.W), b: Float64Array.from(rff.b) } : null;
    return m;
  }
}

/**
 * Platt scaling per class: P(y = k | margin) = sigmoid(a * margin + b), weighted, with Platt's
 * smoothed targets so separable data does not push a to infinity. Newton steps on (a, b).
 */
function fitPlatt(margins: Float64Array, y: Int32Array, w: Float64Array, K: number): Float64Array {
  const out = new Float64Array(2 * K);
  const n = y.length;
  for (let k = 0; k < K; k++) {
    let nPos = 0;
    let nNeg = 0;
    for (let i = 0; i < n; i++) {
      if (y[i] === k) nPos += w[i];
      else nNeg += w[i];
    }
    const tPos = (nPos + 1) / (nPos + 2);
    const tNeg = 1 / (nNeg + 2);
    let a = 1;
    let b = 0;
    for (let it = 0; it < 50; it++) {
      let ga = 0, gb = 0, haa = 1e-9, hab = 0, hbb = 1e-9;
      for (let i = 0; i < n; i++) {
        if (w[i] === 0) continue;
        const f = margins[i * K + k];
        const p = 1 / (1 + Math.exp(-(a * f + b)));
        const t = y[i] === k ? tPos : tNeg;
        const d = w[i] * (p - t);
        const s = w[i] * Math.max(p * (1 - p), 1e-12);
        ga += d * f;
        gb += d;
        haa += s * f * f;
        hab += s * f;
        hbb += s;
      }
      const det = haa * hbb - hab * hab;
      if (!(Math.abs(det) > 1e-18)) break;
      const da = (hbb * ga - hab * gb) / det;
      const db = (haa * gb - hab * ga) / det;
      a -= da;
      b -= db;
      if (Math.abs(da) + Math.abs(db) < 1e-9) break;
    }
    out[2 * k] = a;
    out[2 * k + 1] = b;
  }
  return out;
}
