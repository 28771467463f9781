"""Rows for keras.ops.linalg (jnet/ops/linalg.py)."""

from ops_table import Case  # noqa: F401

CASES: list = []

LEFT_OUT: dict[str, str] = {}

PENDING = {
    "cholesky",
    "cholesky_inverse",
    "det",
    "eig",
    "eigh",
    "inv",
    "jvp",
    "lstsq",
    "lu_factor",
    "matrix_rank",
    "norm",
    "pinv",
    "qr",
    "solve",
    "solve_triangular",
    "svd",
}
