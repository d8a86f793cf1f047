import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { compileWat } from '../../tree/kernels/compile';

/**
 * The kernel set both TRM engines implement, with one signature each: every pointer is a byte
 * offset into `buffer`, the engine's one memory block; every matrix is row-major; output
 * widths are multiples of 8 (trmEngine.ts pads with zero weights). The WebAssembly kernels
 * are trmKernels.wat; the native ones are native/trm_native.c (a Node-API addon).
 */
export interface TrmKernels {
  readonly buffer: ArrayBuffer;
  gemm(A: number, sai: number, sak: number, Bp: number, C: number, M: number, N: number, Kr: number, acc: number): void;
  pack(W: number, K: number, N: number, out: number): void;
  packTransposed(W: number, K: number, N: number, out: number): void;
  biasSilu(a: number, bias: number, g: number, M: number, N: number): void;
  residualNorm(h: number, s: number, bias: number, gain: number, out: number, rinv: number, M: number, N: number, invH: number): void;
  normBackward(dout: number, h: number, rinv: number, gain: number, dgain: number, db: number, dh: number, M: number, N: number, invH: number): void;
  siluBackward(dg: number, a: number, db: number, M: number, N: number): void;
  add3(out: number, a: number, b: number, c: number, n: number, three: number): void;
  addBias(C: number, bias: number, M: number, N: number): void;
  columnSums(dst: number, src: number, M: number, N: number): void;
}

export type EngineKind = 'native' | 'wasm';

interface NativeAddon {
  Memory: new (bytes: number) => TrmKernels;
  /** The instruction set the addon dispatched to at load: avx512, avx2 or sse2. */
  isa: string;
  panelWidth: number;
}

/** Where `npm install` (scripts/buildNative.mjs) puts the addon. */
export const NATIVE_ADDON_PATH = fileURLToPath(new URL('../../../../native/build/trm_native.node', import.meta.url));

function loadNative(): { addon: NativeAddon | null; error: string | null } {
  if (process.env.TRM_NATIVE_DISABLE === '1') return { addon: null, error: 'disabled by TRM_NATIVE_DISABLE=1' };
  if (!existsSync(NATIVE_ADDON_PATH)) return { addon: null, error: `not built (${NATIVE_ADDON_PATH} missing; npm install builds it when a C compiler is present)` };
  try {
    return { addon: createRequire(import.meta.url)(NATIVE_ADDON_PATH) as NativeAddon, error: null };
  } catch (e) {
    return { addon: null, error: `failed to load: ${(e as Error).message}` };
  }
}

const native = loadNative();
// Compiled once at import: predictProba is synchronous, so the module must exist before it.
const wasmModule = await compileWat(new URL('./trmKernels.wat', import.meta.url));
const WASM_PAGE = 65536;

/** Whether the native addon is built and loads on this machine (and why not). */
export function nativeStatus(): { available: boolean; isa: string | null; reason: string | null } {
  return { available: native.addon !== null, isa: native.addon?.isa ?? null, reason: native.error };
}

/**
 * The engine trainers and predictions use: TRM_ENGINE=native|wasm forces one (native fails
 * loudly when the addon is missing); by default native when it is built and the CPU has at
 * least AVX2 + FMA, else WebAssembly.
 */
export function selectedEngine(env: NodeJS.ProcessEnv = process.env): EngineKind {
  const forced = env.TRM_ENGINE;
  if (forced === 'wasm') return 'wasm';
  if (forced === 'native') {
    if (!native.addon) throw new Error(`TRM_ENGINE=native, but the native TRM engine is ${native.error}`);
    return 'native';
  }
  if (forced !== undefined && forced !== '') throw new Error(`TRM_ENGINE must be native or wasm, got "${forced}"`);
  // On a CPU without AVX2 + FMA the native GEMM is plain 128-bit mul + add like the
  // WebAssembly one, and measured slower than it (docs/native-engine.md): WebAssembly then.
  return native.addon && native.addon.isa !== 'sse2' ? 'native' : 'wasm';
}

/** The name recorded as a TRM's backend and in model_metadata.backend: `native-avx512`, `wasm-simd`. */
export function engineName(kind: EngineKind): string {
  return kind === 'native' ? `native-${native.addon?.isa ?? 'unavailable'}` : 'wasm-simd';
}

/** A zeroed memory block of at least `bytes` with the kernels of `kind` bound to it. */
export function createKernels(kind: EngineKind, bytes: number): TrmKernels {
  if (kind === 'native') {
    if (!native.addon) throw new Error(`the native TRM engine is ${native.error}`);
    return new native.addon.Memory(bytes);
  }
  const { memory, ...kernels } = new WebAssembly.Instance(wasmModule).exports as unknown as Omit<TrmKernels, 'buffer'> & { memory: WebAssembly.Memory };
  const have = memory.buffer.byteLength;
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / WASM_PAGE));
  // Memory never grows after this point, so the buffer (and views on it) stay attached.
  return { ...kernels, buffer: memory.buffer };
}
