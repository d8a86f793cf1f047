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
    "random_forest": lambda: RandomForestClassifier(n_estimators=100, max_depth=12, min_samples_leaf=3, n_jobs=threads, random_state=0),
    "extra_trees": lambda: ExtraTreesClassifier(n_estimators=100, max_depth=12, min_samples_leaf=3, n_jobs=threads, random_state=0),
    "lightgbm": lambda: HistGradientBoostingClassifier(max_iter=100, learning_rate=0.1, max_leaf_nodes=31, min_samples_leaf=20, early_stopping=False, random_state=0),
    "gradient_boosting": lambda: GradientBoostingClassifier(n_estimators=100, max_depth=3, random_state=0),
    "logistic": lambda: LogisticRegression(max_iter=500),
    "svm": lambda: LinearSVC(),
    "mlp": lambda: MLPClassifier(hidden_layer_sizes=(128, 64), max_iter=30, batch_size=256, random_state=0),
}
try:
    import xgboost
    models["xgboost"] = lambda: xgboost.XGBClassifier(n_estimators=100, max_depth=6, learning_rate=0.1, colsample_bytree=0.8, tree_method="hist", n_jobs=threads, random_state=0)
except ImportError:
    pass
only = set(d.get("only", models.keys()))
for name, make in models.items():
    if name not in only:
        continue
    fit, spent = float("inf"), 0.0
    for rep in range(d.get("repeat", 1)):  # fastest of the repeats, as on the TypeScript side
        if rep > 0 and spent >= d.get("repeat_budget_s", 20):
            break
        m = make()
        t = time.perf_counter()
        try:
            m.fit(Xtr, ytr, sample_weight=wtr)
        except TypeError:  # MLPClassifier has no sample_weight in this sklearn
            m.fit(Xtr, ytr)
        elapsed = time.perf_counter() - t
        fit = min(fit, elapsed)
        spent += elapsed
    acc = float((m.predict(Xte) == yte).mean())
    print(json.dumps({"model": name, "fit_s": fit, "accuracy": acc, "impl": type(m).__module__.split(".")[0] + "." + type(m).__name__}), flush=True)
