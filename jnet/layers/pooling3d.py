"""3D pooling: MaxPooling3D, AveragePooling3D and their global forms (Keras's names and
aliases ``MaxPool3D``, ``AvgPool3D``, ``GlobalMaxPool3D``, ``GlobalAvgPool3D``).

The same windowed and global pooling as :mod:`jnet.layers.pooling` (TensorFlow's 'same'
padding, average pooling dividing by the input elements each window covers), over depth,
height and width.

Example:
    >>> import jax.numpy as jnp, jnet
    >>> x = jnp.arange(16.0).reshape(1, 2, 2, 2, 2)
    >>> jnet.layers.MaxPooling3D().apply({}, x)
    Array([[[[[14., 15.]]]]], dtype=float32)
"""

from __future__ import annotations

from typing import Any, ClassVar

import jax.numpy as jnp

from jnet.layers.pooling import _GlobalPooling, _Pooling

__all__ = [
    "AveragePooling3D",
    "AvgPool3D",
    "GlobalAveragePooling3D",
    "GlobalAvgPool3D",
    "GlobalMaxPool3D",
    "GlobalMaxPooling3D",
    "MaxPool3D",
    "MaxPooling3D",
]


class MaxPooling3D(_Pooling):
    """Max pooling over depth, height and width (Keras's ``MaxPooling3D``).

    Args:
        pool_size: positive integer or tuple of 3, the window size. Default ``(2, 2, 2)``.
        strides: positive integer or tuple of 3, or None (default) for ``pool_size``.
        padding: ``'valid'`` (default) or ``'same'`` (case-insensitive).
        data_format: ``'channels_last'`` (``(batch, depth, height, width, channels)``),
            ``'channels_first'`` or None (default, ``'channels_last'``).

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> x = jnp.arange(8.0).reshape(1, 2, 2, 2, 1)
        >>> jnet.layers.MaxPooling3D().apply({}, x).ravel()
        Array([7.], dtype=float32)
    """

    pool_size: Any = (2, 2, 2)
    strides: Any = None
    padding: str = "valid"
    data_format: Any = None

    _SPATIAL: ClassVar[int] = 3
    _MODE: ClassVar[str] = "max"


class AveragePooling3D(_Pooling):
    """Average pooling over depth, height and width (Keras's ``AveragePooling3D``).

    With ``padding='same'`` each window is divided by the number of input elements it covers,
    as TensorFlow does.

    Args:
        pool_size: positive integer or tuple of 3 (required, as in Keras).
        strides: positive integer or tuple of 3, or None (default) for ``pool_size``.
        padding: ``'valid'`` (default) or ``'same'`` (case-insensitive).
        data_format: ``'channels_last'``, ``'channels_first'`` or None (default,
            ``'channels_last'``).

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> x = jnp.arange(8.0).reshape(1, 2, 2, 2, 1)
        >>> jnet.layers.AveragePooling3D(2).apply({}, x).ravel()
        Array([3.5], dtype=float32)
    """

    pool_size: Any
    strides: Any = None
    padding: str = "valid"
    data_format: Any = None

    _SPATIAL: ClassVar[int] = 3
    _MODE: ClassVar[str] = "average"


class GlobalMaxPooling3D(_GlobalPooling):
    """Maximum over depth, height and width (Keras's ``GlobalMaxPooling3D``).

    Args:
        data_format: ``'channels_last'``, ``'channels_first'`` or None (default,
            ``'channels_last'``).
        keepdims: keep the spatial axes with length 1. Default False.

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> jnet.layers.GlobalMaxPooling3D().apply({}, jnp.ones((2, 3, 3, 3, 4))).shape
        (2, 4)
    """

    _SPATIAL: ClassVar[int] = 3

    def __call__(self, inputs, training: bool = False):
        inputs, axes = self._prepare(inputs)
        return jnp.max(inputs, axis=axes, keepdims=self.keepdims)


class GlobalAveragePooling3D(_GlobalPooling):
    """Mean over depth, height and width (Keras's ``GlobalAveragePooling3D``).

    Args:
        data_format: ``'channels_last'``, ``'channels_first'`` or None (default,
            ``'channels_last'``).
        keepdims: keep the spatial axes with length 1. Default False.

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> x = jnp.arange(16.0).reshape(1, 2, 2, 2, 2)
        >>> jnet.layers.GlobalAveragePooling3D().apply({}, x)
        Array([[7., 8.]], dtype=float32)
    """

    _SPATIAL: ClassVar[int] = 3

    def __call__(self, inputs, training: bool = False):
        inputs, axes = self._prepare(inputs)
        return jnp.mean(inputs, axis=axes, keepdims=self.keepdims)


# Keras 1/2 names: the same classes.
MaxPool3D = MaxPooling3D
AvgPool3D = AveragePooling3D
GlobalMaxPool3D = GlobalMaxPooling3D
GlobalAvgPool3D = GlobalAveragePooling3D
