"""Peer for the engines bench: trains XGBoost or LightGBM from Python on the bench's matrices.

Timed like Trainyard's trainXGBoost / lightgbmFamily.train: native matrices built from memory, boosting with the
train and validation sets evaluated every round, then the model serialised and its gain importance read.
Writes P(class 1) for the test rows as float32 and prints seconds as JSON.
"""
import json
import sys
import time

from matrix_file import read_matrix, write_float32


def train_xgboost(spec, train, validation, test):
    import xgboost as xgb

    params = {
        "objective": "binary:logistic",
        "eval_metric": "logloss",
        "device": "cpu",
        "validate_parameters": 1,
        "tree_method": "hist",
        "max_depth": spec["maxDepth"],
        "eta": spec["learningRate"],
        "max_bin": spec["maxBin"],
        "seed": spec["seed"],
        "nthread": spec["threads"],
    }
    start = time.perf_counter()
    dtrain = xgb.DMatrix(train[0], label=train[1], missing=float("nan"), nthread=spec["threads"])
    dvalid = xgb.DMatrix(validation[0], label=validation[1], missing=float("nan"), nthread=spec["threads"])
    booster = xgb.train(params, dtrain, num_boost_round=spec["rounds"], evals=[(dtrain, "train"), (dvalid, "validation")], verbose_eval=False)
    booster.save_raw("json")
    booster.get_score(importance_type="gain")
    seconds = time.perf_counter() - start
    predicted = booster.predict(xgb.DMatrix(test[0], missing=float("nan"), nthread=spec["threads"]))
    return seconds, predicted, xgb.__version__


def train_lightgbm(spec, train, validation, test):
    import lightgbm as lgb

    # The same parameters Trainyard's nativeParams (lightgbm-train.ts) passes, values from the bench's spec.
    params = {
        "objective": "binary",
        "metric": "binary_logloss",
        "verbosity": -1,
        "deterministic": True,
        "force_col_wise": True,
        "is_provide_training_metric": True,
        "boosting": "gbdt",
        "learning_rate": spec["learningRate"],
        "num_leaves": spec["numLeaves"],
        "max_depth": spec["maxDepth"],
        "min_data_in_leaf": spec["minDataInLeaf"],
        "max_bin": spec["maxBin"],
        "seed": spec["seed"],
        "num_threads": spec["threads"],
    }
    start = time.perf_counter()
    dtrain = lgb.Dataset(train[0], label=train[1], params=params)
    dvalid = lgb.Dataset(validation[0], label=validation[1], reference=dtrain, params=params)
    booster = lgb.train(params, dtrain, num_boost_round=spec["rounds"], valid_sets=[dtrain, dvalid], valid_names=["train", "validation"])
    booster.model_to_string()
    booster.feature_importance(importance_type="gain")
    seconds = time.perf_counter() - start
    predicted = booster.predict(test[0], num_threads=spec["threads"])
    return seconds, predicted, lgb.__version__


def main() -> None:
    engine, train_path, validation_path, test_path, spec_json, predictions_path = sys.argv[1:7]
    # Small datasets train in milliseconds: the median of several trainings in this process steadies the figure.
    trainings = int(sys.argv[7]) if len(sys.argv) > 7 else 1
    spec = json.loads(spec_json)
    train, validation, test = read_matrix(train_path), read_matrix(validation_path), read_matrix(test_path)
    trainer = {"xgboost": train_xgboost, "lightgbm": train_lightgbm}[engine]
    times = []
    for _ in range(trainings):
        seconds, predicted, version = trainer(spec, train, validation, test)
        times.append(seconds)
    seconds = sorted(times)[len(times) // 2]
    write_float32(predictions_path, predicted)
    print(json.dumps({"trainSeconds": seconds, "version": version}))


if __name__ == "__main__":
    main()
