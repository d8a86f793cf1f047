import { checkFitInputs, checkPredictInputs, type FitOptions, type FitReport, type Matrix, type ModelJSON } from './classifier';
import { checkArtifact, ProbabilisticClassifier } from './modelBase';
import { LogisticRegression } from './logisticRegression';
import { probaAccuracy, probaLogLoss } from './probabilityScores';

export type MetaMethod = 'soft_vote' | 'stacked';

export interface MetaParams {
  /** 'auto' picks whichever scores the lower cross-fitted log loss on the fitting window. */
  method: MetaMethod | 'auto';
  /** L2 for the stacked logistic regression (strong: few rows, correlated inputs). */
  stackL2: number;
}

export const DEFAULT_META: MetaParams = { method: 'auto', stackL2: 1e-2 };

const EPS = 1e-6;

/**
 * Combines M member models from their class probabilities. Input rows are the members'
 * probabilities side by side (M x K columns). It is fitted on the held-out validation window,
 * never on training rows (members are overconfident there):
 * - soft_vote: weighted mean of member probabilities, weights = validation accuracy;
 * - stacked: multinomial logistic regression on the members' log-probabilities.
 * `crossFitProba` gives honest validation-window predictions (each time-ordered half scored
 * by a meta-learner fitted on the other half), which is what selection and reports use.
 */
export class MetaLearner extends ProbabilisticClassifier {
  static readonly NAME = 'meta';
  readonly name = MetaLearner.NAME;
  readonly version = 1;
  method: MetaMethod = 'soft_vote';
  voteWeights = new Float64Array(0);
  private stack: LogisticRegression | null = null;
  private members = 0;
  selection: Record<MetaMethod, { logLoss: number; accuracy: number }> | null = null;

  constructor(readonly params: MetaParams = DEFAULT_META) {
    super();
    if (!['auto', 'soft_vote', 'stacked'].includes(params.method)) throw new RangeError(`meta: method must be auto, soft_vote or stacked, got "${params.method}"`);
  }

  async fit(X: Matrix, y: Int32Array, weights: Float64Array | undefined, opts: FitOptions): Promise<FitReport> {
    checkFitInputs(this.name, X, y, weights, opts.nClasses);
    const K = opts.nClasses;
    if (X.cols % K !== 0) throw new RangeError(`meta: ${X.cols} input columns is not a multiple of ${K} classes`);
    if (this.params.method === 'auto') {
      const scores = {} as Record<MetaMethod, { logLoss: number; accuracy: number }>;
      for (const m of ['soft_vote', 'stacked'] as MetaMethod[]) {
        const p = await crossFit(X, y, weights, K, { ...this.params, method: m }, opts.rowDays, opts.purgeDays ?? 0);
        scores[m] = { logLoss: probaLogLoss(p, y, K, weights), accuracy: probaAccuracy(p, y, K, weights) };
      }
      this.selection = scores;
      this.method = scores.stacked.logLoss < scores.soft_vote.logLoss ? 'stacked' : 'soft_vote';
    } else this.method = this.params.method;
    await this.fitMethod(X, y, weights, K, opts);
    const notes = [`method ${this.method}`];
    if (this.selection) notes.push(`cross-fitted log loss soft_vote ${this.selection.soft_vote.logLoss.toFixed(4)} vs stacked ${this.selection.stacked.logLoss.toFixed(4)}`);
    return { iterations: 1, notes };
  }

  /** Fits the already-chosen method (used directly by cross-fitting). */
  async fitMethod(X: Matrix, y: Int32Array, weights: Float64Array | undefined, K: number, opts: Pick<FitOptions, 'seed'>): Promise<void> {
    this.members = X.cols / K;
    this.classes = K;
    const M = this.members;
    // Vote weights: each member's weighted accuracy on the fitting rows.
    const correct = new Float64Array(M);
    let total = 0;
    for (let i = 0; i < X.rows; i++) {
      const wi = weights ? weights[i] : 1;
      total += wi;
      for (let m = 0; m < M; m++) {
        let best = 0;
        for (let k = 1; k < K; k++) if (X.data[i * X.cols + m * K + k] > X.data[i * X.cols + m * K + best]) best = k;
        if (best === y[i]) correct[m] += wi;
      }
    }
    const acc = Float64Array.from(correct, (c) => (total > 0 ? c / total : 1 / M));
    const s = acc.reduce((a, b) => a + b, 0);
    this.voteWeights = Float64Array.from(acc, (a) => (s > 0 ? a / s : 1 / M));
    if (this.method === 'stacked') {
      this.stack = new LogisticRegression({ l2: this.params.stackL2, maxIter: 400, learningRate: 0.05, tol: 1e-8 });
      await this.stack.fit(logInputs(X), y, weights, { nClasses: K, seed: opts.seed });
    } else this.stack = null;
  }

