import { describe, expect, it } from 'vitest';
import { applyBins, computeEdges, type Bins } from '../../../src/models/tree/binning';
import { ClassificationTreeGrower, type FlatTree } from '../../../src/models/tree/classificationTree';
import { GradientTreeGrower } from '../../../src/models/tree/gradientTree';
import { ClassificationKernels } from '../../../src/models/tree/kernels/classificationKernels';
import { GradientKernels } from '../../../src/models/tree/kernels/gradientKernels';
import { Rng } from '../../../src/util/rng';

/** Random features (one of them with 4 values, one with 40) binned as the models bin them. */
function binned(n: number, cols: number, seed: number, maxBins = 255): { bins: Bins; data: Float64Array } {
  const rng = new Rng(seed);
  const data = new Float64Array(n * cols);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < cols; j++) data[i * cols + j] = rng.normal();
    data[i * cols + 1] = rng.int(4);
    data[i * cols + 2] = rng.int(40) / 7;
  }
  return { bins: applyBins({ data, rows: n, cols }, computeEdges({ data, rows: n, cols }, maxBins)), data };
}

const ascendingSubset = (n: number, share: number, rng: Rng) => Int32Array.from({ length: n }, (_, i) => i).filter(() => rng.next() < share);

describe('gradient kernels (WebAssembly) agree exactly with the plain TypeScript they replace', () => {
  const n = 3000;
  const cols = 12;
  const { bins } = binned(n, cols, 1);
  const features = Int32Array.from([0, 1, 2, 5, 7, 11]);
  const rng = new Rng(2);
  const g = Float64Array.from({ length: n }, () => rng.normal());
  const h = Float64Array.from({ length: n }, () => rng.next() * 0.25);
  const rows = ascendingSubset(n, 0.7, rng);
  const off = [0];
  for (const j of features) off.push(off[off.length - 1] + 2 * bins.edges[j].length);

  const referenceHistogram = (from: number, to: number) => {
    const hist = new Float64Array(off[off.length - 1]);
    for (let q = from; q < to; q++) {
      const i = rows[q];
      features.forEach((j, f) => {
        const o = off[f] + 2 * bins.rowCodes[i * cols + j];
        hist[o] += g[i];
        hist[o + 1] += h[i];
      });
    }
    return hist;
  };
  /** The split scan as the TypeScript grower wrote it before the kernels. */
  const referenceSplit = (hist: Float64Array, G: number, H: number, lambda: number, minScore: number, minChild: number, minH: number) => {
    let best = { f: -1, bin: 0, score: minScore, GL: 0, HL: 0 };
    for (let f = 0; f < features.length; f++) {
      let GL = 0;
      let HL = 0;
      for (let o = off[f], b = 0; o < off[f + 1] - 2; o += 2, b++) {
        if (hist[o + 1] === 0) continue;
        GL += hist[o];
        HL += hist[o + 1];
        const HR = H - HL;
        if (HL < minH) continue;
        if (HR < minH) break;
        if (HL < minChild || HR < minChild || HR <= 0) continue;
        const s = (GL * GL) / (HL + lambda) + ((G - GL) * (G - GL)) / (HR + lambda);
        if (s > best.score) best = { f, bin: b, score: s, GL, HL };
      }
    }
    return best;
  };

  async function loaded() {
    const slotBytes = 16 * bins.edges.reduce((s, e) => s + e.length, 0);
    const k = await GradientKernels.create(n, cols, bins.rowCodes, slotBytes);
    const bytes = k.setFeatures(features, (j) => bins.edges[j].length);
    k.g.set(g);
    k.h.set(h);
    k.order.set(rows);
    return { k, bytes };
  }

  it('builds histograms and subtracts them bit for bit', async () => {
    const { k, bytes } = await loaded();
    expect(bytes).toBe(8 * off[off.length - 1]);
    const all = k.takeHistogram();
    k.build(all, bytes, 0, rows.length, features.length);
    const whole = referenceHistogram(0, rows.length);
    expect(Array.from(k.readHistogram(all, bytes))).toEqual(Array.from(whole));
    const part = k.takeHistogram();
    k.build(part, bytes, 100, 900, features.length);
    const small = referenceHistogram(100, 900);
    expect(Array.from(k.readHistogram(part, bytes))).toEqual(Array.from(small));
    k.subtract(all, part, bytes);
    expect(Array.from(k.readHistogram(all, bytes))).toEqual(Array.from(whole, (v, q) => v - small[q]));
  });

  it('finds the same split as the reference scan, honouring the hessian and row bounds', async () => {
    const { k, bytes } = await loaded();
    const hist = k.takeHistogram();
    k.build(hist, bytes, 0, rows.length, features.length);
    const ref = referenceHistogram(0, rows.length);
    let G = 0;
    let H = 0;
    for (const i of rows) {
      G += g[i];
      H += h[i];
    }
    for (const [lambda, minChild, minH] of [
      [0, 1e-3, 0],
      [1, 1, 0],
      [0, 1e-3, H / 4], // each side needs a quarter of the hessian: bounds the scan from both ends
    ]) {
      const minScore = (G * G) / (H + lambda);
      const want = referenceSplit(ref, G, H, lambda, minScore, minChild, minH);
      const got = k.findSplit(hist, features.length, G, H, lambda, minScore, minChild, minH);
      expect(want.f).toBeGreaterThanOrEqual(0);
      expect(got).toEqual({ featureIndex: want.f, bin: want.bin, score: want.score, GL: want.GL, HL: want.HL });
      if (minH > 0) expect(got!.HL >= minH && H - got!.HL >= minH).toBe(true);
    }
    expect(k.findSplit(hist, features.length, G, H, 0, Infinity, 1e-3, 0)).toBeNull();
  });

  it('counted histograms carry each bin\'s rows, and the split scan bounds children by exact rows', async () => {
    const slotBytes = 24 * bins.edges.reduce((s, e) => s + e.length, 0);
    const k = await GradientKernels.create(n, cols, bins.rowCodes, slotBytes, true);
    const bytes = k.setFeatures(features, (j) => bins.edges[j].length);
    expect(bytes % 16).toBe(0);
    k.g.set(g);
    k.h.set(h);
    k.order.set(rows);
    const [from, to] = [0, rows.length];
    const all = k.takeHistogram();
    k.build(all, bytes, from, to, features.length);
    const pairs = referenceHistogram(from, to);
    const triples = new Float64Array(bytes / 8);
    const counts = Array.from(features, (j) => new Array<number>(bins.edges[j].length).fill(0));
    for (let q = from; q < to; q++) features.forEach((j, f) => counts[f][bins.rowCodes[rows[q] * cols + j]]++);
    let at = 0;
    features.forEach((j, f) => {
      for (let b = 0; b < bins.edges[j].length; b++, at += 3) {
        triples[at] = pairs[off[f] + 2 * b];
        triples[at + 1] = pairs[off[f] + 2 * b + 1];
        triples[at + 2] = counts[f][b];
      }
    });
    expect(Array.from(k.readHistogram(all, bytes))).toEqual(Array.from(triples));
    let G = 0;
    let H = 0;
    for (const i of rows) {
      G += g[i];
      H += h[i];
    }
    const N = to - from;
    // Reference: every boundary with both sides >= minRows rows, best score.
    for (const minRows of [1, 50, Math.floor(N / 3)]) {
      let best = { f: -1, bin: 0, score: (G * G) / H, GL: 0, HL: 0 };
      features.forEach((j, f) => {
        let GL = 0;
        let HL = 0;
        let NL = 0;
        for (let b = 0; b < bins.edges[j].length - 1; b++) {
          if (counts[f][b] === 0) continue;
          GL += pairs[off[f] + 2 * b];
          HL += pairs[off[f] + 2 * b + 1];
          NL += counts[f][b];
          if (NL < minRows || N - NL < minRows || !(H - HL > 0) || HL < 1e-3 || H - HL < 1e-3) continue;
          const s = (GL * GL) / HL + ((G - GL) * (G - GL)) / (H - HL);
          if (s > best.score) best = { f, bin: b, score: s, GL, HL };
        }
      });
      const got = k.findSplit(all, features.length, G, H, 0, (G * G) / H, 1e-3, minRows, N);
      expect(got).toEqual({ featureIndex: best.f, bin: best.bin, score: best.score, GL: best.GL, HL: best.HL });
    }
  });

  it('keeps working when the histogram pool outgrows its memory (views re-derived)', async () => {
    const { k, bytes } = await loaded();
    const slots = Array.from({ length: 150 }, () => k.takeHistogram());
    expect(new Set(slots).size).toBe(150);
    // Views taken before growth are detached; the kernels' own views were re-derived.
    k.g.set(g);
    k.h.set(h);
    k.order.set(rows);
    const last = slots[slots.length - 1];
    k.build(last, bytes, 0, rows.length, features.length);
    expect(Array.from(k.readHistogram(last, bytes))).toEqual(Array.from(referenceHistogram(0, rows.length)));
    for (const s of slots) k.releaseHistogram(s);
    expect(k.takeHistogram()).toBe(slots[slots.length - 1]);
  });
});

