/**
 * npm run bench:simd — how close a WebAssembly GEMM can come to native BLAS on this CPU, and
 * the native engine's own GEMM beside both.
 *
 * Prints, per CPU-second of one thread: the register-only peak of 128-bit WebAssembly SIMD
 * (12 independent multiply-add chains, simdPeak.wat), the TRM engine's GEMM (trmKernels.wat)
 * on the TRM's shapes (256 rows, hidden H to 2H), and torch.mm on the same shapes with
 * OpenBLAS's native kernel (OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset for the Python child
 * only; the kernel it used is printed). The last column, peak / torch, bounds what any
 * WebAssembly GEMM — and so the TRM's inference, which is GEMM — can reach against PyTorch here.
 */
import { loadavg } from 'node:os';
import { compileWat } from '../src/models/tree/kernels/compile';
import { createKernels, engineName, nativeStatus, type TrmKernels } from '../src/models/trm/engine/kernels';
import { runPythonPeer } from './pythonPeer';

const cpuSeconds = (fn: () => void) => {
  const c = process.cpuUsage();
  fn();
  const u = process.cpuUsage(c);
  return (u.user + u.system) / 1e6;
};

async function wasmPeak(): Promise<number> {
  const mod = await compileWat(new URL('./simdPeak.wat', import.meta.url));
  const { peak } = new WebAssembly.Instance(mod).exports as unknown as { peak(iters: number, m: number, a: number): number };
  peak(1e6, 0.999, 0.001);
  const iters = 1e8;
  let best = 0;
  for (let r = 0; r < 3; r++) best = Math.max(best, (iters * 12 * 4 * 2) / cpuSeconds(() => peak(iters, 0.999, 0.001)) / 1e9);
  return best;
}

interface GemmKernels {
  memory: WebAssembly.Memory;
  gemm(A: number, sai: number, sak: number, Bp: number, C: number, M: number, N: number, Kr: number, acc: number): void;
  pack(W: number, K: number, N: number, out: number): void;
}

async function engineGemm(M: number, K: number, N: number): Promise<number> {
  const mod = await compileWat(new URL('../src/models/trm/engine/trmKernels.wat', import.meta.url));
  const k = new WebAssembly.Instance(mod).exports as unknown as GemmKernels;
  const bytes = 4 * (M * K + 2 * K * N + M * N);
  k.memory.grow(Math.ceil(bytes / 65536));
  const [A, W, Bp, C] = [0, 4 * M * K, 4 * (M * K + K * N), 4 * (M * K + 2 * K * N)];
  const f = new Float32Array(k.memory.buffer);
  for (let i = 0; i < (M * K + K * N); i++) f[i] = Math.sin(i) * 0.1;
  k.pack(W, K, N, Bp);
  const reps = Math.max(3, Math.round(2e9 / (2 * M * K * N)));
  for (let i = 0; i < 5; i++) k.gemm(A, K, 1, Bp, C, M, N, K, 0);
  let best = 0;
  for (let r = 0; r < 3; r++) {
    const s = cpuSeconds(() => {
      for (let i = 0; i < reps; i++) k.gemm(A, K, 1, Bp, C, M, N, K, 0);
    });
    best = Math.max(best, (2 * M * K * N * reps) / s / 1e9);
  }
  return best;
}

/** The native engine's GEMM (native/trm_native.c, the instruction set dispatched at load) on the same shapes. */
function nativeGemm(M: number, K: number, N: number): number | null {
  if (!nativeStatus().available) return null;
  const bytes = 4 * (M * K + 2 * K * N + M * N);
  const k: TrmKernels = createKernels('native', bytes);
  const [A, W, Bp, C] = [0, 4 * M * K, 4 * (M * K + K * N), 4 * (M * K + 2 * K * N)];
  const f = new Float32Array(k.buffer);
  for (let i = 0; i < M * K + K * N; i++) f[i] = Math.sin(i) * 0.1;
  k.pack(W, K, N, Bp);
  const reps = Math.max(3, Math.round(8e9 / (2 * M * K * N)));
  for (let i = 0; i < 5; i++) k.gemm(A, K, 1, Bp, C, M, N, K, 0);
  let best = 0;
  for (let r = 0; r < 3; r++) {
    const s = cpuSeconds(() => {
      for (let i = 0; i < reps; i++) k.gemm(A, K, 1, Bp, C, M, N, K, 0);
    });
    best = Math.max(best, (2 * M * K * N * reps) / s / 1e9);
  }
  return best;
}

function torchGemm(shapes: number[][]): { blas: Record<string, unknown>; gflops: number[] } | null {
  const r = runPythonPeer('bench/simd_peak_torch.py', [JSON.stringify(shapes)]);
  if (r.status !== 0) {
    console.log(`(PyTorch side skipped: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()})`);
    return null;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

async function main(): Promise<void> {
  const shapes = [128, 256, 512].map((h) => [256, h, 2 * h]);
  const peak = await wasmPeak();
  const ours: number[] = [];
  for (const [M, K, N] of shapes) ours.push(await engineGemm(M, K, N));
  const native = shapes.map(([M, K, N]) => nativeGemm(M, K, N));
  const torch = torchGemm(shapes);
  console.log(`load average ${loadavg().map((v) => v.toFixed(1)).join(' / ')}; PyTorch BLAS ${JSON.stringify(torch?.blas ?? {})}`);
  console.log(`128-bit WebAssembly SIMD register-only peak: ${peak.toFixed(1)} GFLOPS per CPU-second (mul + add)`);
  console.log(`native engine: ${nativeStatus().available ? engineName('native') : `unavailable (${nativeStatus().reason})`}`);
  console.log('| GEMM M x K x N | wasm engine GFLOPS | native engine GFLOPS | torch.mm GFLOPS | wasm / torch | native / torch | SIMD peak / torch (wasm ceiling) |');
  console.log('|---|---|---|---|---|---|---|');
  shapes.forEach(([M, K, N], i) => {
    const t = torch?.gflops[i];
    const nat = native[i];
    console.log(`| ${M} x ${K} x ${N} | ${ours[i].toFixed(1)} | ${nat !== null ? nat.toFixed(1) : '—'} | ${t ? t.toFixed(1) : '—'} | ${t ? (ours[i] / t).toFixed(2) : '—'} | ${t && nat !== null ? (nat / t).toFixed(2) : '—'} | ${t ? (peak / t).toFixed(2) : '—'} |`);
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
