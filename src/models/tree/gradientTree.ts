import type { Bins } from './binning';

/** How a boosting tree grows: XGBoost grows level by level, LightGBM best leaf first. */
export interface GradientTreeParams {
  maxDepth: number;
  /** Leaf budget; Infinity for pure depth-wise growth. */
  maxLeaves: number;
  /** Minimum hessian sum in a child (XGBoost min_child_weight). */
  minChildWeight: number;
  /** Minimum rows in a child (LightGBM min_data_in_leaf). */
  minDataInLeaf: number;
  /** L2 regularisation on leaf values. */
  lambda: number;
  /** Minimum loss reduction to make a split. */
  gamma: number;
}

/** Regression tree in flat arrays; leaf: feature = -1 and value = leaf output. */
export interface RegressionTree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
}

export interface GrownTree {
  tree: RegressionTree;
  /** Rows of each leaf: order[start, end) ends in leaf `node`; lets callers update scores without re-traversal. */
  leaves: { node: number; start: number; end: number }[];
  order: Int32Array;
}

interface Split {
  gain: number;
  feat: number;
  bin: number;
  GL: number;
  HL: number;
  nL: number;
}

interface Candidate {
  node: number;
  start: number;
  end: number;
  depth: number;
  G: number;
  H: number;
  hist: Float64Array | null;
  best: Split | null;
}


/**
 * Grows one second-order regression tree over binned features from per-row gradients and
 * hessians (rows not in `rows` are ignored: zero weight is exactly a removed row). Split
 * search scans histograms of (G, H, n) per bin; only the smaller child's histogram is built,
 * the larger one is the parent's minus it (histogram subtraction). Best-first growth with a
 * leaf budget gives LightGBM's leaf-wise trees; an unlimited budget gives depth-wise trees.
 */
