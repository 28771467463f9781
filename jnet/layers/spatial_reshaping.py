"""UpSampling, ZeroPadding and Cropping (1D, 2D, 3D): grow or shrink the spatial axes.

Keras's layers of ``layers/reshaping/``: ``UpSamplingND`` repeats each step (``UpSampling2D``
may interpolate instead: ``'bilinear'``, ``'bicubic'``, ``'lanczos3'``, ``'lanczos5'``, as
``keras.ops.image.resize`` without antialiasing), ``ZeroPaddingND`` adds zeros at both ends of
each spatial axis and ``CroppingND`` removes steps from both ends. None has weights. The input
dtype is kept (UpSampling2D with interpolation gives float32).

Arguments follow Keras: an integer applies to every axis and both ends; a tuple gives one
entry per spatial axis, each an integer (both ends) or a pair ``(before, after)``.

Example:
    >>> import jax.numpy as jnp, jnet
    >>> x = jnp.arange(4.0).reshape(1, 2, 2, 1)
    >>> jnet.layers.UpSampling2D(2).apply({}, x)[0, ..., 0]
    Array([[0., 0., 1., 1.],
           [0., 0., 1., 1.],
           [2., 2., 3., 3.],
           [2., 2., 3., 3.]], dtype=float32)
    >>> jnet.layers.ZeroPadding1D(1).apply({}, jnp.ones((1, 2, 1)))[0, :, 0]
    Array([0., 1., 1., 0.], dtype=float32)
"""

from __future__ import annotations

from typing import Any, ClassVar

import flax.linen as nn
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet.layers.base import Layer, cast_inputs
from jnet.layers.reshaping import _data_format  # one rule and message for reshaping layers
from jnet.ops import image as ops_image

__all__ = [
    "Cropping1D",
    "Cropping2D",
    "Cropping3D",
    "UpSampling1D",
    "UpSampling2D",
    "UpSampling3D",
    "ZeroPadding1D",
    "ZeroPadding2D",
    "ZeroPadding3D",
]

_INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5")
_LAYOUTS = {
    1: "(batch, steps, features)",
    2: "(batch, height, width, channels)",
    3: "(batch, depth, height, width, channels)",
}


def _int(v: Any, minimum: int) -> bool:
    return isinstance(v, int | np.integer) and not isinstance(v, bool) and v >= minimum


def _sizes(value: Any, n: int, argument: str, owner: str) -> tuple[int, ...]:
    """A positive integer (every axis) or a tuple of ``n`` positive integers."""
    if _int(value, 1):
        return (int(value),) * n
    if isinstance(value, list | tuple) and len(value) == n and all(_int(v, 1) for v in value):
        return tuple(int(v) for v in value)
    expected = "a positive integer" + (f" or a tuple of {n} positive integers" if n > 1 else "")
    raise errors.JnetValueError(f"{owner}: {argument} must be {expected}, received {value!r}.")


def _pairs(value: Any, n: int, argument: str, owner: str) -> tuple[tuple[int, int], ...]:
    """Keras's padding/cropping: ``int``, ``n`` ints, or ``n`` pairs ``(before, after)``
    (for ``n == 1``: an int or one pair), every entry a non-negative integer."""
    def pair(v: Any) -> tuple[int, int] | None:
        if _int(v, 0):
            return int(v), int(v)
        if isinstance(v, list | tuple) and len(v) == 2 and all(_int(e, 0) for e in v):
            return int(v[0]), int(v[1])
        return None

    if n == 1:
        result = pair(value)
        if result is not None:
            return (result,)
    elif _int(value, 0):
        return ((int(value),) * 2,) * n
    elif isinstance(value, list | tuple) and len(value) == n:
        pairs = [pair(v) for v in value]
        if all(p is not None for p in pairs):
            return tuple(pairs)  # type: ignore[arg-type]
    if n == 1:
        expected = "a non-negative integer or a tuple of 2 (before, after)"
    else:
        expected = (f"a non-negative integer, a tuple of {n} non-negative integers, or a tuple "
                    f"of {n} pairs (before, after)")
    raise errors.JnetValueError(f"{owner}: {argument} must be {expected}, received {value!r}.")


def _check_rank(x: Any, spatial: int, owner: str) -> None:
    if x.ndim != spatial + 2:
        raise errors.JnetValueError(
            f"{owner} expects inputs of rank {spatial + 2} {_LAYOUTS[spatial]} (channels "
            f"first with data_format='channels_first'), received shape {tuple(x.shape)}."
        )


def _spatial_axes(spatial: int, data_format: str) -> tuple[int, ...]:
    start = 1 if data_format == "channels_last" else 2
    return tuple(range(start, start + spatial))


