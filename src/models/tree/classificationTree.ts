import type { Rng } from '../../util/rng';
import { binIndex, type Bins } from './binning';
import { ClassificationKernels } from './kernels/classificationKernels';

export interface TreeParams {
  maxDepth: number;
  minSamplesLeaf: number;
  /** Features tried per split (per-split feature sampling). */
  maxFeatures: number;
  /** Extra-trees mode: one random threshold per tried feature instead of the best. */
  randomThresholds: boolean;
  /**
   * How an extra tree draws its threshold: 'value' uniform between the node's smallest and
   * largest value of the feature (sklearn's ExtraTreesClassifier; here to bin resolution),
   * 'quantile' uniform over the node's bin boundaries (equal-mass bins: balanced splits).
   */
  thresholdDraw?: 'value' | 'quantile';
}

/**
 * A fitted tree in flat typed arrays. Internal node: feature >= 0, goes left when
 * x[feature] <= threshold. Leaf: feature = -1, class distribution at value[node * K ..].
 */
export interface FlatTree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  classes: number;
}

/**
 * Grows weighted-Gini classification trees over binned features; one grower serves every
 * tree of a forest fit, its WebAssembly kernels and buffers set up once. Each tree's `w`
 * holds every row's effective weight (sample weight x bootstrap count); rows with zero weight
 * are ignored, so zero weight is exactly "row removed".
 *
 * As in sklearn, a feature that is constant within a node does not count towards
 * `maxFeatures` (the search draws another), and a boundary leaving fewer than
 * `minSamplesLeaf` rows on a side is not a candidate. Each tried feature first gets the
 * node's bin range. The best-threshold search then histograms only that range, so small deep
 * nodes do not pay for every bin. Extra trees need no histogram: one random boundary inside
 * the range and one pass to weigh its sides.
 */
export class ClassificationTreeGrower {
  private constructor(
    private readonly bins: Bins,
    private readonly y: Int32Array,
    private readonly K: number,
    private readonly kernels: ClassificationKernels,
  ) {}

  static async create(bins: Bins, y: Int32Array, K: number): Promise<ClassificationTreeGrower> {
    return new ClassificationTreeGrower(bins, y, K, await ClassificationKernels.create(bins, y, K));
  }

