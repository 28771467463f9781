"""Adamax with Keras's update rule (``keras/src/optimizers/adamax.py``).

Keras adds epsilon to the infinity norm ``u`` and divides by the bias correction of the
first moment in the denominator; this module follows its operations one for one.
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

__all__ = ["Adamax", "AdamaxSlots", "keras_adamax"]


class AdamaxSlots(NamedTuple):
    """Adamax's optimizer variables.

    Attributes:
        momentums: the first moments ``m``.
        norms: the exponentially weighted infinity norms ``u``.
    """

    momentums: optax.Params
    norms: optax.Params


def _adamax_rule(beta_1: float, beta_2: float, epsilon: float) -> UpdateRule:
    def init(params: optax.Params) -> AdamaxSlots:
        return AdamaxSlots(
            momentums=optax.tree.zeros_like(params), norms=optax.tree.zeros_like(params)
        )

    def step(grads, slots: AdamaxSlots, lr: jax.Array, iterations: jax.Array):
        def leaf(g, m, u):
            dtype = m.dtype
            g = g.astype(dtype)
            local_step = (iterations + 1).astype(dtype)
            beta_1_power = jnp.power(jnp.asarray(beta_1, dtype), local_step)
            m = m + _unfused((g - m) * (1 - beta_1))
            u = jnp.maximum(beta_2 * u, jnp.abs(g))
            denominator = (1 - beta_1_power) * (u + epsilon)
            return -((lr.astype(dtype) * m) / denominator), m, u

        increments, momentums, norms = _map_leaves(leaf, grads, slots.momentums, slots.norms)
        return increments, AdamaxSlots(momentums=momentums, norms=norms)

    return UpdateRule(init, step)


def _check_adamax(beta_1: Any, beta_2: Any, epsilon: Any) -> tuple:
    return (
        _check_range("beta_1", beta_1, 0.0, 1.0, high_open=True),
        _check_range("beta_2", beta_2, 0.0, 1.0, high_open=True),
        _check_non_negative("epsilon", epsilon),
    )


def keras_adamax(
    learning_rate: LearningRate = 0.001,
    beta_1: float = 0.9,
    beta_2: float = 0.999,
    epsilon: float = 1e-7,
    **extras: Any,
) -> optax.GradientTransformation:
    """Keras's Adamax as an optax transformation.

    Update rule (Keras's ``keras/src/optimizers/adamax.py``, op for op)::

        m <- m + (g - m) * (1 - beta_1)
        u <- max(beta_2 * u, |g|)
        w <- w - (lr * m) / ((1 - beta_1**t) * (u + epsilon))      # t = iterations + 1

    Args:
        learning_rate: a float >= 0 or a schedule ``step -> lr``. Defaults to 0.001.
        beta_1: decay rate of the first moment, in [0, 1). Defaults to 0.9.
        beta_2: decay rate of the infinity norm, in [0, 1). Defaults to 0.999.
        epsilon: added to the infinity norm, >= 0. Defaults to 1e-7.
        **extras: ``weight_decay``, ``clipnorm``, ``clipvalue``, ``global_clipnorm``,
            ``loss_scale_factor`` (see :func:`keras_transformation`).

    Returns:
        An ``optax.GradientTransformation`` with an :class:`OptimizerState` (slots:
        :class:`AdamaxSlots`).

    Example:
        >>> import jax.numpy as jnp
        >>> from jnet.optimizers import keras_adamax
        >>> tx = keras_adamax(0.1)
        >>> updates, state = tx.update(jnp.array([2.0]), tx.init(jnp.zeros(1)))
        >>> round(updates.tolist()[0], 5)  # the first step moves by about lr
        -0.1
    """
    beta_1, beta_2, epsilon = _check_adamax(beta_1, beta_2, epsilon)
    return keras_transformation(_adamax_rule(beta_1, beta_2, epsilon), learning_rate, **extras)


class Adamax(Optimizer):
    """The Adamax optimizer (Adam with the infinity norm), Keras's ``keras.optimizers.Adamax``.

    Same arguments, defaults and numbers as Keras (see :func:`keras_adamax` for the rule).

    Args:
        learning_rate: a float >= 0 or a schedule ``step -> lr``. Defaults to 0.001.
        beta_1: decay rate of the first moment, in [0, 1). Defaults to 0.9.
        beta_2: decay rate of the infinity norm, in [0, 1). Defaults to 0.999.
        epsilon: added to the infinity norm, >= 0. Defaults to 1e-7.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps, name,
            **kwargs: as in :class:`Optimizer`. The default name is 'adamax'.

    Example:
        >>> import jnet.optimizers
        >>> jnet.optimizers.Adamax().get_config()["beta_2"]
        0.999
    """

    def __init__(
        self,
        learning_rate: LearningRate = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
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
        self.beta_1, self.beta_2, self.epsilon = _check_adamax(beta_1, beta_2, epsilon)

    def build(self) -> optax.GradientTransformation:
        """The optax transformation (see :func:`keras_adamax`)."""
        return keras_adamax(
            self.learning_rate,
            self.beta_1,
            self.beta_2,
            self.epsilon,
            **self._extras(),
        )

    def get_config(self) -> dict[str, Any]:
        """Keras's Adamax config keys: the base keys plus Adamax's own arguments."""
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
        }
