"""One-thread torch.mm GFLOPS on the shapes of `npm run bench:simd` (benchmark only): OpenBLAS with
its native kernel (the caller unsets OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE for this process only)."""
import json, sys, time
import torch
from blas_info import limit_blas

torch.set_num_threads(1)
info = limit_blas(1)
out = []
for M, K, N in json.loads(sys.argv[1]):
    a, b = torch.randn(M, K), torch.randn(K, N)
    for _ in range(5):
        torch.mm(a, b)
    reps, best = max(3, int(2e9 / (2 * M * K * N))), 0.0
    for _ in range(3):
        c0, t0 = time.process_time(), time.perf_counter()
        for _ in range(reps):
            torch.mm(a, b)
        cpu = time.process_time() - c0
        best = max(best, 2 * M * K * N * reps / cpu / 1e9)
    out.append(best)
print(json.dumps({"blas": info, "gflops": out}))
