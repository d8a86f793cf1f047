import { ModelArtifactError } from '../../errors';
import { Rng } from '../../util/rng';
import { argmaxRows, checkFitInputs, checkPredictInputs, throwIfAborted, type Classifier, type FitOptions, type FitReport, type Matrix, type ModelJSON } from '../classifier';
import { initTfBackend, tf } from '../tf/backend';
import { probaAccuracy, probaLogLoss } from '../probabilityScores';
import { AdamW, WeightEma } from './adamw';
import { classWeights, DEFAULT_TRM_LOSS, trmLoss, type TrmLossConfig } from './trmLoss';
import { gradCycle, gradsByParam, initialState, initialValues, noGradCycles, PARAM_NAMES, toTensors, toVariables, type ParamName, type ParamValues, type TrmArchitecture, type TrmParams, type TrmState } from './trmNetwork';

export interface TrmConfig extends TrmArchitecture, TrmLossConfig {
  /** Deep supervision: at most this many supervision steps per sample. */
  nSup: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  weightDecay: number;
  warmupSteps: number;
  emaDecay: number;
  /** Early stopping: epochs without validation improvement (EMA weights); 0 = off. */
  patience: number;
  /** Share of samples that must think a random minimum number of steps before halting. */
  haltExploration: number;
  seed: number;
}

export const DEFAULT_TRM: TrmConfig = {
  hidden: 512,
  mlpRatio: 2,
  n: 6,
  T: 3,
  nSup: 16,
  epochs: 30,
  batchSize: 256,
  learningRate: 1e-3,
  weightDecay: 0.01,
  warmupSteps: 100,
  emaDecay: 0.999,
  patience: 5,
  haltExploration: 0.1,
  seed: 42,
  ...DEFAULT_TRM_LOSS,
};

export interface TrmPrediction {
  proba: Float64Array;
  /** sigmoid(Q) at the step the sample halted */
  haltProbability: Float64Array;
  /** 1-based supervision step at which the sample halted (nSup if it never did) */
  haltingStep: Int32Array;
}

/**
 * Tiny Recursive Model classifier. One small shared network refines an answer state y and a
 * latent z: latent_recursion runs z = net(x + y + z) n times then y = net(y + z);
 * deep_recursion runs T - 1 cycles without gradients and one with; deep supervision repeats
 * that up to nSup times per sample, carrying detached (y, z), with one optimiser step per
 * supervision step and a learned halting head Q. Effective depth T (n + 1) x 2 layers per
 * supervision step (42 by default). Evaluation and checkpoints use the EMA of the weights.
 */
export class Trm implements Classifier {
  static readonly NAME = 'trm';
  readonly name = Trm.NAME;
  readonly version = 1;
  readonly cfg: TrmConfig;
  private weights: ParamValues | null = null;
  private y0: Float32Array = new Float32Array(0);
  private z0: Float32Array = new Float32Array(0);
  private cols = 0;
  private classes = 0;
  backend: string | null = null;
  classWeightValues: number[] = [];

  constructor(params: Partial<TrmConfig> = {}) {
    const c = { ...DEFAULT_TRM, ...params };
    const need = (ok: boolean, msg: string) => {
      if (!ok) throw new RangeError(`trm: ${msg}`);
    };
    need(Number.isInteger(c.hidden) && c.hidden >= 2, `hidden must be an integer >= 2, got ${c.hidden}`);
    need(Number.isInteger(c.n) && c.n >= 1, `n must be an integer >= 1, got ${c.n}`);
    need(Number.isInteger(c.T) && c.T >= 1, `T must be an integer >= 1, got ${c.T}`);
    need(Number.isInteger(c.nSup) && c.nSup >= 1, `nSup must be an integer >= 1, got ${c.nSup}`);
    need(c.epochs >= 1 && c.batchSize >= 1, 'epochs and batchSize must be >= 1');
    need(['none', 'inverse', 'sqrt_inverse'].includes(c.classWeighting), `classWeighting must be none, inverse or sqrt_inverse, got "${c.classWeighting}"`);
    need(c.emaDecay > 0 && c.emaDecay < 1, `emaDecay must be in (0, 1), got ${c.emaDecay}`);
    this.cfg = c;
  }

