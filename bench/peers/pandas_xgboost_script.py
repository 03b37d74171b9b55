"""Peer for the time-to-model bench: what a user would otherwise run, a plain pandas + XGBoost script.

  pandas_xgboost_script.py CSV THREADS ROUNDS

read_csv, the two string columns as pandas categories (XGBoost's native categorical support), the rows shuffled
into 70% train, 10% validation (watched each round, as Trainyard does) and 20% test, DMatrix, `ROUNDS` rounds of
hist boosting at depth 6 and learning rate 0.3 (Trainyard's defaults), predict the test rows, their AUC. Prints
{"seconds" (from interpreter start, imports included), "workSeconds" (read_csv to predict, after the imports),
"readSeconds", "trainSeconds", "predictSeconds", "auc", "peakRss", "workCpuSeconds" (CPU time of the work, every
thread)} as JSON.
"""
import time

STARTED = time.perf_counter()

import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import xgboost as xgb  # noqa: E402


def auc(y, score):
    order = np.argsort(score, kind="mergesort")
    ranks = np.empty(len(score))
    ranks[order] = np.arange(1, len(score) + 1)
    positives = y.sum()
    return float((ranks[y == 1].sum() - positives * (positives + 1) / 2) / (positives * (len(y) - positives)))


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    path, threads, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    cpu0 = cpu_seconds()
    t0 = time.perf_counter()
    frame = pd.read_csv(path)
    for column in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = frame[column].astype("category")
    y = frame.pop("label").to_numpy()
    read_seconds = time.perf_counter() - t0

    t1 = time.perf_counter()
    order = np.random.default_rng(42).permutation(len(frame))
    n_test, n_valid = int(0.2 * len(frame)), int(0.1 * len(frame))
    test, valid, train = order[:n_test], order[n_test : n_test + n_valid], order[n_test + n_valid :]
    matrix = lambda idx: xgb.DMatrix(frame.iloc[idx], label=y[idx], enable_categorical=True, nthread=threads)
    dtrain, dvalid, dtest = matrix(train), matrix(valid), matrix(test)
    params = {"objective": "binary:logistic", "tree_method": "hist", "max_depth": 6, "eta": 0.3, "nthread": threads, "eval_metric": "logloss"}
    booster = xgb.train(params, dtrain, num_boost_round=rounds, evals=[(dvalid, "validation")], verbose_eval=False)
    train_seconds = time.perf_counter() - t1

    t2 = time.perf_counter()
    score = booster.predict(dtest)
    predict_seconds = time.perf_counter() - t2
    print(json.dumps({
        "seconds": time.perf_counter() - STARTED,
        "workSeconds": time.perf_counter() - t0,
        "readSeconds": read_seconds,
        "trainSeconds": train_seconds,
        "predictSeconds": predict_seconds,
        "auc": auc(y[test], score),
        "peakRss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "workCpuSeconds": cpu_seconds() - cpu0,
    }))


if __name__ == "__main__":
    main()