describe('classification kernels (WebAssembly) agree exactly with plain TypeScript', () => {
  const n = 2000;
  const cols = 6;
  const K = 3;
  const { bins } = binned(n, cols, 3, 64);
  const rng = new Rng(4);
  const y = Int32Array.from({ length: n }, () => rng.int(K));
  const w = Float64Array.from({ length: n }, () => (rng.next() < 0.1 ? 0 : 0.5 + rng.next()));
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => ((a * 7919) % n) - ((b * 7919) % n));
  const code = (j: number, i: number) => bins.codes[j * n + i];

  it('bin range, side sums and class histograms', async () => {
    const k = await ClassificationKernels.create(bins, y, K);
    k.w.set(w);
    k.order.set(order);
    const [start, end] = [300, 1700];
    for (let j = 0; j < cols; j++) {
      let lo = 255;
      let hi = 0;
      for (let q = start; q < end; q++) {
        lo = Math.min(lo, code(j, order[q]));
        hi = Math.max(hi, code(j, order[q]));
      }
      expect(k.binRange(j, start, end)).toEqual([lo, hi]);

      const t = lo + Math.floor((hi - lo) / 2);
      const sides = new Float64Array(2 * K);
      let right = 0;
      for (let q = start; q < end; q++) {
        const i = order[q];
        const side = code(j, i) > t ? 1 : 0;
        sides[side * K + y[i]] += w[i];
        right += side;
      }
      expect(k.sideSums(j, start, end, t)).toBe(right);
      expect(Array.from(k.sides)).toEqual(Array.from(sides));

      const nb = hi - lo + 1;
      const hist = new Float64Array(nb * K);
      const binRows = new Int32Array(nb);
      for (let q = start; q < end; q++) {
        const i = order[q];
        hist[(code(j, i) - lo) * K + y[i]] += w[i];
        binRows[code(j, i) - lo]++;
      }
      k.classHistogram(j, start, end, lo, nb);
      expect(Array.from(k.hist.subarray(0, nb * K))).toEqual(Array.from(hist));
      expect(Array.from(k.binRows.subarray(0, nb))).toEqual(Array.from(binRows));
    }
  });
});

