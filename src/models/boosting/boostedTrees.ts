import { ModelArtifactError } from '../../errors';
import { Rng } from '../../util/rng';
import { checkFitInputs, checkPredictInputs, throwIfAborted, type FitOptions, type FitReport, type Matrix, type ModelJSON } from '../classifier';
import { checkArtifact, ProbabilisticClassifier } from '../modelBase';
import { applyBins, checkBinningMode, computeEdges, type BinningMode } from '../tree/binning';
import { addTreeOutput, GradientTreeGrower, regressionTreeFromJSON, regressionTreeToJSON, type GradientTreeParams, type RegressionTree } from '../tree/gradientTree';

/** The tree core's growth settings (maxDepth, minChildWeight, minDataInLeaf, lambda, gamma) plus the boosting loop's. */
export interface BoostingParams extends GradientTreeParams {
  nRounds: number;
  learningRate: number;
  /** Leaf budget per tree; 0 means unlimited (depth-wise growth). */
  maxLeaves: number;
  /** Fraction of features each tree may use. */
  colsampleByTree: number;
  /** Fraction of rows each round sees (stochastic boosting); 1 = all. */
  subsample: number;
  maxBins: number;
  /** How bin edges count rows (tree/binning.ts). */
  binning: BinningMode;
  /** Stop when validation log loss has not improved for this many rounds; 0 = off. */
  earlyStoppingRounds: number;
  /**
   * true: splits and leaves from gradients and hessians (XGBoost/LightGBM). false: classic
   * first-order boosting (sklearn GradientBoosting): trees fit the negative gradient by least
   * squares, then each leaf takes one Newton step.
   */
  secondOrder: boolean;
  /**
   * Multiplies the softmax hessian p(1 - p). XGBoost's multi:softprob uses 2p(1 - p), which
   * halves each Newton step and doubles what min_child_weight sees; LightGBM uses p(1 - p)
   * scaled by K/(K-1). Default 1.
   */
  hessianScale?: number;
  /** Starting scores: the weighted class prior (default) or zero for every class (XGBoost's base_score, a constant margin). */
  initialScore?: 'prior' | 'zero';
  seed: number;
}

/**
 * Multiclass softmax gradient boosting over the histogram tree core: one regression tree per
 * class per round. Sample weights scale every row's gradient and hessian, so weight 2 is the
 * same as the row twice and weight 0 is the row removed. Subclasses only choose defaults.
 */
export class BoostedTrees extends ProbabilisticClassifier {
  readonly version = 1;
  /** trees[round][class] */
  protected trees: RegressionTree[][] = [];
  protected baseScore = new Float64Array(0);
  protected cols = 0;
  bestRound: number | null = null;

  constructor(
    readonly name: string,
    readonly params: BoostingParams,
  ) {
    super();
    const need = (ok: boolean, msg: string) => {
      if (!ok) throw new RangeError(`${name}: ${msg}`);
    };
    need(params.nRounds >= 1, `nRounds must be >= 1, got ${params.nRounds}`);
    need(params.learningRate > 0 && params.learningRate <= 1, `learningRate must be in (0, 1], got ${params.learningRate}`);
    need(params.maxDepth >= 1, `maxDepth must be >= 1, got ${params.maxDepth}`);
    need(params.maxLeaves === 0 || params.maxLeaves >= 2, `maxLeaves must be 0 (unlimited) or >= 2, got ${params.maxLeaves}`);
    need(params.colsampleByTree > 0 && params.colsampleByTree <= 1, `colsampleByTree must be in (0, 1], got ${params.colsampleByTree}`);
    need(params.subsample > 0 && params.subsample <= 1, `subsample must be in (0, 1], got ${params.subsample}`);
    need(params.lambda >= 0 && params.gamma >= 0, 'lambda and gamma must be >= 0');
    need(params.hessianScale === undefined || params.hessianScale > 0, `hessianScale must be > 0, got ${params.hessianScale}`);
    need(params.initialScore === undefined || params.initialScore === 'prior' || params.initialScore === 'zero', `initialScore must be prior or zero, got "${params.initialScore}"`);
    if (params.binning !== undefined) checkBinningMode(params.binning, `${name}: `);
  }

