"""PyTorch CPU twin of the TRM for `npm run bench:trm`: same architecture (shared post-norm
residual SiLU MLP, n latent steps, T-1 no-grad cycles + 1 with grad, deep supervision with
one AdamW step per supervision step), timed on the same shapes. Benchmark-only.
Reports which BLAS library, kernel (core) and thread count it ran with: Debian's torch calls
OpenBLAS, whose own thread pool ignores torch.set_num_threads, so it is limited here too.
Samples per second of wall time and of this process's CPU time (on a shared machine the
latter is the steadier measure of what one core does)."""
import json, statistics, sys, time
import torch
from blas_info import limit_blas

torch.manual_seed(0)
THREADS = int(sys.argv[2]) if len(sys.argv) > 2 else 1
REPEATS = int(sys.argv[3]) if len(sys.argv) > 3 else 1
torch.set_num_threads(THREADS)
blas = {"torch_blas": "unknown"}
for line in torch.__config__.show().splitlines():
    if "BLAS_INFO" in line:
        blas["torch_blas"] = line.split("BLAS_INFO=")[1].split(",")[0]
blas.update(limit_blas(THREADS))
spec = json.loads(sys.argv[1])
D, K, N, NSUP, n, T, B = spec["inputDim"], spec["classes"], spec["rows"], spec["nSup"], spec["n"], spec["T"], spec["batch"]

class Net(torch.nn.Module):
    def __init__(self, H, F):
        super().__init__()
        self.l1, self.l2 = torch.nn.Linear(H, F), torch.nn.Linear(F, H)
        self.gain = torch.nn.Parameter(torch.ones(H))
    def forward(self, s):
        h = s + self.l2(torch.nn.functional.silu(self.l1(s)))
        return h / torch.sqrt((h * h).mean(-1, keepdim=True) + 1e-6) * self.gain

class TRM(torch.nn.Module):
    def __init__(self, H):
        super().__init__()
        self.emb, self.net = torch.nn.Linear(D, H), Net(H, 2 * H)
        self.out, self.q = torch.nn.Linear(H, K), torch.nn.Linear(H, 1)
        self.register_buffer("y0", torch.randn(H)); self.register_buffer("z0", torch.randn(H))
    def latent(self, xe, y, z):
        for _ in range(n):
            z = self.net(xe + y + z)
        return self.net(y + z), z
    def deep(self, x, y, z):
        xe = self.emb(x)
        with torch.no_grad():
            for _ in range(T - 1):
                y, z = self.latent(xe, y, z)
        y, z = self.latent(xe, y, z)
        return y.detach(), z.detach(), self.out(y), self.q(y)

def train_once(H):
    m = TRM(H)
    opt = torch.optim.AdamW(m.parameters(), lr=1e-3, weight_decay=0.01)
    X = torch.randn(N, D); Y = torch.randint(0, K, (N,))
    t, c = time.perf_counter(), time.process_time()
    for s in range(0, N, B):
        x, yb = X[s:s + B], Y[s:s + B]
        y, z = m.y0.expand(len(x), H), m.z0.expand(len(x), H)
        for _ in range(NSUP):
            y, z, logits, q = m.deep(x, y, z)
            loss = torch.nn.functional.cross_entropy(logits, yb) + 0.5 * torch.nn.functional.binary_cross_entropy_with_logits(q.squeeze(-1), (logits.argmax(-1) == yb).float())
            opt.zero_grad(); loss.backward(); opt.step()
    train, train_cpu = N / (time.perf_counter() - t), N / (time.process_time() - c)
    t, c = time.perf_counter(), time.process_time()
    with torch.no_grad():
        y, z = m.y0.expand(N, H), m.z0.expand(N, H)
        for _ in range(NSUP):
            y, z, logits, q = m.deep(X, y, z)
    return train, N / (time.perf_counter() - t), train_cpu, N / (time.process_time() - c)

out = {"blas": blas}
for H in spec["hidden"]:
    runs = [train_once(H) for _ in range(REPEATS)]
    out[str(H)] = {k: statistics.median(r[i] for r in runs) for i, k in enumerate(["train", "infer", "trainCpu", "inferCpu"])}
print(json.dumps(out))
