"""Normalization: Keras's preprocessing layer, ``(x - mean) / sqrt(variance)`` per feature.

The mean and variance are given (``mean=``, ``variance=``: constants, no weights) or learned
by :meth:`Normalization.adapt` from data; then the layer holds Keras's three weights in Keras's
order, ``mean``, ``variance`` and ``count`` (non-trainable, in the ``batch_stats``
collection), so Keras's weight files load into it. The divisor is
``max(sqrt(variance), epsilon)`` as in Keras; ``invert=True`` maps back
(``mean + x * sqrt(variance)``).

Example:
    >>> import numpy as np, jnet
    >>> norm = jnet.layers.Normalization()
    >>> norm.adapt(np.array([[1.0], [2.0], [3.0]], "float32"))
    >>> np.round(np.asarray(norm(np.array([[1.0], [3.0]], "float32")), "float64"), 3).tolist()
    [[-1.225], [1.225]]
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, ClassVar

import flax.linen as nn
import jax.numpy as jnp
import numpy as np

from jnet import config, errors
from jnet.layers._eager import set_eager_variables
from jnet.layers.base import Layer, WeightPath, cast_inputs

__all__ = ["Normalization"]


class Normalization(Layer):
    """Normalizes each feature to mean 0 and variance 1 (``keras.layers.Normalization``).

    Args:
        axis: the axis (or axes) that keep their own mean and variance, default ``-1`` (one
            per feature of the last axis); ``None`` for a single mean and variance.
        mean: the mean to use; with ``variance``, instead of :meth:`adapt`. A number, or an
            array broadcast against the kept axes.
        variance: the variance to use, with ``mean``.
        invert: apply the inverse transformation (``mean + x * sqrt(variance)``).

    Example:
        >>> import numpy as np, jnet
        >>> layer = jnet.layers.Normalization(mean=[1.0, 2.0], variance=[4.0, 1.0])
        >>> layer(np.array([[3.0, 3.0]], "float32")).tolist()
        [[1.0, 1.0]]
    """

    axis: Any = -1
    mean: Any = None
    variance: Any = None
    invert: bool = False

    KERAS_WEIGHTS: ClassVar[tuple[WeightPath, ...]] = (
        ("batch_stats", "mean"),
        ("batch_stats", "variance"),
        ("batch_stats", "count"),
    )
    SUPPORTS_MASKING = True  # Keras: supports_masking=True

    def __post_init__(self):
        _axes(self.axis)  # checks the type
        if (self.mean is None) != (self.variance is None):
            raise errors.JnetValueError(
                "Normalization: When setting values directly, both `mean` and `variance` "
                f"must be set. Received: mean={self.mean} and variance={self.variance}"
            )
        if self.mean is not None:
            if np.shape(self.mean) != np.shape(self.variance):
                raise errors.JnetValueError(
                    "Normalization: When setting values directly, `mean` and `variance` must "
                    f"have the same shape. Received: mean shape {np.shape(self.mean)} and "
                    f"variance shape {np.shape(self.variance)}"
                )
            if np.ndim(self.mean) > len(_axes(self.axis)):
                raise errors.JnetValueError(
                    "Normalization: The rank of `mean` must be less than or equal to the "
                    f"number of axes ({len(_axes(self.axis))}). Received: mean shape "
                    f"{np.shape(self.mean)} for axis {_axes(self.axis)}"
                )
        super().__post_init__()

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        """Keras's config: ``axis`` as a tuple, ``invert``, ``mean``/``variance`` as lists."""
        out = super().get_config()
        out["axis"] = _axes(self.axis)
        for key in ("mean", "variance"):
            out[key] = np.array(getattr(self, key)).tolist()
        return out

    @nn.compact
    def __call__(self, inputs, training: bool = False):
        x = cast_inputs(inputs)
        keep, shape = _kept(self.axis, x.shape)
        broadcast = tuple(x.shape[d] if d in keep else 1 for d in range(x.ndim))
        if self.mean is not None:
            mean, variance = (
                jnp.asarray(_expand(getattr(self, k), keep, x.ndim, broadcast), jnp.float32)
                for k in ("mean", "variance")
            )
        else:
            mean = self.variable("batch_stats", "mean", jnp.zeros, shape, jnp.float32).value
            variance = self.variable("batch_stats", "variance", jnp.ones, shape,
                                     jnp.float32).value
            self.variable("batch_stats", "count", jnp.zeros, (), jnp.int32)
            mean = jnp.reshape(mean, broadcast)
            variance = jnp.reshape(variance, broadcast)
        scale = jnp.maximum(jnp.sqrt(variance), jnp.float32(config.epsilon()))
        if self.invert:
            return mean + x * scale
        return (x - mean) / scale

    @nn.nowrap
    def adapt(self, data: Any) -> None:
        """Learns the mean and variance of ``data`` (Keras's ``adapt``).

        Args:
            data: a NumPy/JAX array of samples, or an iterable of batches (arrays, or
                ``(x, y)`` tuples whose ``x`` is used); batches are merged with Keras's
                running mean and variance.

        Example:
            >>> import numpy as np, jnet
            >>> layer = jnet.layers.Normalization(axis=None)
            >>> layer.adapt([np.array([0.0, 2.0], "float32"), np.array([4.0], "float32")])
            >>> [np.asarray(w).tolist() for w in layer.get_weights()]
            [2.0, 2.6666667461395264, 0]
        """
        if self.mean is not None:
            raise errors.JnetValueError(
                "Normalization: cannot adapt a layer built with `mean` and `variance`; make "
                "it without them (Normalization(axis=...)) to learn them from data."
            )
        if hasattr(data, "shape") and hasattr(data, "dtype"):
            array = np.asarray(data, np.float32)
            keep, _ = _kept(self.axis, array.shape)
            reduce = tuple(d for d in range(array.ndim) if d not in keep)
            mean, var = np.mean(array, axis=reduce), np.var(array, axis=reduce)
        elif isinstance(data, Iterable) and not isinstance(data, str | bytes):
            mean, var = self._adapt_batches(data)
        else:
            raise errors.JnetTypeError(
                f"Normalization.adapt: `data` must be an array or an iterable of batches, "
                f"received {errors.describe(data)}."
            )
        set_eager_variables(self, {"batch_stats": {
            "mean": jnp.asarray(mean, jnp.float32),
            "variance": jnp.asarray(var, jnp.float32),
            "count": jnp.zeros((), jnp.int32),
        }})

    @nn.nowrap
    def _adapt_batches(self, data: Iterable) -> tuple[np.ndarray, np.ndarray]:
        total_mean = total_var = None
        total_count = 0
        expected = None
        for batch in data:
            if isinstance(batch, tuple | list) and batch and hasattr(batch[0], "shape"):
                batch = batch[0]
            batch = np.asarray(batch, np.float32)
            keep, shape = _kept(self.axis, batch.shape)
            if expected is not None and shape != expected:
                raise errors.JnetValueError(
                    f"Normalization.adapt: a batch of shape {batch.shape} has kept axes "
                    f"{shape}, the first batch's were {expected}."
                )
            expected = shape
            reduce = tuple(d for d in range(batch.ndim) if d not in keep)
            batch_mean, batch_var = np.mean(batch, axis=reduce), np.var(batch, axis=reduce)
            count = math.prod(batch.shape[d] for d in reduce)
            if total_mean is None:
                total_mean, total_var = np.zeros(shape, np.float32), np.zeros(shape, np.float32)
            total_count += count
            w = float(count) / total_count
            new_mean = total_mean * (1.0 - w) + batch_mean * w
            total_var = (total_var + (total_mean - new_mean) ** 2) * (1.0 - w) + (
                batch_var + (batch_mean - new_mean) ** 2
            ) * w
            total_mean = new_mean
        if total_mean is None:
            raise errors.JnetValueError(
                "Normalization.adapt received an empty iterable (no batches). Expected at "
                "least one batch, e.g. layer.adapt([x])."
            )
        return total_mean, total_var


