"""``keras.ops.linalg``: decompositions, solvers, norms (also at ``jnet.ops.<name>``, as Keras
exports them at ``keras.ops.<name>`` too).

Built on ``jax.numpy.linalg`` and ``jax.scipy.linalg`` as Keras's JAX backend: matrices are
the last two axes, leading axes are batches. Integer and boolean inputs are computed in
``floatx()`` (Keras's ``result_type(dtype, float)``); float inputs keep their dtype. Results
that are unique only up to sign or order (``eig``, ``eigh``, ``svd``, ``qr``) are LAPACK's, as
on Keras's JAX backend.

Example:
    >>> from jnet.ops import linalg
    >>> linalg.det(np.array([[2.0, 0.0], [0.0, 3.0]])).item()
    6.0
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import jax.scipy.linalg as jsl

from jnet import _dtypes, errors
from jnet.ops._op import convert, keras_op

__all__ = [
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
]


def _floating(x: Any) -> jax.Array:
    x = convert(x)
    dtype = _dtypes.standardize_dtype(x.dtype)
    if dtype in _dtypes.FLOAT_TYPES or dtype.startswith("complex"):
        return x
    return x.astype(_dtypes.result_type(dtype, float))


def _matrix(x: Any, op: str, argument: str = "x", square: bool = False) -> jax.Array:
    x = _floating(x)
    if x.ndim < 2:
        raise errors.JnetValueError(
            f"{op}: `{argument}` must have rank >= 2 (a matrix or a batch of matrices), "
            f"received shape {tuple(x.shape)}."
        )
    if square and x.shape[-1] != x.shape[-2]:
        raise errors.JnetValueError(
            f"{op}: `{argument}` must be a square matrix (last two axes equal), received "
            f"shape {tuple(x.shape)}."
        )
    return x


def _system(a: Any, b: Any, op: str) -> tuple[jax.Array, jax.Array]:
    a = _matrix(a, op, "a", square=True)
    b = _floating(b)
    if b.ndim < 1:
        raise errors.JnetValueError(f"{op}: `b` must have rank >= 1, received a scalar.")
    if b.ndim == a.ndim and a.shape[-2] != b.shape[-2]:
        raise errors.JnetValueError(
            f"{op}: incompatible shapes between `a` and `b`: expected "
            f"a.shape[-2] == b.shape[-2], received a.shape={tuple(a.shape)}, "
            f"b.shape={tuple(b.shape)}."
        )
    if b.ndim == a.ndim - 1 and a.shape[-1] != b.shape[-1]:
        raise errors.JnetValueError(
            f"{op}: incompatible shapes between `a` and `b`: expected "
            f"a.shape[-1] == b.shape[-1], received a.shape={tuple(a.shape)}, "
            f"b.shape={tuple(b.shape)}."
        )
    dtype = _dtypes.result_type(_dtypes.dtype_of(a), _dtypes.dtype_of(b))
    return a.astype(dtype), b.astype(dtype)


@keras_op
def cholesky(x: Any, upper: bool = False):
    """The Cholesky factor of a symmetric positive-definite matrix.

    Args:
        x: a matrix of shape ``(..., M, M)``.
        upper: return the upper factor ``U`` (``x = U^H U``) instead of the lower ``L``
            (``x = L L^H``). Defaults to False.

    Returns:
        The triangular factor, of ``x``'s shape. A matrix that is not positive definite gives
        NaNs (under ``jax.jit``; eagerly a ``JnetValueError``, as Keras).

    Example:
        >>> cholesky(np.array([[4.0, 2.0], [2.0, 5.0]])).tolist()
        [[2.0, 0.0], [1.0, 2.0]]
    """
    x = _matrix(x, "cholesky", square=True)
    out = jnp.linalg.cholesky(x, upper=upper)
    if not isinstance(out, jax.core.Tracer) and bool(jnp.any(jnp.isnan(out))):
        raise errors.JnetValueError(
            "cholesky: decomposition failed; the input might not be a positive-definite "
            "matrix."
        )
    return out


@keras_op
def cholesky_inverse(x: Any, upper: bool = False):
    """The inverse of a matrix from its Cholesky factor.

    Args:
        x: the triangular Cholesky factor, shape ``(..., M, M)``.
        upper: whether ``x`` is the upper factor ``U`` (the matrix is ``U^T U``) rather than
            the lower ``L`` (``L L^T``). Defaults to False.

    Returns:
        The inverse of the matrix ``x`` factors, of ``x``'s shape.

    Example:
        >>> cholesky_inverse(np.array([[2.0, 0.0], [0.0, 4.0]])).tolist()
        [[0.25, 0.0], [0.0, 0.0625]]
    """
    x = _matrix(x, "cholesky_inverse", square=True)
    eye = jnp.broadcast_to(jnp.eye(x.shape[-1], dtype=x.dtype), x.shape)
    factor_inv = jsl.solve_triangular(x, eye, lower=not upper)
    t = jnp.swapaxes(factor_inv, -1, -2)
    return factor_inv @ t if upper else t @ factor_inv


@keras_op
def det(x: Any):
    """The determinant of a square matrix (or of each of a batch).

    Args:
        x: a matrix of shape ``(..., M, M)``.

    Returns:
        The determinants, shape ``(...)``.

    Example:
        >>> det(np.array([[1.0, 2.0], [3.0, 4.0]])).round(4).item()
        -2.0
    """
    return jnp.linalg.det(_matrix(x, "det", square=True))


@keras_op
def eig(x: Any):
    """The eigenvalues and right eigenvectors of a square matrix (CPU only in jax).

    Args:
        x: a matrix of shape ``(..., M, M)``.

    Returns:
        A tuple ``(w, v)``: complex eigenvalues ``(..., M)`` and eigenvectors ``(..., M, M)``
        (column ``v[..., :, i]`` belongs to ``w[..., i]``), in LAPACK's order.

    Example:
        >>> w, v = eig(np.array([[2.0, 0.0], [0.0, 3.0]]))
        >>> w.real.tolist()
        [2.0, 3.0]
    """
    return jnp.linalg.eig(_matrix(x, "eig", square=True))


@keras_op
def eigh(x: Any):
    """The eigenvalues and eigenvectors of a symmetric (Hermitian) matrix.

    Args:
        x: a symmetric matrix of shape ``(..., M, M)``.

    Returns:
        A tuple ``(w, v)``: eigenvalues ``(..., M)`` in ascending order and eigenvectors
        ``(..., M, M)`` as columns.

    Example:
        >>> w, v = eigh(np.array([[2.0, 1.0], [1.0, 2.0]]))
        >>> w.round(4).tolist()
        [1.0, 3.0]
    """
    return tuple(jnp.linalg.eigh(_matrix(x, "eigh", square=True)))


@keras_op
def inv(x: Any):
    """The inverse of a square matrix.

    Args:
        x: a matrix of shape ``(..., M, M)``.

    Returns:
        The inverse, of ``x``'s shape.

    Example:
        >>> inv(np.array([[2.0, 0.0], [0.0, 4.0]])).tolist()
        [[0.5, 0.0], [0.0, 0.25]]
    """
    return jnp.linalg.inv(_matrix(x, "inv", square=True))


@keras_op
def jvp(fun: Any, primals: Any, tangents: Any, has_aux: bool = False):
    """The Jacobian-vector product of ``fun`` at ``primals`` along ``tangents`` (``jax.jvp``).

    Args:
        fun: a function of arrays returning an array (or a structure of arrays).
        primals: a tuple or list of the points to evaluate ``fun`` at.
        tangents: a tuple or list of tangents, one per primal, of the same shapes.
        has_aux: whether ``fun`` returns ``(output, aux)``; ``aux`` is returned as is.
            Defaults to False.

    Returns:
        ``(primals_out, tangents_out)``, or ``(primals_out, tangents_out, aux)`` with
        ``has_aux``.

    Example:
        >>> out, tangent = jvp(lambda x: x ** 2, (jnp.array(3.0),), (jnp.array(1.0),))
        >>> out.item(), tangent.item()
        (9.0, 6.0)
    """
    if not isinstance(primals, tuple | list) or not isinstance(tangents, tuple | list):
        raise errors.JnetTypeError(
            f"jvp: `primals` and `tangents` must be tuples or lists, received "
            f"{type(primals).__name__} and {type(tangents).__name__}."
        )
    return jax.jvp(fun, tuple(primals), tuple(tangents), has_aux=has_aux)


@keras_op
def lstsq(a: Any, b: Any, rcond: Any = None):
    """The least-squares solution ``x`` of ``a @ x = b``.

    Args:
        a: a matrix of shape ``(M, N)``.
        b: the right-hand side, shape ``(M,)`` or ``(M, K)``.
        rcond: cut-off ratio for small singular values of ``a`` (default: jax's,
            machine epsilon times ``max(M, N)``).

    Returns:
        The solution, shape ``(N,)`` or ``(N, K)``.

    Example:
        >>> lstsq(np.array([[1.0, 0.0], [0.0, 2.0]]), np.array([1.0, 4.0])).tolist()
        [1.0, 2.0]
    """
    a, b = _floating(a), _floating(b)
    if a.ndim != 2:
        raise errors.JnetValueError(
            f"lstsq: `a` must have rank 2, received shape {tuple(a.shape)}."
        )
    if b.ndim not in (1, 2):
        raise errors.JnetValueError(
            f"lstsq: `b` must have rank 1 or 2, received shape {tuple(b.shape)}."
        )
    if b.shape[0] != a.shape[0]:
        raise errors.JnetValueError(
            f"lstsq: expected b.shape[0] == a.shape[0], received a.shape={tuple(a.shape)}, "
            f"b.shape={tuple(b.shape)}."
        )
    dtype = _dtypes.result_type(_dtypes.dtype_of(a), _dtypes.dtype_of(b))
    return jnp.linalg.lstsq(a.astype(dtype), b.astype(dtype), rcond=rcond)[0]


@keras_op
def lu_factor(x: Any):
    """The LU factorization with partial pivoting, as ``scipy.linalg.lu_factor``.

    Args:
        x: a matrix of shape ``(..., M, N)``.

    Returns:
        A tuple ``(lu, pivots)``: ``lu`` of ``x``'s shape holds ``U`` in its upper triangle
        and ``L`` (unit diagonal, not stored) below; ``pivots`` ``(..., min(M, N))`` (int32)
        are LAPACK's row interchanges (row ``i`` was swapped with row ``pivots[i]``).

    Example:
        >>> lu, piv = lu_factor(np.array([[1.0, 2.0], [3.0, 4.0]]))
        >>> piv.tolist()
        [1, 1]
    """
    x = _matrix(x, "lu_factor")
    fn = jsl.lu_factor
    for _ in range(x.ndim - 2):
        fn = jax.vmap(fn)
    return fn(x)


@keras_op
def matrix_rank(x: Any, tol: Any = None):
    """The rank of a matrix: the number of singular values above ``tol``.

    Args:
        x: a matrix of shape ``(..., M, N)``.
        tol: the threshold (default: the largest singular value times machine epsilon times
            ``max(M, N)``).

    Returns:
        The ranks, int32, shape ``(...)``.

    Example:
        >>> matrix_rank(np.array([[1.0, 2.0], [2.0, 4.0]])).item()
        1
    """
    x = _matrix(x, "matrix_rank")
    return jnp.linalg.matrix_rank(x, rtol=None, tol=tol).astype("int32")


_MATRIX_ORDS = (None, "fro", "nuc", float("inf"), float("-inf"), 1, -1, 2, -2)


@keras_op
def norm(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False):
    """A matrix or vector norm.

    Args:
        x: the array.
        ord: the order of the norm: for vectors a number (``inf``, ``-inf``, ``0``, ...),
            for matrices ``'fro'``, ``'nuc'``, ``inf``, ``-inf``, ``1``, ``-1``, ``2``, ``-2``.
            Default None: the 2-norm of vectors, the Frobenius norm of matrices (and of the
            flattened array when ``axis`` is None).
        axis: an int (vector norms along it), a pair of ints (matrix norms over those two
            axes), or None (the whole array). Defaults to None.
        keepdims: keep the reduced axes with size 1. Defaults to False.

    Returns:
        The norm, float (``floatx()`` for integer inputs).

    Example:
        >>> norm(np.array([3.0, 4.0])).item()
        5.0
        >>> norm(np.array([[1, 2], [3, 4]]), ord=1).item()
        6.0
    """
    x = _floating(x)
    if isinstance(ord, str) and ord not in ("fro", "nuc"):
        raise errors.JnetValueError(
            f"norm: invalid `ord`; expected one of 'fro', 'nuc' for a string, received "
            f"ord={ord!r}."
        )
    axes = tuple(range(x.ndim)) if axis is None else (
        (axis,) if isinstance(axis, int) else tuple(axis)
    )
    if any(not -x.ndim <= a < x.ndim for a in axes):
        raise errors.JnetValueError(
            f"norm: every `axis` must be in [-{x.ndim}, {x.ndim}) for an input of shape "
            f"{tuple(x.shape)}, received axis={axis}."
        )
    if len(axes) == 1 and isinstance(ord, str):
        raise errors.JnetValueError(f"norm: invalid `ord` for a vector norm: ord={ord!r}.")
    if len(axes) == 2 and ord not in _MATRIX_ORDS:
        raise errors.JnetValueError(f"norm: invalid `ord` for a matrix norm: ord={ord!r}.")
    if len(axes) > 2 and ord is not None:
        raise errors.JnetValueError(
            f"norm: `ord` needs an axis of 1 or 2 axes, received ord={ord!r} for "
            f"axis={axis} on an input of rank {x.ndim}."
        )
    return jnp.linalg.norm(x, ord=ord, axis=axis if axis is None else (
        axes[0] if len(axes) == 1 else axes), keepdims=keepdims)


@keras_op
def pinv(x: Any, rcond: Any = None):
    """The Moore-Penrose pseudo-inverse of a matrix.

    Args:
        x: a matrix of shape ``(..., M, N)``.
        rcond: cut-off ratio for small singular values (default: jax's).

    Returns:
        The pseudo-inverse, shape ``(..., N, M)``.

    Example:
        >>> pinv(np.array([[2.0, 0.0], [0.0, 0.0]])).tolist()
        [[0.5, 0.0], [0.0, 0.0]]
    """
    return jnp.linalg.pinv(_matrix(x, "pinv"), rtol=rcond)


@keras_op
def qr(x: Any, mode: str = "reduced"):
    """The QR decomposition of a matrix.

    Args:
        x: a matrix of shape ``(..., M, N)``.
        mode: ``'reduced'`` (``q`` is ``(..., M, K)``, ``r`` ``(..., K, N)`` with
            ``K = min(M, N)``) or ``'complete'`` (``q`` ``(..., M, M)``, ``r``
            ``(..., M, N)``). Defaults to ``'reduced'``.

    Returns:
        A tuple ``(q, r)`` with ``q`` orthonormal and ``r`` upper triangular.

    Example:
        >>> q, r = qr(np.array([[3.0, 0.0], [4.0, 5.0]]))
        >>> np.allclose(q @ r, [[3.0, 0.0], [4.0, 5.0]], atol=1e-5)
        True
    """
    if mode not in ("reduced", "complete"):
        raise errors.JnetValueError(
            f"qr: `mode` must be one of 'reduced', 'complete', received mode={mode!r}."
        )
    return tuple(jnp.linalg.qr(_matrix(x, "qr"), mode=mode))


@keras_op
def solve(a: Any, b: Any):
    """The solution ``x`` of the linear system ``a @ x = b``.

    Args:
        a: a square matrix ``(..., M, M)``.
        b: the right-hand side, ``(..., M)`` or ``(..., M, K)``.

    Returns:
        The solution, of ``b``'s shape.

    Example:
        >>> solve(np.array([[2.0, 0.0], [0.0, 4.0]]), np.array([2.0, 2.0])).tolist()
        [1.0, 0.5]
    """
    a, b = _system(a, b, "solve")
    return jnp.linalg.solve(a, b)


@keras_op
def solve_triangular(a: Any, b: Any, lower: bool = False):
    """The solution ``x`` of ``a @ x = b`` for a triangular ``a``.

    Args:
        a: a triangular matrix ``(..., M, M)``; only its ``lower`` or upper triangle is read.
        b: the right-hand side, ``(..., M)`` or ``(..., M, K)``.
        lower: use the lower triangle of ``a``. Defaults to False (the upper).

    Returns:
        The solution, of ``b``'s shape.

    Example:
        >>> solve_triangular(np.array([[1.0, 0.0], [1.0, 2.0]]), np.array([1.0, 3.0]),
        ...                  lower=True).tolist()
        [1.0, 1.0]
    """
    a, b = _system(a, b, "solve_triangular")
    return jsl.solve_triangular(a, b, lower=lower)


@keras_op
def svd(x: Any, full_matrices: bool = True, compute_uv: bool = True):
    """The singular value decomposition ``x = u @ diag(s) @ v``.

    Args:
        x: a matrix of shape ``(..., M, N)``.
        full_matrices: ``u`` ``(..., M, M)`` and ``v`` ``(..., N, N)`` if True, else
            ``(..., M, K)`` and ``(..., K, N)`` with ``K = min(M, N)``. Defaults to True.
        compute_uv: return ``(u, s, v)`` if True, only ``s`` if False. Defaults to True.

    Returns:
        ``(u, s, v)`` (``v`` is the conjugate transpose of the right singular vectors, as
        numpy's ``vh``) or ``s``: singular values ``(..., K)`` in descending order.

    Example:
        >>> svd(np.array([[3.0, 0.0], [0.0, 4.0]]), compute_uv=False).tolist()
        [4.0, 3.0]
    """
    x = _matrix(x, "svd")
    out = jnp.linalg.svd(x, full_matrices=full_matrices, compute_uv=compute_uv)
    return tuple(out) if compute_uv else out