  get effectiveDepth(): number {
    return this.cfg.T * (this.cfg.n + 1) * 2;
  }

  async fit(X: Matrix, y: Int32Array, weights: Float64Array | undefined, opts: FitOptions): Promise<FitReport> {
    checkFitInputs(this.name, X, y, weights, opts.nClasses);
    if (opts.pnl && opts.pnl.length !== X.rows * opts.nClasses) throw new RangeError(`trm: pnl has ${opts.pnl.length} values, expected rows x classes = ${X.rows * opts.nClasses}`);
    this.backend = await initTfBackend();
    const c = this.cfg;
    const K = opts.nClasses;
    const n = X.rows;
    this.cols = X.cols;
    this.classes = K;
    const rng = new Rng(opts.seed ?? c.seed);
    const init = initialValues(X.cols, K, c, rng.int(2 ** 31));
    this.y0 = init.y0;
    this.z0 = init.z0;
    const w = weights ?? new Float64Array(n).fill(1);
    const cw = classWeights(y, w, K, c.classWeighting);
    this.classWeightValues = Array.from(cw);

    const vars = toVariables(init.params);
    const opt = new AdamW(vars, { learningRate: c.learningRate, weightDecay: c.weightDecay, warmupSteps: c.warmupSteps, beta1: 0.9, beta2: 0.95, eps: 1e-8 });
    const ema = new WeightEma(vars, c.emaDecay);
    const y0 = tf.tensor1d(this.y0);
    const z0 = tf.tensor1d(this.z0);
    const varList = PARAM_NAMES.map((k) => vars[k]);
    const val = opts.validation && opts.validation.X.rows > 0 && c.patience > 0 ? opts.validation : null;
    const history: Record<string, number>[] = [];
    let best: { score: number; epoch: number; weights: ParamValues | null } = { score: Infinity, epoch: 0, weights: null };
    let epoch = 0;
    let batchesDone = 0;
    const batchesPerEpoch = Math.ceil(n / c.batchSize);
    try {
      for (epoch = 1; epoch <= c.epochs; epoch++) {
        const perm = rng.permutation(n);
        const sums = { total: 0, task: 0, halt: 0, profit: 0, rows: 0, steps: 0 };
        for (let s = 0; s < n; s += c.batchSize) {
          const idx = perm.subarray(s, Math.min(n, s + c.batchSize));
          this.trainBatch(vars, varList, opt, ema, y0, z0, X, y, w, cw, opts.pnl ?? null, idx, rng, sums);
          batchesDone++;
          await opts.onProgress?.({ step: batchesDone, total: batchesPerEpoch * c.epochs, metric: sums.rows > 0 ? sums.total / sums.rows : undefined });
          throwIfAborted(opts.signal, this.name);
        }
        const row: Record<string, number> = {
          epoch,
          loss: sums.total / sums.rows,
          task: sums.task / sums.rows,
          halt: sums.halt / sums.rows,
          profit: sums.profit / sums.rows,
          meanSupervisionSteps: sums.steps / n,
        };
        if (val) {
          this.weights = ema.values() as ParamValues;
          const pred = this.predictDetailed(val.X);
          row.valLogLoss = probaLogLoss(pred.proba, val.y, K);
          row.valAccuracy = probaAccuracy(pred.proba, val.y, K);
          row.valMeanHaltingStep = pred.haltingStep.reduce((a, b) => a + b, 0) / pred.haltingStep.length;
          if (row.valLogLoss < best.score - 1e-6) best = { score: row.valLogLoss, epoch, weights: this.weights };
          history.push(row);
          if (epoch - best.epoch >= c.patience) break;
        } else history.push(row);
      }
      this.weights = best.weights ?? (ema.values() as ParamValues);
    } finally {
      for (const v of varList) v.dispose();
      opt.dispose();
      ema.dispose();
      y0.dispose();
      z0.dispose();
    }
    const notes = [`tfjs backend ${this.backend}`, `effective depth ${this.effectiveDepth}`, `class weights (${c.classWeighting}) ${this.classWeightValues.map((v) => v.toFixed(3)).join(', ')}`];
    if (best.weights) notes.push(`early stopping: best epoch ${best.epoch} of ${history.length}, validation log loss ${best.score.toFixed(4)}`);
    return { iterations: history.length, trainLoss: history.at(-1)?.loss, notes, history, ...(best.weights ? { bestIteration: best.epoch } : {}) };
  }