def _axes(axis: Any) -> tuple[int, ...]:
    if axis is None:
        return ()
    if isinstance(axis, int | np.integer) and not isinstance(axis, bool):
        return (int(axis),)
    if isinstance(axis, tuple | list) and all(
        isinstance(a, int | np.integer) and not isinstance(a, bool) for a in axis
    ):
        return tuple(int(a) for a in axis)
    raise errors.JnetTypeError(
        f"Normalization: axis must be an int, a tuple of ints or None, received {axis!r}."
    )


def _kept(axis: Any, shape: tuple) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The kept axes (non-negative, sorted) and the mean/variance shape for inputs of
    ``shape``, with Keras's errors."""
    ndim = len(shape)
    axes = _axes(axis)
    if any(a < -ndim or a >= ndim for a in axes):
        raise errors.JnetValueError(
            "Normalization: All `axis` values must be in the range [-ndim, ndim). Received "
            f"inputs with ndim={ndim}, while axis={axes}"
        )
    keep = tuple(sorted(a % ndim for a in axes))
    for d in keep:
        if shape[d] is None:
            raise errors.JnetValueError(
                f"Normalization: All `axis` values to be kept must have a known shape. "
                f"Received axis={axes}, inputs.shape={tuple(shape)}, with unknown axis at "
                f"index {d}"
            )
    return keep, tuple(shape[d] for d in keep)


def _expand(value: Any, keep: tuple[int, ...], ndim: int, broadcast: tuple) -> np.ndarray:
    """A given mean/variance aligned with the kept axes (its last axes with the last kept
    ones) and broadcast to ``broadcast``, as Keras's ``build``."""
    value = np.asarray(value, np.float32)
    expanded = [1] * ndim
    for i in range(1, value.ndim + 1):
        expanded[keep[-i]] = value.shape[-i]
    return np.broadcast_to(value.reshape(expanded), broadcast)
