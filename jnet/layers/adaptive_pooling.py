"""Adaptive pooling (1D, 2D, 3D): max or mean over windows that split each spatial axis into
``output_size`` parts, whatever the input size (Keras's ``AdaptiveAveragePooling2D``, ...).

The bins are Keras's (and PyTorch's): along an axis of length ``L`` split into ``n`` parts,
bin ``i`` covers ``[floor(i * L / n), ceil((i + 1) * L / n))``, so neighbouring bins may
overlap by one step when ``n`` does not divide ``L``. The work is
``jnet.ops.nn.adaptive_max_pool`` / ``adaptive_average_pool``.

Example:
    >>> import jax.numpy as jnp, jnet
    >>> x = jnp.arange(5.0).reshape(1, 5, 1)
    >>> jnet.layers.AdaptiveAveragePooling1D(2).apply({}, x)[0, :, 0]
    Array([1., 3.], dtype=float32)
"""

from __future__ import annotations

from typing import Any, ClassVar

import flax.linen as nn
import numpy as np

from jnet import errors
from jnet.layers.base import Layer, cast_inputs
from jnet.ops import nn as ops_nn

__all__ = [
    "AdaptiveAveragePooling1D",
    "AdaptiveAveragePooling2D",
    "AdaptiveAveragePooling3D",
    "AdaptiveMaxPooling1D",
    "AdaptiveMaxPooling2D",
    "AdaptiveMaxPooling3D",
]

_LAYOUTS = {
    1: "(batch, steps, channels)",
    2: "(batch, height, width, channels)",
    3: "(batch, depth, height, width, channels)",
}


class _AdaptivePooling(Layer):
    """Shared logic; subclasses set the spatial rank and the reduction."""

    output_size: Any
    data_format: Any = None

    _SPATIAL: ClassVar[int] = 2
    _MODE: ClassVar[str] = "average"

    def __post_init__(self):
        self._resolved()
        super().__post_init__()

    @nn.nowrap
    def _resolved(self) -> tuple[tuple[int, ...], str]:
        owner, n, value = type(self).__name__, self._SPATIAL, self.output_size

        def ok(v: Any) -> bool:
            return isinstance(v, int | np.integer) and not isinstance(v, bool) and v > 0

        if ok(value):
            sizes = (int(value),) * n
        elif isinstance(value, list | tuple) and len(value) == n and all(ok(v) for v in value):
            sizes = tuple(int(v) for v in value)
        else:
            raise errors.JnetValueError(
                f"{owner}: output_size must be a positive integer or a tuple of {n} positive "
                f"integers, received {value!r}."
            )
        fmt = self.data_format
        if fmt is None:
            fmt = "channels_last"
        if fmt not in ("channels_last", "channels_first"):
            raise errors.JnetValueError(
                f"{owner}: data_format must be one of 'channels_last', 'channels_first' (or "
                f"None for 'channels_last'), received {self.data_format!r}."
            )
        return sizes, fmt

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        """Keras's config: ``output_size`` as a tuple, resolved ``data_format``."""
        sizes, fmt = self._resolved()
        config = super().get_config()
        config.update(output_size=sizes, data_format=fmt)
        return config

    @nn.nowrap
    def compute_output_shape(self, input_shape: tuple) -> tuple:
        """``(batch, *output_size, channels)`` (channels second for channels_first)."""
        sizes, fmt = self._resolved()
        if fmt == "channels_last":
            return (input_shape[0], *sizes, input_shape[-1])
        return (input_shape[0], input_shape[1], *sizes)

    def __call__(self, inputs, training: bool = False):
        sizes, fmt = self._resolved()
        x = cast_inputs(inputs)
        if x.ndim != self._SPATIAL + 2:
            raise errors.JnetValueError(
                f"{type(self).__name__} expects inputs of rank {self._SPATIAL + 2} "
                f"{_LAYOUTS[self._SPATIAL]} (channels first with data_format="
                f"'channels_first'), received shape {tuple(x.shape)}."
            )
        pool = ops_nn.adaptive_max_pool if self._MODE == "max" else ops_nn.adaptive_average_pool
        return pool(x, sizes, data_format=fmt)


class AdaptiveAveragePooling1D(_AdaptivePooling):
    """Mean over ``output_size`` adaptive bins of the steps axis.

    Args:
        output_size: positive integer (or a 1-tuple), the output length.
        data_format: ``'channels_last'`` (default with None) or ``'channels_first'``.

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> jnet.layers.AdaptiveAveragePooling1D(3).apply({}, jnp.ones((2, 7, 4))).shape
        (2, 3, 4)
    """

    _SPATIAL: ClassVar[int] = 1
    _MODE: ClassVar[str] = "average"


class AdaptiveAveragePooling2D(_AdaptivePooling):
    """Mean over ``output_size`` adaptive bins of height and width.

    Args:
        output_size: positive integer or tuple ``(height, width)``.
        data_format: ``'channels_last'`` (default with None) or ``'channels_first'``.

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> jnet.layers.AdaptiveAveragePooling2D((2, 3)).apply({}, jnp.ones((1, 7, 8, 2))).shape
        (1, 2, 3, 2)
    """

    _SPATIAL: ClassVar[int] = 2
    _MODE: ClassVar[str] = "average"


class AdaptiveAveragePooling3D(_AdaptivePooling):
    """Mean over ``output_size`` adaptive bins of depth, height and width.

    Args:
        output_size: positive integer or tuple ``(depth, height, width)``.
        data_format: ``'channels_last'`` (default with None) or ``'channels_first'``.

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> jnet.layers.AdaptiveAveragePooling3D(2).apply({}, jnp.ones((1, 5, 5, 5, 3))).shape
        (1, 2, 2, 2, 3)
    """

    _SPATIAL: ClassVar[int] = 3
    _MODE: ClassVar[str] = "average"


class AdaptiveMaxPooling1D(_AdaptivePooling):
    """Maximum over ``output_size`` adaptive bins of the steps axis.

    Args:
        output_size: positive integer (or a 1-tuple), the output length.
        data_format: ``'channels_last'`` (default with None) or ``'channels_first'``.

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> x = jnp.arange(5.0).reshape(1, 5, 1)
        >>> jnet.layers.AdaptiveMaxPooling1D(2).apply({}, x)[0, :, 0]
        Array([2., 4.], dtype=float32)
    """

    _SPATIAL: ClassVar[int] = 1
    _MODE: ClassVar[str] = "max"


class AdaptiveMaxPooling2D(_AdaptivePooling):
    """Maximum over ``output_size`` adaptive bins of height and width.

    Args:
        output_size: positive integer or tuple ``(height, width)``.
        data_format: ``'channels_last'`` (default with None) or ``'channels_first'``.

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> jnet.layers.AdaptiveMaxPooling2D(1).apply({}, jnp.ones((1, 4, 4, 2))).shape
        (1, 1, 1, 2)
    """

    _SPATIAL: ClassVar[int] = 2
    _MODE: ClassVar[str] = "max"


class AdaptiveMaxPooling3D(_AdaptivePooling):
    """Maximum over ``output_size`` adaptive bins of depth, height and width.

    Args:
        output_size: positive integer or tuple ``(depth, height, width)``.
        data_format: ``'channels_last'`` (default with None) or ``'channels_first'``.

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> jnet.layers.AdaptiveMaxPooling3D((1, 2, 2)).apply({}, jnp.ones((1, 3, 4, 4, 1))).shape
        (1, 1, 2, 2, 1)
    """

    _SPATIAL: ClassVar[int] = 3
    _MODE: ClassVar[str] = "max"
