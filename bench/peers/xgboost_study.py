"""Peer for the studies-vs-optuna bench: the same XGBoost search on breast_cancer, run by Optuna.

  csv OUT                     writes breast_cancer (scikit-learn's copy, no download) as a CSV with a `label` column
  optuna TRIALS N_JOBS SEED   a TPE study (TPESampler defaults but the seed) of 100-round XGBoost trials, one thread
                              each, N_JOBS at once; prints {"seconds" (from interpreter start), "workSeconds" (after
                              the imports: data, split, study), "optimizeSeconds", "bestValue", "bestParams"}
  rescore JSON                JSON: a list of XGBoost param dicts; prints {"values": [...]} with each one's mean log loss
                              over the same repeated stratified 5-fold cross-validation
"""
import time

STARTED = time.perf_counter()

import json  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402

ROUNDS = 100
# The search space of the bench, in XGBoost's names; the bench sends Trainyard the same ranges in its names.
SPACE = {
    "max_depth": {"type": "int", "low": 2, "high": 10},
    "learning_rate": {"type": "float", "low": 1e-3, "high": 0.5, "log": True},
    "subsample": {"type": "float", "low": 0.5, "high": 1.0},
    "colsample_bytree": {"type": "float", "low": 0.5, "high": 1.0},
    "min_child_weight": {"type": "float", "low": 1e-2, "high": 10, "log": True},
    "reg_lambda": {"type": "float", "low": 1e-3, "high": 10, "log": True},
}


def load():
    from sklearn.datasets import load_breast_cancer

    return load_breast_cancer(return_X_y=True)


def write_csv(out):
    from sklearn.datasets import load_breast_cancer

    data = load_breast_cancer()
    names = [n.replace(" ", "_") for n in data.feature_names]
    with open(out, "w") as f:
        f.write(",".join(names + ["label"]) + "\n")
        for row, label in zip(data.data, data.target):
            f.write(",".join(repr(float(v)) for v in row) + f",{int(label)}\n")
    print(json.dumps({"rows": int(data.data.shape[0]), "cols": len(names)}))


def log_loss(y, prob):
    prob = np.clip(prob.astype(np.float64), 1e-15, 1 - 1e-15)
    return float(-np.mean(y * np.log(prob) + (1 - y) * np.log(1 - prob)))


def train_params(p):
    return {"objective": "binary:logistic", "tree_method": "hist", "nthread": 1, "seed": 0, **p}


def run_optuna(trials, n_jobs, seed):
    import optuna
    import xgboost as xgb
    from sklearn.model_selection import train_test_split

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    work = time.perf_counter()
    x, y = load()
    # The split Trainyard's job uses in shape: 30% test, stratified, nothing held out for validation.
    xt, xv, yt, yv = train_test_split(x, y, test_size=0.3, stratify=y, random_state=0)
    train, valid = xgb.DMatrix(xt, label=yt), xgb.DMatrix(xv, label=yv)

    def objective(trial):
        params = {}
        for name, s in SPACE.items():
            if s["type"] == "int":
                params[name] = trial.suggest_int(name, s["low"], s["high"])
            else:
                params[name] = trial.suggest_float(name, s["low"], s["high"], log=s.get("log", False))
        booster = xgb.train(train_params(params), train, num_boost_round=ROUNDS)
        return log_loss(yv, booster.predict(valid))

    study = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=seed))
    start = time.perf_counter()
    study.optimize(objective, n_trials=trials, n_jobs=n_jobs)
    optimize_seconds = time.perf_counter() - start
    print(json.dumps({
        "seconds": time.perf_counter() - STARTED,
        "workSeconds": time.perf_counter() - work,
        "optimizeSeconds": optimize_seconds,
        "bestValue": study.best_value,
        "bestParams": study.best_params,
        "trials": len(study.trials),
    }))


def rescore(param_sets):
    import xgboost as xgb
    from sklearn.model_selection import RepeatedStratifiedKFold

    x, y = load()
    folds = list(RepeatedStratifiedKFold(n_splits=5, n_repeats=3, random_state=0).split(x, y))
    values = []
    for p in param_sets:
        losses = []
        for train_idx, test_idx in folds:
            booster = xgb.train(train_params(p), xgb.DMatrix(x[train_idx], label=y[train_idx]), num_boost_round=ROUNDS)
            losses.append(log_loss(y[test_idx], booster.predict(xgb.DMatrix(x[test_idx]))))
        values.append(float(np.mean(losses)))
    print(json.dumps({"values": values, "folds": len(folds)}))


def main():
    mode = sys.argv[1]
    if mode == "csv":
        write_csv(sys.argv[2])
    elif mode == "optuna":
        run_optuna(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
    elif mode == "rescore":
        rescore(json.loads(sys.argv[2]))
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
