import type { ParamValues } from '../trmNetwork';
import { createKernels, engineName, selectedEngine, type EngineKind, type TrmKernels } from './kernels';

export interface EngineShape {
  inputDim: number;
  classes: number;
  hidden: number;
  /** inner width of the shared network */
  ffn: number;
  n: number;
  T: number;
}

const round8 = (v: number) => Math.ceil(v / 8) * 8;

/** Activations of one call of the shared network, kept for its backward pass. */
interface Slot {
  s: number;
  a1: number;
  g: number;
  h: number;
  rinv: number;
}

/** Byte offsets of the trainable parameters inside the flat (padded) parameter block. */
type ParamBlock = Record<'Win' | 'bin' | 'W1' | 'b1' | 'W2' | 'b2' | 'gain' | 'Whead' | 'bhead', number>;

/**
 * The TRM forward and backward passes on one of two kernel sets with the same signatures
 * (kernels.ts): native (a Node-API addon, native/trm_native.c) or hand-written WebAssembly
 * SIMD (trmKernels.wat). One memory block laid out once per fit (or per prediction) for up to
 * `maxRows` rows, in the same layout for both, so parameters, gradients and optimiser state
 * move between engines unchanged.
 *
 * Widths are padded to multiples of 8 (hidden Hp, inner Fp, head Kh = classes + 1 for Q) with
 * zero weights, zero gain and zero initial states. Padded columns then stay exactly zero
 * through every layer (silu(0) = 0, the RMS mean divides by the real hidden size), their
 * gradients are exactly zero, and AdamW leaves a zero weight with a zero gradient at zero: the
 * padded model computes the unpadded one. The two heads share one matrix [Wout | Wq].
 */
export class TrmEngine {
  /** Engines constructed in this process (tests check a fit lays out memory once). */
  static constructed = 0;
  readonly Hp: number;
  readonly Fp: number;
  readonly Kh: number;
  /** Flat trainable parameters (padded) and their gradients, views into the engine's memory. */
  readonly params: Float32Array;
  readonly grads: Float32Array;
  /** [start, end) float ranges of `params` that are matrices (AdamW decays only those). */
  readonly matrixRanges: [number, number][];
  /** Head outputs of the last forward pass: [rows, Kh], logits then Q at column `classes`. */
  readonly head: Float32Array;
  /** Gradient of the loss with respect to `head`, filled by the caller before backward(). */
  readonly dhead: Float32Array;
  /** Input rows [rows, inputDim] and the carried states [rows, Hp]. */
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly z: Float32Array;
  rows = 0;
  /** Which kernels compute (`native` or `wasm`), and the name a model records for them. */
  readonly kind: EngineKind;
  readonly engineName: string;
  private readonly k: TrmKernels;
  private readonly p: ParamBlock;
  private readonly g: ParamBlock;
  private readonly packed: { Win: number; W1: number; W1T: number; W2: number; W2T: number; Whead: number; WheadT: number };
  private readonly buf: { x: number; xe: number; y: number; z: number; head: number; dhead: number; packB: number; dA: number; dB: number; dg: number; dxe: number };
  private readonly slots: Slot[];
  private readonly scratch: Slot;
  private readonly paramStart: number;

