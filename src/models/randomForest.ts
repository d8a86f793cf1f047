import { ModelArtifactError } from '../errors';
import { Rng } from '../util/rng';
import { argmaxRows, checkFitInputs, checkPredictInputs, throwIfAborted, type FitOptions, type FitReport, type Matrix, type ModelJSON } from './classifier';
import { checkArtifact, ProbabilisticClassifier } from './modelBase';
import { applyBins, checkBinningMode, computeEdges, type BinningMode } from './tree/binning';
import { accumulateTree, ClassificationTreeGrower, treeFromJSON, treeToJSON, type FlatTree } from './tree/classificationTree';

export interface ForestParams {
  nTrees: number;
  maxDepth: number;
  minSamplesLeaf: number;
  /** Fraction of features tried per split; default sqrt(cols)/cols. */
  maxFeaturesFraction?: number;
  maxBins: number;
  /** How bin edges count rows (tree/binning.ts). */
  binning: BinningMode;
  bootstrap: boolean;
  /** Extra trees: how a threshold is drawn (tree/classificationTree.ts); default 'quantile'. */
  thresholdDraw?: 'value' | 'quantile';
  seed: number;
}

export const DEFAULT_FOREST: ForestParams = { nTrees: 100, maxDepth: 12, minSamplesLeaf: 3, maxBins: 64, binning: 'weighted', bootstrap: true, seed: 42 };

/**
 * Random forest over the histogram tree core: weighted bootstrap (each row's bootstrap count
 * multiplies its sample weight), per-split feature sampling, out-of-bag accuracy.
 * ExtraTrees (extraTrees.ts) is the same forest with random thresholds and no bootstrap.
 */
export class RandomForest extends ProbabilisticClassifier {
  static readonly NAME: string = 'random_forest';
  readonly version = 1;
  protected trees: FlatTree[] = [];
  protected cols = 0;
  oobScore: number | null = null;

  constructor(
    readonly params: ForestParams = DEFAULT_FOREST,
    protected readonly randomThresholds = false,
  ) {
    super();
    if (!(params.nTrees >= 1)) throw new RangeError(`${this.name}: nTrees must be >= 1, got ${params.nTrees}`);
    if (!(params.maxDepth >= 1)) throw new RangeError(`${this.name}: maxDepth must be >= 1, got ${params.maxDepth}`);
    if (!(params.minSamplesLeaf >= 1)) throw new RangeError(`${this.name}: minSamplesLeaf must be >= 1, got ${params.minSamplesLeaf}`);
    if (params.binning !== undefined) checkBinningMode(params.binning, `${this.name}: `);
    if (params.thresholdDraw !== undefined && params.thresholdDraw !== 'value' && params.thresholdDraw !== 'quantile') throw new RangeError(`${this.name}: thresholdDraw must be value or quantile, got "${params.thresholdDraw}"`);
    if (params.maxFeaturesFraction !== undefined && !(params.maxFeaturesFraction > 0 && params.maxFeaturesFraction <= 1)) {
      throw new RangeError(`${this.name}: maxFeaturesFraction must be in (0, 1], got ${params.maxFeaturesFraction}`);
    }
  }

  get name(): string {
    return RandomForest.NAME;
  }

