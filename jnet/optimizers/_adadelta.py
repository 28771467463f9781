"""Adadelta with Keras's update rule (``keras/src/optimizers/adadelta.py``).

Unlike the paper, Keras scales the delta by a learning rate (default 0.001; use 1.0 for the
paper's form), and its epsilon defaults to 1e-7 (optax's ``adadelta``: 1e-6). This module
follows Keras's operations one for one.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import optax

from jnet.optimizers._checks import LearningRate, _check_non_negative, _check_range
from jnet.optimizers._optimizer import Optimizer
from jnet.optimizers._transformation import (
    UpdateRule,
    _map_leaves,
    _unfused,
    keras_transformation,
)

__all__ = ["Adadelta", "AdadeltaSlots", "keras_adadelta"]


class AdadeltaSlots(NamedTuple):
    """Adadelta's optimizer variables.

    Attributes:
        accumulated_grads: the moving averages of ``g**2``.
        accumulated_delta_vars: the moving averages of ``delta**2``.
    """

    accumulated_grads: optax.Params
    accumulated_delta_vars: optax.Params


def _adadelta_rule(rho: float, epsilon: float) -> UpdateRule:
    def init(params: optax.Params) -> AdadeltaSlots:
        return AdadeltaSlots(
            accumulated_grads=optax.tree.zeros_like(params),
            accumulated_delta_vars=optax.tree.zeros_like(params),
        )

    def step(grads, slots: AdadeltaSlots, lr: jax.Array, iterations: jax.Array):
        del iterations

        def rms(x):
            return _unfused(jnp.sqrt(x + epsilon))

        def leaf(g, accumulated_grad, accumulated_delta_var):
            dtype = accumulated_grad.dtype
            g = g.astype(dtype)
            accumulated_grad = _unfused(rho * accumulated_grad) + _unfused(
                (1 - rho) * jnp.square(g)
            )
            delta_var = -((rms(accumulated_delta_var) * g) / rms(accumulated_grad))
            accumulated_delta_var = _unfused(rho * accumulated_delta_var) + _unfused(
                (1 - rho) * jnp.square(delta_var)
            )
            increment = _unfused(lr.astype(dtype) * delta_var)
            return increment, accumulated_grad, accumulated_delta_var

        increments, accumulated_grads, accumulated_delta_vars = _map_leaves(
            leaf, grads, slots.accumulated_grads, slots.accumulated_delta_vars
        )
        return increments, AdadeltaSlots(
            accumulated_grads=accumulated_grads, accumulated_delta_vars=accumulated_delta_vars
        )

    return UpdateRule(init, step)


def _check_adadelta(rho: Any, epsilon: Any) -> tuple:
    return (
        _check_range("rho", rho, 0.0, 1.0),
        _check_non_negative("epsilon", epsilon),
    )


def keras_adadelta(
    learning_rate: LearningRate = 0.001,
    rho: float = 0.95,
    epsilon: float = 1e-7,
    **extras: Any,
) -> optax.GradientTransformation:
    """Keras's Adadelta as an optax transformation.

    Update rule (Keras's ``keras/src/optimizers/adadelta.py``, op for op)::

        a_g <- rho * a_g + (1 - rho) * g**2
        delta = -(sqrt(a_d + epsilon) * g) / sqrt(a_g + epsilon)
        a_d <- rho * a_d + (1 - rho) * delta**2
        w <- w + lr * delta

    Args:
        learning_rate: a float >= 0 or a schedule ``step -> lr``. Defaults to 0.001.
        rho: decay rate of the accumulators, in [0, 1]. Defaults to 0.95.
        epsilon: added inside the square roots, >= 0. Defaults to 1e-7.
        **extras: ``weight_decay``, ``clipnorm``, ``clipvalue``, ``global_clipnorm``,
            ``loss_scale_factor`` (see :func:`keras_transformation`).

    Returns:
        An ``optax.GradientTransformation`` with an :class:`OptimizerState` (slots:
        :class:`AdadeltaSlots`).

    Example:
        >>> import jax.numpy as jnp
        >>> from jnet.optimizers import keras_adadelta
        >>> tx = keras_adadelta(1.0, rho=0.5, epsilon=1e-2)
        >>> updates, state = tx.update(jnp.array([1.0]), tx.init(jnp.zeros(1)))
        >>> round(updates.tolist()[0], 5)  # -sqrt(0.01) / sqrt(0.5 + 0.01)
        -0.14003
    """
    rho, epsilon = _check_adadelta(rho, epsilon)
    return keras_transformation(_adadelta_rule(rho, epsilon), learning_rate, **extras)


class Adadelta(Optimizer):
    """The Adadelta optimizer, Keras's ``keras.optimizers.Adadelta``.

    Same arguments, defaults and numbers as Keras (see :func:`keras_adadelta` for the rule).

    Args:
        learning_rate: a float >= 0 or a schedule ``step -> lr``. Defaults to 0.001.
        rho: decay rate of the accumulators, in [0, 1]. Defaults to 0.95.
        epsilon: added inside the square roots, >= 0. Defaults to 1e-7.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps, name,
            **kwargs: as in :class:`Optimizer`. The default name is 'adadelta'.

    Example:
        >>> import jnet.optimizers
        >>> jnet.optimizers.Adadelta().get_config()["rho"]
        0.95
    """

    def __init__(
        self,
        learning_rate: LearningRate = 0.001,
        rho: float = 0.95,
        epsilon: float = 1e-7,
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
        self.rho, self.epsilon = _check_adadelta(rho, epsilon)

    def build(self) -> optax.GradientTransformation:
        """The optax transformation (see :func:`keras_adadelta`)."""
        return keras_adadelta(
            self.learning_rate,
            self.rho,
            self.epsilon,
            **self._extras(),
        )

    def get_config(self) -> dict[str, Any]:
        """Keras's Adadelta config keys: the base keys plus Adadelta's own arguments."""
        return {
            **super().get_config(),
            "rho": self.rho,
            "epsilon": self.epsilon,
        }