  constructor(
    readonly shape: EngineShape,
    readonly maxRows: number,
    training: boolean,
    kind: EngineKind = selectedEngine(),
  ) {
    TrmEngine.constructed++;
    this.kind = kind;
    this.engineName = engineName(kind);
    const { inputDim: D, classes: K, hidden: H, ffn: F } = shape;
    const Hp = (this.Hp = round8(H));
    const Fp = (this.Fp = round8(F));
    const Kh = (this.Kh = round8(K + 1));
    const R = maxRows;
    let end = 0;
    const take = (floats: number) => {
      const at = end;
      // 64-byte aligned blocks: whole cache lines, and aligned AVX-512 rows for the native kernels.
      end += Math.ceil(floats / 16) * 64;
      return at;
    };
    const sizes = { Win: D * Hp, bin: Hp, W1: Hp * Fp, b1: Fp, W2: Fp * Hp, b2: Hp, gain: Hp, Whead: Hp * Kh, bhead: Kh };
    const block = () => {
      const out = {} as ParamBlock;
      for (const [name, size] of Object.entries(sizes)) out[name as keyof ParamBlock] = take(size);
      return out;
    };
    const paramStart = (this.paramStart = end);
    this.p = block();
    const paramEnd = end;
    this.g = block();
    this.packed = { Win: take(D * Hp), W1: take(Hp * Fp), W1T: take(Hp * Fp), W2: take(Fp * Hp), W2T: take(Fp * Hp), Whead: take(Hp * Kh), WheadT: take(Hp * Kh) };
    this.buf = {
      x: take(R * D),
      xe: take(R * Hp),
      y: take(R * Hp),
      z: take(R * Hp),
      head: take(R * Kh),
      dhead: take(R * Kh),
      packB: take(R * Math.max(Fp, Hp, Kh)),
      dA: take(R * Hp),
      dB: take(R * Hp),
      dg: take(R * Fp),
      dxe: take(R * Hp),
    };
    const slot = (): Slot => ({ s: take(R * Hp), a1: take(R * Fp), g: take(R * Fp), h: take(R * Hp), rinv: take(R) });
    this.scratch = slot();
    this.slots = training ? Array.from({ length: shape.n + 1 }, slot) : [];
    this.k = createKernels(kind, end);
    // Memory never grows after this point, so these views stay attached for the engine's life.
    const mem = this.k.buffer;
    this.params = new Float32Array(mem, paramStart, (paramEnd - paramStart) / 4);
    this.grads = new Float32Array(mem, this.g.Win, (paramEnd - paramStart) / 4);
    const rel = (name: keyof ParamBlock) => [(this.p[name] - paramStart) / 4, (this.p[name] - paramStart) / 4 + sizes[name]] as [number, number];
    this.matrixRanges = [rel('Win'), rel('W1'), rel('W2'), rel('Whead')];
    this.head = new Float32Array(mem, this.buf.head, R * Kh);
    this.dhead = new Float32Array(mem, this.buf.dhead, R * Kh);
    this.x = new Float32Array(mem, this.buf.x, R * D);
    this.y = new Float32Array(mem, this.buf.y, R * Hp);
    this.z = new Float32Array(mem, this.buf.z, R * Hp);
  }

  /** Bytes of the engine's memory (fixed at construction). */
  get memoryBytes(): number {
    return this.k.buffer.byteLength;
  }

  /** Loads model parameters (zero-padded) and packs the weights for the kernels. */
  setParams(v: ParamValues): void {
    this.toFlat(v, this.params);
    this.repack();
  }

  /**
   * Values in the model's shapes written into the engine's padded flat layout (parameters, or
   * optimiser state of the same shapes); `paramValues` is the inverse.
   */
  toFlat(v: ParamValues, out: Float32Array = new Float32Array(this.params.length)): Float32Array {
    const { inputDim: D, classes: K, hidden: H, ffn: F } = this.shape;
    out.fill(0);
    const put = (at: number, src: Float32Array, rows: number, cols: number, ld: number, col0 = 0) => {
      const base = (at - this.paramStart) / 4 + col0;
      if (src.length !== rows * cols) throw new RangeError(`trm engine: ${src.length} values where the shape needs ${rows * cols}`);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[base + r * ld + c] = src[r * cols + c];
    };
    put(this.p.Win, v.Win.values, D, H, this.Hp);
    put(this.p.bin, v.bin.values, 1, H, this.Hp);
    put(this.p.W1, v.W1.values, H, F, this.Fp);
    put(this.p.b1, v.b1.values, 1, F, this.Fp);
    put(this.p.W2, v.W2.values, F, H, this.Hp);
    put(this.p.b2, v.b2.values, 1, H, this.Hp);
    put(this.p.gain, v.gain.values, 1, H, this.Hp);
    put(this.p.Whead, v.Wout.values, H, K, this.Kh);
    put(this.p.Whead, v.Wq.values, H, 1, this.Kh, K);
    put(this.p.bhead, v.bout.values, 1, K, this.Kh);
    put(this.p.bhead, v.bq.values, 1, 1, this.Kh, K);
    return out;
  }

