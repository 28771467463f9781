"""UnitNormalization: scales each sample to unit L2 norm along ``axis`` (Keras's layer).

``x * min(rsqrt(sum(x**2, axis)), 1e12)``: Keras's ``ops.normalize(order=2, epsilon=1e-12)``,
so an all-zero slice stays zero.

Example:
    >>> import jax.numpy as jnp, jnet
    >>> jnet.layers.UnitNormalization().apply({}, jnp.array([[3.0, 4.0]]))
    Array([[0.6, 0.8]], dtype=float32)
"""

from __future__ import annotations

from typing import Any

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet.layers.base import Layer, cast_inputs

__all__ = ["UnitNormalization"]

_EPSILON = 1e-12  # Keras's UnitNormalization passes epsilon=1e-12 to ops.normalize


class UnitNormalization(Layer):
    """Normalizes each sample to unit L2 norm along ``axis``.

    Args:
        axis: an integer or a list/tuple of integers, the axes the norm is taken over.
            Default -1.

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> y = jnet.layers.UnitNormalization(axis=[1, 2]).apply({}, jnp.ones((2, 2, 2)))
        >>> y[0]
        Array([[0.5, 0.5],
               [0.5, 0.5]], dtype=float32)
    """

    axis: Any = -1

    SUPPORTS_MASKING = True  # Keras: supports_masking=True (the mask passes through)

    def __post_init__(self):
        self._axes()
        super().__post_init__()

    @nn.nowrap
    def _axes(self) -> tuple[int, ...]:
        axes = list(self.axis) if isinstance(self.axis, list | tuple) else [self.axis]
        if not axes or not all(
            isinstance(a, int | np.integer) and not isinstance(a, bool) for a in axes
        ):
            raise errors.JnetTypeError(
                f"UnitNormalization: axis must be an integer or a list/tuple of integers, "
                f"received {self.axis!r}."
            )
        return tuple(int(a) for a in axes)

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        """Keras's config: ``axis`` an int, or a list for several axes."""
        config = super().get_config()
        config["axis"] = list(self.axis) if isinstance(self.axis, list | tuple) else self.axis
        return config

    @nn.nowrap
    def compute_output_shape(self, input_shape: tuple) -> tuple:
        """The input shape (``axis`` is checked against its rank)."""
        self._check(len(input_shape), tuple(input_shape))
        return tuple(input_shape)

    @nn.nowrap
    def _check(self, rank: int, shape: tuple) -> None:
        for a in self._axes():
            if not -rank <= a < rank:
                raise errors.JnetValueError(
                    f"UnitNormalization: axis={self.axis!r} is out of range for inputs of "
                    f"shape {shape} (rank {rank})."
                )

    def __call__(self, inputs, training: bool = False):
        x = cast_inputs(inputs)
        self._check(x.ndim, tuple(x.shape))
        square_sum = jnp.sum(jnp.square(x), axis=self._axes(), keepdims=True)
        inverse = jnp.minimum(jax.lax.rsqrt(square_sum), jnp.asarray(1.0 / _EPSILON, x.dtype))
        return x * inverse