  async fit(X: Matrix, y: Int32Array, weights: Float64Array | undefined, opts: FitOptions): Promise<FitReport> {
    checkFitInputs(this.name, X, y, weights, opts.nClasses);
    const p = this.params;
    const K = opts.nClasses;
    const n = X.rows;
    this.cols = X.cols;
    this.classes = K;
    const w = weights ?? new Float64Array(n).fill(1);
    const rng = new Rng(opts.seed ?? p.seed);
    const bins = applyBins(X, computeEdges(X, p.maxBins, weights, p.binning));

    // Start from the weighted class prior; an absent class gets a small floor, not -Infinity.
    const prior = new Float64Array(K);
    let wSum = 0;
    for (let i = 0; i < n; i++) {
      prior[y[i]] += w[i];
      wSum += w[i];
    }
    if (!(wSum > 0)) throw new RangeError(`${this.name}: all sample weights are zero`);
    this.baseScore = p.initialScore === 'zero' ? new Float64Array(K) : Float64Array.from(prior, (c) => Math.log(Math.max(c / wSum, 1e-6)));
    const hScale = p.hessianScale ?? 1;

    const F = new Float64Array(n * K);
    for (let i = 0; i < n; i++) F.set(this.baseScore, i * K);
    const val = opts.validation && opts.validation.X.rows > 0 && p.earlyStoppingRounds > 0 ? opts.validation : null;
    const Fv = val ? new Float64Array(val.X.rows * K) : null;
    if (val && Fv) for (let i = 0; i < val.X.rows; i++) Fv.set(this.baseScore, i * K);

    const prob = new Float64Array(n * K);
    const g = new Float64Array(n);
    const h = new Float64Array(n);
    const hTrue = new Float64Array(n);
    const positive: number[] = [];
    for (let i = 0; i < n; i++) if (w[i] > 0) positive.push(i);
    const nFeat = Math.max(1, Math.round(X.cols * p.colsampleByTree));
    const treeParams = {
      maxDepth: p.maxDepth,
      maxLeaves: p.maxLeaves === 0 ? Infinity : p.maxLeaves,
      minChildWeight: p.minChildWeight,
      minDataInLeaf: p.minDataInLeaf,
      lambda: p.lambda,
      gamma: p.gamma,
    };
    const grower = await GradientTreeGrower.create(bins, treeParams);
    this.trees = [];
    let bestLoss = Infinity;
    let bestRound = 0;
    let lastLoss = NaN;

    // Resume: replay the checkpoint's rounds onto the scores (and the early-stopping state);
    // every round draws from its own forked Rng, so the rest continues exactly as it would have.
    const restored = opts.resumeFrom ? this.checkpointRounds(opts.resumeFrom, X.cols, K) : [];
    for (const roundTrees of restored) {
      rng.fork(this.trees.length); // fork() advances the parent stream: keep it in step
      for (let k = 0; k < K; k++) {
        addTreeOutput(roundTrees[k], X.data, n, X.cols, F, K, k);
        if (Fv && val) addTreeOutput(roundTrees[k], val.X.data, val.X.rows, val.X.cols, Fv, K, k);
      }
      this.trees.push(roundTrees);
      if (Fv && val) {
        lastLoss = weightedLogLoss(Fv, val.y, val.weights, K);
        if (lastLoss < bestLoss - 1e-9) {
          bestLoss = lastLoss;
          bestRound = this.trees.length;
        }
      }
    }
    for (let round = restored.length; round < p.nRounds; round++) {
      if (Fv && round - bestRound >= p.earlyStoppingRounds && round > 0) break;
      softmaxRows(F, K, prob);
      const roundRng = rng.fork(round);
      const rows = p.subsample < 1 ? Int32Array.from(positive.filter(() => roundRng.next() < p.subsample)) : Int32Array.from(positive);
      const features = p.colsampleByTree < 1 ? Int32Array.from(roundRng.permutation(X.cols).subarray(0, nFeat)).sort() : Int32Array.from({ length: X.cols }, (_, j) => j);
      const roundTrees: RegressionTree[] = [];
      for (let k = 0; k < K; k++) {
        for (let i = 0; i < n; i++) {
          const pk = prob[i * K + k];
          g[i] = w[i] * (pk - (y[i] === k ? 1 : 0));
          hTrue[i] = w[i] * Math.max(hScale * pk * (1 - pk), 1e-6);
          h[i] = p.secondOrder ? hTrue[i] : w[i];
        }
        const grown = grower.grow(rows, g, h, features);
        const tree = grown.tree;
        if (!p.secondOrder) {
          // One Newton step per leaf on the true hessian, scaled by (K-1)/K as sklearn does.
          for (const leaf of grown.leaves) {
            let G = 0;
            let H = 0;
            for (let q = leaf.start; q < leaf.end; q++) {
              G += g[grown.order[q]];
              H += hTrue[grown.order[q]];
            }
            tree.value[leaf.node] = H > 1e-12 ? (-G / (H + p.lambda)) * ((K - 1) / K) : 0;
          }
        }
        for (let q = 0; q < tree.value.length; q++) tree.value[q] *= p.learningRate;
        // Rows the tree was grown on are already grouped by leaf; only the rest are traversed.
        for (const leaf of grown.leaves) {
          const v = tree.value[leaf.node];
          for (let q = leaf.start; q < leaf.end; q++) F[grown.order[q] * K + k] += v;
        }
        if (rows.length < n) {
          const seen = new Uint8Array(n);
          for (let q = 0; q < rows.length; q++) seen[rows[q]] = 1;
          for (let i = 0; i < n; i++) if (!seen[i]) addTreeOutput(tree, X.data.subarray(i * X.cols, (i + 1) * X.cols), 1, X.cols, F.subarray(i * K, (i + 1) * K), K, k);
        }
        if (Fv && val) addTreeOutput(tree, val.X.data, val.X.rows, val.X.cols, Fv, K, k);
        roundTrees.push(tree);
      }
      this.trees.push(roundTrees);
      if (Fv && val) {
        lastLoss = weightedLogLoss(Fv, val.y, val.weights, K);
        if (lastLoss < bestLoss - 1e-9) {
          bestLoss = lastLoss;
          bestRound = round + 1;
        } else if (round + 1 - bestRound >= p.earlyStoppingRounds) break;
      }
      const every = opts.checkpointEvery ?? 25;
      if (opts.onCheckpoint && (round + 1) % every === 0 && round + 1 < p.nRounds) await opts.onCheckpoint(() => this.toJSON(), round + 1);
      await opts.onProgress?.({ step: round + 1, total: p.nRounds, metric: Fv ? lastLoss : undefined });
      throwIfAborted(opts.signal, this.name);
    }
    const rounds = this.trees.length;
    if (Fv && bestRound > 0) this.trees = this.trees.slice(0, bestRound);
    this.bestRound = Fv ? this.trees.length : null;
    const notes = Fv ? [`early stopping: best round ${this.trees.length} of ${rounds}, validation log loss ${bestLoss.toFixed(4)}`] : [];
    return { iterations: rounds, resumedFrom: restored.length, notes, ...(this.bestRound !== null ? { bestIteration: this.bestRound } : {}) };
  }

