"""Label and vector helpers: ``to_categorical`` (one-hot labels) and ``normalize`` (unit norm).

Both follow ``keras.utils`` (``keras/src/utils/numerical_utils.py``) with two deliberate
differences, both where Keras returns garbage or surprises: labels outside
``[0, num_classes)`` raise instead of wrapping or crashing deep inside NumPy, and
``normalize(x, axis=0)`` divides by the norms along axis 0 (Keras's NumPy path divides by
them along the last axis instead).

Example:
    >>> from jnet.utils import to_categorical
    >>> to_categorical([0, 2, 1])
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 1., 0.]], dtype=float32)
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors

__all__ = ["normalize", "to_categorical"]

_EPSILON = 1e-7  # keras.backend.epsilon(), used by Keras's tensor path of normalize


def to_categorical(x: Any, num_classes: int | None = None) -> np.ndarray:
    """Converts integer class labels to one-hot rows, as ``keras.utils.to_categorical``.

    A trailing axis of size 1 is dropped first (labels of shape ``(N, 1)`` give ``(N, C)``,
    as in Keras), and the class axis is appended last.

    Args:
        x: integer class labels (array-like of any shape). Integral floats (``2.0``) are
            accepted; fractional values raise.
        num_classes: the number of classes ``C``. Defaults to ``None``: ``max(x) + 1``.

    Returns:
        A float32 NumPy array of shape ``x.shape + (C,)`` (without ``x``'s trailing 1) holding
        1.0 at each label's index and 0.0 elsewhere.

    Raises:
        JnetValueError: a label is negative, not an integer, or not below ``num_classes``.

    Example:
        >>> to_categorical(np.array([[1], [3]]), num_classes=4)
        array([[0., 1., 0., 0.],
               [0., 0., 0., 1.]], dtype=float32)
    """
    labels = _integer_labels(x)
    shape = labels.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    flat = labels.reshape(-1)
    if num_classes is None:
        if flat.size == 0:
            raise errors.JnetValueError(
                "to_categorical: cannot infer `num_classes` from empty labels; pass "
                "num_classes=."
            )
        num_classes = int(flat.max()) + 1
    elif (
        isinstance(num_classes, bool)
        or not isinstance(num_classes, int | np.integer)
        or num_classes < 1
    ):
        raise errors.JnetValueError(
            "to_categorical: `num_classes` must be a positive integer or None, received "
            f"{num_classes!r}."
        )
    num_classes = int(num_classes)
    if flat.size:
        low, high = int(flat.min()), int(flat.max())
        if low < 0 or high >= num_classes:
            bad = low if low < 0 else high
            raise errors.JnetValueError(
                f"to_categorical: labels must lie in [0, num_classes) = [0, {num_classes}), "
                f"received a label {bad}. Pass num_classes= at least max(x) + 1 "
                f"= {high + 1}, or map your labels to 0..C-1 first."
            )
    categorical = np.zeros((flat.size, num_classes), np.float32)
    categorical[np.arange(flat.size), flat] = 1.0
    return categorical.reshape(tuple(shape) + (num_classes,))


def _integer_labels(x: Any) -> np.ndarray:
    try:
        array = np.asarray(x)
    except (TypeError, ValueError) as e:
        raise errors.JnetTypeError(
            f"to_categorical: `x` must be an array of integer labels, received "
            f"{errors.describe(x)}."
        ) from e
    if array.dtype == bool or np.issubdtype(array.dtype, np.integer):
        return array.astype(np.int64)
    if np.issubdtype(array.dtype, np.floating):
        if not np.all(np.isfinite(array)) or np.any(array != np.round(array)):
            raise errors.JnetValueError(
                "to_categorical: labels must be whole numbers, received non-integral or "
                f"non-finite values in {errors.describe(array)}."
            )
        return array.astype(np.int64)
    raise errors.JnetTypeError(
        f"to_categorical: `x` must hold integer class labels, received {errors.describe(array)}."
    )


def normalize(x: Any, axis: int = -1, order: int | float = 2) -> Any:
    """Scales ``x`` to unit ``order``-norm along ``axis``, as ``keras.utils.normalize``.

    NumPy input (and lists) take Keras's NumPy path: ``x / norm`` where an all-zero slice keeps
    norm 1 (so it stays zero). JAX arrays take Keras's tensor path (``ops.nn.normalize``), which
    is jit-able: for ``order=2`` ``x * min(rsqrt(sum(x**2)), 1 / 1e-7)``, otherwise
    ``x / max(norm, 1e-7)``.

    Args:
        x: the array to normalize.
        axis: the axis to normalize along. Defaults to ``-1``.
        order: the norm's order (``2``: Euclidean, ``1``: sum of absolute values). Defaults
            to ``2``.

    Returns:
        A normalized copy of ``x``: a NumPy array (float inputs keep their dtype, integer
        inputs become float32) or, for a JAX array, a JAX array.

    Example:
        >>> normalize(np.array([[3.0, 4.0], [0.0, 0.0]], np.float32))
        array([[0.6, 0.8],
               [0. , 0. ]], dtype=float32)
    """
    if isinstance(axis, bool) or not isinstance(axis, int | np.integer):
        raise errors.JnetTypeError(f"normalize: `axis` must be an integer, received {axis!r}.")
    if isinstance(x, jax.Array):
        return _normalize_jax(x, int(axis), order)
    array = np.asarray(x)
    if not np.issubdtype(array.dtype, np.floating):
        if not (array.dtype == bool or np.issubdtype(array.dtype, np.number)):
            raise errors.JnetTypeError(
                f"normalize: `x` must be numeric, received {errors.describe(array)}."
            )
        array = array.astype(np.float32)
    if array.ndim == 0:
        array = array.reshape(1)
    _check_axis(axis, array.ndim)
    norm = np.linalg.norm(array, order, axis, keepdims=True)
    norm[norm == 0] = 1
    return (array / norm).astype(array.dtype)


def _normalize_jax(x: jax.Array, axis: int, order: int | float) -> jax.Array:
    if isinstance(order, bool) or not isinstance(order, int) or order < 1:
        raise errors.JnetValueError(
            f"normalize: for a JAX array `order` must be an int >= 1 (as in "
            f"keras.ops.normalize), received order={order!r}."
        )
    if not jnp.issubdtype(x.dtype, jnp.floating):
        x = x.astype(jnp.float32)
    if x.ndim == 0:
        x = x.reshape(1)
    _check_axis(axis, x.ndim)
    if order == 2:
        inv_norm = jax.lax.rsqrt(jnp.sum(jnp.square(x), axis=axis, keepdims=True))
        return x * jnp.minimum(inv_norm, jnp.asarray(1.0 / _EPSILON, x.dtype))
    norm = jnp.linalg.norm(x, ord=order, axis=axis, keepdims=True)
    return x / jnp.maximum(norm, jnp.asarray(_EPSILON, x.dtype))


def _check_axis(axis: int, ndim: int) -> None:
    if not -ndim <= axis < ndim:
        raise errors.JnetValueError(
            f"normalize: `axis` must be in [-{ndim}, {ndim}) for an array of rank {ndim}, "
            f"received axis={axis}."
        )
