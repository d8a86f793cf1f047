import type { Rng } from '../../util/rng';
import type { Bins } from './binning';

export interface TreeParams {
  maxDepth: number;
  minSamplesLeaf: number;
  /** Features tried per split (per-split feature sampling). */
  maxFeatures: number;
  /** Extra-trees mode: one random threshold per tried feature instead of the best. */
  randomThresholds: boolean;
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
 * Grows a weighted-Gini classification tree over binned features. `w` holds each row's
 * effective weight (sample weight x bootstrap count); rows with zero weight are ignored, so
 * zero weight is exactly "row removed".
 */
export function growClassificationTree(bins: Bins, y: Int32Array, w: Float64Array, K: number, params: TreeParams, rng: Rng): FlatTree {
  const { rows, cols, codes, edges } = bins;
  const idx: number[] = [];
  for (let i = 0; i < rows; i++) if (w[i] > 0) idx.push(i);
  const order = Int32Array.from(idx);
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const maxBins = edges.reduce((m, e) => Math.max(m, e.length), 0);
  const hist = new Float64Array(maxBins * K);
  const totals = new Float64Array(K);
  const leftCounts = new Float64Array(K);
  const featPool = Int32Array.from({ length: cols }, (_, j) => j);

  const newNode = () => {
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    for (let k = 0; k < K; k++) value.push(0);
    return feature.length - 1;
  };

  interface Job { node: number; start: number; end: number; depth: number }
  const stack: Job[] = [{ node: newNode(), start: 0, end: order.length, depth: 0 }];
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
    if (depth >= params.maxDepth || count < 2 * params.minSamplesLeaf || giniParent <= 1e-12) continue;

    let bestGain = 1e-12;
    let bestFeat = -1;
    let bestBin = -1;
    // Partial Fisher-Yates: the first maxFeatures entries of featPool are this split's sample.
    for (let f = 0; f < params.maxFeatures && f < cols; f++) {
      const r = f + rng.int(cols - f);
      const tmp = featPool[f];
      featPool[f] = featPool[r];
      featPool[r] = tmp;
      const j = featPool[f];
      const nb = edges[j].length;
      hist.fill(0, 0, nb * K);
      const base = j * rows;
      for (let p = start; p < end; p++) {
        const i = order[p];
        hist[codes[base + i] * K + y[i]] += w[i];
      }
      leftCounts.fill(0);
      let wLeft = 0;
      const pick = params.randomThresholds ? rng.int(Math.max(1, nb - 1)) : -1;
      for (let b = 0; b < nb - 1; b++) {
        for (let k = 0; k < K; k++) {
          leftCounts[k] += hist[b * K + k];
          wLeft += hist[b * K + k];
        }
        if (params.randomThresholds && b !== pick) continue;
        const wRight = wTot - wLeft;
        if (wLeft <= 0 || wRight <= 0) continue;
        let gl = 1;
        let gr = 1;
        for (let k = 0; k < K; k++) {
          gl -= (leftCounts[k] / wLeft) ** 2;
          gr -= ((totals[k] - leftCounts[k]) / wRight) ** 2;
        }
        const gain = giniParent - (wLeft / wTot) * gl - (wRight / wTot) * gr;
        if (gain > bestGain) {
          bestGain = gain;
          bestFeat = j;
          bestBin = b;
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
    if (mid - start < params.minSamplesLeaf || end - mid < params.minSamplesLeaf) continue;
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
