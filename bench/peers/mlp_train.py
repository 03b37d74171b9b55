"""Peer for the engines bench: scikit-learn's MLPClassifier with the same layers, epochs, batch size and step size.

Adam, no L2 (alpha=0), every epoch run (tol=0, no early stopping). Writes P(class 1) for the test rows as float32.
"""
import json
import sys
import time
import warnings

from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from threadpoolctl import threadpool_limits

from matrix_file import read_matrix, write_float32


def main() -> None:
    train_path, test_path, spec_json, predictions_path = sys.argv[1:5]
    spec = json.loads(spec_json)
    x, y = read_matrix(train_path)
    x_test, _ = read_matrix(test_path)
    model = MLPClassifier(
        hidden_layer_sizes=tuple(spec["hiddenLayers"]),
        activation=spec["activation"],
        solver="adam",
        alpha=0.0,
        batch_size=spec["batchSize"],
        learning_rate_init=spec["learningRate"],
        max_iter=spec["epochs"],
        shuffle=True,
        random_state=spec["seed"],
        tol=0.0,
        n_iter_no_change=spec["epochs"] + 1,
        early_stopping=False,
    )
    with threadpool_limits(spec["threads"]), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = time.perf_counter()
        model.fit(x, y.astype(int))
        seconds = time.perf_counter() - start
        predicted = model.predict_proba(x_test)[:, 1]
    write_float32(predictions_path, predicted)
    print(json.dumps({"trainSeconds": seconds, "epochs": int(model.n_iter_)}))


if __name__ == "__main__":
    main()
