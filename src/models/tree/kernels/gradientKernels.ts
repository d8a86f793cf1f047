import { align16, compileTreeKernels, ensureMemory, instantiate, layOut, type TreeKernelExports } from './compile';

/** The winning boundary of a node: feature index in the tree's feature list, bin, left sums. */
export interface KernelSplit {
  featureIndex: number;
  bin: number;
  score: number;
  GL: number;
  HL: number;
}

/**
 * Gradient-tree kernels (histogram build, subtraction, split scan) with memory laid out for
 * one boosting fit: the row order, per-row gradients and hessians, the row-major bin codes,
 * the tree's feature list and histogram offsets, and a pool of histogram slots that grows on
 * demand. With `counted`, histograms carry each bin's row count beside (G, H), 24 bytes a bin
 * instead of 16, for an exact minimum of rows per leaf. Growing memory detaches typed array views, so callers read `order`, `g`, `h` afresh
 * after `takeHistogram()`.
 */
export class GradientKernels {
  order!: Int32Array;
  g!: Float64Array;
  h!: Float64Array;
  private feat!: Int32Array;
  private off!: Int32Array;
  private outF64!: Float64Array;
  private outI32!: Int32Array;
  private readonly k: TreeKernelExports;
  private readonly p: { order: number; g: number; h: number; codes: number; feat: number; off: number; out: number; slots: number };
  private slotCount = 0;
  private readonly free: number[] = [];

  private constructor(
    module: WebAssembly.Module,
    private readonly rows: number,
    private readonly cols: number,
    rowCodes: Uint8Array,
    /** Bytes of the largest histogram (every feature): one slot. */
    private readonly slotBytes: number,
    readonly counted: boolean,
  ) {
    this.k = instantiate(module);
    const { at, end } = layOut({ order: rows * 4, g: rows * 8, h: rows * 8, codes: rows * cols, feat: cols * 4, off: (cols + 1) * 4, out: 32 });
    this.p = { ...at, slots: end };
    this.reserve(end);
    new Uint8Array(this.k.memory.buffer, this.p.codes, rows * cols).set(rowCodes);
  }

  /** slotBytes: bytes of a histogram over every feature, binBytes(counted) per bin. */
  static async create(rows: number, cols: number, rowCodes: Uint8Array, slotBytes: number, counted = false): Promise<GradientKernels> {
    return new GradientKernels(await compileTreeKernels(), rows, cols, rowCodes, align16(slotBytes), counted);
  }

  /** Sets the features a tree uses; returns the byte size of its histograms (a multiple of 16, for subtract). */
  setFeatures(features: Int32Array, binsOf: (feature: number) => number): number {
    const F = features.length;
    const per = binBytes(this.counted);
    this.feat.set(features);
    this.off[0] = 0;
    for (let f = 0; f < F; f++) this.off[f + 1] = this.off[f] + per * binsOf(features[f]);
    return align16(this.off[F]);
  }

  takeHistogram(): number {
    const free = this.free.pop();
    if (free !== undefined) return free;
    const add = Math.max(4, this.slotCount); // double the pool: few grows per fit
    this.reserve(this.p.slots + (this.slotCount + add) * this.slotBytes);
    for (let s = this.slotCount + add - 1; s > this.slotCount; s--) this.free.push(this.p.slots + s * this.slotBytes);
    const slot = this.p.slots + this.slotCount * this.slotBytes;
    this.slotCount += add;
    return slot;
  }

  releaseHistogram(hist: number): void {
    this.free.push(hist);
  }

  /** Histogram of rows order[start, end) over the first nFeat features set by setFeatures. */
  build(hist: number, bytes: number, start: number, end: number, nFeat: number): void {
    const p = this.p;
    (this.counted ? this.k.buildHistogramCounted : this.k.buildHistogram)(hist, bytes, p.order, start, end, p.g, p.h, p.codes, this.cols, p.feat, p.off, nFeat);
  }

  subtract(into: number, minus: number, bytes: number): void {
    this.k.subtractHistogram(into, minus, bytes);
  }

  /**
   * minSize: each child's least hessian, or with `counted` kernels its least rows of the
   * node's N (exact counts from the histogram).
   */
  findSplit(hist: number, nFeat: number, G: number, H: number, lambda: number, minScore: number, minChild: number, minSize: number, N = 0): KernelSplit | null {
    const f = this.k.findSplit(hist, this.p.off, nFeat, G, H, lambda, minScore, minChild, minSize, this.counted ? 1 : 0, N, this.p.out);
    if (f < 0) return null;
    return { featureIndex: f, score: this.outF64[0], GL: this.outF64[1], HL: this.outF64[2], bin: this.outI32[6] };
  }

  /** A copy of a histogram's (G, H) pairs or (G, H, rows) triples, for tests and diagnostics. */
  readHistogram(hist: number, bytes: number): Float64Array {
    return new Float64Array(this.k.memory.buffer.slice(hist, hist + bytes));
  }

  /** Grows memory to at least `bytes` and re-derives every view (growth detaches them). */
  private reserve(bytes: number): void {
    ensureMemory(this.k.memory, bytes);
    const buf = this.k.memory.buffer;
    const p = this.p;
    this.order = new Int32Array(buf, p.order, this.rows);
    this.g = new Float64Array(buf, p.g, this.rows);
    this.h = new Float64Array(buf, p.h, this.rows);
    this.feat = new Int32Array(buf, p.feat, this.cols);
    this.off = new Int32Array(buf, p.off, this.cols + 1);
    this.outF64 = new Float64Array(buf, p.out, 4);
    this.outI32 = new Int32Array(buf, p.out, 8);
  }
}

/** Bytes of one histogram bin: (G, H) f64, plus the row count when counted. */
export const binBytes = (counted: boolean) => (counted ? 24 : 16);