def _tf_bicubic_matrix(n: int, out: int) -> np.ndarray:
    """``(out, n)`` float32 weights of TensorFlow's ``resize_bicubic(half_pixel_centers=True)``
    (what ``tf.image.resize(method='bicubic')`` runs): Keys' cubic (a = -0.5) read from a
    1024-entry table, taps outside the input dropped and the rest renormalized."""
    table_size, a = 1024, -0.5
    x0 = (np.arange(table_size + 1) / table_size).astype(np.float32)
    near = ((a + 2) * x0 - (a + 3)) * x0 * x0 + 1
    x1 = x0 + 1.0
    far = ((a * x1 - 5 * a) * x1 + 8 * a) * x1 - 4 * a
    scale = np.float32(n / out)
    matrix = np.zeros((out, n), np.float64)
    for o in range(out):
        source = np.float32((o + 0.5) * scale - 0.5)
        start = int(np.floor(source))
        offset = int(np.rint((source - start) * table_size))
        weights = (far[offset], near[offset], near[table_size - offset],
                   far[table_size - offset])
        for tap, weight in zip(range(start - 1, start + 3), weights, strict=True):
            if 0 <= tap < n:
                matrix[o, tap] += weight
        matrix[o] /= matrix[o].sum()
    return matrix.astype(np.float32)


# -- up-sampling --------------------------------------------------------------------------------


class _UpSampling(Layer):
    _SPATIAL: ClassVar[int] = 2

    @nn.nowrap
    def _resolved(self) -> tuple[tuple[int, ...], str]:
        owner = type(self).__name__
        fmt = _data_format(getattr(self, "data_format", None), owner)
        if self._SPATIAL == 1:
            if not _int(self.size, 1):
                raise errors.JnetValueError(
                    f"UpSampling1D: size must be a positive integer, received {self.size!r}."
                )
            return (int(self.size),), fmt
        return _sizes(self.size, self._SPATIAL, "size", owner), fmt

    def __post_init__(self):
        self._resolved()
        super().__post_init__()

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        """Keras's config: ``size`` as a tuple (an int for 1D), resolved ``data_format``."""
        sizes, fmt = self._resolved()
        config = super().get_config()
        config["size"] = sizes[0] if self._SPATIAL == 1 else sizes
        if self._SPATIAL > 1:
            config["data_format"] = fmt
        return config

    @nn.nowrap
    def compute_output_shape(self, input_shape: tuple) -> tuple:
        """Each spatial axis times its factor (None stays None)."""
        sizes, fmt = self._resolved()
        out = list(input_shape)
        for axis, k in zip(_spatial_axes(self._SPATIAL, fmt), sizes, strict=True):
            out[axis] = None if out[axis] is None else out[axis] * k
        return tuple(out)

    def __call__(self, inputs, training: bool = False):
        sizes, fmt = self._resolved()
        x = jnp.asarray(inputs)
        _check_rank(x, self._SPATIAL, type(self).__name__)
        for axis, k in zip(_spatial_axes(self._SPATIAL, fmt), sizes, strict=True):
            x = jnp.repeat(x, k, axis=axis)
        return x


class UpSampling1D(_UpSampling):
    """Repeats each step ``size`` times along the steps axis (Keras's ``UpSampling1D``).

    Args:
        size: positive integer, the repetition factor. Default 2.

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> jnet.layers.UpSampling1D(3).apply({}, jnp.array([[[1.0], [2.0]]]))[0, :, 0]
        Array([1., 1., 1., 2., 2., 2.], dtype=float32)
    """

    size: Any = 2

    _SPATIAL: ClassVar[int] = 1