  /** One minibatch of deep supervision: up to nSup optimiser steps, halted samples drop out. */
  private trainBatch(
    vars: Record<ParamName, tf.Variable>,
    varList: tf.Variable[],
    opt: AdamW,
    ema: WeightEma,
    y0: tf.Tensor1D,
    z0: tf.Tensor1D,
    X: Matrix,
    y: Int32Array,
    w: Float64Array,
    cw: Float64Array,
    pnl: Float64Array | null,
    idx: Int32Array,
    rng: Rng,
    sums: { total: number; task: number; halt: number; profit: number; rows: number; steps: number },
  ): void {
    const c = this.cfg;
    const K = this.classes;
    const B = idx.length;
    const xb = new Float32Array(B * X.cols);
    const oh = new Float32Array(B * K);
    const wb = new Float32Array(B);
    const lw = new Float32Array(B);
    const pb = pnl ? new Float32Array(B * K) : null;
    // Exploration: some samples must think a random minimum number of steps before halting.
    const minSteps = new Int32Array(B);
    idx.forEach((i, r) => {
      for (let j = 0; j < X.cols; j++) xb[r * X.cols + j] = X.data[i * X.cols + j];
      oh[r * K + y[i]] = 1;
      wb[r] = w[i];
      lw[r] = cw[y[i]];
      if (pb && pnl) for (let k = 0; k < K; k++) pb[r * K + k] = pnl[i * K + k];
      minSteps[r] = rng.next() < c.haltExploration ? 2 + rng.int(Math.max(1, c.nSup - 1)) : 1;
    });
    const full = {
      x: tf.tensor2d(xb, [B, X.cols]),
      onehot: tf.tensor2d(oh, [B, K]),
      weights: tf.tensor1d(wb),
      labelWeights: tf.tensor1d(lw),
      pnl: pb ? tf.tensor2d(pb, [B, K]) : null,
    };
    let active = Int32Array.from({ length: B }, (_, r) => r);
    let state: TrmState = initialState(y0, z0, B);
    try {
      for (let step = 1; step <= c.nSup && active.length > 0; step++) {
        const A = active.length;
        const ai = tf.tensor1d(active, 'int32');
        const sub = {
          x: tf.gather(full.x, ai) as tf.Tensor2D,
          onehot: tf.gather(full.onehot, ai) as tf.Tensor2D,
          weights: tf.gather(full.weights, ai) as tf.Tensor1D,
          labelWeights: tf.gather(full.labelWeights, ai) as tf.Tensor1D,
          pnl: full.pnl ? (tf.gather(full.pnl, ai) as tf.Tensor2D) : null,
        };
        ai.dispose();
        const carried = noGradCycles(vars, sub.x, state, c);
        let next: TrmState | null = null;
        let q: tf.Tensor2D | null = null;
        let parts: number[] = [];
        const { value, grads } = tf.variableGrads(() => {
          const out = gradCycle(vars, sub.x, carried, c);
          const L = trmLoss({ logits: out.logits, q: out.q, onehot: sub.onehot, weights: sub.weights, labelWeights: sub.labelWeights, pnl: sub.pnl }, c);
          next = { y: tf.keep(out.state.y), z: tf.keep(out.state.z) };
          q = tf.keep(out.q);
          parts = [L.task.dataSync()[0], L.halt.dataSync()[0], L.profit.dataSync()[0]];
          return L.total;
        }, varList);
        opt.apply(gradsByParam(vars, grads as Record<string, tf.Tensor>));
        ema.update();
        const total = value.dataSync()[0];
        value.dispose();
        for (const g of Object.values(grads)) g.dispose();
        tf.dispose([carried.y, carried.z, state.y, state.z]);
        tf.dispose(Object.values(sub).filter((t) => t !== null) as tf.Tensor[]);
        sums.total += total * A;
        sums.task += parts[0] * A;
        sums.halt += parts[1] * A;
        sums.profit += parts[2] * A;
        sums.rows += A;
        sums.steps += A;
        // Halting: a sample stops when Q > 0 (after its exploration minimum); (y, z) are detached.
        const qv = (q as unknown as tf.Tensor2D).dataSync();
        (q as unknown as tf.Tensor2D).dispose();
        const keep: number[] = [];
        const keepActive: number[] = [];
        for (let r = 0; r < A; r++) {
          if (step < c.nSup && (qv[r] <= 0 || step < minSteps[active[r]])) {
            keep.push(r);
            keepActive.push(active[r]);
          }
        }
        const nx = next as unknown as TrmState;
        if (keep.length === A) state = nx;
        else {
          const ki = tf.tensor1d(Int32Array.from(keep), 'int32');
          state = { y: tf.gather(nx.y, ki) as tf.Tensor2D, z: tf.gather(nx.z, ki) as tf.Tensor2D };
          tf.dispose([ki, nx.y, nx.z]);
        }
        active = Int32Array.from(keepActive);
      }
    } finally {
      tf.dispose([state.y, state.z]);
      tf.dispose(Object.values(full).filter((t) => t !== null) as tf.Tensor[]);
    }
  }

