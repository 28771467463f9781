"""Pooling layers: windowed max/average and global max/average, 1D and 2D (3D in
:mod:`jnet.layers.pooling3d`, on the same bases).

Windowed pooling follows Keras on TensorFlow (``tf.nn.max_pool``/``tf.nn.avg_pool``):
``strides=None`` means ``pool_size``; ``padding='same'`` pads ``max((ceil(n/s)-1)*s + k - n, 0)``
with the smaller half before; average pooling with ``'same'`` divides each window by the number
of *input* elements it covers (padding is not counted), as TF does. ``channels_first`` inputs
are transposed to channels_last and back.

Keras 1/2 names are aliases bound to the same classes (``MaxPool2D is MaxPooling2D``).

Example:
    >>> import jax.numpy as jnp, jnet
    >>> x = jnp.arange(16.0).reshape(1, 4, 4, 1)
    >>> jnet.layers.MaxPooling2D().apply({}, x)[0, ..., 0]
    Array([[ 5.,  7.],
           [13., 15.]], dtype=float32)
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import flax.linen as nn
import jax.numpy as jnp
import numpy as np
from jax import lax

from jnet import errors
from jnet.layers import _fast_pool
from jnet.layers.base import Layer, cast_inputs

__all__ = [
    "AveragePooling1D",
    "AveragePooling2D",
    "AvgPool1D",
    "AvgPool2D",
    "GlobalAveragePooling1D",
    "GlobalAveragePooling2D",
    "GlobalAvgPool1D",
    "GlobalAvgPool2D",
    "GlobalMaxPool1D",
    "GlobalMaxPool2D",
    "GlobalMaxPooling1D",
    "GlobalMaxPooling2D",
    "MaxPool1D",
    "MaxPool2D",
    "MaxPooling1D",
    "MaxPooling2D",
]

_PADDINGS = ("valid", "same")
_DATA_FORMATS = ("channels_last", "channels_first")
_AXES_NAMES = {
    (1, "channels_last"): "(batch, steps, features)",
    (1, "channels_first"): "(batch, features, steps)",
    (2, "channels_last"): "(batch, height, width, channels)",
    (2, "channels_first"): "(batch, channels, height, width)",
    (3, "channels_last"): "(batch, depth, height, width, channels)",
    (3, "channels_first"): "(batch, channels, depth, height, width)",
}


# -- argument checks (shared by the pooling layers) ---------------------------------------------


def _tuple(value: Any, n: int, argument: str, owner: str) -> tuple[int, ...]:
    """``int -> (int,) * n``; a sequence of ``n`` positive integers stays as a tuple."""
    expected = "a positive integer" if n == 1 else f"a positive integer or a tuple of {n} "
    if n > 1:
        expected += "positive integers"

    def ok(v: Any) -> bool:
        return isinstance(v, int | np.integer) and not isinstance(v, bool) and v > 0

    if ok(value):
        return (int(value),) * n
    if isinstance(value, list | tuple) and len(value) == n and all(ok(v) for v in value):
        return tuple(int(v) for v in value)
    raise errors.JnetValueError(f"{owner}: {argument} must be {expected}, received {value!r}.")


def _padding(value: Any, owner: str) -> str:
    """Keras's padding choice, case-insensitive: 'valid' or 'same'."""
    if isinstance(value, str) and value.lower() in _PADDINGS:
        return value.lower()
    raise errors.JnetValueError(
        f"{owner}: padding must be one of 'valid', 'same' (case-insensitive), received "
        f"{value!r}."
    )


def _data_format(value: Any, owner: str) -> str:
    """``None`` (Keras's default image_data_format, 'channels_last') or one of the two."""
    if value is None:
        return "channels_last"
    if isinstance(value, str) and value.lower() in _DATA_FORMATS:
        return value.lower()
    raise errors.JnetValueError(
        f"{owner}: data_format must be one of 'channels_last', 'channels_first' (or None for "
        f"'channels_last'), received {value!r}."
    )


def _check_rank(inputs: jnp.ndarray, spatial: int, data_format: str, owner: str) -> None:
    rank = spatial + 2
    if inputs.ndim == rank:
        return
    shape = tuple(inputs.shape)
    message = (
        f"{owner} expects inputs of rank {rank} {_AXES_NAMES[spatial, data_format]}, "
        f"received shape {shape}."
    )
    if inputs.ndim == rank - 1 and data_format == "channels_last":
        message += (
            f" Add a channel axis: x[..., None] or Reshape({(*shape[1:], 1)})."
        )
    raise errors.JnetValueError(message)


