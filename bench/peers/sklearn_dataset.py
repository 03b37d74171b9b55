"""Writes a dataset bundled with scikit-learn (no download) as a binary task in the bench's matrix format."""
import json
import sys

from sklearn import datasets

from matrix_file import write_matrix


def main() -> None:
    name, out = sys.argv[1], sys.argv[2]
    if name == "breast_cancer":
        x, y = datasets.load_breast_cancer(return_X_y=True)
    elif name == "digits":
        x, y = datasets.load_digits(return_X_y=True)
        y = (y >= 5).astype(int)
    else:
        raise SystemExit(f"unknown dataset {name}")
    write_matrix(out, x, y)
    print(json.dumps({"rows": int(x.shape[0]), "cols": int(x.shape[1]), "positives": int(y.sum())}))


if __name__ == "__main__":
    main()
