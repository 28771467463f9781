"""Rows for keras.ops.linalg (jnet/ops/linalg.py).

Decompositions unique only up to sign or order (eig, eigh, svd, qr) are compared by
reconstruction and by the sign-free parts; lu_factor against scipy (Keras's TensorFlow
backend returns a permutation where its JAX backend, and jnet, return LAPACK's pivots).
"""

import numpy as np
import scipy.linalg

from ops_table import Case, floats, ints

_RNG = np.random.default_rng(5)


def _spd(n, batch=()):
    a = _RNG.uniform(-1, 1, size=(*batch, n, n)).astype("float32")
    return (a @ np.swapaxes(a, -1, -2) + n * np.eye(n, dtype="float32")).astype("float32")


def _lower(n):
    return np.linalg.cholesky(_spd(n).astype("float64")).astype("float32")


def _well(n, batch=()):
    return (floats(*batch, n, n) + 4 * np.eye(n, dtype="float32")).astype("float32")


SPD = _spd(4)
SPD_BATCH = _spd(3, (2,))
SQUARE = _well(4)
SQUARE_BATCH = _well(3, (2,))
TALL = floats(5, 3)
WIDE_BATCH = floats(2, 3, 4)


def _close(a, b, tol=1e-4):
    np.testing.assert_allclose(np.asarray(a, np.complex128), np.asarray(b, np.complex128),
                               rtol=tol, atol=tol)


def _eig_compare(x):
    def compare(got, want):
        w, v = (np.asarray(t) for t in got)
        _close(np.sort_complex(w), np.sort_complex(np.asarray(want[0])))
        _close(x.astype(np.complex64) @ v, v * w[..., None, :])
        assert w.dtype == np.complex64 and v.dtype == np.complex64
    return compare


def _eigh_compare(x):
    def compare(got, want):
        w, v = (np.asarray(t) for t in got)
        _close(w, want[0])
        _close(x @ v, v * w[..., None, :])
        assert w.dtype == x.dtype and v.dtype == x.dtype
    return compare


def _qr_compare(x, mode):
    def compare(got, want):
        q, r = (np.asarray(t) for t in got)
        assert q.shape == np.asarray(want[0]).shape and r.shape == np.asarray(want[1]).shape
        _close(np.abs(r), np.abs(np.asarray(want[1])))
        if mode == "reduced":
            _close(q @ r, x)
        assert q.dtype == x.dtype and r.dtype == x.dtype
    return compare


def _svd_compare(x, full_matrices):
    def compare(got, want):
        u, s, v = (np.asarray(t) for t in got)
        for g, w in zip((u, s, v), want, strict=True):
            assert g.shape == np.asarray(w).shape and g.dtype == x.dtype
        _close(s, want[1])
        k = s.shape[-1]
        _close((u[..., :, :k] * s[..., None, :]) @ v[..., :k, :], x)
    return compare


def _half_square(x):
    return x * x * 0.5


def _half_square_jvp(fun, primals, tangents, has_aux=False):
    (x,), (t,) = primals, tangents
    return x * x * np.float32(0.5), x * t


def _product_aux(x, y):
    return x * y, x + y


def _product_aux_jvp(fun, primals, tangents, has_aux=False):
    (x, y), (tx, ty) = primals, tangents
    return x * y, tx * y + x * ty, x + y


def _lu_reference(x):
    lu, piv = scipy.linalg.lu_factor(x.astype(np.float64))
    return lu.astype(np.float32), piv.astype(np.int32)


