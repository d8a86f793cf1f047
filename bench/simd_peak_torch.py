"""One-thread torch.mm GFLOPS on the shapes of `npm run bench:simd` (benchmark only): OpenBLAS with
its native kernel (the caller unsets OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE for this process only)."""
import ctypes, json, sys, time
import torch

torch.set_num_threads(1)
info = {}
try:
    from threadpoolctl import threadpool_info, threadpool_limits
    threadpool_limits(limits=1)
    for pool in threadpool_info():
        if pool.get("user_api") == "blas":
            lib = ctypes.CDLL(pool["filepath"])
            lib.openblas_get_corename.restype = ctypes.c_char_p
            info = {"library": pool.get("internal_api"), "version": pool.get("version"), "corename": lib.openblas_get_corename().decode(), "threads": lib.openblas_get_num_threads()}
except ImportError:
    info = {"threadpoolctl": "not installed"}
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
