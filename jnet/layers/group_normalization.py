"""GroupNormalization: Keras 3's group normalization (Wu & He, 2018).

The channels of ``axis`` are split into ``groups``; each sample is normalized over every
axis but the batch axis and the group, with statistics as ``tf.nn.moments`` takes them, then
scaled and shifted per channel. ``groups=-1`` is instance normalization (one channel per
group); ``groups=1`` normalizes each sample over everything, as layer normalization does.

Example:
    >>> import jax, jax.numpy as jnp
    >>> from jnet.layers.group_normalization import GroupNormalization
    >>> layer = GroupNormalization(groups=2)
    >>> x = jnp.arange(8.0).reshape(1, 2, 4)
    >>> variables = layer.init(jax.random.key(0), x)
    >>> [w.shape for w in layer.keras_weights(variables)]
    [(4,), (4,)]
    >>> layer.apply(variables, x).shape
    (1, 2, 4)
"""

from __future__ import annotations

from typing import Any, ClassVar

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors, initializers
from jnet.layers.base import Layer, WeightPath, cast_inputs
from jnet.layers.normalization import _check_bool, _check_epsilon, _moments

__all__ = ["GroupNormalization"]


class GroupNormalization(Layer):
    """Keras's ``GroupNormalization``.

    Weights, in Keras's order: ``gamma`` (when ``scale``) and ``beta`` (when ``center``),
    each of shape ``(channels,)``.

    Args:
        groups: positive int dividing the number of channels, or -1 (one group per
            channel: instance normalization). Default 32.
        axis: the channels axis (an int). Default -1.
        epsilon: positive number added to the variance. Default 1e-3.
        center: whether to add ``beta``. Default True.
        scale: whether to multiply by ``gamma``. Default True.
        beta_initializer: default ``'zeros'``.
        gamma_initializer: default ``'ones'``.
        beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint: as Keras.

    Example:
        >>> import jnet
        >>> model = jnet.Sequential([jnet.layers.Input((5, 8)), GroupNormalization(groups=4)])
        >>> model.count_params()
        16
    """

    AUTOCAST: ClassVar[bool] = False  # Keras: computes in float32, outputs the compute dtype

    groups: int = 32
    axis: int = -1
    epsilon: float = 1e-3
    center: bool = True
    scale: bool = True
    beta_initializer: Any = "zeros"
    gamma_initializer: Any = "ones"
    beta_regularizer: Any = None
    gamma_regularizer: Any = None
    beta_constraint: Any = None
    gamma_constraint: Any = None

    KERAS_WEIGHTS: ClassVar[tuple[WeightPath, ...]] = (("params", "gamma"), ("params", "beta"))
    WEIGHT_PENALTIES: ClassVar[tuple[tuple[WeightPath, str | None, str | None], ...]] = (
        (("gamma",), "gamma_regularizer", "gamma_constraint"),
        (("beta",), "beta_regularizer", "beta_constraint"),
    )
    SUPPORTS_MASKING: ClassVar[bool] = True

    def __post_init__(self):
        owner = "GroupNormalization"
        if (
            isinstance(self.groups, bool) or not isinstance(self.groups, int | np.integer)
            or (self.groups <= 0 and self.groups != -1)
        ):
            raise errors.JnetValueError(
                f"{owner}: invalid value for argument groups, expected a positive integer "
                f"(or -1 for instance normalization). Received: groups={self.groups!r}."
            )
        if isinstance(self.axis, bool) or not isinstance(self.axis, int | np.integer):
            raise errors.JnetTypeError(
                f"{owner}: axis must be an integer, received {errors.describe(self.axis)}."
            )
        _check_epsilon(self.epsilon, owner)
        _check_bool(self.center, "center", owner)
        _check_bool(self.scale, "scale", owner)
        initializers.get(self.beta_initializer)
        initializers.get(self.gamma_initializer)
        self._check_penalty_arguments()
        super().__post_init__()

    @nn.nowrap
    def compute_output_shape(self, input_shape: Any) -> tuple:
        """The input's shape (checked against ``axis``)."""
        shape = tuple(input_shape)
        if not -len(shape) <= int(self.axis) < len(shape):
            raise errors.JnetValueError(
                f"GroupNormalization: axis {self.axis} is out of bounds for input shape "
                f"{shape}."
            )
        return shape

    @nn.compact
    def __call__(self, inputs, training: bool = False):
        x = cast_inputs(inputs)
        owner = f"GroupNormalization {self.name!r}"
        self.compute_output_shape(x.shape)
        axis = int(self.axis) % x.ndim
        if axis == 0:
            raise errors.JnetValueError(
                f"{owner}: axis {self.axis} is the batch axis; use the channels axis (-1 for "
                f"channels_last, 1 for channels_first)."
            )
        channels = int(x.shape[axis])
        groups = channels if self.groups == -1 else int(self.groups)
        if channels < groups:
            raise errors.JnetValueError(
                f"{owner}: number of groups ({groups}) cannot be more than the number of "
                f"channels ({channels})."
            )
        if channels % groups:
            raise errors.JnetValueError(
                f"{owner}: number of groups ({groups}) must divide the number of channels "
                f"({channels}); pick groups among the divisors of {channels}."
            )
        group_shape = (*x.shape[:axis], groups, channels // groups, *x.shape[axis + 1:])
        grouped = jnp.reshape(x, group_shape)
        reduction = tuple(i for i in range(1, grouped.ndim) if i != axis)
        mean, variance = _moments(grouped, reduction)
        broadcast = [1] * grouped.ndim
        broadcast[axis], broadcast[axis + 1] = groups, channels // groups
        inv = jax.lax.rsqrt(variance + float(self.epsilon))
        if self.scale:
            gamma = self.param(
                "gamma", initializers.get(self.gamma_initializer), (channels,), jnp.float32
            )
            inv = inv * jnp.reshape(gamma, broadcast)
        offset = -mean * inv
        if self.center:
            beta = self.param(
                "beta", initializers.get(self.beta_initializer), (channels,), jnp.float32
            )
            offset = offset + jnp.reshape(beta, broadcast)
        return jnp.reshape(grouped * inv + offset, x.shape)