class UpSampling2D(_UpSampling):
    """Upsamples height and width by ``size`` (Keras's ``UpSampling2D``).

    Args:
        size: positive integer or tuple of 2 ``(height_factor, width_factor)``. Default
            ``(2, 2)``.
        data_format: ``'channels_last'``, ``'channels_first'`` or None (default,
            ``'channels_last'``).
        interpolation: ``'nearest'`` (default: each pixel repeated), ``'bilinear'``,
            ``'bicubic'``, ``'lanczos3'`` or ``'lanczos5'`` (case-insensitive), as
            ``keras.ops.image.resize`` with half-pixel centres and no antialiasing.

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> x = jnp.array([0.0, 4.0]).reshape(1, 1, 2, 1)
        >>> jnet.layers.UpSampling2D((1, 2), interpolation="bilinear").apply({}, x)[0, 0, :, 0]
        Array([0., 1., 3., 4.], dtype=float32)
    """

    size: Any = (2, 2)
    data_format: Any = None
    interpolation: str = "nearest"

    _SPATIAL: ClassVar[int] = 2

    def __post_init__(self):
        self._interpolation()
        super().__post_init__()

    @nn.nowrap
    def _interpolation(self) -> str:
        value = self.interpolation
        if isinstance(value, str) and value.lower() in _INTERPOLATIONS:
            return value.lower()
        raise errors.JnetValueError(
            f"UpSampling2D: interpolation must be one of {', '.join(map(repr, _INTERPOLATIONS))}"
            f" (case-insensitive), received {value!r}."
        )

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        """Keras's config: ``size`` as a tuple, resolved ``data_format``, lower-case
        ``interpolation``."""
        config = super().get_config()
        config["interpolation"] = self._interpolation()
        return config

    def __call__(self, inputs, training: bool = False):
        method = self._interpolation()
        if method == "nearest":
            return super().__call__(inputs, training)
        sizes, fmt = self._resolved()
        x = cast_inputs(inputs)
        _check_rank(x, 2, "UpSampling2D")
        h_axis, w_axis = _spatial_axes(2, fmt)
        h, w = x.shape[h_axis], x.shape[w_axis]
        if method == "bicubic":
            # TensorFlow's bicubic differs from jax.image.resize's by ~1e-3 (a coefficient
            # table): interpolate each axis with a matrix of TF's weights.
            for axis, n, k in ((h_axis, h, sizes[0]), (w_axis, w, sizes[1])):
                matrix = jnp.asarray(_tf_bicubic_matrix(n, n * k))
                x = jnp.moveaxis(jnp.tensordot(x, matrix, axes=((axis,), (1,))), -1, axis)
            return x
        return ops_image.resize(x, (h * sizes[0], w * sizes[1]), interpolation=method,
                                data_format=fmt)


class UpSampling3D(_UpSampling):
    """Repeats each step of depth, height and width ``size`` times (Keras's
    ``UpSampling3D``).

    Args:
        size: positive integer or tuple of 3. Default ``(2, 2, 2)``.
        data_format: ``'channels_last'``, ``'channels_first'`` or None (default,
            ``'channels_last'``).

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> jnet.layers.UpSampling3D((1, 2, 3)).apply({}, jnp.ones((1, 2, 2, 2, 4))).shape
        (1, 2, 4, 6, 4)
    """

    size: Any = (2, 2, 2)
    data_format: Any = None

    _SPATIAL: ClassVar[int] = 3


# -- zero padding and cropping ------------------------------------------------------------------


class _PadOrCrop(Layer):
    """Shared logic: ``_pairs()`` of (before, after) per spatial axis; 1D has no
    data_format for cropping (Keras's Cropping1D takes none)."""

    _SPATIAL: ClassVar[int] = 2
    _ARGUMENT: ClassVar[str] = "padding"

    @nn.nowrap
    def _resolved(self) -> tuple[tuple[tuple[int, int], ...], str]:
        owner = type(self).__name__
        fmt = _data_format(getattr(self, "data_format", None), owner)
        value = getattr(self, self._ARGUMENT)
        return _pairs(value, self._SPATIAL, self._ARGUMENT, owner), fmt

    def __post_init__(self):
        self._resolved()
        super().__post_init__()

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        """Keras's config: the pairs as tuples (one pair for 1D), resolved ``data_format``."""
        pairs, fmt = self._resolved()
        config = super().get_config()
        config[self._ARGUMENT] = pairs[0] if self._SPATIAL == 1 else pairs
        if "data_format" in config:
            config["data_format"] = fmt
        return config

    @nn.nowrap
    def compute_output_shape(self, input_shape: tuple) -> tuple:
        """Each spatial axis grown (padding) or shrunk (cropping) by its pair's sum."""
        pairs, fmt = self._resolved()
        sign = 1 if self._ARGUMENT == "padding" else -1
        out = list(input_shape)
        for axis, (lo, hi) in zip(_spatial_axes(self._SPATIAL, fmt), pairs, strict=True):
            if out[axis] is not None:
                out[axis] = out[axis] + sign * (lo + hi)
                if out[axis] <= 0:
                    self._too_much(tuple(input_shape))
        return tuple(out)

    @nn.nowrap
    def _too_much(self, shape: tuple) -> None:
        pairs, _ = self._resolved()
        raise errors.JnetValueError(
            f"{type(self).__name__}: cropping={pairs} removes every step of a spatial axis of "
            f"inputs of shape {shape}; each axis's (before + after) must be smaller than its "
            f"size. Crop less or feed larger inputs."
        )

    def __call__(self, inputs, training: bool = False):
        pairs, fmt = self._resolved()
        x = jnp.asarray(inputs)
        _check_rank(x, self._SPATIAL, type(self).__name__)
        axes = _spatial_axes(self._SPATIAL, fmt)
        if self._ARGUMENT == "padding":
            widths = [(0, 0)] * x.ndim
            for axis, pair in zip(axes, pairs, strict=True):
                widths[axis] = pair
            return jnp.pad(x, widths)
        index: list[Any] = [slice(None)] * x.ndim
        for axis, (lo, hi) in zip(axes, pairs, strict=True):
            if lo + hi >= x.shape[axis]:
                self._too_much(tuple(x.shape))
            index[axis] = slice(lo, x.shape[axis] - hi)
        return x[tuple(index)]