export function growGradientTree(bins: Bins, rows: Int32Array, g: Float64Array, h: Float64Array, features: Int32Array, p: GradientTreeParams): GrownTree {
  const { codes, edges } = bins;
  const nRows = bins.rows;
  const maxBins = edges.reduce((m, e) => Math.max(m, e.length), 0);
  // Per bin: gradient sum, hessian sum and, only when a row minimum applies, a row count
  // (histogram building is the hot loop; one write fewer per row and feature is ~1/3 faster).
  const counted = p.minDataInLeaf > 1;
  const STRIDE = counted ? 3 : 2;
  const histSize = bins.cols * maxBins * STRIDE;
  const order = Int32Array.from(rows);
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const newNode = (G: number, H: number) => {
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    value.push(-G / (H + p.lambda));
    return feature.length - 1;
  };
  const score = (G: number, H: number) => (G * G) / (H + p.lambda);

  // Row-wise histogram: one pass over the node's rows, all features of a row at once (the
  // row's bin codes are contiguous), so g/h are read once per row instead of once per feature.
  const allFeatures = features.length === bins.cols;
  const featOffset = new Int32Array(bins.cols).fill(-1);
  for (const j of features) featOffset[j] = j * maxBins * STRIDE;
  const cols = bins.cols;
  const rowCodes = bins.rowCodes;
  const buildHist = (start: number, end: number, into: Float64Array) => {
    into.fill(0);
    for (let q = start; q < end; q++) {
      const i = order[q];
      const gi = g[i];
      const hi = h[i];
      const rb = i * cols;
      for (let j = 0; j < cols; j++) {
        const fo = featOffset[j];
        if (!allFeatures && fo < 0) continue;
        const o = fo + rowCodes[rb + j] * STRIDE;
        into[o] += gi;
        into[o + 1] += hi;
        if (counted) into[o + 2] += 1;
      }
    }
  };
  const scratch = new Int32Array(order.length);

  const findSplit = (c: Candidate): Split | null => {
    const n = c.end - c.start;
    if (c.depth >= p.maxDepth || n < 2 * p.minDataInLeaf || !c.hist) return null;
    const parent = score(c.G, c.H);
    let best: Split | null = null;
    for (let f = 0; f < features.length; f++) {
      const j = features[f];
      const nb = edges[j].length;
      const hb = j * maxBins * STRIDE;
      let GL = 0;
      let HL = 0;
      let nL = 0;
      for (let b = 0; b < nb - 1; b++) {
        const o = hb + b * STRIDE;
        const hb1 = c.hist[o + 1];
        if (hb1 === 0) continue; // empty bin: same split as the previous boundary
        GL += c.hist[o];
        HL += hb1;
        if (counted) {
          nL += c.hist[o + 2];
          if (nL < p.minDataInLeaf) continue;
          if (n - nL < p.minDataInLeaf) break;
        }
        const HR = c.H - HL;
        if (HL < p.minChildWeight || HR < p.minChildWeight || HR <= 0) continue;
        const gain = 0.5 * (score(GL, HL) + score(c.G - GL, HR) - parent) - p.gamma;
        if (gain > 1e-12 && (!best || gain > best.gain)) best = { gain, feat: j, bin: b, GL, HL, nL };
      }
    }
    return best;
  };

  let G0 = 0;
  let H0 = 0;
  for (let q = 0; q < order.length; q++) {
    G0 += g[order[q]];
    H0 += h[order[q]];
  }
  const root: Candidate = { node: newNode(G0, H0), start: 0, end: order.length, depth: 0, G: G0, H: H0, hist: new Float64Array(histSize), best: null };
  buildHist(0, order.length, root.hist!);
  root.best = findSplit(root);
  const open: Candidate[] = [root];
  const done: Candidate[] = [];
  let leafCount = 1;

  while (open.length > 0 && leafCount < p.maxLeaves) {
    // Best-first: the open leaf whose split gains most.
    let k = -1;
    for (let c = 0; c < open.length; c++) if (open[c].best && (k < 0 || open[c].best!.gain > open[k].best!.gain)) k = c;
    if (k < 0) break;
    const c = open[k];
    open.splice(k, 1);
    const s = c.best!;
    // Stable partition: rows stay ascending within each node, which keeps memory access local.
    const base = s.feat * nRows;
    let mid = c.start;
    let nRight = 0;
    for (let q = c.start; q < c.end; q++) {
      const i = order[q];
      if (codes[base + i] <= s.bin) order[mid++] = i;
      else scratch[nRight++] = i;
    }
    order.set(scratch.subarray(0, nRight), mid);
    feature[c.node] = s.feat;
    threshold[c.node] = edges[s.feat][s.bin];
    const l: Candidate = { node: newNode(s.GL, s.HL), start: c.start, end: mid, depth: c.depth + 1, G: s.GL, H: s.HL, hist: null, best: null };
    const r: Candidate = { node: newNode(c.G - s.GL, c.H - s.HL), start: mid, end: c.end, depth: c.depth + 1, G: c.G - s.GL, H: c.H - s.HL, hist: null, best: null };
    left[c.node] = l.node;
    right[c.node] = r.node;
    leafCount += 1;
    const splittable = (x: Candidate) => x.depth < p.maxDepth && x.end - x.start >= 2 * p.minDataInLeaf;
    if (splittable(l) || splittable(r)) {
      const [small, large] = l.end - l.start <= r.end - r.start ? [l, r] : [r, l];
      small.hist = new Float64Array(histSize);
      buildHist(small.start, small.end, small.hist);
      // The parent's histogram becomes the larger child's: parent - small.
      const ph = c.hist!;
      for (let q = 0; q < histSize; q++) ph[q] -= small.hist[q];
      large.hist = ph;
      l.best = findSplit(l);
      r.best = findSplit(r);
    }
    c.hist = null;
    for (const x of [l, r]) {
      if (x.best) open.push(x);
      else {
        x.hist = null;
        done.push(x);
      }
    }
  }
  const leaves = [...done, ...open].map((c) => ({ node: c.node, start: c.start, end: c.end }));
  return {
    tree: { feature: Int32Array.from(feature), threshold: Float64Array.from(threshold), left: Int32Array.from(left), right: Int32Array.from(right), value: Float64Array.from(value) },
    leaves,
    order,
  };
}

/** Adds scale * tree(x) to out[i * stride + offset] for each row of data (row-major). */
export function addTreeOutput(t: RegressionTree, data: Float64Array, rows: number, cols: number, out: Float64Array, stride: number, offset: number, scale = 1): void {
  for (let i = 0; i < rows; i++) {
    let n = 0;
    while (t.feature[n] >= 0) n = data[i * cols + t.feature[n]] <= t.threshold[n] ? t.left[n] : t.right[n];
    out[i * stride + offset] += scale * t.value[n];
  }
}

export function regressionTreeToJSON(t: RegressionTree) {
  return { feature: Array.from(t.feature), threshold: Array.from(t.threshold, (v) => (Number.isFinite(v) ? v : 1e308)), left: Array.from(t.left), right: Array.from(t.right), value: Array.from(t.value) };
}

export function regressionTreeFromJSON(j: ReturnType<typeof regressionTreeToJSON>): RegressionTree {
  return { feature: Int32Array.from(j.feature), threshold: Float64Array.from(j.threshold), left: Int32Array.from(j.left), right: Int32Array.from(j.right), value: Float64Array.from(j.value) };
}
