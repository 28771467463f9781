"""RMSprop with Keras's update rule (``keras/src/optimizers/rmsprop.py``).

Epsilon sits inside the square root, there is no bias correction, and momentum (plain, not
Nesterov) accumulates the already scaled increments. ``optax.rmsprop`` with matching
arguments is mathematically equal but multiplies by ``rsqrt`` where Keras divides by
``sqrt`` (and XLA makes that same rewrite unless prevented); this module follows Keras's
operations one for one.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import optax

from jnet.optimizers._checks import LearningRate, _check_bool, _check_non_negative, _check_range
from jnet.optimizers._optimizer import Optimizer
from jnet.optimizers._transformation import (
    UpdateRule,
    _map_leaves,
    _unfused,
    keras_transformation,
)

__all__ = ["RMSprop", "RMSpropSlots", "keras_rmsprop"]


class RMSpropSlots(NamedTuple):
    """RMSprop's optimizer variables, shaped like the parameters.

    Attributes:
        velocities: the moving averages of ``g**2``.
        momentums: the momentum accumulators; None when momentum is 0.
        average_gradients: the moving averages of ``g``; None unless centered.
    """

    velocities: optax.Params
    momentums: optax.Params | None
    average_gradients: optax.Params | None


def _rmsprop_rule(rho: float, momentum: float, epsilon: float, centered: bool) -> UpdateRule:
    use_momentum = momentum > 0

    def init(params: optax.Params) -> RMSpropSlots:
        return RMSpropSlots(
            velocities=optax.tree.zeros_like(params),
            momentums=optax.tree.zeros_like(params) if use_momentum else None,
            average_gradients=optax.tree.zeros_like(params) if centered else None,
        )

    def step(grads, slots: RMSpropSlots, lr: jax.Array, iterations: jax.Array):
        del iterations

        def leaf(g, velocity, moment, average_grad):
            dtype = velocity.dtype
            lr_ = lr.astype(dtype)
            g = g.astype(dtype)
            velocity = _unfused(rho * velocity) + _unfused((1 - rho) * jnp.square(g))
            if centered:
                average_grad = _unfused(rho * average_grad) + _unfused((1 - rho) * g)
                denominator = velocity - _unfused(jnp.square(average_grad)) + epsilon
            else:
                denominator = velocity + epsilon
            # _unfused also keeps XLA from rewriting x / sqrt(y) as x * rsqrt(y).
            increment = (lr_ * g) / _unfused(jnp.sqrt(denominator))
            if use_momentum:
                moment = _unfused(momentum * moment) + increment
                return -moment, velocity, moment, average_grad
            return -increment, velocity, moment, average_grad

        increments, velocities, momentums, average_gradients = _map_leaves(
            leaf, grads, slots.velocities, slots.momentums, slots.average_gradients
        )
        return increments, RMSpropSlots(
            velocities=velocities,
            momentums=momentums if use_momentum else None,
            average_gradients=average_gradients if centered else None,
        )

    return UpdateRule(init, step)


def _check_rmsprop(rho: Any, momentum: Any, epsilon: Any, centered: Any) -> tuple:
    return (
        _check_range("rho", rho, 0.0, 1.0, high_open=True),
        _check_range("momentum", momentum, 0.0, 1.0),
        _check_non_negative("epsilon", epsilon),
        _check_bool("centered", centered),
    )


def keras_rmsprop(
    learning_rate: LearningRate = 0.001,
    rho: float = 0.9,
    momentum: float = 0.0,
    epsilon: float = 1e-7,
    centered: bool = False,
    **extras: Any,
) -> optax.GradientTransformation:
    """Keras's RMSprop as an optax transformation, bit for bit.

    Update rule::

        v <- rho * v + (1 - rho) * g**2
        a <- rho * a + (1 - rho) * g                 # centered only
        denominator = v - a**2 + epsilon  (centered)  or  v + epsilon
        increment = lr * g / sqrt(denominator)
        momentum > 0:  M <- momentum * M + increment;  w <- w - M
        otherwise:     w <- w - increment

    Args:
        learning_rate: a float >= 0 or a schedule ``step -> lr``. Defaults to 0.001.
        rho: discounting factor of the averages, in [0, 1). Defaults to 0.9.
        momentum: a float in [0, 1]. Defaults to 0.0.
        epsilon: added inside the square root, >= 0. Defaults to 1e-7.
        centered: whether to divide by the estimated variance. Defaults to False.
        **extras: ``weight_decay``, ``clipnorm``, ``clipvalue``, ``global_clipnorm``,
            ``loss_scale_factor`` (see :func:`keras_transformation`).

    Returns:
        An ``optax.GradientTransformation`` with an :class:`OptimizerState` (slots:
        :class:`RMSpropSlots`).

    Example:
        >>> import jax.numpy as jnp
        >>> import optax
        >>> from jnet.optimizers import keras_rmsprop
        >>> tx = keras_rmsprop(0.1)
        >>> params = jnp.array([10.0])
        >>> updates, _ = tx.update(params, tx.init(params))  # gradient of params**2 / 2
        >>> round(optax.apply_updates(params, updates).tolist()[0], 5)
        9.68377
    """
    rho, momentum, epsilon, centered = _check_rmsprop(rho, momentum, epsilon, centered)
    return keras_transformation(
        _rmsprop_rule(rho, momentum, epsilon, centered), learning_rate, **extras
    )


class RMSprop(Optimizer):
    """The RMSprop optimizer, Keras's ``keras.optimizers.RMSprop``.

    Same arguments, defaults and numbers as Keras (see :func:`keras_rmsprop` for the rule).

    Args:
        learning_rate: a float >= 0 or a schedule ``step -> lr``. Defaults to 0.001.
        rho: discounting factor of the averages, in [0, 1). Defaults to 0.9.
        momentum: a float in [0, 1]. Defaults to 0.0.
        epsilon: added inside the square root, >= 0. Defaults to 1e-7.
        centered: whether to divide by the estimated variance. Defaults to False.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps, name,
            **kwargs: as in :class:`Optimizer`. The default name is 'rm_sprop' (Keras's).

    Example:
        >>> import jnet.optimizers
        >>> opt = jnet.optimizers.RMSprop(momentum=0.9, centered=True)
        >>> opt.get_config()["rho"], opt.name
        (0.9, 'rm_sprop')
    """

    def __init__(
        self,
        learning_rate: LearningRate = 0.001,
        rho: float = 0.9,
        momentum: float = 0.0,
        epsilon: float = 1e-7,
        centered: bool = False,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        loss_scale_factor: float | None = None,
        gradient_accumulation_steps: int | None = None,
        name: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(
            learning_rate=learning_rate,
            weight_decay=weight_decay,
            clipnorm=clipnorm,
            clipvalue=clipvalue,
            global_clipnorm=global_clipnorm,
            use_ema=use_ema,
            ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps,
            name=name,
            **kwargs,
        )
        self.rho, self.momentum, self.epsilon, self.centered = _check_rmsprop(
            rho, momentum, epsilon, centered
        )

    def build(self) -> optax.GradientTransformation:
        """The optax transformation (see :func:`keras_rmsprop`)."""
        return keras_rmsprop(
            self.learning_rate,
            self.rho,
            self.momentum,
            self.epsilon,
            self.centered,
            **self._extras(),
        )

    def get_config(self) -> dict[str, Any]:
        """Keras's RMSprop config keys: the base keys plus rho, momentum, epsilon, centered."""
        return {
            **super().get_config(),
            "rho": self.rho,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "centered": self.centered,
        }
