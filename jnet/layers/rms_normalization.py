"""RMSNormalization: Keras 3's root-mean-square normalization (Zhang & Sennrich, 2019).

``y = x * rsqrt(mean(x**2 over axis) + epsilon) * scale``: no centering, one learned
``scale`` per feature. (Not ``LayerNormalization(rms_scaling=True)``, which divides by the
variance.)

Example:
    >>> import jax, jax.numpy as jnp
    >>> from jnet.layers.rms_normalization import RMSNormalization
    >>> layer = RMSNormalization()
    >>> x = jnp.array([[3.0, 4.0]])
    >>> variables = layer.init(jax.random.key(0), x)
    >>> [round(v, 4) for v in layer.apply(variables, x)[0].tolist()]
    [0.8485, 1.1314]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import flax.linen as nn
import jax
import jax.numpy as jnp

from jnet.layers.base import Layer, WeightPath, cast_inputs
from jnet.layers.normalization import _axes_list, _check_axis, _check_epsilon, _resolve_axes

__all__ = ["RMSNormalization"]


class RMSNormalization(Layer):
    """Keras's ``RMSNormalization``.

    Weight (Keras's): ``scale``, ones, of shape ``[inputs.shape[a] for a in sorted(axis)]``.

    Args:
        axis: an axis or a list of axes to normalize over. Default -1.
        epsilon: positive number added to the mean square. Default 1e-6.

    Example:
        >>> import jnet
        >>> jnet.Sequential([jnet.layers.Input((3, 8)), RMSNormalization()]).count_params()
        8
    """

    axis: int | Sequence[int] = -1
    epsilon: float = 1e-6

    KERAS_WEIGHTS: ClassVar[tuple[WeightPath, ...]] = (("params", "scale"),)

    def __post_init__(self):
        _check_axis(self.axis, "RMSNormalization")
        _check_epsilon(self.epsilon, "RMSNormalization")
        super().__post_init__()

    @nn.nowrap
    def compute_output_shape(self, input_shape: Any) -> tuple:
        """The input's shape (checked against ``axis``)."""
        shape = tuple(input_shape)
        _resolve_axes(self.axis, shape, "RMSNormalization")
        return shape

    @nn.compact
    def __call__(self, inputs, training: bool = False):
        x = cast_inputs(inputs)
        resolved = _resolve_axes(self.axis, x.shape, "RMSNormalization")
        shape = tuple(x.shape[a] for a in sorted(_axes_list(self.axis)))
        scale = self.param("scale", jax.nn.initializers.ones, shape, jnp.float32)
        reduction = tuple(sorted(resolved))
        rrms = jax.lax.rsqrt(
            jnp.mean(jnp.square(x), axis=reduction, keepdims=True) + float(self.epsilon)
        )
        broadcast = tuple(x.shape[i] if i in resolved else 1 for i in range(x.ndim))
        return x * rrms * jnp.reshape(scale, broadcast)
