import { readFileSync } from 'node:fs';
import wabtInit from 'wabt';

/** The exports of treeKernels.wat; every pointer is a byte offset into the instance's memory. */
export interface TreeKernelExports {
  memory: WebAssembly.Memory;
  buildHistogram(hist: number, bytes: number, order: number, start: number, end: number, g: number, h: number, codes: number, cols: number, feat: number, off: number, nFeat: number): void;
  buildHistogramCounted(hist: number, bytes: number, order: number, start: number, end: number, g: number, h: number, codes: number, cols: number, feat: number, off: number, nFeat: number): void;
  subtractHistogram(a: number, b: number, bytes: number): void;
  findSplit(hist: number, off: number, nFeat: number, G: number, H: number, lambda: number, minScore: number, minChild: number, minSize: number, counted: number, N: number, out: number): number;
  binRange(column: number, order: number, start: number, end: number): number;
  sideSums(column: number, order: number, start: number, end: number, y: number, w: number, t: number, K: number, acc: number): number;
  classHistogram(column: number, order: number, start: number, end: number, y: number, w: number, lo: number, nb: number, K: number, hist: number, rows: number): void;
}

const compiledByUrl = new Map<string, Promise<WebAssembly.Module>>();

/** Compiles a hand-written .wat file once per process (~20 ms); the text stays the only source. */
export function compileWat(url: URL): Promise<WebAssembly.Module> {
  let compiled = compiledByUrl.get(url.href);
  if (!compiled) {
    compiled = (async () => {
      const wabt = await wabtInit();
      const name = url.pathname.split('/').pop()!;
      const parsed = wabt.parseWat(name, readFileSync(url, 'utf8'), { simd: true, bulk_memory: true });
      try {
        parsed.validate();
        return new WebAssembly.Module(parsed.toBinary({}).buffer);
      } finally {
        parsed.destroy();
      }
    })();
    compiledByUrl.set(url.href, compiled);
  }
  return compiled;
}

export function compileTreeKernels(): Promise<WebAssembly.Module> {
  return compileWat(new URL('./treeKernels.wat', import.meta.url));
}

/** A fresh instance: its own memory, so concurrent fits in one worker never share buffers. */
export function instantiate(module: WebAssembly.Module): TreeKernelExports {
  return new WebAssembly.Instance(module).exports as unknown as TreeKernelExports;
}

const WASM_PAGE = 65536;
export const align16 = (n: number) => (n + 15) & ~15;

/** Byte offsets of consecutive 16-byte-aligned regions of the given sizes, and where they end. */
export function layOut<K extends string>(sizes: Record<K, number>): { at: Record<K, number>; end: number } {
  const at = {} as Record<K, number>;
  let end = 0;
  for (const key of Object.keys(sizes) as K[]) {
    at[key] = end;
    end = align16(end + sizes[key]);
  }
  return { at, end };
}

/** Grows a kernel instance's memory to at least `bytes` (growth detaches existing views). */
export function ensureMemory(memory: WebAssembly.Memory, bytes: number): void {
  const have = memory.buffer.byteLength;
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / WASM_PAGE));
}
