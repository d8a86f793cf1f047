import { Rng } from '../util/rng';
import { checkFitInputs, checkPredictInputs, throwIfAborted, type FitOptions, type FitReport, type Matrix, type ModelJSON } from './classifier';
import { checkArtifact, ProbabilisticClassifier } from './modelBase';
import { initTfBackend, tf } from './tf/backend';
import { matMulFast } from './tf/matmul';

export interface MlpParams {
  hidden: number[];
  epochs: number;
  batchSize: number;
  learningRate: number;
  l2: number;
  /** Early stopping: epochs without validation improvement before stopping; 0 = off. */
  patience: number;
  seed: number;
}

export const DEFAULT_MLP: MlpParams = { hidden: [128, 64], epochs: 60, batchSize: 256, learningRate: 1e-3, l2: 1e-4, patience: 8, seed: 42 };

interface Layer {
  W: Float32Array; // in x out, row-major
  b: Float32Array;
  inDim: number;
  outDim: number;
}

/**
 * Multi-layer perceptron (ReLU) trained in TensorFlow.js with its own loop, because
 * tfjs-layers' fit() rejects per-sample weights: the loss is the weighted cross-entropy
 * sum(w_i * ce_i) / (batch * mean weight), an unbiased estimate of the full weighted mean.
 * Weights are initialised from the seeded Rng (He normal) and batches are shuffled with it,
 * so a run is reproducible. Inference is plain JS over the stored weights, so predictions do
 * not depend on which tfjs backend loaded.
 */
export class Mlp extends ProbabilisticClassifier {
  static readonly NAME = 'mlp';
  readonly name = Mlp.NAME;
  readonly version = 1;
  private layers: Layer[] = [];
  private cols = 0;
  backend: string | null = null;

  constructor(readonly params: MlpParams = DEFAULT_MLP) {
    super();
    if (!Array.isArray(params.hidden) || params.hidden.some((h) => !(Number.isInteger(h) && h >= 1))) throw new RangeError(`mlp: hidden must be a list of positive integers, got ${JSON.stringify(params.hidden)}`);
    if (!(params.epochs >= 1)) throw new RangeError(`mlp: epochs must be >= 1, got ${params.epochs}`);
    if (!(params.batchSize >= 1)) throw new RangeError(`mlp: batchSize must be >= 1, got ${params.batchSize}`);
    if (!(params.learningRate > 0)) throw new RangeError(`mlp: learningRate must be > 0, got ${params.learningRate}`);
  }