describe('tree growth rules', () => {
  /** Training rows per leaf, by running each row down the tree. */
  const leafRows = (t: FlatTree, data: Float64Array, rows: number, cols: number, w?: Float64Array) => {
    const count = new Map<number, number>();
    for (let i = 0; i < rows; i++) {
      if (w && w[i] === 0) continue;
      let node = 0;
      while (t.feature[node] >= 0) node = data[i * cols + t.feature[node]] <= t.threshold[node] ? t.left[node] : t.right[node];
      count.set(node, (count.get(node) ?? 0) + 1);
    }
    return [...count.values()];
  };

  it.each([
    ['constant hessians', false],
    ['hessians scaled by sample weights 0.8-2', true],
  ])('leaf-wise boosting trees keep minDataInLeaf rows per leaf (%s)', async (_label, weighted) => {
    // Rows, not hessian: a weight-2 row is one row (sklearn's min_samples_leaf). An estimate
    // from each child's hessian share let heavy rows count double and left leaves too small.
    const n = 4000;
    const { bins } = binned(n, 8, 5);
    const rng = new Rng(6);
    const g = Float64Array.from({ length: n }, () => rng.normal());
    const h = Float64Array.from({ length: n }, (_, i) => (weighted ? [0.8, 1, 1.3, 2, 1.5][i % 5] * (0.1 + 0.15 * rng.next()) : 1));
    if (weighted) for (let i = 0; i < n; i++) g[i] *= h[i];
    const grower = await GradientTreeGrower.create(bins, { maxDepth: 64, maxLeaves: 63, minChildWeight: 1e-3, minDataInLeaf: 25, lambda: 0, gamma: 0 });
    const grown = grower.grow(Int32Array.from({ length: n }, (_, i) => i), g, h, Int32Array.from({ length: 8 }, (_, j) => j));
    expect(grown.leaves.length).toBeGreaterThan(30);
    for (const leaf of grown.leaves) expect(leaf.end - leaf.start).toBeGreaterThanOrEqual(25);
  });

  it.each([
    ['best thresholds', false],
    ['random thresholds', true],
  ])('forest trees (%s) keep minSamplesLeaf rows per leaf', async (_label, randomThresholds) => {
    const n = 3000;
    const cols = 6;
    const { bins, data } = binned(n, cols, 7, 64);
    const y = Int32Array.from({ length: n }, (_, i) => (data[i * cols] + 0.5 * data[i * cols + 3] > 0 ? 1 : 0) ^ (i % 5 === 0 ? 1 : 0));
    const w = Float64Array.from({ length: n }, (_, i) => (i % 11 === 0 ? 0 : 1));
    const grower = await ClassificationTreeGrower.create(bins, y, 2);
    const tree = grower.grow(w, { maxDepth: 20, minSamplesLeaf: 9, maxFeatures: 2, randomThresholds }, new Rng(8));
    const sizes = leafRows(tree, data, n, cols, w);
    expect(sizes.length).toBeGreaterThan(20);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(9);
  });

  it('features constant within a node do not use up the per-split feature draws', async () => {
    // 30 constant columns and one informative one: with maxFeatures 1 every root must still
    // split on the informative column (a draw of a constant column is replaced, as in sklearn).
    const n = 500;
    const cols = 31;
    const data = new Float64Array(n * cols).fill(1);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      data[i * cols + 30] = i / n;
      y[i] = i < n / 2 ? 0 : 1;
    }
    const X = { data, rows: n, cols };
    const bins = applyBins(X, computeEdges(X, 64));
    const grower = await ClassificationTreeGrower.create(bins, y, 2);
    for (const randomThresholds of [false, true]) {
      for (let seed = 0; seed < 10; seed++) {
        const tree = grower.grow(new Float64Array(n).fill(1), { maxDepth: 3, minSamplesLeaf: 1, maxFeatures: 1, randomThresholds }, new Rng(seed));
        expect(tree.feature[0]).toBe(30);
      }
    }
  });
});

