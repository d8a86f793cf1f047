import wabtInit from 'wabt';
import { readFileSync } from 'node:fs';
const wabt = await wabtInit();
const p = wabt.parseWat('k.wat', readFileSync('src/models/trm/engine/trmKernels.wat', 'utf8'), { simd: true });
const m = new WebAssembly.Module(p.toBinary({}).buffer);
const k = new WebAssembly.Instance(m).exports;
const M = 256, K = +process.argv[2] || 512, N = +process.argv[3] || 1024;
const bytes = 4 * (M*K + K*N*2 + M*N*2);
k.memory.grow(Math.ceil(bytes / 65536));
const f = new Float32Array(k.memory.buffer);
let off = 0; const A = off; off += M*K*4; const W = off; off += K*N*4; const Bp = off; off += K*N*4; const C = off; off += M*N*4;
for (let i = 0; i < M*K; i++) f[A/4+i] = Math.random()-0.5;
for (let i = 0; i < K*N; i++) f[W/4+i] = Math.random()-0.5;
k.pack(W, K, N, Bp);
k.gemm(A, K, 1, Bp, C, M, N, K, 0);
let err = 0;
for (let t = 0; t < 50; t++) { const i = (Math.random()*M)|0, j=(Math.random()*N)|0; let s=0; for (let q=0;q<K;q++) s+=f[A/4+i*K+q]*f[W/4+q*N+j]; err=Math.max(err, Math.abs(s-f[C/4+i*N+j])); }
console.log('maxerr', err);
for (let r = 0; r < 3; r++) {
  let t = performance.now(); const reps = 20;
  for (let q = 0; q < reps; q++) k.gemm(A, K, 1, Bp, C, M, N, K, 0);
  let dt = (performance.now() - t)/reps; console.log('fwd GFLOPS', (2*M*K*N/dt/1e6).toFixed(1));
  t = performance.now();
  // transposed A: dW[K,N] = A^T [K,M] . C-like [M,N]; reuse Bp as packed [M,N]? use sizes M==256
  for (let q = 0; q < reps; q++) k.gemm(A, 1, K, Bp, W, K, N, M, 1);
  dt = (performance.now() - t)/reps; console.log('AT GFLOPS', (2*M*K*N/dt/1e6).toFixed(1));
}
