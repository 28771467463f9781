"""FTRL-proximal with Keras's update rule (``keras/src/optimizers/ftrl.py``).

FTRL sets each weight from its accumulators instead of adding a step, and the shrinkage
term reads the weight: the rule reads the (weight-decayed) parameters.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import optax

from jnet.optimizers._checks import LearningRate, _check_non_negative, _check_non_positive
from jnet.optimizers._optimizer import Optimizer
from jnet.optimizers._transformation import (
    UpdateRule,
    _divide,
    _map_leaves,
    _unfused,
    keras_transformation,
)

__all__ = ["Ftrl", "FtrlSlots", "keras_ftrl"]


class FtrlSlots(NamedTuple):
    """Ftrl's optimizer variables.

    Attributes:
        accumulators: the running sums of squared gradients ``n``.
        linears: the linear terms ``z``.
    """

    accumulators: optax.Params
    linears: optax.Params


def _ftrl_rule(
    learning_rate_power: float,
    initial_accumulator_value: float,
    l1: float,
    l2: float,
    l2_shrinkage: float,
    beta: float,
) -> UpdateRule:
    def init(params: optax.Params) -> FtrlSlots:
        return FtrlSlots(
            accumulators=jax.tree.map(
                lambda p: jnp.full_like(p, initial_accumulator_value), params
            ),
            linears=optax.tree.zeros_like(params),
        )

    def step(grads, slots: FtrlSlots, lr: jax.Array, iterations: jax.Array, params):
        del iterations

        def leaf(g, w, accum, linear):
            dtype = accum.dtype
            lr_ = lr.astype(dtype)
            g = g.astype(dtype)
            l2_reg = l2 + beta / (2.0 * lr_)
            grad_to_use = g + _unfused((2 * l2_shrinkage) * w)
            new_accum = accum + _unfused(jnp.square(g))
            new_power = jnp.power(new_accum, -learning_rate_power)
            sigma = _divide(new_power - jnp.power(accum, -learning_rate_power), lr_)
            linear = linear + (grad_to_use - _unfused(sigma * w))
            quadratic = _divide(new_power, lr_) + _unfused(2 * l2_reg)
            linear_clipped = jnp.clip(linear, -l1, l1)
            new_w = (linear_clipped - linear) / quadratic
            return new_w - w, new_accum, linear

        increments, accumulators, linears = _map_leaves(
            leaf, grads, params, slots.accumulators, slots.linears
        )
        return increments, FtrlSlots(accumulators=accumulators, linears=linears)

    return UpdateRule(init, step, reads_params=True)


def _check_ftrl(
    learning_rate_power: Any,
    initial_accumulator_value: Any,
    l1_regularization_strength: Any,
    l2_regularization_strength: Any,
    l2_shrinkage_regularization_strength: Any,
    beta: Any,
) -> tuple:
    return (
        _check_non_positive("learning_rate_power", learning_rate_power),
        _check_non_negative("initial_accumulator_value", initial_accumulator_value),
        _check_non_negative("l1_regularization_strength", l1_regularization_strength),
        _check_non_negative("l2_regularization_strength", l2_regularization_strength),
        _check_non_negative(
            "l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength
        ),
        _check_non_negative("beta", beta),
    )


def keras_ftrl(
    learning_rate: LearningRate = 0.001,
    learning_rate_power: float = -0.5,
    initial_accumulator_value: float = 0.1,
    l1_regularization_strength: float = 0.0,
    l2_regularization_strength: float = 0.0,
    l2_shrinkage_regularization_strength: float = 0.0,
    beta: float = 0.0,
    **extras: Any,
) -> optax.GradientTransformation:
    """Keras's Ftrl as an optax transformation.

    Update rule (Keras's ``keras/src/optimizers/ftrl.py``, op for op)::

        l2_reg = l2 + beta / (2 * lr)
        g_s = g + 2 * l2_shrinkage * w
        n_new = n + g**2
        z <- z + g_s - ((n_new**-lr_power - n**-lr_power) / lr) * w
        w <- (clip(z, -l1, l1) - z) / (n_new**-lr_power / lr + 2 * l2_reg);  n <- n_new

    Args:
        learning_rate: a float >= 0 or a schedule ``step -> lr``. Defaults to 0.001.
        learning_rate_power: how the learning rate decreases, <= 0 (0 for a fixed rate).
            Defaults to -0.5.
        initial_accumulator_value: starting value of the accumulators, >= 0. Defaults to 0.1.
        l1_regularization_strength: L1 regularization, >= 0. Defaults to 0.0.
        l2_regularization_strength: L2 (stabilization) regularization, >= 0. Defaults to 0.0.
        l2_shrinkage_regularization_strength: L2 shrinkage (magnitude) penalty, >= 0. Defaults
            to 0.0.
        beta: the FTRL ``beta``, >= 0. Defaults to 0.0.
        **extras: ``weight_decay``, ``clipnorm``, ``clipvalue``, ``global_clipnorm``,
            ``loss_scale_factor`` (see :func:`keras_transformation`).

    Returns:
        An ``optax.GradientTransformation`` with an :class:`OptimizerState` (slots:
        :class:`FtrlSlots`).

    Example:
        >>> import jax.numpy as jnp
        >>> from jnet.optimizers import keras_ftrl
        >>> tx = keras_ftrl(0.1, initial_accumulator_value=0.0)
        >>> params = jnp.zeros(1)
        >>> updates, state = tx.update(jnp.array([2.0]), tx.init(params), params)
        >>> round(updates.tolist()[0], 5)  # -z / (sqrt(n) / lr) = -2 / (2 / 0.1)
        -0.1
    """
    (
        learning_rate_power,
        initial_accumulator_value,
        l1_regularization_strength,
        l2_regularization_strength,
        l2_shrinkage_regularization_strength,
        beta,
    ) = _check_ftrl(
        learning_rate_power,
        initial_accumulator_value,
        l1_regularization_strength,
        l2_regularization_strength,
        l2_shrinkage_regularization_strength,
        beta,
    )
    return keras_transformation(
        _ftrl_rule(
            learning_rate_power,
            initial_accumulator_value,
            l1_regularization_strength,
            l2_regularization_strength,
            l2_shrinkage_regularization_strength,
            beta,
        ),
        learning_rate,
        **extras,
    )


class Ftrl(Optimizer):
    """The FTRL optimizer (Follow The Regularized Leader), Keras's ``keras.optimizers.Ftrl``.

    Same arguments, defaults and numbers as Keras (see :func:`keras_ftrl` for the rule).

    Args:
        learning_rate: a float >= 0 or a schedule ``step -> lr``. Defaults to 0.001.
        learning_rate_power: how the learning rate decreases, <= 0 (0 for a fixed rate).
            Defaults to -0.5.
        initial_accumulator_value: starting value of the accumulators, >= 0. Defaults to 0.1.
        l1_regularization_strength: L1 regularization, >= 0. Defaults to 0.0.
        l2_regularization_strength: L2 (stabilization) regularization, >= 0. Defaults to 0.0.
        l2_shrinkage_regularization_strength: L2 shrinkage (magnitude) penalty, >= 0. Defaults
            to 0.0.
        beta: the FTRL ``beta``, >= 0. Defaults to 0.0.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps, name,
            **kwargs: as in :class:`Optimizer`. The default name is 'ftrl'.

    Example:
        >>> import jnet.optimizers
        >>> jnet.optimizers.Ftrl().get_config()["learning_rate_power"]
        -0.5
    """

    def __init__(
        self,
        learning_rate: LearningRate = 0.001,
        learning_rate_power: float = -0.5,
        initial_accumulator_value: float = 0.1,
        l1_regularization_strength: float = 0.0,
        l2_regularization_strength: float = 0.0,
        l2_shrinkage_regularization_strength: float = 0.0,
        beta: float = 0.0,
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
        (
            self.learning_rate_power,
            self.initial_accumulator_value,
            self.l1_regularization_strength,
            self.l2_regularization_strength,
            self.l2_shrinkage_regularization_strength,
            self.beta,
        ) = _check_ftrl(
            learning_rate_power,
            initial_accumulator_value,
            l1_regularization_strength,
            l2_regularization_strength,
            l2_shrinkage_regularization_strength,
            beta,
        )

    def build(self) -> optax.GradientTransformation:
        """The optax transformation (see :func:`keras_ftrl`)."""
        return keras_ftrl(
            self.learning_rate,
            self.learning_rate_power,
            self.initial_accumulator_value,
            self.l1_regularization_strength,
            self.l2_regularization_strength,
            self.l2_shrinkage_regularization_strength,
            self.beta,
            **self._extras(),
        )

    def get_config(self) -> dict[str, Any]:
        """Keras's Ftrl config keys: the base keys plus Ftrl's own arguments."""
        return {
            **super().get_config(),
            "learning_rate_power": self.learning_rate_power,
            "initial_accumulator_value": self.initial_accumulator_value,
            "l1_regularization_strength": self.l1_regularization_strength,
            "l2_regularization_strength": self.l2_regularization_strength,
            "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
            "beta": self.beta,
        }
