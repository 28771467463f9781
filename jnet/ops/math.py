"""Keras's math ops (``keras.ops`` names from ``keras/src/ops/math.py``): segment reductions,
top-k, ``logsumexp``, ``cdist``, special functions, complex views, and the Fourier ops of
:mod:`jnet.ops._math_fft` (FFTs, STFT).

Integer inputs to the float functions (``erf``, ``rsqrt``, ``logsumexp``, ...) are computed in
``floatx()``, Keras's ``result_type(dtype, float)``; float inputs keep their dtype.

Example:
    >>> from jnet.ops import math
    >>> math.segment_sum(np.array([1, 2, 10, 20]), np.array([0, 0, 1, 1]), 2).tolist()
    [3, 30]
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import jax.scipy.special as jss

from jnet import _dtypes, errors
from jnet.ops._math_fft import (
    extract_sequences,
    fft,
    fft2,
    ifft2,
    irfft,
    istft,
    rfft,
    stft,
)
from jnet.ops._op import convert, keras_op, promote

__all__ = [
    "cdist",
    "erf",
    "erfc",
    "erfinv",
    "extract_sequences",
    "fft",
    "fft2",
    "ifft2",
    "in_top_k",
    "irfft",
    "istft",
    "logdet",
    "logsumexp",
    "rfft",
    "rsqrt",
    "segment_max",
    "segment_min",
    "segment_prod",
    "segment_sum",
    "stft",
    "top_k",
    "view_as_complex",
    "view_as_real",
]


def _floating(x: Any) -> jax.Array:
    x = convert(x)
    if jnp.issubdtype(x.dtype, jnp.inexact):
        return x
    return x.astype(_dtypes.result_type(_dtypes.dtype_of(x), float))


def _segments(op: str, data: Any, segment_ids: Any, num_segments: Any, sorted: bool,
              reduce: Any):
    data, segment_ids = convert(data), convert(segment_ids)
    if segment_ids.ndim != 1:
        raise errors.JnetValueError(
            f"{op}: `segment_ids` must be a 1-D vector, received shape "
            f"{tuple(segment_ids.shape)}. Flatten the input first (segment_ids.reshape(-1), "
            f"data.reshape((-1,) + data.shape[segment_ids.ndim:])) or vectorize with vmap."
        )
    if data.ndim < 1 or data.shape[0] != segment_ids.shape[0]:
        raise errors.JnetValueError(
            f"{op}: `segment_ids` and `data` must have the same leading dimension, received "
            f"{tuple(segment_ids.shape)} and {tuple(data.shape)}."
        )
    if num_segments is None:
        if isinstance(segment_ids, jax.core.Tracer):
            raise errors.JnetValueError(
                f"{op}: `num_segments` must be set under jax.jit (the output's size), "
                f"received num_segments=None."
            )
        num_segments = int(jnp.max(segment_ids)) + 1 if segment_ids.size else 0
    return reduce(data, segment_ids.astype("int32"), num_segments,
                  indices_are_sorted=bool(sorted))


_SEGMENT_DOC = """The {what} of each segment of ``data`` along its first axis.

    Args:
        data: the array; its first axis is segmented.
        segment_ids: 1-D int array, ``data.shape[0]`` long: the segment of each row.
        num_segments: the number of segments (the output's first axis). Defaults to None:
            ``max(segment_ids) + 1`` (needs concrete ids: set it under ``jax.jit``).
        sorted: whether ``segment_ids`` are sorted (a hint for speed). Defaults to False.

    Returns:
        ``(num_segments,) + data.shape[1:]``, ``data``'s dtype; an empty segment gives
        {empty}.

    Example:
        >>> {name}(np.array([1, 2, 10, 20]), np.array([0, 0, 1, 1]), 2).tolist()
        {example}
    """


@keras_op
def segment_sum(data: Any, segment_ids: Any, num_segments: Any = None, sorted: bool = False):
    return _segments("segment_sum", data, segment_ids, num_segments, sorted,
                     jax.ops.segment_sum)


@keras_op
def segment_max(data: Any, segment_ids: Any, num_segments: Any = None, sorted: bool = False):
    return _segments("segment_max", data, segment_ids, num_segments, sorted,
                     jax.ops.segment_max)


@keras_op
def segment_min(data: Any, segment_ids: Any, num_segments: Any = None, sorted: bool = False):
    return _segments("segment_min", data, segment_ids, num_segments, sorted,
                     jax.ops.segment_min)


@keras_op
def segment_prod(data: Any, segment_ids: Any, num_segments: Any = None, sorted: bool = False):
    return _segments("segment_prod", data, segment_ids, num_segments, sorted,
                     jax.ops.segment_prod)


for _fn, _what, _empty, _example in (
    (segment_sum, "sum", "0", "[3, 30]"),
    (segment_max, "maximum", "the dtype's lowest value (-inf for floats)", "[2, 20]"),
    (segment_min, "minimum", "the dtype's highest value (inf for floats)", "[1, 10]"),
    (segment_prod, "product", "1", "[2, 200]"),
):
    _fn.__doc__ = _SEGMENT_DOC.format(what=_what, empty=_empty, name=_fn.__name__,
                                      example=_example)
    _fn.__jnet_op__.__doc__ = _fn.__doc__


@keras_op
def top_k(x: Any, k: int, sorted: bool = True):
    """The ``k`` largest values along the last axis and their indices.

    Args:
        x: an array of rank >= 1.
        k: how many values to take (at most ``x.shape[-1]``).
        sorted: accepted for Keras's signature: the values always come sorted, largest first
            (ties: the lower index first). Defaults to True.

    Returns:
        A tuple ``(values, indices)``, last axis ``k``; ``values`` of ``x``'s dtype,
        ``indices`` int32.

    Example:
        >>> values, indices = top_k(np.array([5, 1, 7, 3]), 2)
        >>> values.tolist(), indices.tolist()
        ([7, 5], [2, 0])
    """
    x = convert(x)
    if x.ndim < 1:
        raise errors.JnetValueError("top_k: `x` must have rank >= 1, received a scalar.")
    if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k <= x.shape[-1]:
        raise errors.JnetValueError(
            f"top_k: `k` must be an int in [0, {x.shape[-1]}] (x.shape[-1]), received k={k!r}."
        )
    values, indices = jax.lax.top_k(x, k)
    return values, indices.astype("int32")


@keras_op
def in_top_k(targets: Any, predictions: Any, k: int):
    """Whether each target class is among the ``k`` highest predictions.

    A target ties into the top ``k`` when fewer than ``k`` predictions are strictly larger
    than its own (so tied classes at the boundary all count); a NaN prediction never does.

    Args:
        targets: int class indices, shape ``(batch,)``.
        predictions: scores, shape ``(batch, classes)``.
        k: the number of top predictions to look at.

    Returns:
        A bool array of ``targets``'s shape.

    Example:
        >>> in_top_k(np.array([0, 1]), np.array([[0.9, 0.1], [0.8, 0.2]]), 1).tolist()
        [True, False]
    """
    targets, predictions = convert(targets), convert(predictions)
    if predictions.ndim < 1 or targets.shape != predictions.shape[:-1]:
        raise errors.JnetValueError(
            f"in_top_k: `targets` must have the shape of `predictions` without its last axis, "
            f"received targets.shape={tuple(targets.shape)}, "
            f"predictions.shape={tuple(predictions.shape)}."
        )
    own = jnp.take_along_axis(predictions, targets.astype("int32")[..., None], axis=-1)
    if jnp.issubdtype(own.dtype, jnp.floating):
        own = jnp.where(jnp.isnan(own), jnp.array(-jnp.inf, own.dtype), own)
    larger = jnp.sum(predictions > own, axis=-1)
    return larger < k


@keras_op
def logsumexp(x: Any, axis: Any = None, keepdims: bool = False):
    """``log(sum(exp(x)))`` along ``axis``, computed stably.

    Args:
        x: the array.
        axis: an int, a tuple of ints, or None (all axes). Defaults to None.
        keepdims: keep the reduced axes with size 1. Defaults to False.

    Returns:
        The reduced array (float).

    Example:
        >>> round(logsumexp(np.array([0.0, 0.0])).item(), 4)
        0.6931
    """
    x = _floating(x)
    axes = (axis,) if isinstance(axis, int) else (() if axis is None else tuple(axis))
    for a in axes:
        if not -x.ndim <= a < x.ndim:
            raise errors.JnetValueError(
                f"logsumexp: `axis` {a} is out of range for an input of rank {x.ndim} "
                f"(expected -{x.ndim} <= axis < {x.ndim})."
            )
    return jss.logsumexp(x, axis=axis, keepdims=keepdims)


@keras_op
def cdist(x: Any, y: Any):
    """Euclidean distances between every pair of vectors of two collections.

    Args:
        x: vectors ``(..., m, d)``.
        y: vectors ``(..., n, d)`` (batch axes broadcast with ``x``'s).

    Returns:
        The distances ``(..., m, n)``, float.

    Example:
        >>> cdist(np.array([[0.0, 0.0]]), np.array([[3.0, 4.0], [0.0, 1.0]])).tolist()
        [[5.0, 1.0]]
    """
    x, y = convert(x), convert(y)
    if x.ndim < 2 or y.ndim < 2:
        raise errors.JnetValueError(
            f"cdist: inputs must have rank >= 2, received x.shape={tuple(x.shape)}, "
            f"y.shape={tuple(y.shape)}."
        )
    if x.shape[-1] != y.shape[-1]:
        raise errors.JnetValueError(
            f"cdist: the last dimensions of the inputs must match, received "
            f"x.shape={tuple(x.shape)}, y.shape={tuple(y.shape)}."
        )
    x, y = promote(x, y, dtype=_dtypes.result_type(_dtypes.dtype_of(x),
                                                   _dtypes.dtype_of(y), float))
    diff = x[..., :, None, :] - y[..., None, :, :]
    return jnp.sqrt(jnp.sum(diff * diff, axis=-1))


def _unary(name: str, fn: Any, purpose: str, example: str, output: str) -> Any:
    def op(x: Any):
        return fn(_floating(x))

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"""{purpose}, elementwise.

    Args:
        x: the array (integers are computed in ``floatx()``).

    Returns:
        An array of ``x``'s shape and (float) dtype.

    Example:
        >>> [round(v, 4) for v in {name}(np.array({example})).tolist()]
        {output}
    """
    return keras_op(op)


rsqrt = _unary("rsqrt", jax.lax.rsqrt, "``1 / sqrt(x)``", "[1.0, 4.0]", "[1.0, 0.5]")
erf = _unary("erf", jax.lax.erf, "The error function", "[0.0, 1.0]", "[0.0, 0.8427]")
erfc = _unary("erfc", jss.erfc, "The complementary error function ``1 - erf(x)``",
              "[0.0, 1.0]", "[1.0, 0.1573]")
erfinv = _unary("erfinv", jss.erfinv, "The inverse error function", "[0.0, 0.5]",
                "[0.0, 0.4769]")


@keras_op
def logdet(x: Any):
    """The log of the determinant of a Hermitian positive-definite matrix.

    Args:
        x: a matrix ``(..., M, M)``.

    Returns:
        ``log(det(x))``, shape ``(...)`` (computed through ``slogdet``, so it is stable).

    Example:
        >>> round(logdet(np.array([[2.0, 0.0], [0.0, 3.0]])).item(), 4)
        1.7918
    """
    x = _floating(x)
    if x.ndim < 2 or x.shape[-1] != x.shape[-2]:
        raise errors.JnetValueError(
            f"logdet: `x` must be a square matrix (or a batch of them), received shape "
            f"{tuple(x.shape)}."
        )
    return jnp.linalg.slogdet(x)[1]


@keras_op
def view_as_complex(x: Any):
    """A complex64 array from a real one whose last axis (of size 2) holds (real, imag).

    Args:
        x: a real array of shape ``(..., 2)``.

    Returns:
        A complex64 array of shape ``x.shape[:-1]``.

    Example:
        >>> view_as_complex(np.array([[1.0, 2.0], [3.0, 4.0]])).tolist()
        [(1+2j), (3+4j)]
    """
    x = convert(x)
    if x.ndim < 1 or x.shape[-1] != 2:
        raise errors.JnetValueError(
            f"view_as_complex: the last dimension of `x` must be 2 (real and imaginary), "
            f"received shape {tuple(x.shape)}."
        )
    real = x[..., 0].astype("float32")
    imag = x[..., 1].astype("float32")
    return jax.lax.complex(real, imag)


@keras_op
def view_as_real(x: Any):
    """A real array whose last axis (of size 2) holds the real and imaginary parts of ``x``.

    Args:
        x: a complex array.

    Returns:
        A float array of shape ``x.shape + (2,)``.

    Example:
        >>> view_as_real(np.array([1 + 2j, 3 + 4j])).tolist()
        [[1.0, 2.0], [3.0, 4.0]]
    """
    x = convert(x)
    return jnp.stack([jnp.real(x), jnp.imag(x)], axis=-1)
