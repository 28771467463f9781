"""LAMB with Keras's update rule (``keras/src/optimizers/lamb.py``).

An Adam step (bias-corrected, epsilon outside the square root) scaled per tensor by the
trust ratio ``||w|| / ||update||``; the rule reads the (weight-decayed) parameters.
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
    _divide,
    _map_leaves,
    _unfused,
    keras_transformation,
)

__all__ = ["Lamb", "LambSlots", "keras_lamb"]


class LambSlots(NamedTuple):
    """Lamb's optimizer variables.

    Attributes:
        momentums: the first moments ``m``.
        velocities: the second moments ``v``.
    """

    momentums: optax.Params
    velocities: optax.Params


def _lamb_rule(beta_1: float, beta_2: float, epsilon: float) -> UpdateRule:
    def init(params: optax.Params) -> LambSlots:
        return LambSlots(
            momentums=optax.tree.zeros_like(params), velocities=optax.tree.zeros_like(params)
        )

    def step(grads, slots: LambSlots, lr: jax.Array, iterations: jax.Array, params):
        def leaf(g, w, m, v):
            dtype = m.dtype
            g = g.astype(dtype)
            local_step = (iterations + 1).astype(dtype)
            beta_1_power = jnp.power(jnp.asarray(beta_1, dtype), local_step)
            beta_2_power = jnp.power(jnp.asarray(beta_2, dtype), local_step)
            m = m + _unfused((g - m) * (1 - beta_1))
            v = v + _unfused((_unfused(jnp.square(g)) - v) * (1 - beta_2))
            m_t_hat = _divide(m, 1.0 - beta_1_power)
            v_sqrt = _unfused(jnp.sqrt(_divide(v, 1.0 - beta_2_power))) + epsilon
            update = m_t_hat / v_sqrt
            w_norm = jnp.sqrt(jnp.sum(jnp.square(w)))
            g_norm = jnp.sqrt(jnp.sum(jnp.square(update)))
            ratio = jnp.where(w_norm > 0, jnp.where(g_norm > 0, w_norm / g_norm, 1.0), 1.0).astype(
                dtype
            )
            return -((ratio * lr.astype(dtype)) * update), m, v

        increments, momentums, velocities = _map_leaves(
            leaf, grads, params, slots.momentums, slots.velocities
        )
        return increments, LambSlots(momentums=momentums, velocities=velocities)

    return UpdateRule(init, step, reads_params=True)


def _check_lamb(beta_1: Any, beta_2: Any, epsilon: Any) -> tuple:
    return (
        _check_range("beta_1", beta_1, 0.0, 1.0, high_open=True),
        _check_range("beta_2", beta_2, 0.0, 1.0, high_open=True),
        _check_non_negative("epsilon", epsilon),
    )


def keras_lamb(
    learning_rate: LearningRate = 0.001,
    beta_1: float = 0.9,
    beta_2: float = 0.999,
    epsilon: float = 1e-7,
    **extras: Any,
) -> optax.GradientTransformation:
    """Keras's Lamb as an optax transformation.

    Update rule (Keras's ``keras/src/optimizers/lamb.py``, op for op)::

        m <- m + (g - m) * (1 - beta_1);  v <- v + (g**2 - v) * (1 - beta_2)
        update = (m / (1 - beta_1**t)) / (sqrt(v / (1 - beta_2**t)) + epsilon)
        ratio = ||w|| / ||update||  (1 where either norm is 0)
        w <- w - ratio * lr * update

    Args:
        learning_rate: a float >= 0 or a schedule ``step -> lr``. Defaults to 0.001.
        beta_1: decay rate of the first moment, in [0, 1). Defaults to 0.9.
        beta_2: decay rate of the second moment, in [0, 1). Defaults to 0.999.
        epsilon: added to ``sqrt(v_hat)``, >= 0. Defaults to 1e-7.
        **extras: ``weight_decay``, ``clipnorm``, ``clipvalue``, ``global_clipnorm``,
            ``loss_scale_factor`` (see :func:`keras_transformation`).

    Returns:
        An ``optax.GradientTransformation`` with an :class:`OptimizerState` (slots:
        :class:`LambSlots`).

    Example:
        >>> import jax.numpy as jnp
        >>> from jnet.optimizers import keras_lamb
        >>> tx = keras_lamb(0.1)
        >>> params = jnp.array([3.0, 4.0])
        >>> updates, state = tx.update(jnp.array([1.0, 1.0]), tx.init(params), params)
        >>> [round(u, 4) for u in updates.tolist()]  # ||w|| = 5, ||update|| = sqrt(2)
        [-0.3536, -0.3536]
    """
    beta_1, beta_2, epsilon = _check_lamb(beta_1, beta_2, epsilon)
    return keras_transformation(_lamb_rule(beta_1, beta_2, epsilon), learning_rate, **extras)


class Lamb(Optimizer):
    """The LAMB optimizer (layer-wise adaptive Adam), Keras's ``keras.optimizers.Lamb``.

    Same arguments, defaults and numbers as Keras (see :func:`keras_lamb` for the rule).

    Args:
        learning_rate: a float >= 0 or a schedule ``step -> lr``. Defaults to 0.001.
        beta_1: decay rate of the first moment, in [0, 1). Defaults to 0.9.
        beta_2: decay rate of the second moment, in [0, 1). Defaults to 0.999.
        epsilon: added to ``sqrt(v_hat)``, >= 0. Defaults to 1e-7.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps, name,
            **kwargs: as in :class:`Optimizer`. The default name is 'lamb'.

    Example:
        >>> import jnet.optimizers
        >>> jnet.optimizers.Lamb().name
        'lamb'
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
        self.beta_1, self.beta_2, self.epsilon = _check_lamb(beta_1, beta_2, epsilon)

    def build(self) -> optax.GradientTransformation:
        """The optax transformation (see :func:`keras_lamb`)."""
        return keras_lamb(
            self.learning_rate,
            self.beta_1,
            self.beta_2,
            self.epsilon,
            **self._extras(),
        )

    def get_config(self) -> dict[str, Any]:
        """Keras's Lamb config keys: the base keys plus Lamb's own arguments."""
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
        }