  private checkpointRounds(json: ModelJSON, cols: number, classes: number): RegressionTree[][] {
    if (json.name !== this.name || json.cols !== cols || json.classes !== classes || JSON.stringify(json.params) !== JSON.stringify(this.params)) {
      throw new ModelArtifactError(`${this.name}: checkpoint does not match this model (kind, shape or parameters differ)`);
    }
    const base = Float64Array.from(json.baseScore as number[]);
    if (base.some((v, k) => v !== this.baseScore[k])) throw new ModelArtifactError(`${this.name}: checkpoint was fitted on other training data`);
    return (json.trees as ReturnType<typeof regressionTreeToJSON>[][]).map((r) => r.map(regressionTreeFromJSON));
  }

  predictProba(X: Matrix): Float64Array {
    checkPredictInputs(this.name, X, this.cols);
    const K = this.classes;
    const F = new Float64Array(X.rows * K);
    for (let i = 0; i < X.rows; i++) F.set(this.baseScore, i * K);
    for (const round of this.trees) for (let k = 0; k < K; k++) addTreeOutput(round[k], X.data, X.rows, X.cols, F, K, k);
    const out = new Float64Array(X.rows * K);
    softmaxRows(F, K, out);
    return out;
  }

  toJSON(): ModelJSON {
    return this.artifact(this.params, this.cols, {
      baseScore: Array.from(this.baseScore),
      bestRound: this.bestRound,
      trees: this.trees.map((r) => r.map(regressionTreeToJSON)),
    });
  }

  protected restore(json: ModelJSON): this {
    checkArtifact(json, this.name, this.version);
    this.cols = json.cols as number;
    this.classes = json.classes as number;
    this.baseScore = Float64Array.from(json.baseScore as number[]);
    this.bestRound = (json.bestRound as number | null) ?? null;
    this.trees = (json.trees as ReturnType<typeof regressionTreeToJSON>[][]).map((r) => r.map(regressionTreeFromJSON));
    return this;
  }
}

export function softmaxRows(F: Float64Array, K: number, out: Float64Array): void {
  const rows = F.length / K;
  for (let i = 0; i < rows; i++) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, F[i * K + k]);
    let s = 0;
    for (let k = 0; k < K; k++) s += (out[i * K + k] = Math.exp(F[i * K + k] - max));
    for (let k = 0; k < K; k++) out[i * K + k] /= s;
  }
}

function weightedLogLoss(F: Float64Array, y: Int32Array, weights: Float64Array | undefined, K: number): number {
  let loss = 0;
  let wSum = 0;
  for (let i = 0; i < y.length; i++) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, F[i * K + k]);
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.exp(F[i * K + k] - max);
    const wi = weights ? weights[i] : 1;
    loss += wi * (Math.log(s) + max - F[i * K + y[i]]);
    wSum += wi;
  }
  return wSum > 0 ? loss / wSum : 0;
}