  /** Parameters, or gradients, or any array in the same padded layout, in the model's shapes. */
  paramValues(flat: Float32Array = this.params): ParamValues {
    const { inputDim: D, classes: K, hidden: H, ffn: F } = this.shape;
    const get = (at: number, rows: number, cols: number, ld: number, shape: number[], col0 = 0) => {
      const out = new Float32Array(rows * cols);
      const base = (at - this.paramStart) / 4 + col0;
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = flat[base + r * ld + c];
      return { shape, values: out };
    };
    const p = this.p;
    return {
      Win: get(p.Win, D, H, this.Hp, [D, H]),
      bin: get(p.bin, 1, H, this.Hp, [H]),
      W1: get(p.W1, H, F, this.Fp, [H, F]),
      b1: get(p.b1, 1, F, this.Fp, [F]),
      W2: get(p.W2, F, H, this.Hp, [F, H]),
      b2: get(p.b2, 1, H, this.Hp, [H]),
      gain: get(p.gain, 1, H, this.Hp, [H]),
      Wout: get(p.Whead, H, K, this.Kh, [H, K]),
      bout: get(p.bhead, 1, K, this.Kh, [K]),
      Wq: get(p.Whead, H, 1, this.Kh, [H, 1], K),
      bq: get(p.bhead, 1, 1, this.Kh, [1], K),
    };
  }

  /** Re-packs every weight matrix after `params` changed (once per optimiser step). */
  repack(): void {
    const { k, p, packed: q, Hp, Fp, Kh } = this;
    k.pack(p.Win, this.shape.inputDim, Hp, q.Win);
    k.pack(p.W1, Hp, Fp, q.W1);
    k.packTransposed(p.W1, Hp, Fp, q.W1T);
    k.pack(p.W2, Fp, Hp, q.W2);
    k.packTransposed(p.W2, Fp, Hp, q.W2T);
    k.pack(p.Whead, Hp, Kh, q.Whead);
    k.packTransposed(p.Whead, Hp, Kh, q.WheadT);
  }

  /** Starts `rows` samples (already written to `x`) from the fixed initial states. */
  startRows(rows: number, y0: Float32Array, z0: Float32Array): void {
    if (rows > this.maxRows) throw new RangeError(`trm engine: ${rows} rows exceed the ${this.maxRows} laid out`);
    this.rows = rows;
    const Hp = this.Hp;
    for (let r = 0; r < rows; r++) {
      this.y.fill(0, r * Hp, (r + 1) * Hp);
      this.y.set(y0, r * Hp);
      this.z.fill(0, r * Hp, (r + 1) * Hp);
      this.z.set(z0, r * Hp);
    }
  }

  /** Keeps only the rows at `keep` (ascending) of x, y and z, moved to the front. */
  keepRows(keep: ArrayLike<number>): void {
    const D = this.shape.inputDim;
    const Hp = this.Hp;
    for (let r = 0; r < keep.length; r++) {
      const from = keep[r];
      if (from === r) continue;
      this.x.copyWithin(r * D, from * D, (from + 1) * D);
      this.y.copyWithin(r * Hp, from * Hp, (from + 1) * Hp);
      this.z.copyWithin(r * Hp, from * Hp, (from + 1) * Hp);
    }
    this.rows = keep.length;
  }

  /**
   * One supervision step's forward pass: T - 1 cycles whose activations are dropped, then one
   * whose activations are kept when `keep` (for backward()), then the heads. y and z hold the
   * new carried state, `head` the logits and Q.
   */
  supervisionStep(keep: boolean, arch: { n: number; T: number } = this.shape): void {
    const { k, buf, Hp, Kh } = this;
    const A = this.rows;
    if (keep && arch.n + 1 > this.slots.length) throw new RangeError('trm engine: laid out for inference, not training');
    k.gemm(buf.x, this.shape.inputDim, 1, this.packed.Win, buf.xe, A, Hp, this.shape.inputDim, 0);
    k.addBias(buf.xe, this.p.bin, A, Hp);
    for (let cycle = 1; cycle <= arch.T; cycle++) {
      const save = keep && cycle === arch.T;
      for (let i = 0; i < arch.n; i++) {
        const slot = save ? this.slots[i] : this.scratch;
        k.add3(slot.s, buf.xe, buf.y, buf.z, A * Hp, 1);
        this.net(slot, buf.z);
      }
      const slot = save ? this.slots[arch.n] : this.scratch;
      k.add3(slot.s, buf.y, buf.z, 0, A * Hp, 0);
      this.net(slot, buf.y);
    }
    k.gemm(buf.y, Hp, 1, this.packed.Whead, buf.head, A, Kh, Hp, 0);
    k.addBias(buf.head, this.p.bhead, A, Kh);
  }