  async fit(X: Matrix, y: Int32Array, weights: Float64Array | undefined, opts: FitOptions): Promise<FitReport> {
    checkFitInputs(this.name, X, y, weights, opts.nClasses);
    const K = opts.nClasses;
    this.cols = X.cols;
    this.classes = K;
    const bins = applyBins(X, computeEdges(X, this.params.maxBins, weights, this.params.binning), weights);
    const rng = new Rng(opts.seed ?? this.params.seed);
    const maxFeatures = Math.max(1, Math.round(X.cols * (this.params.maxFeaturesFraction ?? Math.sqrt(X.cols) / X.cols)));
    const base = weights ?? new Float64Array(X.rows).fill(1);
    const oob = new Float64Array(X.rows * K);
    const oobSeen = new Uint8Array(X.rows);
    const w = new Float64Array(X.rows);
    const grower = await ClassificationTreeGrower.create(bins, y, K);
    const treeParams = { maxDepth: this.params.maxDepth, minSamplesLeaf: this.params.minSamplesLeaf, maxFeatures, randomThresholds: this.randomThresholds, thresholdDraw: this.params.thresholdDraw ?? 'quantile' };
    // Trees are independent (each has its own forked Rng), so a checkpoint's trees are reused
    // as they are and only their bootstrap draws are replayed for the OOB score.
    const restored = opts.resumeFrom ? this.checkpointTrees(opts.resumeFrom, X.cols, K) : [];
    this.trees = [];
    for (let t = 0; t < this.params.nTrees; t++) {
      const treeRng = rng.fork(t);
      if (this.params.bootstrap) {
        w.fill(0);
        for (let s = 0; s < X.rows; s++) w[treeRng.int(X.rows)] += 1;
        for (let i = 0; i < X.rows; i++) w[i] *= base[i];
      } else w.set(base);
      const tree = t < restored.length ? restored[t] : grower.grow(w, treeParams, treeRng);
      this.trees.push(tree);
      const every = opts.checkpointEvery ?? 10;
      if (opts.onCheckpoint && t >= restored.length && (t + 1) % every === 0 && t + 1 < this.params.nTrees) await opts.onCheckpoint(() => this.toJSON(), t + 1);
      if (this.params.bootstrap) {
        for (let i = 0; i < X.rows; i++) {
          if (w[i] > 0 || base[i] === 0) continue;
          oobSeen[i] = 1;
          accumulateTree(tree, X.data.subarray(i * X.cols, (i + 1) * X.cols), 1, X.cols, oob.subarray(i * K, (i + 1) * K));
        }
      }
      await opts.onProgress?.({ step: t + 1, total: this.params.nTrees });
      throwIfAborted(opts.signal, this.name);
    }
    if (this.params.bootstrap) {
      let correct = 0;
      let total = 0;
      const pred = argmaxRows(oob, K);
      for (let i = 0; i < X.rows; i++) {
        if (!oobSeen[i]) continue;
        total += base[i];
        if (pred[i] === y[i]) correct += base[i];
      }
      this.oobScore = total > 0 ? correct / total : null;
    }
    return { iterations: this.trees.length, resumedFrom: restored.length, notes: this.oobScore !== null ? [`oob accuracy ${this.oobScore.toFixed(4)}`] : [] };
  }

  /** Trees of a checkpoint of this same configuration (anything else is refused). */
  private checkpointTrees(json: ModelJSON, cols: number, classes: number): FlatTree[] {
    if (json.name !== this.name || json.cols !== cols || json.classes !== classes || JSON.stringify(json.params) !== JSON.stringify(this.params)) {
      throw new ModelArtifactError(`${this.name}: checkpoint does not match this model (kind, shape or parameters differ)`);
    }
    return (json.trees as ReturnType<typeof treeToJSON>[]).map(treeFromJSON);
  }

  predictProba(X: Matrix): Float64Array {
    checkPredictInputs(this.name, X, this.cols);
    const out = new Float64Array(X.rows * this.classes);
    for (const t of this.trees) accumulateTree(t, X.data, X.rows, X.cols, out, 1 / this.trees.length);
    return out;
  }

  toJSON(): ModelJSON {
    return this.artifact(this.params, this.cols, { oobScore: this.oobScore, trees: this.trees.map(treeToJSON) });
  }

  protected restore(json: ModelJSON): this {
    checkArtifact(json, this.name, this.version);
    this.cols = json.cols as number;
    this.classes = json.classes as number;
    this.oobScore = (json.oobScore as number | null) ?? null;
    this.trees = (json.trees as ReturnType<typeof treeToJSON>[]).map(treeFromJSON);
    return this;
  }

  static fromJSON(json: ModelJSON): RandomForest {
    return new RandomForest(json.params as ForestParams).restore(json);
  }
}