  async fit(X: Matrix, y: Int32Array, weights: Float64Array | undefined, opts: FitOptions): Promise<FitReport> {
    checkFitInputs(this.name, X, y, weights, opts.nClasses);
    this.backend = await initTfBackend();
    const K = opts.nClasses;
    const n = X.rows;
    this.cols = X.cols;
    this.classes = K;
    const rng = new Rng(opts.seed ?? this.params.seed);
    const w = weights ?? new Float64Array(n).fill(1);
    const wMean = w.reduce((a, b) => a + b, 0) / n;
    if (!(wMean > 0)) throw new RangeError(`${this.name}: all sample weights are zero`);

    const dims = [X.cols, ...this.params.hidden, K];
    const vars = dims.slice(1).map((out, l) => {
      const inDim = dims[l];
      const sd = Math.sqrt(2 / inDim);
      return {
        W: tf.variable(tf.tensor2d(Float32Array.from({ length: inDim * out }, () => sd * rng.normal()), [inDim, out])),
        b: tf.variable(tf.zeros([out])),
      };
    });
    const varList = vars.flatMap((v) => [v.W, v.b]);
    const forward = (x: tf.Tensor2D): tf.Tensor2D => {
      let h = x;
      vars.forEach((v, l) => {
        h = tf.add(matMulFast(h, v.W), v.b);
        if (l < vars.length - 1) h = tf.relu(h);
      });
      return h;
    };
    const optimizer = tf.train.adam(this.params.learningRate);
    const Xf = Float32Array.from(X.data);
    const val = opts.validation && opts.validation.X.rows > 0 && this.params.patience > 0 ? opts.validation : null;
    const valX = val ? tf.tensor2d(Float32Array.from(val.X.data), [val.X.rows, val.X.cols]) : null;
    const valY = val ? tf.oneHot(tf.tensor1d(val.y, 'int32'), K) : null;
    const valW = val ? tf.tensor1d(Float32Array.from(val.weights ?? new Float64Array(val.y.length).fill(1))) : null;
    let best = { loss: Infinity, epoch: 0, snapshot: null as Layer[] | null };
    let epoch = 0;
    let trainLoss = NaN;
    try {
      for (epoch = 1; epoch <= this.params.epochs; epoch++) {
        const perm = rng.permutation(n);
        let lossSum = 0;
        let batches = 0;
        for (let s = 0; s < n; s += this.params.batchSize) {
          const idx = perm.subarray(s, Math.min(n, s + this.params.batchSize));
          const B = idx.length;
          const xb = new Float32Array(B * X.cols);
          const yb = new Int32Array(B);
          const wb = new Float32Array(B);
          idx.forEach((i, r) => {
            xb.set(Xf.subarray(i * X.cols, (i + 1) * X.cols), r * X.cols);
            yb[r] = y[i];
            wb[r] = w[i] / (B * wMean);
          });
          const loss = tf.tidy((): tf.Scalar => {
            const xt = tf.tensor2d(xb, [B, X.cols]);
            const yt = tf.oneHot(tf.tensor1d(yb, 'int32'), K);
            const wt = tf.tensor1d(wb);
            const l = optimizer.minimize(() => {
              const ce = tf.losses.softmaxCrossEntropy(yt, forward(xt), undefined, undefined, tf.Reduction.NONE);
              const data = tf.sum(tf.mul(ce, wt));
              const reg = vars.reduce((acc, v) => tf.add(acc, tf.sum(tf.square(v.W))), tf.scalar(0));
              return tf.add(data, tf.mul(reg, this.params.l2 / 2)) as tf.Scalar;
            }, true, varList);
            return l ?? tf.scalar(NaN);
          });
          lossSum += (await loss.data())[0];
          loss.dispose();
          batches++;
        }
        trainLoss = lossSum / Math.max(1, batches);
        let valLoss: number | undefined;
        if (valX && valY && valW) {
          valLoss = tf.tidy(() => {
            const ce = tf.losses.softmaxCrossEntropy(valY, forward(valX), undefined, undefined, tf.Reduction.NONE);
            return tf.div(tf.sum(tf.mul(ce, valW)), tf.sum(valW)).dataSync()[0];
          });
          if (valLoss < best.loss - 1e-6) best = { loss: valLoss, epoch, snapshot: snapshot(vars) };
          else if (epoch - best.epoch >= this.params.patience) {
            await opts.onProgress?.({ step: epoch, total: this.params.epochs, metric: valLoss });
            break;
          }
        }
        await opts.onProgress?.({ step: epoch, total: this.params.epochs, metric: valLoss ?? trainLoss });
        throwIfAborted(opts.signal, this.name);
      }
      this.layers = best.snapshot ?? snapshot(vars);
    } finally {
      for (const v of varList) v.dispose();
      valX?.dispose();
      valY?.dispose();
      valW?.dispose();
      optimizer.dispose();
    }
    const notes = [`tfjs backend ${this.backend}`];
    if (best.snapshot) notes.push(`early stopping: best epoch ${best.epoch}, validation log loss ${best.loss.toFixed(4)}`);
    return { iterations: Math.min(epoch, this.params.epochs), trainLoss, notes, ...(best.snapshot ? { bestIteration: best.epoch } : {}) };
  }

  predictProba(X: Matrix): Float64Array {
    checkPredictInputs(this.name, X, this.cols);
    let h = X.data;
    let dim = X.cols;
    this.layers.forEach((L, l) => {
      const out = new Float64Array(X.rows * L.outDim);
      for (let i = 0; i < X.rows; i++) {
        for (let o = 0; o < L.outDim; o++) out[i * L.outDim + o] = L.b[o];
        for (let j = 0; j < dim; j++) {
          const x = h[i * dim + j];
          if (x === 0) continue;
          const row = j * L.outDim;
          for (let o = 0; o < L.outDim; o++) out[i * L.outDim + o] += x * L.W[row + o];
        }
        if (l < this.layers.length - 1) for (let o = 0; o < L.outDim; o++) if (out[i * L.outDim + o] < 0) out[i * L.outDim + o] = 0;
      }
      h = out;
      dim = L.outDim;
    });
    const K = this.classes;
    for (let i = 0; i < X.rows; i++) {
      let max = -Infinity;
      for (let k = 0; k < K; k++) max = Math.max(max, h[i * K + k]);
      let s = 0;
      for (let k = 0; k < K; k++) s += (h[i * K + k] = Math.exp(h[i * K + k] - max));
      for (let k = 0; k < K; k++) h[i * K + k] /= s;
    }
    return h;
  }

  toJSON(): ModelJSON {
    return this.artifact(this.params, this.cols, { layers: this.layers.map((L) => ({ W: Array.from(L.W), b: Array.from(L.b), inDim: L.inDim, outDim: L.outDim })) });
  }

  static fromJSON(json: ModelJSON): Mlp {
    checkArtifact(json, Mlp.NAME, 1);
    const m = new Mlp(json.params as MlpParams);
    m.cols = json.cols as number;
    m.classes = json.classes as number;
    m.layers = (json.layers as { W: number[]; b: number[]; inDim: number; outDim: number }[]).map((L) => ({ W: Float32Array.from(L.W), b: Float32Array.from(L.b), inDim: L.inDim, outDim: L.outDim }));
    return m;
  }
}

function snapshot(vars: { W: tf.Variable<tf.Rank.R2>; b: tf.Variable }[]): Layer[] {
  return vars.map((v) => ({ W: Float32Array.from(v.W.dataSync()), b: Float32Array.from(v.b.dataSync()), inDim: v.W.shape[0] as number, outDim: v.W.shape[1] as number }));
}