  /** net(s) = RMSNorm(s + W2 silu(W1 s + b1) + b2) * gain, written to `out`. */
  private net(slot: Slot, out: number): void {
    const { k, p, packed, Hp, Fp } = this;
    const A = this.rows;
    k.gemm(slot.s, Hp, 1, packed.W1, slot.a1, A, Fp, Hp, 0);
    k.biasSilu(slot.a1, p.b1, slot.g, A, Fp);
    k.gemm(slot.g, Fp, 1, packed.W2, slot.h, A, Hp, Fp, 0);
    k.residualNorm(slot.h, slot.s, p.b2, p.gain, out, slot.rinv, A, Hp, 1 / this.shape.hidden);
  }

  /**
   * Gradients of the loss (given as `dhead`) with respect to every parameter, through the kept
   * cycle only: the carried (y, z) entering it are constants, as in the paper.
   */
  backward(): void {
    const { k, buf, g, Hp, Kh } = this;
    const A = this.rows;
    const n = this.slots.length - 1;
    this.grads.fill(0);
    k.pack(buf.dhead, A, Kh, buf.packB);
    k.gemm(buf.y, 1, Hp, buf.packB, g.Whead, Hp, Kh, A, 1);
    k.columnSums(g.bhead, buf.dhead, A, Kh);
    k.gemm(buf.dhead, Kh, 1, this.packed.WheadT, buf.dA, A, Hp, Kh, 0);
    // y = net(y + z): the gradient reaching s_n flows on to z only (y entered as a constant).
    let dout = buf.dA;
    let ds = buf.dB;
    this.netBackward(this.slots[n], dout, ds);
    new Float32Array(this.k.buffer, buf.dxe, A * Hp).fill(0);
    for (let i = n - 1; i >= 0; i--) {
      [dout, ds] = [ds, dout];
      this.netBackward(this.slots[i], dout, ds);
      k.add3(buf.dxe, buf.dxe, ds, 0, A * Hp, 0);
    }
    const D = this.shape.inputDim;
    k.pack(buf.dxe, A, Hp, buf.packB);
    k.gemm(buf.x, 1, D, buf.packB, g.Win, D, Hp, A, 1);
    k.columnSums(g.bin, buf.dxe, A, Hp);
  }

  /** Backward of one net call: accumulates its parameter gradients, writes d(input) to `ds`. */
  private netBackward(slot: Slot, dout: number, ds: number): void {
    const { k, p, g, buf, packed, Hp, Fp } = this;
    const A = this.rows;
    k.normBackward(dout, slot.h, slot.rinv, p.gain, g.gain, g.b2, ds, A, Hp, 1 / this.shape.hidden);
    // dW2 += g^T dh; dg = dh W2^T
    k.pack(ds, A, Hp, buf.packB);
    k.gemm(slot.g, 1, Fp, buf.packB, g.W2, Fp, Hp, A, 1);
    k.gemm(ds, Hp, 1, packed.W2T, buf.dg, A, Fp, Hp, 0);
    k.siluBackward(buf.dg, slot.a1, g.b1, A, Fp);
    // dW1 += s^T da1; ds = dh (the residual) + da1 W1^T
    k.pack(buf.dg, A, Fp, buf.packB);
    k.gemm(slot.s, 1, Hp, buf.packB, g.W1, Hp, Fp, A, 1);
    k.gemm(buf.dg, Fp, 1, packed.W1T, ds, A, Hp, Fp, 1);
  }
}