class ZeroPadding1D(_PadOrCrop):
    """Adds zeros at the start and end of the steps axis (Keras's ``ZeroPadding1D``).

    Args:
        padding: non-negative integer (both ends) or a tuple ``(before, after)``. Default 1.
        data_format: ``'channels_last'`` (``(batch, steps, features)``), ``'channels_first'``
            or None (default, ``'channels_last'``).

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> jnet.layers.ZeroPadding1D((0, 2)).apply({}, jnp.ones((1, 2, 1)))[0, :, 0]
        Array([1., 1., 0., 0.], dtype=float32)
    """

    padding: Any = 1
    data_format: Any = None

    _SPATIAL: ClassVar[int] = 1


class ZeroPadding2D(_PadOrCrop):
    """Adds rows and columns of zeros around images (Keras's ``ZeroPadding2D``).

    Args:
        padding: non-negative integer (all sides), a tuple of 2 integers (symmetric height and
            width padding), or ``((top, bottom), (left, right))``. Default ``(1, 1)``.
        data_format: ``'channels_last'``, ``'channels_first'`` or None (default,
            ``'channels_last'``).

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> jnet.layers.ZeroPadding2D(((1, 0), (0, 2))).apply({}, jnp.ones((1, 2, 2, 3))).shape
        (1, 3, 4, 3)
    """

    padding: Any = (1, 1)
    data_format: Any = None

    _SPATIAL: ClassVar[int] = 2


class ZeroPadding3D(_PadOrCrop):
    """Adds zeros around volumes (Keras's ``ZeroPadding3D``).

    Args:
        padding: non-negative integer, a tuple of 3 integers, or 3 pairs ``(before, after)``
            for depth, height and width. Default ``((1, 1), (1, 1), (1, 1))``.
        data_format: ``'channels_last'``, ``'channels_first'`` or None (default,
            ``'channels_last'``).

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> jnet.layers.ZeroPadding3D().apply({}, jnp.ones((1, 2, 2, 2, 1))).shape
        (1, 4, 4, 4, 1)
    """

    padding: Any = ((1, 1), (1, 1), (1, 1))
    data_format: Any = None

    _SPATIAL: ClassVar[int] = 3


class Cropping1D(_PadOrCrop):
    """Removes steps at the start and end of the steps axis (Keras's ``Cropping1D``).

    Args:
        cropping: non-negative integer (both ends) or a tuple ``(before, after)``. Default
            ``(1, 1)``. Inputs are ``(batch, steps, features)``.

    Raises:
        JnetValueError: when called on inputs with no more steps than ``before + after``.

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> jnet.layers.Cropping1D((1, 2)).apply({}, jnp.arange(5.0).reshape(1, 5, 1))[0, :, 0]
        Array([1., 2.], dtype=float32)
    """

    cropping: Any = (1, 1)

    _SPATIAL: ClassVar[int] = 1
    _ARGUMENT: ClassVar[str] = "cropping"


class Cropping2D(_PadOrCrop):
    """Crops rows and columns off images (Keras's ``Cropping2D``).

    Args:
        cropping: non-negative integer (all sides), a tuple of 2 integers (symmetric height and
            width cropping), or ``((top, bottom), (left, right))``. Default
            ``((0, 0), (0, 0))``.
        data_format: ``'channels_last'``, ``'channels_first'`` or None (default,
            ``'channels_last'``).

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> jnet.layers.Cropping2D(((1, 0), (1, 1))).apply({}, jnp.ones((1, 4, 4, 3))).shape
        (1, 3, 2, 3)
    """

    cropping: Any = ((0, 0), (0, 0))
    data_format: Any = None

    _SPATIAL: ClassVar[int] = 2
    _ARGUMENT: ClassVar[str] = "cropping"


class Cropping3D(_PadOrCrop):
    """Crops volumes along depth, height and width (Keras's ``Cropping3D``).

    Args:
        cropping: non-negative integer, a tuple of 3 integers, or 3 pairs ``(before, after)``.
            Default ``((1, 1), (1, 1), (1, 1))``.
        data_format: ``'channels_last'``, ``'channels_first'`` or None (default,
            ``'channels_last'``).

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> jnet.layers.Cropping3D().apply({}, jnp.ones((1, 3, 4, 5, 2))).shape
        (1, 1, 2, 3, 2)
    """

    cropping: Any = ((1, 1), (1, 1), (1, 1))
    data_format: Any = None

    _SPATIAL: ClassVar[int] = 3
    _ARGUMENT: ClassVar[str] = "cropping"