  /**
   * Inference with halting: every sample runs supervision steps until its Q > 0 or nSup, and
   * its prediction is the output of that step.
   */
  predictDetailed(X: Matrix, override?: Partial<Pick<TrmConfig, keyof TrmArchitecture | 'nSup'>>): TrmPrediction {
    if (!this.weights) throw new ModelArtifactError('trm: model is not fitted');
    checkPredictInputs(this.name, X, this.cols);
    const arch = { ...this.cfg, ...override };
    const K = this.classes;
    const proba = new Float64Array(X.rows * K);
    const haltProbability = new Float64Array(X.rows);
    const haltingStep = new Int32Array(X.rows);
    const params = toTensors(this.weights);
    const y0 = tf.tensor1d(this.y0);
    const z0 = tf.tensor1d(this.z0);
    try {
      const CHUNK = 1024;
      for (let s0 = 0; s0 < X.rows; s0 += CHUNK) {
        const rows = Math.min(CHUNK, X.rows - s0);
        const xs = tf.tensor2d(Float32Array.from(X.data.subarray(s0 * X.cols, (s0 + rows) * X.cols)), [rows, X.cols]);
        let active = Int32Array.from({ length: rows }, (_, r) => r);
        let x = xs;
        let state = initialState(y0, z0, rows);
        for (let step = 1; step <= arch.nSup && active.length > 0; step++) {
          const carried = noGradCycles(params, x, state, arch);
          const out = tf.tidy(() => {
            const o = gradCycle(params, x, carried, arch);
            return { y: o.state.y, z: o.state.z, p: tf.softmax(o.logits), q: o.q };
          });
          tf.dispose([carried.y, carried.z, state.y, state.z]);
          const p = out.p.dataSync();
          const q = out.q.dataSync();
          const keep: number[] = [];
          for (let r = 0; r < active.length; r++) {
            const row = s0 + active[r];
            if (q[r] > 0 || step === arch.nSup) {
              for (let k = 0; k < K; k++) proba[row * K + k] = p[r * K + k];
              haltProbability[row] = 1 / (1 + Math.exp(-q[r]));
              haltingStep[row] = step;
            } else keep.push(r);
          }
          tf.dispose([out.p, out.q]);
          if (keep.length === 0) {
            tf.dispose([out.y, out.z]);
            state = { y: tf.zeros([0, arch.hidden]), z: tf.zeros([0, arch.hidden]) };
            active = new Int32Array(0);
            break;
          }
          const ki = tf.tensor1d(Int32Array.from(keep), 'int32');
          const nextX = keep.length === active.length ? x : (tf.gather(x, ki) as tf.Tensor2D);
          state = keep.length === active.length ? { y: out.y, z: out.z } : { y: tf.gather(out.y, ki) as tf.Tensor2D, z: tf.gather(out.z, ki) as tf.Tensor2D };
          if (keep.length !== active.length) {
            tf.dispose([out.y, out.z]);
            if (x !== xs) x.dispose();
          }
          ki.dispose();
          x = nextX;
          active = Int32Array.from(keep, (r) => active[r]);
        }
        tf.dispose([state.y, state.z]);
        if (x !== xs) x.dispose();
        xs.dispose();
      }
    } finally {
      tf.dispose(Object.values(params));
      tf.dispose([y0, z0]);
    }
    return { proba, haltProbability, haltingStep };
  }

