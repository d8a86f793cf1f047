import { ModelArtifactError } from '../../errors';
import { Rng } from '../../util/rng';
import { argmaxRows, checkFitInputs, checkPredictInputs, throwIfAborted, type Classifier, type FitOptions, type FitReport, type Matrix, type ModelJSON } from '../classifier';
import { probaAccuracy, probaLogLoss } from '../probabilityScores';
import { AdamW, GrokFastFilter, WeightEma } from './adamw';
import type { EngineKind } from './engine/kernels';
import { lossAndGradient, type BatchTargets } from './engine/lossGradient';
import { TrmEngine, type EngineShape } from './engine/trmEngine';
import { classWeights, DEFAULT_TRM_LOSS, type TrmLossConfig } from './trmLoss';
import { initialValues, PARAM_NAMES, type ParamValues, type TrmArchitecture } from './trmNetwork';

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
  /** GrokFast-EMA gradient filter: decay of the gradient average (0 = off; the original used 0.98). */
  grokfastAlpha: number;
  /** GrokFast amplification of the averaged gradient. */
  grokfastLambda: number;
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
  // Off: measured on the real final windows it did not help (docs/native-engine.md).
  grokfastAlpha: 0,
  grokfastLambda: 2,
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

  /** The engine this instance trains and predicts on; null = the process default (TRM_ENGINE, else native when built). */
  engine: EngineKind | null;

  constructor(params: Partial<TrmConfig> = {}, opts: { engine?: EngineKind } = {}) {
    this.engine = opts.engine ?? null;
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
    need(c.grokfastAlpha >= 0 && c.grokfastAlpha < 1, `grokfastAlpha must be in [0, 1), got ${c.grokfastAlpha}`);
    this.cfg = c;
  }

  get effectiveDepth(): number {
    return this.cfg.T * (this.cfg.n + 1) * 2;
  }

  /** Memory of the engine training right now (0 outside fit): fixed for the whole fit. */
  get trainingMemoryBytes(): number {
    return this.training?.memoryBytes ?? 0;
  }

  private training: TrmEngine | null = null;

  private engineShape(): EngineShape {
    const c = this.cfg;
    return { inputDim: this.cols, classes: this.classes, hidden: c.hidden, ffn: Math.max(1, Math.round(c.hidden * c.mlpRatio)), n: c.n, T: c.T };
  }

  async fit(X: Matrix, y: Int32Array, weights: Float64Array | undefined, opts: FitOptions): Promise<FitReport> {
    checkFitInputs(this.name, X, y, weights, opts.nClasses);
    if (opts.pnl && opts.pnl.length !== X.rows * opts.nClasses) throw new RangeError(`trm: pnl has ${opts.pnl.length} values, expected rows x classes = ${X.rows * opts.nClasses}`);
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

    const engine = new TrmEngine(this.engineShape(), Math.min(c.batchSize, n), true, this.engine ?? undefined);
    this.backend = engine.engineName;
    engine.setParams(init.params);
    const opt = new AdamW(engine.params.length, engine.matrixRanges, { learningRate: c.learningRate, weightDecay: c.weightDecay, warmupSteps: c.warmupSteps, beta1: 0.9, beta2: 0.95, eps: 1e-8 });
    const ema = new WeightEma(engine.params, c.emaDecay);
    const grokfast = c.grokfastAlpha > 0 ? new GrokFastFilter(engine.params.length, c.grokfastAlpha, c.grokfastLambda) : null;
    const val = opts.validation && opts.validation.X.rows > 0 && c.patience > 0 ? opts.validation : null;
    let history: Record<string, number>[] = [];
    let best: { score: number; epoch: number; weights: ParamValues | null } = { score: Infinity, epoch: 0, weights: null };
    let epoch = 0;
    let batchesDone = 0;
    let rngNow = rng;
    const batchesPerEpoch = Math.ceil(n / c.batchSize);
    // Resume: the checkpoint holds everything the next epoch reads (raw weights, AdamW moments,
    // EMA, GrokFast average, the random stream, early-stopping state), in the model's shapes,
    // so it continues on either engine; on the same engine the result is bit-for-bit the
    // uninterrupted fit's.
    const restored = opts.resumeFrom ? this.checkpointState(opts.resumeFrom) : null;
    if (restored) {
      engine.setParams(restored.raw);
      opt.restore({ m: engine.toFlat(restored.m), v: engine.toFlat(restored.v), steps: restored.adamSteps });
      ema.restore(engine.toFlat(restored.shadow), restored.emaSteps);
      if (grokfast && restored.grokfast) grokfast.restore({ ema: engine.toFlat(restored.grokfast), started: true });
      rngNow = Rng.fromState(restored.rng);
      history = restored.history;
      best = restored.best;
      batchesDone = restored.epoch * batchesPerEpoch;
    }
    const checkpointEvery = Math.max(1, opts.checkpointEvery ?? 1);
    const trainingState = (ep: number): ModelJSON => {
      const enc = (v: ParamValues) => encodeValues(v);
      return {
        ...this.toJSON(),
        training: {
          epoch: ep,
          engine: engine.engineName,
          raw: enc(engine.paramValues(engine.params)),
          m: enc(engine.paramValues(opt.state().m)),
          v: enc(engine.paramValues(opt.state().v)),
          adamSteps: opt.steps,
          shadow: enc(engine.paramValues(ema.shadow)),
          emaSteps: ema.steps,
          grokfast: grokfast ? enc(engine.paramValues(grokfast.ema)) : null,
          rng: rngNow.snapshot(),
          history,
          best: { score: Number.isFinite(best.score) ? best.score : null, epoch: best.epoch, weights: best.weights ? enc(best.weights) : null },
        },
      };
    };
    this.training = engine;
    try {
      for (epoch = (restored?.epoch ?? 0) + 1; epoch <= c.epochs; epoch++) {
        const perm = rngNow.permutation(n);
        const sums = { total: 0, task: 0, halt: 0, profit: 0, rows: 0, steps: 0 };
        for (let s = 0; s < n; s += c.batchSize) {
          const idx = perm.subarray(s, Math.min(n, s + c.batchSize));
          this.trainBatch(engine, opt, ema, grokfast, X, y, w, cw, opts.pnl ?? null, idx, rngNow, sums);
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
        this.weights = engine.paramValues(ema.shadow);
        let stop = false;
        if (val) {
          const pred = this.predictDetailed(val.X);
          row.valLogLoss = probaLogLoss(pred.proba, val.y, K);
          row.valAccuracy = probaAccuracy(pred.proba, val.y, K);
          row.valMeanHaltingStep = pred.haltingStep.reduce((a, b) => a + b, 0) / pred.haltingStep.length;
          if (row.valLogLoss < best.score - 1e-6) best = { score: row.valLogLoss, epoch, weights: this.weights };
          stop = epoch - best.epoch >= c.patience;
        }
        history.push(row);
        if (opts.onCheckpoint && epoch % checkpointEvery === 0 && !stop && epoch < c.epochs) await opts.onCheckpoint(() => trainingState(epoch), epoch);
        if (stop) break;
      }
      this.weights = best.weights ?? engine.paramValues(ema.shadow);
    } finally {
      this.training = null;
    }
    const notes = [`engine ${this.backend}`, `effective depth ${this.effectiveDepth}`, `class weights (${c.classWeighting}) ${this.classWeightValues.map((v) => v.toFixed(3)).join(', ')}`];
    if (best.weights) notes.push(`early stopping: best epoch ${best.epoch} of ${history.length}, validation log loss ${best.score.toFixed(4)}`);
    if (restored) notes.push(`resumed after epoch ${restored.epoch} from a checkpoint written on ${restored.engine}`);
    return { iterations: history.length, trainLoss: history.at(-1)?.loss, notes, history, ...(restored ? { resumedFrom: restored.epoch } : {}), ...(best.weights ? { bestIteration: best.epoch } : {}) };
  }

  /** The training state of a checkpoint of this same configuration and data shape (anything else is refused). */
  private checkpointState(json: ModelJSON) {
    const t = json.training as
      | { epoch: number; engine: string; raw: EncodedValues; m: EncodedValues; v: EncodedValues; adamSteps: number; shadow: EncodedValues; emaSteps: number; grokfast: EncodedValues | null; rng: number; history: Record<string, number>[]; best: { score: number | null; epoch: number; weights: EncodedValues | null } }
      | undefined;
    if (json.name !== this.name || !t || json.cols !== this.cols || json.classes !== this.classes || JSON.stringify(json.params) !== JSON.stringify(this.cfg))
      throw new ModelArtifactError(`${this.name}: checkpoint does not match this model (kind, shape or parameters differ)`);
    if (dec(json.y0 as string).some((v, i) => v !== this.y0[i])) throw new ModelArtifactError(`${this.name}: checkpoint was started from another seed`);
    return {
      epoch: t.epoch,
      engine: t.engine,
      raw: decodeValues(t.raw),
      m: decodeValues(t.m),
      v: decodeValues(t.v),
      adamSteps: t.adamSteps,
      shadow: decodeValues(t.shadow),
      emaSteps: t.emaSteps,
      grokfast: t.grokfast ? decodeValues(t.grokfast) : null,
      rng: t.rng,
      history: t.history,
      best: { score: t.best.score ?? Infinity, epoch: t.best.epoch, weights: t.best.weights ? decodeValues(t.best.weights) : null },
    };
  }

  /** One minibatch of deep supervision: up to nSup optimiser steps, halted samples drop out. */
  private trainBatch(
    engine: TrmEngine,
    opt: AdamW,
    ema: WeightEma,
    grokfast: GrokFastFilter | null,
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
    const D = X.cols;
    const targets: BatchTargets = { labels: new Int32Array(B), weights: new Float32Array(B), labelWeights: new Float32Array(B), pnl: pnl ? new Float32Array(B * K) : null };
    // Exploration: some samples must think a random minimum number of steps before halting.
    const minSteps = new Int32Array(B);
    idx.forEach((i, r) => {
      for (let j = 0; j < D; j++) engine.x[r * D + j] = X.data[i * D + j];
      targets.labels[r] = y[i];
      targets.weights[r] = w[i];
      targets.labelWeights[r] = cw[y[i]];
      if (targets.pnl && pnl) for (let k = 0; k < K; k++) targets.pnl[r * K + k] = pnl[i * K + k];
      minSteps[r] = rng.next() < c.haltExploration ? 2 + rng.int(Math.max(1, c.nSup - 1)) : 1;
    });
    engine.startRows(B, this.y0, this.z0);
    let active = Int32Array.from({ length: B }, (_, r) => r);
    const Kh = engine.Kh;
    for (let step = 1; step <= c.nSup && active.length > 0; step++) {
      const A = active.length;
      engine.supervisionStep(true);
      const L = lossAndGradient(engine.head, engine.dhead, Kh, K, active, targets, c);
      engine.backward();
      grokfast?.apply(engine.grads);
      opt.apply(engine.params, engine.grads);
      ema.step();
      engine.repack();
      sums.total += L.total * A;
      sums.task += L.task * A;
      sums.halt += L.halt * A;
      sums.profit += L.profit * A;
      sums.rows += A;
      sums.steps += A;
      // Halting: a sample stops when Q > 0 (after its exploration minimum); (y, z) are detached.
      const keep: number[] = [];
      for (let r = 0; r < A; r++) if (step < c.nSup && (engine.head[r * Kh + K] <= 0 || step < minSteps[active[r]])) keep.push(r);
      engine.keepRows(keep);
      active = Int32Array.from(keep, (r) => active[r]);
    }
  }

  /** An engine holding the fitted (EMA) weights, laid out for `rows` rows. */
  private inferenceEngine(rows: number): TrmEngine {
    if (!this.weights) throw new ModelArtifactError('trm: model is not fitted');
    const engine = new TrmEngine(this.engineShape(), Math.max(1, rows), false, this.engine ?? undefined);
    engine.setParams(this.weights);
    return engine;
  }

  /**
   * Inference with halting: every sample runs supervision steps until its Q > 0 or nSup, and
   * its prediction is the output of that step.
   */
  predictDetailed(X: Matrix, override?: Partial<Pick<TrmConfig, 'n' | 'T' | 'nSup'>>): TrmPrediction {
    if (!this.weights) throw new ModelArtifactError('trm: model is not fitted');
    checkPredictInputs(this.name, X, this.cols);
    const arch = { ...this.cfg, ...override };
    const K = this.classes;
    const D = this.cols;
    const proba = new Float64Array(X.rows * K);
    const haltProbability = new Float64Array(X.rows);
    const haltingStep = new Int32Array(X.rows);
    const CHUNK = 1024;
    const engine = this.inferenceEngine(Math.min(CHUNK, X.rows));
    const Kh = engine.Kh;
    for (let s0 = 0; s0 < X.rows; s0 += CHUNK) {
      const rows = Math.min(CHUNK, X.rows - s0);
      for (let i = 0; i < rows * D; i++) engine.x[i] = X.data[s0 * D + i];
      engine.startRows(rows, this.y0, this.z0);
      let active = Int32Array.from({ length: rows }, (_, r) => r);
      for (let step = 1; step <= arch.nSup && active.length > 0; step++) {
        engine.supervisionStep(false, arch);
        const keep: number[] = [];
        for (let r = 0; r < active.length; r++) {
          const q = engine.head[r * Kh + K];
          if (q > 0 || step === arch.nSup) {
            softmaxInto(engine.head, r * Kh, K, proba, (s0 + active[r]) * K);
            haltProbability[s0 + active[r]] = 1 / (1 + Math.exp(-q));
            haltingStep[s0 + active[r]] = step;
          } else keep.push(r);
        }
        engine.keepRows(keep);
        active = Int32Array.from(keep, (r) => active[r]);
      }
    }
    return { proba, haltProbability, haltingStep };
  }

  /** Raw forward pass of one supervision step from the initial state (for architecture tests). */
  forwardOnce(X: Matrix, override?: Partial<Pick<TrmArchitecture, 'n' | 'T'>>): { logits: Float32Array; q: Float32Array; qShape: number[] } {
    const arch = { ...this.cfg, ...override };
    const engine = this.inferenceEngine(X.rows);
    const K = this.classes;
    for (let i = 0; i < X.rows * X.cols; i++) engine.x[i] = X.data[i];
    engine.startRows(X.rows, this.y0, this.z0);
    engine.supervisionStep(false, arch);
    const logits = new Float32Array(X.rows * K);
    const q = new Float32Array(X.rows);
    for (let r = 0; r < X.rows; r++) {
      for (let k = 0; k < K; k++) logits[r * K + k] = engine.head[r * engine.Kh + k];
      q[r] = engine.head[r * engine.Kh + K];
    }
    return { logits, q, qShape: [X.rows, 1] };
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
      weights: encodeValues(this.weights),
    };
  }

  static fromJSON(json: ModelJSON): Trm {
    if (json.name !== Trm.NAME) throw new ModelArtifactError(`expected a "${Trm.NAME}" model, got "${json.name}"`);
    if (json.version !== 1) throw new ModelArtifactError(`unsupported ${Trm.NAME} model version ${json.version}`);
    const m = new Trm(json.params as TrmConfig);
    m.cols = json.cols as number;
    m.classes = json.classes as number;
    m.backend = (json.backend as string | null) ?? null;
    m.classWeightValues = (json.classWeights as number[]) ?? [];
    m.y0 = dec(json.y0 as string);
    m.z0 = dec(json.z0 as string);
    m.weights = decodeValues(json.weights as EncodedValues);
    return m;
  }
}


/** Softmax of `K` logits at src[from..] into out[to..] (float64, max-shifted). */
function softmaxInto(src: Float32Array, from: number, K: number, out: Float64Array, to: number): void {
  let max = -Infinity;
  for (let k = 0; k < K; k++) max = Math.max(max, src[from + k]);
  let sum = 0;
  for (let k = 0; k < K; k++) sum += Math.exp(src[from + k] - max);
  for (let k = 0; k < K; k++) out[to + k] = Math.exp(src[from + k] - max) / sum;
}

type EncodedValues = Record<string, { shape: number[]; data: string }>;

/** float32 exactly, as base64 (a reload predicts bit-for-bit the same). */
function enc(a: Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function dec(s: string): Float32Array {
  const b = Buffer.from(s, 'base64');
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

function encodeValues(v: ParamValues): EncodedValues {
  return Object.fromEntries(PARAM_NAMES.map((k) => [k, { shape: v[k].shape, data: enc(v[k].values) }]));
}

function decodeValues(e: EncodedValues): ParamValues {
  return Object.fromEntries(PARAM_NAMES.map((k) => [k, { shape: e[k].shape, values: dec(e[k].data) }])) as ParamValues;
}
