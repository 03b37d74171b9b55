"""Peer for the overhead bench: train XGBoost from Python on the same matrices and params; prints seconds as JSON."""
import json
import sys
import time

import numpy as np
import xgboost as xgb


def read(path: str) -> np.ndarray:
    """Reads a matrix written by the bench: int32 rows, int32 cols, float32 data (row-major), float32 labels."""
    rows, cols = np.fromfile(path, dtype=np.int32, count=2)
    flat = np.fromfile(path, dtype=np.float32, offset=8)
    return np.column_stack([flat[: rows * cols].reshape(rows, cols), flat[rows * cols :]])


def main() -> None:
    train_path, validation_path, params_json = sys.argv[1], sys.argv[2], sys.argv[3]
    spec = json.loads(params_json)
    train = read(train_path)
    validation = read(validation_path) if validation_path else None
    # Timed like the Trainyard side: DMatrix construction from memory plus training.
    start = time.perf_counter()
    dtrain = xgb.DMatrix(np.ascontiguousarray(train[:, :-1]), label=train[:, -1].copy(), missing=np.nan)
    # Trainyard evaluates train and validation loss every round for its metric series; so does the peer.
    evals = [(dtrain, "train")]
    if validation is not None:
        evals.append((xgb.DMatrix(np.ascontiguousarray(validation[:, :-1]), label=validation[:, -1].copy(), missing=np.nan), "validation"))
    xgb.train(spec["params"], dtrain, num_boost_round=spec["rounds"], evals=evals, verbose_eval=False)
    print(json.dumps({"trainSeconds": time.perf_counter() - start, "xgboost": xgb.__version__}))


if __name__ == "__main__":
    main()
