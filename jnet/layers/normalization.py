"""BatchNormalization and LayerNormalization, with Keras 3's numbers (TensorFlow backend).

Both compute statistics the way ``tf.nn.moments`` does (two-pass, biased variance) and
normalize in ``tf.nn.batch_normalization``'s order of operations::

    inv = rsqrt(variance + epsilon) * gamma
    y = x * inv + (beta - mean * inv)

Example:
    >>> import jax, jax.numpy as jnp
    >>> from jnet.layers.normalization import BatchNormalization
    >>> layer = BatchNormalization()
    >>> variables = layer.init(jax.random.key(0), jnp.ones((2, 3)))
    >>> sorted(variables)
    ['batch_stats', 'params']
    >>> y, updates = layer.apply(
    ...     variables, jnp.arange(6.0).reshape(2, 3), training=True, mutable=["batch_stats"]
    ... )
    >>> updates["batch_stats"]["moving_mean"]
    Array([0.015, 0.025, 0.035], dtype=float32)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, ClassVar

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors, initializers
from jnet.distribution import _collectives
from jnet.layers.base import Layer, WeightPath, cast_inputs

__all__ = ["BatchNormalization", "LayerNormalization"]


# -- argument checks ------------------------------------------------------------------------


def _is_int(value: Any) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def _check_axis(axis: Any, owner: str) -> None:
    """``axis`` is an int or a non-empty list/tuple of distinct ints."""
    if _is_int(axis):
        return
    if isinstance(axis, list | tuple) and axis and all(_is_int(a) for a in axis):
        if len({int(a) for a in axis}) != len(axis):
            raise errors.JnetValueError(
                f"{owner}: axis must not repeat an axis, received axis={axis!r}."
            )
        return
    raise errors.JnetTypeError(
        f"{owner}: axis must be an integer or a list/tuple of integers, received "
        f"{errors.describe(axis)}."
    )


def _check_epsilon(epsilon: Any, owner: str) -> None:
    if (
        isinstance(epsilon, bool)
        or not isinstance(epsilon, int | float | np.integer | np.floating)
        or not math.isfinite(float(epsilon))
        or epsilon <= 0
    ):
        raise errors.JnetValueError(
            f"{owner}: epsilon must be a positive number, received {epsilon!r}."
        )


def _check_bool(value: Any, name: str, owner: str) -> None:
    if not isinstance(value, bool | np.bool_):
        raise errors.JnetTypeError(
            f"{owner}: {name} must be True or False, received {errors.describe(value)}."
        )


def _axes_list(axis: int | Sequence[int]) -> list[int]:
    return [int(axis)] if _is_int(axis) else [int(a) for a in axis]


def _resolve_axes(axis: int | Sequence[int], shape: tuple[int, ...], owner: str) -> list[int]:
    """The normalized (non-negative) axes of ``axis`` for inputs of ``shape``."""
    ndim = len(shape)
    resolved = []
    for a in _axes_list(axis):
        if not -ndim <= a < ndim:
            raise errors.JnetValueError(
                f"{owner}: axis {a} is out of bounds for inputs of rank {ndim}, received "
                f"shape {tuple(shape)}; use an axis in [{-ndim}, {ndim - 1}] (received "
                f"axis={axis!r})."
            )
        resolved.append(a % ndim)
    if len(set(resolved)) != len(resolved):
        raise errors.JnetValueError(
            f"{owner}: axis={axis!r} names the same axis twice for inputs of rank {ndim}."
        )
    return resolved


def _moments(
    x: jax.Array, reduction: tuple[int, ...], across_devices: bool = False
) -> tuple[jax.Array, jax.Array]:
    """``tf.nn.moments``: the mean, then the mean squared deviation (kept dims).

    ``across_devices``: in a step pmapped with an ``axis_name`` (see ``jnet.distribution``),
    over the global batch (each device's shard is the same size).
    """
    sync = _collectives.device_mean if across_devices else _identity
    mean = sync(jnp.mean(x, axis=reduction, keepdims=True))
    variance = sync(
        jnp.mean(jnp.square(x - jax.lax.stop_gradient(mean)), axis=reduction, keepdims=True)
    )
    return mean, variance


def _identity(value: jax.Array) -> jax.Array:
    return value


def _normalize(x, mean, variance, gamma, beta, epsilon: float):
    """``tf.nn.batch_normalization``'s order: ``x * inv + (beta - mean * inv)``."""
    inv = jax.lax.rsqrt(variance + epsilon)
    if gamma is not None:
        inv = inv * gamma
    offset = beta - mean * inv if beta is not None else -mean * inv
    return x * inv + offset


# -- layers ---------------------------------------------------------------------------------


class BatchNormalization(Layer):
    """Keras's batch normalization: normalizes with batch statistics in training and with
    moving averages of them in inference.

    In training (``training=True`` and the layer ``trainable``) the output is
    ``gamma * (x - mean(x)) / sqrt(var(x) + epsilon) + beta`` over every axis but ``axis``,
    and the moving statistics are updated as
    ``moving = moving * momentum + batch_statistic * (1 - momentum)`` (biased variance);
    apply with ``mutable=['batch_stats']`` to receive them (``Sequential`` does). In inference,
    or when ``trainable=False`` (Keras 3 freezes the layer *and* switches it to inference
    mode), the moving statistics are used and nothing is updated.

    Weights, in Keras's order: ``gamma`` and ``beta`` (trainable, in ``'params'``; absent
    when ``scale``/``center`` is False), ``moving_mean`` and ``moving_variance`` (in
    ``'batch_stats'``), each of shape ``(inputs.shape[axis],)``.

    Args:
        axis: the features axis (kept; statistics are taken over the others). Default -1;
            use 1 after a ``channels_first`` convolution. A list of axes is also accepted
            (Keras 2 style; the weights then have shape ``[inputs.shape[a] for a in
            sorted(axes)]``).
        momentum: momentum of the moving averages, in [0, 1]. Default 0.99.
        epsilon: positive number added to the variance. Default 1e-3 (Flax's is 1e-5).
        center: whether to add the offset ``beta``. Default True.
        scale: whether to multiply by ``gamma``. Default True.
        beta_initializer: default ``'zeros'``.
        gamma_initializer: default ``'ones'``.
        beta_regularizer, gamma_regularizer: penalties on ``beta`` and ``gamma``, added to
            the loss.
        beta_constraint, gamma_constraint: projections (:mod:`jnet.constraints`) applied to
            ``beta`` and ``gamma`` after each optimizer update.
        moving_mean_initializer: default ``'zeros'``.
        moving_variance_initializer: default ``'ones'``.

    Example:
        >>> import jax, jax.numpy as jnp
        >>> layer = BatchNormalization()
        >>> x = jnp.array([[0.0, 1.0], [2.0, 3.0]])
        >>> variables = layer.init(jax.random.key(0), x)
        >>> y = layer.apply(variables, x)  # inference: moving mean 0, moving variance 1
        >>> bool(jnp.allclose(y, x / jnp.sqrt(1.0 + 1e-3)))
        True
    """

    axis: int | Sequence[int] = -1
    momentum: float = 0.99
    epsilon: float = 1e-3
    center: bool = True
    scale: bool = True
    beta_initializer: Any = "zeros"
    gamma_initializer: Any = "ones"
    moving_mean_initializer: Any = "zeros"
    moving_variance_initializer: Any = "ones"
    beta_regularizer: Any = None
    gamma_regularizer: Any = None
    beta_constraint: Any = None
    gamma_constraint: Any = None

    KERAS_WEIGHTS: ClassVar[tuple[WeightPath, ...]] = (
        ("params", "gamma"),
        ("params", "beta"),
        ("batch_stats", "moving_mean"),
        ("batch_stats", "moving_variance"),
    )
    WEIGHT_PENALTIES: ClassVar[tuple[tuple[WeightPath, str | None, str | None], ...]] = (
        (("gamma",), "gamma_regularizer", "gamma_constraint"),
        (("beta",), "beta_regularizer", "beta_constraint"),
    )

    SUPPORTS_MASKING = True  # Keras: supports_masking=True (the mask passes through)
    AUTOCAST = False  # Keras: float32 statistics under mixed policies, output cast back

    def __post_init__(self):
        owner = "BatchNormalization"
        _check_axis(self.axis, owner)
        if (
            isinstance(self.momentum, bool)
            or not isinstance(self.momentum, int | float | np.integer | np.floating)
            or not 0.0 <= float(self.momentum) <= 1.0
        ):
            raise errors.JnetValueError(
                f"{owner}: momentum must be a number in [0, 1], received {self.momentum!r}."
            )
        _check_epsilon(self.epsilon, owner)
        _check_bool(self.center, "center", owner)
        _check_bool(self.scale, "scale", owner)
        self._check_penalty_arguments()
        for name in (
            "beta_initializer",
            "gamma_initializer",
            "moving_mean_initializer",
            "moving_variance_initializer",
        ):
            initializers.get(getattr(self, name))
        super().__post_init__()

    @nn.compact
    def __call__(self, inputs, training: bool = False):
        x = cast_inputs(inputs)
        axes = sorted(_resolve_axes(self.axis, x.shape, "BatchNormalization"))
        param_shape = tuple(x.shape[a] for a in axes)
        broadcast = tuple(x.shape[i] if i in axes else 1 for i in range(x.ndim))
        reduction = tuple(i for i in range(x.ndim) if i not in axes)

        def state(name: str, initializer: Any):
            init = initializers.get(initializer)
            return self.variable(
                "batch_stats",
                name,
                lambda: jnp.asarray(
                    init(self.make_rng("params"), param_shape, jnp.float32), jnp.float32
                ),
            )

        gamma = beta = None
        if self.scale:
            gamma = self.param(
                "gamma", initializers.get(self.gamma_initializer), param_shape, jnp.float32
            )
            gamma = jnp.reshape(gamma, broadcast)
        if self.center:
            beta = self.param(
                "beta", initializers.get(self.beta_initializer), param_shape, jnp.float32
            )
            beta = jnp.reshape(beta, broadcast)
        moving_mean = state("moving_mean", self.moving_mean_initializer)
        moving_variance = state("moving_variance", self.moving_variance_initializer)

        if training and self.trainable:
            mean, variance = _moments(x, reduction, across_devices=True)
            if not self.is_initializing():
                m = float(self.momentum)
                moving_mean.value = moving_mean.value * m + jnp.reshape(mean, param_shape) * (
                    1.0 - m
                )
                moving_variance.value = moving_variance.value * m + jnp.reshape(
                    variance, param_shape
                ) * (1.0 - m)
        else:
            mean = jnp.reshape(moving_mean.value, broadcast)
            variance = jnp.reshape(moving_variance.value, broadcast)
        return _normalize(x, mean, variance, gamma, beta, float(self.epsilon))


class LayerNormalization(Layer):
    """Keras's layer normalization: normalizes each sample over ``axis``.

    ``y = gamma * (x - mean) / sqrt(var + epsilon) + beta``, with the mean and (biased)
    variance taken over ``axis`` for each sample; the same in training and inference.

    Weights, in Keras's order: ``gamma`` (when ``scale`` or ``rms_scaling``) and ``beta``
    (when ``center`` and not ``rms_scaling``), of shape
    ``[inputs.shape[a] for a in sorted(axis)]``.

    Args:
        axis: an axis or a list of axes to normalize over. Default -1.
        epsilon: positive number added to the variance. Default 1e-3.
        center: whether to add the offset ``beta``. Default True.
        scale: whether to multiply by ``gamma``. Default True.
        beta_initializer: default ``'zeros'``.
        gamma_initializer: default ``'ones'``.
        beta_regularizer, gamma_regularizer: penalties on ``beta`` and ``gamma``, added to
            the loss.
        beta_constraint, gamma_constraint: projections (:mod:`jnet.constraints`) applied to
            ``beta`` and ``gamma`` after each optimizer update.
        rms_scaling: keyword-only, deprecated in Keras: ``y = gamma * x / sqrt(var + eps)``
            (no centering, no ``beta``). Default False.

    Example:
        >>> import jax, jax.numpy as jnp
        >>> layer = LayerNormalization()
        >>> x = jnp.array([[1.0, 2.0, 3.0]])
        >>> variables = layer.init(jax.random.key(0), x)
        >>> y = layer.apply(variables, x)
        >>> bool(jnp.allclose(y, (x - 2.0) / jnp.sqrt(2.0 / 3.0 + 1e-3)))
        True
    """

    axis: int | Sequence[int] = -1
    epsilon: float = 1e-3
    center: bool = True
    scale: bool = True
    beta_initializer: Any = "zeros"
    gamma_initializer: Any = "ones"
    beta_regularizer: Any = None
    gamma_regularizer: Any = None
    beta_constraint: Any = None
    gamma_constraint: Any = None
    rms_scaling: bool = False

    KERAS_WEIGHTS: ClassVar[tuple[WeightPath, ...]] = (("params", "gamma"), ("params", "beta"))
    WEIGHT_PENALTIES: ClassVar[tuple[tuple[WeightPath, str | None, str | None], ...]] = (
        (("gamma",), "gamma_regularizer", "gamma_constraint"),
        (("beta",), "beta_regularizer", "beta_constraint"),
    )

    SUPPORTS_MASKING = True  # Keras: supports_masking=True (the mask passes through)
    AUTOCAST = False  # Keras: float32 statistics under mixed policies, output cast back

    def __post_init__(self):
        owner = "LayerNormalization"
        _check_axis(self.axis, owner)
        _check_epsilon(self.epsilon, owner)
        _check_bool(self.center, "center", owner)
        _check_bool(self.scale, "scale", owner)
        _check_bool(self.rms_scaling, "rms_scaling", owner)
        initializers.get(self.beta_initializer)
        initializers.get(self.gamma_initializer)
        self._check_penalty_arguments()
        super().__post_init__()

    @nn.compact
    def __call__(self, inputs, training: bool = False):
        x = cast_inputs(inputs)
        resolved = _resolve_axes(self.axis, x.shape, "LayerNormalization")
        # Keras sorts the axes as given (negative ones first) to shape gamma and beta, then
        # reshapes them onto the input's axes; copy that so Keras's arrays load unchanged.
        param_shape = tuple(x.shape[a] for a in sorted(_axes_list(self.axis)))
        broadcast = tuple(x.shape[i] if i in resolved else 1 for i in range(x.ndim))
        reduction = tuple(sorted(resolved))

        gamma = beta = None
        if self.scale or self.rms_scaling:
            gamma = self.param(
                "gamma", initializers.get(self.gamma_initializer), param_shape, jnp.float32
            )
            gamma = jnp.reshape(gamma, broadcast)
        if self.center and not self.rms_scaling:
            beta = self.param(
                "beta", initializers.get(self.beta_initializer), param_shape, jnp.float32
            )
            beta = jnp.reshape(beta, broadcast)

        mean, variance = _moments(x, reduction)
        inv = jax.lax.rsqrt(variance + float(self.epsilon))
        if self.rms_scaling:
            outputs = x * inv
            return outputs * gamma if gamma is not None else outputs
        if gamma is not None:
            inv = inv * gamma
        offset = -mean * inv
        if beta is not None:
            offset = offset + beta
        return x * inv + offset