CASES = [
    Case("cholesky", (SPD,), grad=True, rtol=1e-5, atol=1e-5),
    Case("cholesky", (SPD_BATCH,), {"upper": True}, id="upper-batch", rtol=1e-5, atol=1e-5),
    Case("cholesky_inverse", (_lower(4),), rtol=1e-4, atol=1e-5),
    Case("cholesky_inverse", (_lower(3).T.copy(),), {"upper": True}, id="upper",
         rtol=1e-4, atol=1e-5),
    Case("det", (SQUARE,), grad=True, rtol=1e-5),
    Case("det", (SQUARE_BATCH,), id="batch", rtol=1e-5),
    Case("eig", (SQUARE,), compare=_eig_compare(SQUARE), jit=False,
         note="eigenvalue order and eigenvector phase are LAPACK's: compared sorted and by "
              "A v = v w"),
    Case("eigh", (SPD,), compare=_eigh_compare(SPD)),
    Case("eigh", (SPD_BATCH,), id="batch", compare=_eigh_compare(SPD_BATCH)),
    Case("inv", (SQUARE,), grad=True, rtol=1e-5, atol=1e-6),
    Case("inv", (SQUARE_BATCH,), id="batch", rtol=1e-5, atol=1e-6),
    Case("jvp", (_half_square, (floats(3),), (floats(3),)), reference=_half_square_jvp,
         note="Keras's TF backend fails on NumPy primals (ForwardAccumulator wants tensors): "
              "the reference is the derivative written out"),
    Case("jvp", (_product_aux, (floats(2, 2), floats(2, 2)), (floats(2, 2), floats(2, 2)),
                 True), id="has-aux", reference=_product_aux_jvp),
    Case("lstsq", (TALL, floats(5)), rtol=1e-4, atol=1e-5),
    Case("lstsq", (TALL, floats(5, 2)), id="matrix-b", rtol=1e-4, atol=1e-5),
    Case("lu_factor", (SQUARE,), reference=_lu_reference, rtol=1e-5, atol=1e-6,
         note="Keras's TF backend returns a permutation; its JAX backend (and jnet) "
              "LAPACK's pivots, as scipy.linalg.lu_factor"),
    Case("matrix_rank", (np.array([[1, 2], [2, 4]], "float32"),)),
    Case("matrix_rank", (floats(2, 4, 3),), id="batch"),
    Case("matrix_rank", (SQUARE,), {"tol": 0.5}, id="tol"),
    Case("norm", (floats(3, 4),), grad=True),
    Case("norm", (floats(3, 4),), {"axis": -1}, id="vector-axis"),
    Case("norm", (floats(3, 4),), {"axis": 0, "keepdims": True, "ord": 1}, id="ord1-keepdims"),
    Case("norm", (floats(3, 4),), {"axis": 1, "ord": float("inf")}, id="vector-inf"),
    Case("norm", (floats(3, 4),), {"ord": "fro", "axis": (0, 1)}, id="fro"),
    Case("norm", (floats(3, 4),), {"ord": "nuc", "axis": (0, 1)}, id="nuc", rtol=1e-5),
    Case("norm", (floats(3, 4),), {"ord": 2, "axis": (-2, -1)}, id="matrix-2", rtol=1e-5),
    Case("norm", (floats(2, 3, 4),), {"ord": -1, "axis": (1, 2)}, id="matrix-neg1"),
    Case("norm", (ints(3, 4),), id="int"),
    Case("norm", (floats(5, dtype="float16"),), id="float16", rtol=1e-3, atol=1e-3),
    Case("pinv", (TALL,), rtol=1e-4, atol=1e-5),
    Case("pinv", (floats(2, 3, 4),), id="batch", rtol=1e-4, atol=1e-5),
    Case("qr", (TALL,), compare=_qr_compare(TALL, "reduced"),
         note="signs of q's columns and r's rows are free: compared |r| and q @ r"),
    Case("qr", (TALL,), {"mode": "complete"}, id="complete",
         compare=_qr_compare(TALL, "complete")),
    Case("solve", (SQUARE, floats(4)), grad=True, rtol=1e-5, atol=1e-6),
    Case("solve", (SQUARE, floats(4, 2)), id="matrix-b", rtol=1e-5, atol=1e-6),
    Case("solve", (SQUARE_BATCH, floats(2, 3, 1)), id="batch", rtol=1e-5, atol=1e-6),
    Case("solve_triangular", (_lower(4), floats(4, 2)), {"lower": True}, rtol=1e-5,
         atol=1e-6),
    Case("solve_triangular", (np.triu(SQUARE), floats(4)), id="upper-vector", rtol=1e-5,
         atol=1e-6),
    Case("svd", (TALL,), compare=_svd_compare(TALL, True),
         note="singular vectors' signs are free: compared s and u diag(s) v"),
    Case("svd", (WIDE_BATCH,), {"full_matrices": False}, id="reduced-batch",
         compare=_svd_compare(WIDE_BATCH, False)),
    Case("svd", (TALL,), {"compute_uv": False}, id="values", rtol=1e-5, atol=1e-6),
]

LEFT_OUT: dict[str, str] = {}

PENDING: set = set()