  grow(w: Float64Array, params: TreeParams, rng: Rng): FlatTree {
    const { rows, cols, codes, edges } = this.bins;
    const { y, K } = this;
    const kern = this.kernels;
    kern.w.set(w);
    const order = kern.order;
    let n = 0;
    for (let i = 0; i < rows; i++) if (w[i] > 0) order[n++] = i;
    const feature: number[] = [];
    const threshold: number[] = [];
    const left: number[] = [];
    const right: number[] = [];
    const value: number[] = [];
    const totals = new Float64Array(K);
    const leftW = new Float64Array(K);
    const featPool = Int32Array.from({ length: cols }, (_, j) => j);
    const minLeaf = params.minSamplesLeaf;

    const newNode = () => {
      feature.push(-1);
      threshold.push(0);
      left.push(-1);
      right.push(-1);
      for (let k = 0; k < K; k++) value.push(0);
      return feature.length - 1;
    };
    /** Weighted Gini decrease of a split with class weights leftW on the left. */
    const giniGain = (giniParent: number, wTot: number, wLeft: number) => {
      const wRight = wTot - wLeft;
      if (wLeft <= 0 || wRight <= 0) return -1;
      let gl = 1;
      let gr = 1;
      for (let k = 0; k < K; k++) {
        gl -= (leftW[k] / wLeft) ** 2;
        gr -= ((totals[k] - leftW[k]) / wRight) ** 2;
      }
      return giniParent - (wLeft / wTot) * gl - (wRight / wTot) * gr;
    };

    interface Job { node: number; start: number; end: number; depth: number }
    const stack: Job[] = [{ node: newNode(), start: 0, end: n, depth: 0 }];
    while (stack.length > 0) {
      const { node, start, end, depth } = stack.pop()!;
      totals.fill(0);
      let wTot = 0;
      for (let p = start; p < end; p++) {
        const i = order[p];
        totals[y[i]] += w[i];
        wTot += w[i];
      }
      for (let k = 0; k < K; k++) value[node * K + k] = wTot > 0 ? totals[k] / wTot : 1 / K;
      const count = end - start;
      let giniParent = 1;
      for (let k = 0; k < K; k++) giniParent -= (totals[k] / wTot) ** 2;
      if (depth >= params.maxDepth || count < 2 * minLeaf || giniParent <= 1e-12) continue;

      let bestGain = 1e-12;
      let bestFeat = -1;
      let bestBin = -1;
      // Partial Fisher-Yates: featPool[0, f) are the features drawn so far at this node.
      for (let f = 0, found = 0; f < cols && found < params.maxFeatures; f++) {
        const r = f + rng.int(cols - f);
        const tmp = featPool[f];
        featPool[f] = featPool[r];
        featPool[r] = tmp;
        const j = featPool[f];
        const [lo, hi] = kern.binRange(j, start, end);
        if (lo === hi) continue; // constant here: no split, and it does not use up a draw
        found++;
        if (params.randomThresholds) {
          let t: number; // left: bins lo..t (lo <= t < hi), so both sides hold rows
          if (params.thresholdDraw === 'value') {
            // The node's value range to bin resolution: from bin lo's lower bound to bin hi's upper one.
            const e = edges[j];
            const L = lo === 0 ? this.bins.min[j] : e[lo - 1];
            const U = Number.isFinite(e[hi]) ? Math.min(e[hi], this.bins.max[j]) : this.bins.max[j];
            t = Math.min(hi - 1, Math.max(lo, binIndex(e, L + rng.next() * (U - L))));
          } else t = lo + rng.int(hi - lo);
          const nRight = kern.sideSums(j, start, end, t);
          if (count - nRight < minLeaf || nRight < minLeaf) continue;
          let wLeft = 0;
          for (let k = 0; k < K; k++) wLeft += (leftW[k] = kern.sides[k]);
          const gain = giniGain(giniParent, wTot, wLeft);
          if (gain > bestGain) {
            bestGain = gain;
            bestFeat = j;
            bestBin = t;
          }
          continue;
        }
        kern.classHistogram(j, start, end, lo, hi - lo + 1);
        const { hist, binRows } = kern;
        leftW.fill(0);
        let wLeft = 0;
        let nLeft = 0;
        for (let b = 0; b < hi - lo; b++) {
          for (let k = 0; k < K; k++) {
            leftW[k] += hist[b * K + k];
            wLeft += hist[b * K + k];
          }
          nLeft += binRows[b];
          if (binRows[b] === 0 || nLeft < minLeaf) continue;
          if (count - nLeft < minLeaf) break;
          const gain = giniGain(giniParent, wTot, wLeft);
          if (gain > bestGain) {
            bestGain = gain;
            bestFeat = j;
            bestBin = lo + b;
          }
        }
      }
      if (bestFeat < 0) continue;
      // Partition order[start:end] in place by the chosen bin.
      const base = bestFeat * rows;
      let mid = start;
      for (let p = start; p < end; p++) {
        const i = order[p];
        if (codes[base + i] <= bestBin) {
          order[p] = order[mid];
          order[mid] = i;
          mid++;
        }
      }
      feature[node] = bestFeat;
      threshold[node] = edges[bestFeat][bestBin];
      const l = newNode();
      const r = newNode();
      left[node] = l;
      right[node] = r;
      stack.push({ node: r, start: mid, end, depth: depth + 1 }, { node: l, start, end: mid, depth: depth + 1 });
    }
    return {
      feature: Int32Array.from(feature),
      threshold: Float64Array.from(threshold),
      left: Int32Array.from(left),
      right: Int32Array.from(right),
      value: Float64Array.from(value),
      classes: K,
    };
  }
}

/** Adds the tree's leaf distribution for each row of X (row-major) into out (rows x K). */
export function accumulateTree(t: FlatTree, data: Float64Array, rows: number, cols: number, out: Float64Array, scale = 1): void {
  const K = t.classes;
  for (let i = 0; i < rows; i++) {
    let n = 0;
    while (t.feature[n] >= 0) n = data[i * cols + t.feature[n]] <= t.threshold[n] ? t.left[n] : t.right[n];
    for (let k = 0; k < K; k++) out[i * K + k] += scale * t.value[n * K + k];
  }
}

export function treeToJSON(t: FlatTree) {
  return { feature: Array.from(t.feature), threshold: Array.from(t.threshold, (v) => (Number.isFinite(v) ? v : 1e308)), left: Array.from(t.left), right: Array.from(t.right), value: Array.from(t.value), classes: t.classes };
}

export function treeFromJSON(j: ReturnType<typeof treeToJSON>): FlatTree {
  return {
    feature: Int32Array.from(j.feature),
    threshold: Float64Array.from(j.threshold),
    left: Int32Array.from(j.left),
    right: Int32Array.from(j.right),
    value: Float64Array.from(j.value),
    classes: j.classes,
  };
}
