"""Adagrad with Keras's update rule (``keras/src/optimizers/adagrad.py``).

Keras starts the accumulators at ``initial_accumulator_value`` (0.1) and adds epsilon
inside the square root; optax's ``adagrad`` adds it outside. This module follows Keras.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import optax

from jnet.optimizers._checks import LearningRate, _check_non_negative
from jnet.optimizers._optimizer import Optimizer
from jnet.optimizers._transformation import (
    UpdateRule,
    _map_leaves,
    _unfused,
    keras_transformation,
)

__all__ = ["Adagrad", "AdagradSlots", "keras_adagrad"]


class AdagradSlots(NamedTuple):
    """Adagrad's optimizer variables.

    Attributes:
        accumulators: the running sums of squared gradients.
    """

    accumulators: optax.Params


def _adagrad_rule(initial_accumulator_value: float, epsilon: float) -> UpdateRule:
    def init(params: optax.Params) -> AdagradSlots:
        return AdagradSlots(
            accumulators=jax.tree.map(lambda p: jnp.full_like(p, initial_accumulator_value), params)
        )

    def step(grads, slots: AdagradSlots, lr: jax.Array, iterations: jax.Array):
        del iterations

        def leaf(g, accumulator):
            dtype = accumulator.dtype
            g = g.astype(dtype)
            accumulator = accumulator + _unfused(jnp.square(g))
            denominator = _unfused(jnp.sqrt(accumulator + epsilon))
            return -((lr.astype(dtype) * g) / denominator), accumulator

        increments, accumulators = _map_leaves(leaf, grads, slots.accumulators)
        return increments, AdagradSlots(accumulators=accumulators)

    return UpdateRule(init, step)


def _check_adagrad(initial_accumulator_value: Any, epsilon: Any) -> tuple:
    return (
        _check_non_negative("initial_accumulator_value", initial_accumulator_value),
        _check_non_negative("epsilon", epsilon),
    )


def keras_adagrad(
    learning_rate: LearningRate = 0.001,
    initial_accumulator_value: float = 0.1,
    epsilon: float = 1e-7,
    **extras: Any,
) -> optax.GradientTransformation:
    """Keras's Adagrad as an optax transformation.

    Update rule (Keras's ``keras/src/optimizers/adagrad.py``, op for op)::

        a <- a + g**2                        # a starts at initial_accumulator_value
        w <- w - (lr * g) / sqrt(a + epsilon)

    Args:
        learning_rate: a float >= 0 or a schedule ``step -> lr``. Defaults to 0.001.
        initial_accumulator_value: starting value of the accumulators, >= 0. Defaults to 0.1.
        epsilon: added inside the square root, >= 0. Defaults to 1e-7.
        **extras: ``weight_decay``, ``clipnorm``, ``clipvalue``, ``global_clipnorm``,
            ``loss_scale_factor`` (see :func:`keras_transformation`).

    Returns:
        An ``optax.GradientTransformation`` with an :class:`OptimizerState` (slots:
        :class:`AdagradSlots`).

    Example:
        >>> import jax.numpy as jnp
        >>> from jnet.optimizers import keras_adagrad
        >>> tx = keras_adagrad(0.1)
        >>> updates, state = tx.update(jnp.array([1.0]), tx.init(jnp.zeros(1)))
        >>> round(updates.tolist()[0], 5)  # -0.1 * 1 / sqrt(1.1)
        -0.09535
    """
    initial_accumulator_value, epsilon = _check_adagrad(initial_accumulator_value, epsilon)
    return keras_transformation(
        _adagrad_rule(initial_accumulator_value, epsilon), learning_rate, **extras
    )


class Adagrad(Optimizer):
    """The Adagrad optimizer, Keras's ``keras.optimizers.Adagrad``.

    Same arguments, defaults and numbers as Keras (see :func:`keras_adagrad` for the rule).

    Args:
        learning_rate: a float >= 0 or a schedule ``step -> lr``. Defaults to 0.001.
        initial_accumulator_value: starting value of the accumulators, >= 0. Defaults to 0.1.
        epsilon: added inside the square root, >= 0. Defaults to 1e-7.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps, name,
            **kwargs: as in :class:`Optimizer`. The default name is 'adagrad'.

    Example:
        >>> import jnet.optimizers
        >>> opt = jnet.optimizers.Adagrad(learning_rate=0.01)
        >>> opt.get_config()["initial_accumulator_value"], opt.name
        (0.1, 'adagrad')
    """

    def __init__(
        self,
        learning_rate: LearningRate = 0.001,
        initial_accumulator_value: float = 0.1,
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
        self.initial_accumulator_value, self.epsilon = _check_adagrad(
            initial_accumulator_value, epsilon
        )

    def build(self) -> optax.GradientTransformation:
        """The optax transformation (see :func:`keras_adagrad`)."""
        return keras_adagrad(
            self.learning_rate,
            self.initial_accumulator_value,
            self.epsilon,
            **self._extras(),
        )

    def get_config(self) -> dict[str, Any]:
        """Keras's Adagrad config keys: the base keys plus Adagrad's own arguments."""
        return {
            **super().get_config(),
            "initial_accumulator_value": self.initial_accumulator_value,
            "epsilon": self.epsilon,
        }
