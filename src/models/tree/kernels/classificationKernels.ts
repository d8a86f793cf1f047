import type { Bins } from '../binning';
import { compileTreeKernels, ensureMemory, instantiate, layOut, type TreeKernelExports } from './compile';

/**
 * Classification-tree kernels (a node's bin range, side sums for a random threshold, class
 * histograms) with memory laid out for one forest fit: column-major bin codes, labels, the
 * current tree's row order and weights, and result buffers. Sizes are fixed at creation, so
 * the views stay valid for the whole fit.
 */
export class ClassificationKernels {
  /** Row order of the tree being grown; nodes are ranges of it. */
  readonly order: Int32Array;
  /** Effective weight per row of the tree being grown (sample weight x bootstrap count). */
  readonly w: Float64Array;
  /** After sideSums: class weights left (0..K-1) and right (K..2K-1) of the threshold. */
  readonly sides: Float64Array;
  /** After classHistogram: class weights per bin of the range, bin-major (bin * K + class). */
  readonly hist: Float64Array;
  /** After classHistogram: rows per bin of the range. */
  readonly binRows: Int32Array;
  private readonly k: TreeKernelExports;
  private readonly p: { codes: number; order: number; y: number; w: number; sides: number; hist: number; binRows: number };

  private constructor(module: WebAssembly.Module, private readonly bins: Bins, y: Int32Array, private readonly K: number) {
    this.k = instantiate(module);
    const { rows, cols } = bins;
    const maxBins = bins.edges.reduce((m, e) => Math.max(m, e.length), 0);
    const { at, end } = layOut({ codes: rows * cols, order: rows * 4, y: rows * 4, w: rows * 8, sides: 2 * K * 8, hist: maxBins * K * 8, binRows: maxBins * 4 });
    this.p = at;
    ensureMemory(this.k.memory, end);
    const buf = this.k.memory.buffer;
    new Uint8Array(buf, this.p.codes, rows * cols).set(bins.codes);
    new Int32Array(buf, this.p.y, rows).set(y);
    this.order = new Int32Array(buf, this.p.order, rows);
    this.w = new Float64Array(buf, this.p.w, rows);
    this.sides = new Float64Array(buf, this.p.sides, 2 * K);
    this.hist = new Float64Array(buf, this.p.hist, maxBins * K);
    this.binRows = new Int32Array(buf, this.p.binRows, maxBins);
  }

  static async create(bins: Bins, y: Int32Array, K: number): Promise<ClassificationKernels> {
    return new ClassificationKernels(await compileTreeKernels(), bins, y, K);
  }

  /** [lowest, highest] bin of feature j over order[start, end). */
  binRange(j: number, start: number, end: number): [number, number] {
    const r = this.k.binRange(this.column(j), this.p.order, start, end);
    return [r & 0xff, r >>> 8];
  }

  /** Fills `sides` for the boundary after bin t; returns the rows on the right. */
  sideSums(j: number, start: number, end: number, t: number): number {
    return this.k.sideSums(this.column(j), this.p.order, start, end, this.p.y, this.p.w, t, this.K, this.p.sides);
  }

  /** Fills `hist` and `binRows` for bins lo..lo+nb-1 of feature j over order[start, end). */
  classHistogram(j: number, start: number, end: number, lo: number, nb: number): void {
    const p = this.p;
    this.k.classHistogram(this.column(j), p.order, start, end, p.y, p.w, lo, nb, this.K, p.hist, p.binRows);
  }

  private column(j: number): number {
    return this.p.codes + j * this.bins.rows;
  }
}