  /** Raw forward pass of one supervision step from the initial state (for architecture tests). */
  forwardOnce(X: Matrix, override?: Partial<TrmArchitecture>): { logits: Float32Array; q: Float32Array; qShape: number[] } {
    if (!this.weights) throw new ModelArtifactError('trm: model is not fitted');
    const arch = { ...this.cfg, ...override };
    const params = toTensors(this.weights);
    try {
      return tf.tidy(() => {
        const x = tf.tensor2d(Float32Array.from(X.data), [X.rows, X.cols]);
        const s = initialState(tf.tensor1d(this.y0), tf.tensor1d(this.z0), X.rows);
        const out = gradCycle(params, x, noGradCycles(params, x, s, arch), arch);
        return { logits: Float32Array.from(out.logits.dataSync()), q: Float32Array.from(out.q.dataSync()), qShape: out.q.shape };
      });
    } finally {
      tf.dispose(Object.values(params));
    }
  }

  /** Seeded, untrained weights (tests inspect the architecture without a training run). */
  initialise(inputDim: number, classes: number, seed = this.cfg.seed): this {
    const init = initialValues(inputDim, classes, this.cfg, seed);
    this.weights = init.params;
    this.y0 = init.y0;
    this.z0 = init.z0;
    this.cols = inputDim;
    this.classes = classes;
    return this;
  }

  get parameterValues(): ParamValues | null {
    return this.weights;
  }

  get fixedStates(): { y0: Float32Array; z0: Float32Array } {
    return { y0: this.y0, z0: this.z0 };
  }

  predictProba(X: Matrix): Float64Array {
    return this.predictDetailed(X).proba;
  }

  predict(X: Matrix): Int32Array {
    return argmaxRows(this.predictProba(X), this.classes);
  }

  toJSON(): ModelJSON {
    if (!this.weights) throw new ModelArtifactError('trm: model is not fitted');
    const enc = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
    return {
      name: this.name,
      version: this.version,
      params: this.cfg,
      cols: this.cols,
      classes: this.classes,
      backend: this.backend,
      classWeights: this.classWeightValues,
      y0: enc(this.y0),
      z0: enc(this.z0),
      // EMA weights, float32 exactly (base64), so a reload predicts bit-for-bit the same.
      weights: Object.fromEntries(PARAM_NAMES.map((k) => [k, { shape: this.weights![k].shape, data: enc(this.weights![k].values) }])),
    };
  }

  static fromJSON(json: ModelJSON): Trm {
    if (json.name !== Trm.NAME) throw new ModelArtifactError(`expected a "${Trm.NAME}" model, got "${json.name}"`);
    if (json.version !== 1) throw new ModelArtifactError(`unsupported ${Trm.NAME} model version ${json.version}`);
    const dec = (s: string) => {
      const b = Buffer.from(s, 'base64');
      return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    };
    const m = new Trm(json.params as TrmConfig);
    m.cols = json.cols as number;
    m.classes = json.classes as number;
    m.backend = (json.backend as string | null) ?? null;
    m.classWeightValues = (json.classWeights as number[]) ?? [];
    m.y0 = dec(json.y0 as string);
    m.z0 = dec(json.z0 as string);
    const weights = json.weights as Record<string, { shape: number[]; data: string }>;
    m.weights = Object.fromEntries(PARAM_NAMES.map((k) => [k, { shape: weights[k].shape, values: dec(weights[k].data) }])) as ParamValues;
    return m;
  }
}

export type { TrmParams };
