"""Peer for the engines bench: native predict with a model Trainyard trained, timed over repeats on one matrix.

xgboost: DMatrix built from memory + Booster.predict, as Trainyard's predictXGBoost does; also inplace_predict.
lightgbm: Booster.predict on the numpy matrix. Prints seconds per repeat as JSON.
"""
import json
import sys
import time

from matrix_file import read_matrix


def main() -> None:
    engine, model_path, matrix_path, repeats, threads = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    x, _ = read_matrix(matrix_path)
    result = {}
    if engine == "xgboost":
        import xgboost as xgb

        booster = xgb.Booster(model_file=model_path)
        booster.set_param({"nthread": threads})
        result["dmatrix"] = timed(repeats, lambda: booster.predict(xgb.DMatrix(x, missing=float("nan"), nthread=threads)))
        result["inplace"] = timed(repeats, lambda: booster.inplace_predict(x, missing=float("nan")))
    else:
        import lightgbm as lgb

        booster = lgb.Booster(model_file=model_path)
        result["numpy"] = timed(repeats, lambda: booster.predict(x, num_threads=threads))
    print(json.dumps(result))


def timed(repeats, fn):
    fn()  # warm-up: thread pools and lazy model set-up, as the TS side warms up too
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - start)
    return seconds


if __name__ == "__main__":
    main()
