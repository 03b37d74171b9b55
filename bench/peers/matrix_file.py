"""The engines bench's raw matrix format, shared with bench/support/matrix-file.ts.

int32 rows, int32 cols, float32 data (row-major), float32 labels; NaN is a missing value.
"""
import numpy as np


def read_matrix(path: str) -> tuple[np.ndarray, np.ndarray]:
    rows, cols = (int(v) for v in np.fromfile(path, dtype=np.int32, count=2))
    flat = np.fromfile(path, dtype=np.float32, offset=8)
    return flat[: rows * cols].reshape(rows, cols), flat[rows * cols : rows * cols + rows].copy()


def write_matrix(path: str, x: np.ndarray, y: np.ndarray) -> None:
    x = np.ascontiguousarray(x, dtype=np.float32)
    with open(path, "wb") as f:
        np.array(x.shape, dtype=np.int32).tofile(f)
        x.tofile(f)
        np.ascontiguousarray(y, dtype=np.float32).tofile(f)


def write_float32(path: str, values: np.ndarray) -> None:
    np.ascontiguousarray(values, dtype=np.float32).tofile(path)