describe('bin edges', () => {
  const rng = new Rng(11);
  const n = 1200;
  const X = { data: Float64Array.from({ length: n * 2 }, () => rng.normal()), rows: n, cols: 2 };
  const w = Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 0 : i % 3 === 0 ? 2 : 1));
  const kept = Array.from({ length: n }, (_, i) => i).filter((i) => w[i] > 0);
  const pick = (rows: number[]) => ({ data: Float64Array.from(rows.flatMap((i) => [X.data[2 * i], X.data[2 * i + 1]])), rows: rows.length, cols: 2 });
  const same = (a: Float64Array[], b: Float64Array[]) => expect(a.map((e) => Array.from(e))).toEqual(b.map((e) => Array.from(e)));

  it("'rows' counts each row with positive weight once; 'weighted' counts weight as copies", () => {
    same(computeEdges(X, 32, w, 'rows'), computeEdges(pick(kept), 32));
    const copies = kept.flatMap((i) => (w[i] === 2 ? [i, i] : [i]));
    same(computeEdges(X, 32, w, 'weighted'), computeEdges(pick(copies), 32));
    expect(computeEdges(X, 32, w, 'rows')[0]).not.toEqual(computeEdges(X, 32, w, 'weighted')[0]);
  });

  it('rejects an unknown mode and out-of-range bin counts', () => {
    expect(() => computeEdges(X, 32, w, 'hessian' as never)).toThrow(/binning must be "rows" or "weighted", got "hessian"/);
    expect(() => computeEdges(X, 300)).toThrow(/maxBins must be in \[2, 256\], got 300/);
  });
});