def _to_channels_last(x: jnp.ndarray, data_format: str) -> jnp.ndarray:
    if data_format == "channels_first":
        return jnp.transpose(x, (0, *range(2, x.ndim), 1))
    return x


def _from_channels_last(x: jnp.ndarray, data_format: str) -> jnp.ndarray:
    if data_format == "channels_first":
        return jnp.transpose(x, (0, x.ndim - 1, *range(1, x.ndim - 1)))
    return x


def _same_pads(n: int, k: int, s: int) -> tuple[int, int]:
    """TF's 'SAME' padding of one axis: total split with the smaller half before."""
    total = max((-(-n // s) - 1) * s + k - n, 0)
    return total // 2, total - total // 2


def _window_counts(spatial: tuple[int, ...], window, strides, padding: str) -> np.ndarray:
    """How many input elements each output window covers (padding excluded), per axis."""
    counts = np.ones((), np.float32)
    for n, k, s in zip(spatial, window, strides, strict=True):
        lo = _same_pads(n, k, s)[0] if padding == "same" else 0
        out = -(-n // s) if padding == "same" else (n - k) // s + 1
        start = np.arange(out) * s - lo
        axis = (np.minimum(start + k, n) - np.maximum(start, 0)).astype(np.float32)
        counts = np.multiply.outer(counts, axis)
    return counts


# -- windowed pooling ---------------------------------------------------------------------------


class _Pooling(Layer):
    """Shared logic of Max/AveragePooling{1,2}D (fields are declared by each subclass)."""

    _SPATIAL: ClassVar[int] = 2
    _MODE: ClassVar[str] = "max"

    def __post_init__(self):
        owner = type(self).__name__
        _tuple(self.pool_size, self._SPATIAL, "pool_size", owner)
        if self.strides is not None:
            _tuple(self.strides, self._SPATIAL, "strides", owner)
        _padding(self.padding, owner)
        _data_format(self.data_format, owner)
        super().__post_init__()

    @nn.nowrap
    def _arguments(self):
        owner = type(self).__name__
        pool = _tuple(self.pool_size, self._SPATIAL, "pool_size", owner)
        strides = pool if self.strides is None else _tuple(
            self.strides, self._SPATIAL, "strides", owner
        )
        return pool, strides, _padding(self.padding, owner), _data_format(self.data_format, owner)

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        """Keras's config: ``pool_size``/``strides`` as tuples, resolved ``data_format``."""
        pool, strides, _, data_format = self._arguments()
        config = super().get_config()
        config.update(pool_size=pool, strides=strides, data_format=data_format)
        return config

    @nn.nowrap
    def compute_output_shape(self, input_shape: tuple) -> tuple:
        """Each spatial axis ``ceil(n / s)`` ('same') or ``(n - k) // s + 1`` ('valid')."""
        pool, strides, padding, data_format = self._arguments()
        out = list(input_shape)
        start = 1 if data_format == "channels_last" else 2
        for i, (k, s) in enumerate(zip(pool, strides, strict=True)):
            n = out[start + i]
            if n is not None:
                out[start + i] = -(-n // s) if padding == "same" else (n - k) // s + 1
        return tuple(out)

    def __call__(self, inputs, training: bool = False):
        owner = type(self).__name__
        pool, strides, padding, data_format = self._arguments()
        inputs = cast_inputs(inputs)
        _check_rank(inputs, self._SPATIAL, data_format, owner)
        x = _to_channels_last(inputs, data_format)
        spatial = tuple(x.shape[1:-1])
        if padding == "valid":
            for n, k in zip(spatial, pool, strict=True):
                if n < k:
                    raise errors.JnetValueError(
                        f"{owner}: inputs of shape {tuple(inputs.shape)} are smaller than "
                        f"pool_size={pool} with padding='valid', so the output would be empty. "
                        f"Use padding='same' or a smaller pool_size."
                    )
            pads = [(0, 0)] * len(spatial)
        else:
            pads = [_same_pads(n, k, s) for n, k, s in zip(spatial, pool, strides, strict=True)]
        if _fast_pool.tiles(strides, pool, padding):
            # Windows that tile the input (Keras's default strides): a reshape and a reduction,
            # whose gradients XLA:CPU runs far faster than reduce_window's (see _fast_pool).
            if self._MODE == "max":
                out = _fast_pool.max_pool(x, tuple(pool))
            else:
                out = jnp.mean(_fast_pool.windows(x, tuple(pool)),
                               axis=_fast_pool.window_axes(len(pool)))
            return _from_channels_last(out, data_format)
        dims = (1, *pool, 1)
        steps = (1, *strides, 1)
        pads = [(0, 0), *pads, (0, 0)]
        if self._MODE == "max":
            # numpy scalars: concrete under jit, so JAX picks its differentiable max/sum
            # windows (a jnp constant becomes a tracer and breaks reverse-mode autodiff).
            init = np.array(-np.inf, x.dtype)
            out = lax.reduce_window(x, init, lax.max, dims, steps, pads)
        else:
            zero = np.array(0, x.dtype)
            total = lax.reduce_window(x, zero, lax.add, dims, steps, pads)
            if padding == "valid":
                out = total / jnp.asarray(math.prod(pool), x.dtype)
            else:
                counts = _window_counts(spatial, pool, strides, padding)
                out = total / jnp.asarray(counts.reshape((1, *counts.shape, 1)), x.dtype)
        return _from_channels_last(out, data_format)


class MaxPooling1D(_Pooling):
    """Max pooling over the steps of temporal data (Keras's ``MaxPooling1D``).

    Output length: ``floor((steps - pool_size) / strides) + 1`` with ``'valid'``,
    ``ceil(steps / strides)`` with ``'same'``.

    Args:
        pool_size: positive integer (or a 1-tuple), the window length. Default 2.
        strides: positive integer, or None (default) for ``pool_size``.
        padding: ``'valid'`` (default, no padding) or ``'same'`` (case-insensitive).
        data_format: ``'channels_last'`` (``(batch, steps, features)``), ``'channels_first'``
            (``(batch, features, steps)``) or None (default) for ``'channels_last'``.

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> x = jnp.array([1.0, 3.0, 2.0, 5.0, 4.0]).reshape(1, 5, 1)
        >>> jnet.layers.MaxPooling1D(2, strides=1).apply({}, x)[0, :, 0]
        Array([3., 3., 5., 5.], dtype=float32)
    """

    pool_size: Any = 2
    strides: Any = None
    padding: str = "valid"
    data_format: Any = None

    _SPATIAL: ClassVar[int] = 1
    _MODE: ClassVar[str] = "max"


class MaxPooling2D(_Pooling):
    """Max pooling over height and width (Keras's ``MaxPooling2D``).

    Args:
        pool_size: positive integer or tuple of 2, the window size. Default ``(2, 2)``.
        strides: positive integer or tuple of 2, or None (default) for ``pool_size``.
        padding: ``'valid'`` (default, no padding) or ``'same'`` (case-insensitive).
        data_format: ``'channels_last'`` (``(batch, height, width, channels)``),
            ``'channels_first'`` (``(batch, channels, height, width)``) or None (default) for
            ``'channels_last'``.

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> x = jnp.arange(9.0).reshape(1, 3, 3, 1)
        >>> jnet.layers.MaxPooling2D((2, 2), strides=1, padding="same").apply({}, x)[0, ..., 0]
        Array([[4., 5., 5.],
               [7., 8., 8.],
               [7., 8., 8.]], dtype=float32)
    """

    pool_size: Any = (2, 2)
    strides: Any = None
    padding: str = "valid"
    data_format: Any = None

    _SPATIAL: ClassVar[int] = 2
    _MODE: ClassVar[str] = "max"


class AveragePooling1D(_Pooling):
    """Average pooling over the steps of temporal data (Keras's ``AveragePooling1D``).

    With ``padding='same'`` each window is divided by the number of input elements it covers,
    as TensorFlow does (padding is not averaged in).

    Args:
        pool_size: positive integer (or a 1-tuple), the window length (required, as in Keras).
        strides: positive integer, or None (default) for ``pool_size``.
        padding: ``'valid'`` (default) or ``'same'`` (case-insensitive).
        data_format: ``'channels_last'``, ``'channels_first'`` or None (default,
            ``'channels_last'``).

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> x = jnp.array([1.0, 2.0, 3.0, 4.0, 5.0]).reshape(1, 5, 1)
        >>> jnet.layers.AveragePooling1D(2, padding="same").apply({}, x)[0, :, 0]
        Array([1.5, 3.5, 5. ], dtype=float32)
    """

    pool_size: Any
    strides: Any = None
    padding: str = "valid"
    data_format: Any = None

    _SPATIAL: ClassVar[int] = 1
    _MODE: ClassVar[str] = "average"


class AveragePooling2D(_Pooling):
    """Average pooling over height and width (Keras's ``AveragePooling2D``).

    With ``padding='same'`` each window is divided by the number of input elements it covers,
    as TensorFlow does (padding is not averaged in).

    Args:
        pool_size: positive integer or tuple of 2, the window size (required, as in Keras).
        strides: positive integer or tuple of 2, or None (default) for ``pool_size``.
        padding: ``'valid'`` (default) or ``'same'`` (case-insensitive).
        data_format: ``'channels_last'``, ``'channels_first'`` or None (default,
            ``'channels_last'``).

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> x = jnp.arange(9.0).reshape(1, 3, 3, 1)
        >>> jnet.layers.AveragePooling2D(2, padding="same").apply({}, x)[0, ..., 0]
        Array([[2. , 3.5],
               [6.5, 8. ]], dtype=float32)
    """

    pool_size: Any
    strides: Any = None
    padding: str = "valid"
    data_format: Any = None

    _SPATIAL: ClassVar[int] = 2
    _MODE: ClassVar[str] = "average"


# -- global pooling -----------------------------------------------------------------------------


class _GlobalPooling(Layer):
    """Shared logic of Global{Max,Average}Pooling{1,2}D."""

    data_format: Any = None
    keepdims: bool = False

    _SPATIAL: ClassVar[int] = 2

    def __post_init__(self):
        _data_format(self.data_format, type(self).__name__)
        if not isinstance(self.keepdims, bool | np.bool_):
            raise errors.JnetValueError(
                f"{type(self).__name__}: keepdims must be True or False, received "
                f"{self.keepdims!r}."
            )
        super().__post_init__()

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        """Keras's config, with ``data_format`` resolved."""
        config = super().get_config()
        config["data_format"] = _data_format(self.data_format, type(self).__name__)
        return config

    @nn.nowrap
    def compute_output_shape(self, input_shape: tuple) -> tuple:
        """The spatial axes removed (or kept with length 1 under ``keepdims``)."""
        data_format = _data_format(self.data_format, type(self).__name__)
        start = 1 if data_format == "channels_last" else 2
        spatial = range(start, start + self._SPATIAL)
        if self.keepdims:
            return tuple(1 if i in spatial else d for i, d in enumerate(input_shape))
        return tuple(d for i, d in enumerate(input_shape) if i not in spatial)

    @nn.nowrap
    def _prepare(self, inputs):
        data_format = _data_format(self.data_format, type(self).__name__)
        inputs = cast_inputs(inputs)
        _check_rank(inputs, self._SPATIAL, data_format, type(self).__name__)
        start = 1 if data_format == "channels_last" else 2
        return inputs, tuple(range(start, start + self._SPATIAL))


class GlobalMaxPooling1D(_GlobalPooling):
    """Maximum over the steps axis (Keras's ``GlobalMaxPooling1D``).

    Args:
        data_format: ``'channels_last'`` (``(batch, steps, features)``), ``'channels_first'``
            (``(batch, features, steps)``) or None (default, ``'channels_last'``).
        keepdims: keep the steps axis with length 1. Default False.

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> x = jnp.array([[[1.0, 6.0], [4.0, 2.0]]])
        >>> jnet.layers.GlobalMaxPooling1D().apply({}, x)
        Array([[4., 6.]], dtype=float32)
    """

    _SPATIAL: ClassVar[int] = 1

    def __call__(self, inputs, training: bool = False):
        inputs, axes = self._prepare(inputs)
        return jnp.max(inputs, axis=axes, keepdims=self.keepdims)


class GlobalMaxPooling2D(_GlobalPooling):
    """Maximum over height and width (Keras's ``GlobalMaxPooling2D``).

    Args:
        data_format: ``'channels_last'``, ``'channels_first'`` or None (default,
            ``'channels_last'``).
        keepdims: keep the spatial axes with length 1. Default False.

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> x = jnp.arange(8.0).reshape(1, 2, 2, 2)
        >>> jnet.layers.GlobalMaxPooling2D(keepdims=True).apply({}, x).shape
        (1, 1, 1, 2)
    """

    _SPATIAL: ClassVar[int] = 2

    def __call__(self, inputs, training: bool = False):
        inputs, axes = self._prepare(inputs)
        return jnp.max(inputs, axis=axes, keepdims=self.keepdims)


class GlobalAveragePooling1D(_GlobalPooling):
    """Mean over the steps axis (Keras's ``GlobalAveragePooling1D``), optionally masked.

    Args:
        data_format: ``'channels_last'`` (``(batch, steps, features)``), ``'channels_first'``
            (``(batch, features, steps)``) or None (default, ``'channels_last'``).
        keepdims: keep the steps axis with length 1. Default False.

    Call arguments:
        inputs: a rank-3 array.
        mask: optional boolean ``(batch, steps)`` array (keyword-only); masked steps
            (False) are left out of the mean, as in Keras. A row with every step masked gives
            NaN, as in Keras (0 / 0).

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> x = jnp.array([[[1.0], [3.0], [8.0]]])
        >>> layer = jnet.layers.GlobalAveragePooling1D()
        >>> layer.apply({}, x), layer.apply({}, x, mask=jnp.array([[True, True, False]]))
        (Array([[4.]], dtype=float32), Array([[2.]], dtype=float32))
    """

    _SPATIAL: ClassVar[int] = 1
    ACCEPTS_MASK = True  # a Sequential passes Embedding(mask_zero=True)'s mask

    def __call__(self, inputs, training: bool = False, *, mask=None):
        inputs, axes = self._prepare(inputs)
        if mask is None:
            return jnp.mean(inputs, axis=axes, keepdims=self.keepdims)
        mask = jnp.asarray(mask)
        steps_axis = axes[0]
        expected = (inputs.shape[0], inputs.shape[steps_axis])
        if mask.ndim != 2 or (mask.shape[1] != expected[1]) or (
            mask.shape[0] not in (1, expected[0])
        ):
            raise errors.JnetValueError(
                f"GlobalAveragePooling1D: mask must have shape (batch, steps) = {expected} for "
                f"inputs of shape {tuple(inputs.shape)}, received shape {tuple(mask.shape)}."
            )
        mask = jnp.expand_dims(mask.astype(jnp.bool_), 2 if steps_axis == 1 else 1)
        mask = jnp.broadcast_to(mask, inputs.shape)
        summed = jnp.sum(jnp.where(mask, inputs, 0.0), axis=axes, keepdims=self.keepdims)
        count = jnp.sum(mask.astype(inputs.dtype), axis=axes, keepdims=self.keepdims)
        return summed / count


class GlobalAveragePooling2D(_GlobalPooling):
    """Mean over height and width (Keras's ``GlobalAveragePooling2D``).

    Args:
        data_format: ``'channels_last'``, ``'channels_first'`` or None (default,
            ``'channels_last'``).
        keepdims: keep the spatial axes with length 1. Default False.

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> x = jnp.arange(8.0).reshape(1, 2, 2, 2)
        >>> jnet.layers.GlobalAveragePooling2D().apply({}, x)
        Array([[3., 4.]], dtype=float32)
    """

    _SPATIAL: ClassVar[int] = 2

    def __call__(self, inputs, training: bool = False):
        inputs, axes = self._prepare(inputs)
        return jnp.mean(inputs, axis=axes, keepdims=self.keepdims)


# Keras 1/2 names: the same classes (Keras exports both names for one class).
MaxPool1D = MaxPooling1D
MaxPool2D = MaxPooling2D
AvgPool1D = AveragePooling1D
AvgPool2D = AveragePooling2D
GlobalMaxPool1D = GlobalMaxPooling1D
GlobalMaxPool2D = GlobalMaxPooling2D
GlobalAvgPool1D = GlobalAveragePooling1D
GlobalAvgPool2D = GlobalAveragePooling2D