  predictProba(X: Matrix): Float64Array {
    checkPredictInputs(this.name, X, this.members * this.classes);
    if (this.method === 'stacked' && this.stack) return this.stack.predictProba(logInputs(X));
    const K = this.classes;
    const out = new Float64Array(X.rows * K);
    for (let i = 0; i < X.rows; i++) {
      for (let m = 0; m < this.members; m++) {
        for (let k = 0; k < K; k++) out[i * K + k] += this.voteWeights[m] * X.data[i * X.cols + m * K + k];
      }
    }
    return out;
  }

  /** Honest predictions for the fitting rows themselves (two time-ordered halves, purged by day). */
  async crossFitProba(X: Matrix, y: Int32Array, weights?: Float64Array, rowDays?: Int32Array, purgeDays = 0): Promise<Float64Array> {
    return crossFit(X, y, weights, this.classes, { ...this.params, method: this.method }, rowDays, purgeDays);
  }

  toJSON(): ModelJSON {
    return {
      name: this.name,
      version: this.version,
      params: this.params,
      method: this.method,
      members: this.members,
      classes: this.classes,
      voteWeights: Array.from(this.voteWeights),
      stack: this.stack ? this.stack.toJSON() : null,
      selection: this.selection,
    };
  }

  static fromJSON(json: ModelJSON): MetaLearner {
    checkArtifact(json, MetaLearner.NAME, 1);
    const m = new MetaLearner(json.params as MetaParams);
    m.method = json.method as MetaMethod;
    m.members = json.members as number;
    m.classes = json.classes as number;
    m.voteWeights = Float64Array.from(json.voteWeights as number[]);
    m.stack = json.stack ? LogisticRegression.fromJSON(json.stack as ModelJSON) : null;
    m.selection = (json.selection as MetaLearner['selection']) ?? null;
    return m;
  }
}

function logInputs(X: Matrix): Matrix {
  return { data: Float64Array.from(X.data, (p) => Math.log(Math.max(p, EPS))), rows: X.rows, cols: X.cols };
}

function pick(X: Matrix, idx: number[]): Matrix {
  const out = new Float64Array(idx.length * X.cols);
  idx.forEach((i, k) => out.set(X.data.subarray(i * X.cols, (i + 1) * X.cols), k * X.cols));
  return { data: out, rows: idx.length, cols: X.cols };
}

/**
 * Fit on one time-ordered half, predict the other, both ways. Rows must be in time order.
 * With `rowDays` (a day index per row), the halves split on a day boundary and the fitting
 * half drops the rows within `purgeDays` days of it: their label windows overlap the other half.
 */
async function crossFit(X: Matrix, y: Int32Array, weights: Float64Array | undefined, K: number, params: MetaParams, rowDays?: Int32Array, purgeDays = 0): Promise<Float64Array> {
  const out = new Float64Array(X.rows * K);
  let half = Math.floor(X.rows / 2);
  if (rowDays) while (half > 0 && half < X.rows && rowDays[half] === rowDays[half - 1]) half++;
  if (half < 1 || half >= X.rows) return out.fill(1 / K);
  const all = Array.from({ length: X.rows }, (_, i) => i);
  const boundary = rowDays ? rowDays[half] : half;
  const day = (i: number) => (rowDays ? rowDays[i] : i);
  const first = all.filter((i) => i < half && day(i) < boundary - purgeDays);
  const second = all.filter((i) => i >= half && day(i) > boundary - 1 + purgeDays);
  for (const [fit, predictAt] of [
    [first, all.filter((i) => i >= half)],
    [second, all.filter((i) => i < half)],
  ]) {
    if (fit.length === 0) {
      for (const i of predictAt) out.fill(1 / K, i * K, (i + 1) * K);
      continue;
    }
    const m = new MetaLearner(params);
    m.method = params.method as MetaMethod;
    await m.fitMethod(pick(X, fit), Int32Array.from(fit, (i) => y[i]), weights ? Float64Array.from(fit, (i) => weights[i]) : undefined, K, {});
    const p = m.predictProba(pick(X, predictAt));
    predictAt.forEach((i, k) => out.set(p.subarray(k * K, (k + 1) * K), i * K));
  }
  return out;
}
