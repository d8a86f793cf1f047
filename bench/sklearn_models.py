"""Side-by-side reference for `npm run bench:models`: the same matrices through sklearn and
xgboost (Debian's python3-sklearn / python3-xgboost). Reads raw float64/int32 files written
by bench/models.ts, prints one JSON line per model. Benchmark-only; the product never runs it."""
import json, sys, time
import numpy as np

d = json.load(open(sys.argv[1]))
load = lambda name, dt: np.fromfile(d[name], dtype=dt)
Xtr = load("Xtr", np.float64).reshape(-1, d["cols"]); ytr = load("ytr", np.int32); wtr = load("wtr", np.float64)
Xte = load("Xte", np.float64).reshape(-1, d["cols"]); yte = load("yte", np.int32)
threads = d.get("threads", 1)

from sklearn.ensemble import RandomForestClassifier, ExtraTreesClassifier, HistGradientBoostingClassifier, GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC
from sklearn.neural_network import MLPClassifier
models = {
    "random_forest": lambda s: RandomForestClassifier(n_estimators=100, max_depth=12, min_samples_leaf=3, n_jobs=threads, random_state=s),
    "extra_trees": lambda s: ExtraTreesClassifier(n_estimators=100, max_depth=12, min_samples_leaf=3, n_jobs=threads, random_state=s),
    "lightgbm": lambda s: HistGradientBoostingClassifier(max_iter=100, learning_rate=0.1, max_leaf_nodes=31, min_samples_leaf=20, early_stopping=False, random_state=s),
    "gradient_boosting": lambda s: GradientBoostingClassifier(n_estimators=100, max_depth=3, random_state=s),
    "logistic": lambda s: LogisticRegression(max_iter=500),
    "svm": lambda s: LinearSVC(random_state=s),
    "mlp": lambda s: MLPClassifier(hidden_layer_sizes=(128, 64), max_iter=30, batch_size=256, random_state=s),
}
try:
    import xgboost
    models["xgboost"] = lambda s: xgboost.XGBClassifier(n_estimators=100, max_depth=6, learning_rate=0.1, colsample_bytree=0.8, tree_method="hist", n_jobs=threads, random_state=s)
except ImportError:
    pass
only = set(d.get("only", models.keys()))
for name, make in models.items():
    if name not in only:
        continue
    fit, spent, accs = float("inf"), 0.0, []
    seeds = d.get("seeds", 1)
    # Seeds 0..seeds-1 first (mean accuracy), then repeats for the fastest time, as on the TypeScript side.
    for rep in range(max(d.get("repeat", 1), seeds)):
        if rep > 0 and spent >= d.get("repeat_budget_s", 20):
            break
        m = make(rep % seeds)
        t = time.perf_counter()
        try:
            m.fit(Xtr, ytr, sample_weight=wtr)
        except TypeError:  # MLPClassifier has no sample_weight in this sklearn
            m.fit(Xtr, ytr)
        elapsed = time.perf_counter() - t
        fit = min(fit, elapsed)
        spent += elapsed
        if rep < seeds:
            accs.append(float((m.predict(Xte) == yte).mean()))
    print(json.dumps({"model": name, "fit_s": fit, "accuracy": sum(accs) / len(accs), "seeds": len(accs), "impl": type(m).__module__.split(".")[0] + "." + type(m).__name__}), flush=True)
