"""Peer for the TPE quality bench. One source of truth for the objectives and their search spaces, used two ways:

  spaces                  prints {objective: Trainyard search space} as JSON
  serve                   reads {"objective", "params"} JSON lines on stdin, answers {"value"} lines (Trainyard's side)
  optuna OBJ TRIALS SEEDS STARTUP CHECKPOINTS
                          runs Optuna's TPESampler (defaults except seed and n_startup_trials) per seed; prints
                          {"best": [[best at each checkpoint] per seed], "askMs": mean ask() time over the last 10 trials}
"""
import json
import math
import sys
import time

import numpy as np

SPACES = {
    "branin": {"x1": {"type": "float", "low": -5, "high": 10}, "x2": {"type": "float", "low": 0, "high": 15}},
    "hartmann6": {f"x{i}": {"type": "float", "low": 0, "high": 1} for i in range(6)},
    "rosenbrock5": {f"x{i}": {"type": "float", "low": -5, "high": 10} for i in range(5)},
    "xgboost": {
        "max_depth": {"type": "int", "low": 2, "high": 10},
        "learning_rate": {"type": "float", "low": 1e-3, "high": 0.5, "log": True},
        "subsample": {"type": "float", "low": 0.5, "high": 1.0},
        "colsample_bytree": {"type": "float", "low": 0.5, "high": 1.0},
        "min_child_weight": {"type": "float", "low": 1e-2, "high": 10, "log": True},
        "reg_lambda": {"type": "float", "low": 1e-3, "high": 10, "log": True},
        "grow_policy": {"type": "categorical", "choices": ["depthwise", "lossguide"]},
    },
}


def branin(p):
    x1, x2 = p["x1"], p["x2"]
    return (x2 - 5.1 / (4 * math.pi**2) * x1**2 + 5 / math.pi * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x1) + 10


HART_A = np.array([[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]])
HART_P = 1e-4 * np.array([[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991], [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]])
HART_ALPHA = np.array([1.0, 1.2, 3.0, 3.2])


def hartmann6(p):
    x = np.array([p[f"x{i}"] for i in range(6)])
    return float(-np.sum(HART_ALPHA * np.exp(-np.sum(HART_A * (x - HART_P) ** 2, axis=1))))


def rosenbrock5(p):
    x = [p[f"x{i}"] for i in range(5)]
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(4))


class XgboostObjective:
    """Validation log loss of 100 rounds of XGBoost on breast_cancer (fixed stratified 70/30 split, one thread)."""

    def __init__(self):
        import xgboost as xgb
        from sklearn.datasets import load_breast_cancer
        from sklearn.model_selection import train_test_split

        x, y = load_breast_cancer(return_X_y=True)
        xt, xv, yt, yv = train_test_split(x, y, test_size=0.3, stratify=y, random_state=0)
        self.xgb = xgb
        self.train = xgb.DMatrix(xt, label=yt)
        self.valid = xgb.DMatrix(xv, label=yv)
        self.yv = yv

    def __call__(self, p):
        params = {"objective": "binary:logistic", "tree_method": "hist", "nthread": 1, "seed": 0, **p}
        booster = self.xgb.train(params, self.train, num_boost_round=100)
        prob = np.clip(booster.predict(self.valid).astype(np.float64), 1e-15, 1 - 1e-15)
        return float(-np.mean(self.yv * np.log(prob) + (1 - self.yv) * np.log(1 - prob)))


def objective(name):
    if name == "xgboost":
        return XgboostObjective()
    return {"branin": branin, "hartmann6": hartmann6, "rosenbrock5": rosenbrock5}[name]


def serve():
    cache = {}
    for line in sys.stdin:
        req = json.loads(line)
        name = req["objective"]
        if name not in cache:
            cache[name] = objective(name)
        print(json.dumps({"value": cache[name](req["params"])}), flush=True)


def suggest(trial, space):
    import optuna

    out = {}
    for name, s in space.items():
        if s["type"] == "float":
            out[name] = trial.suggest_float(name, s["low"], s["high"], log=s.get("log", False), step=s.get("step"))
        elif s["type"] == "int":
            out[name] = trial.suggest_int(name, s["low"], s["high"], log=s.get("log", False), step=s.get("step", 1))
        else:
            out[name] = trial.suggest_categorical(name, s["choices"])
    return out


def run_optuna(name, trials, seeds, startup, checkpoints):
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    f = objective(name)
    space = SPACES[name]
    best, ask_ms = [], []
    for seed in seeds:
        study = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=seed, n_startup_trials=startup))
        running, at = math.inf, []
        for i in range(trials):
            start = time.perf_counter()
            trial = study.ask()
            params = suggest(trial, space)
            if i >= trials - 10:
                ask_ms.append((time.perf_counter() - start) * 1000)
            value = f(params)
            study.tell(trial, value)
            running = min(running, value)
            if i + 1 in checkpoints:
                at.append(running)
        best.append(at)
    print(json.dumps({"best": best, "askMs": sum(ask_ms) / max(1, len(ask_ms)), "optuna": optuna.__version__}))


def main():
    mode = sys.argv[1]
    if mode == "spaces":
        print(json.dumps(SPACES))
    elif mode == "serve":
        serve()
    else:
        name, trials, seeds, startup, checkpoints = sys.argv[2:7]
        run_optuna(name, int(trials), [int(s) for s in seeds.split(",")], int(startup), {int(c) for c in checkpoints.split(",")})


if __name__ == "__main__":
    main()
