"""Nadam with Keras's update rule (``keras/src/optimizers/nadam.py``).

Keras's Nadam uses Dozat's momentum schedule ``u_t = beta_1 * (1 - 0.5 * 0.96**t)`` and
keeps the running product of the ``u_t`` in one scalar variable (``u_product``), updated
once per step before the per-variable updates. optax's ``nadam`` has no such schedule.
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

__all__ = ["Nadam", "NadamSlots", "keras_nadam"]


class NadamSlots(NamedTuple):
    """Nadam's optimizer variables.

    Attributes:
        momentums: the first moments ``m``.
        velocities: the second moments ``v``.
        u_product: scalar, the product of the momentum schedule so far.
    """

    momentums: optax.Params
    velocities: optax.Params
    u_product: jax.Array


def _nadam_rule(beta_1: float, beta_2: float, epsilon: float) -> UpdateRule:
    def init(params: optax.Params) -> NadamSlots:
        leaves = jax.tree.leaves(params)
        dtype = leaves[0].dtype if leaves else jnp.float32
        return NadamSlots(
            momentums=optax.tree.zeros_like(params),
            velocities=optax.tree.zeros_like(params),
            u_product=jnp.ones([], dtype),
        )

    def step(grads, slots: NadamSlots, lr: jax.Array, iterations: jax.Array):
        # Keras's _backend_update_step: u_product *= beta_1 * (1 - 0.5 * 0.96**(t)), once.
        u_dtype = slots.u_product.dtype
        decay_power = jnp.power(jnp.asarray(0.96, u_dtype), (iterations + 1).astype(u_dtype))
        u_product = _unfused(
            (slots.u_product * jnp.asarray(beta_1, u_dtype)) * (1.0 - _unfused(0.5 * decay_power))
        )

        def leaf(g, m, v):
            dtype = m.dtype
            lr_ = lr.astype(dtype)
            g = g.astype(dtype)
            local_step = (iterations + 1).astype(dtype)
            next_step = (iterations + 2).astype(dtype)
            decay = jnp.asarray(0.96, dtype)
            b1 = jnp.asarray(beta_1, dtype)
            b2 = jnp.asarray(beta_2, dtype)
            # Each product is rounded before `1 - ...` reads it (no fused multiply-add).
            u_t = _unfused(b1 * (1.0 - _unfused(0.5 * jnp.power(decay, local_step))))
            u_t_1 = _unfused(b1 * (1.0 - _unfused(0.5 * jnp.power(decay, next_step))))
            u_product_t = u_product.astype(dtype)
            u_product_t_1 = _unfused(u_product_t * u_t_1)
            beta_2_power = jnp.power(b2, local_step)
            m = m + _unfused((g - m) * (1 - b1))
            v = v + _unfused((_unfused(jnp.square(g)) - v) * (1 - b2))
            # _unfused keeps XLA from reassociating (a * x) / b into x * (a / b).
            m_hat = _divide(_unfused(u_t_1 * m), 1 - u_product_t_1) + _divide(
                _unfused((1 - u_t) * g), 1 - u_product_t
            )
            v_hat = _divide(v, 1 - beta_2_power)
            return -((m_hat * lr_) / (_unfused(jnp.sqrt(v_hat)) + epsilon)), m, v

        increments, momentums, velocities = _map_leaves(
            leaf, grads, slots.momentums, slots.velocities
        )
        return increments, NadamSlots(
            momentums=momentums, velocities=velocities, u_product=u_product
        )

    return UpdateRule(init, step)


def _check_nadam(beta_1: Any, beta_2: Any, epsilon: Any) -> tuple:
    return (
        _check_range("beta_1", beta_1, 0.0, 1.0, high_open=True),
        _check_range("beta_2", beta_2, 0.0, 1.0, high_open=True),
        _check_non_negative("epsilon", epsilon),
    )


def keras_nadam(
    learning_rate: LearningRate = 0.001,
    beta_1: float = 0.9,
    beta_2: float = 0.999,
    epsilon: float = 1e-7,
    **extras: Any,
) -> optax.GradientTransformation:
    """Keras's Nadam as an optax transformation.

    Update rule (Keras's ``keras/src/optimizers/nadam.py``, op for op)::

        u_t = beta_1 * (1 - 0.5 * 0.96**t);  u_t1 = beta_1 * (1 - 0.5 * 0.96**(t + 1))
        u_product <- u_product * beta_1 * (1 - 0.5 * 0.96**t)           # once per step
        m <- m + (g - m) * (1 - beta_1);  v <- v + (g**2 - v) * (1 - beta_2)
        m_hat = u_t1 * m / (1 - u_product * u_t1) + (1 - u_t) * g / (1 - u_product)
        v_hat = v / (1 - beta_2**t)
        w <- w - (m_hat * lr) / (sqrt(v_hat) + epsilon)

    Args:
        learning_rate: a float >= 0 or a schedule ``step -> lr``. Defaults to 0.001.
        beta_1: decay rate of the first moment, in [0, 1). Defaults to 0.9.
        beta_2: decay rate of the second moment, in [0, 1). Defaults to 0.999.
        epsilon: added to ``sqrt(v_hat)``, >= 0. Defaults to 1e-7.
        **extras: ``weight_decay``, ``clipnorm``, ``clipvalue``, ``global_clipnorm``,
            ``loss_scale_factor`` (see :func:`keras_transformation`).

    Returns:
        An ``optax.GradientTransformation`` with an :class:`OptimizerState` (slots:
        :class:`NadamSlots`).

    Example:
        >>> import jax.numpy as jnp
        >>> from jnet.optimizers import keras_nadam
        >>> tx = keras_nadam(0.1)
        >>> state = tx.init(jnp.zeros(1))
        >>> updates, state = tx.update(jnp.array([2.0]), state)
        >>> round(float(state.slots.u_product), 6)  # 0.9 * (1 - 0.5 * 0.96)
        0.468
    """
    beta_1, beta_2, epsilon = _check_nadam(beta_1, beta_2, epsilon)
    return keras_transformation(_nadam_rule(beta_1, beta_2, epsilon), learning_rate, **extras)


class Nadam(Optimizer):
    """Adam with Nesterov momentum, Keras's ``keras.optimizers.Nadam``.

    Same arguments, defaults and numbers as Keras (see :func:`keras_nadam` for the rule).

    Args:
        learning_rate: a float >= 0 or a schedule ``step -> lr``. Defaults to 0.001.
        beta_1: decay rate of the first moment, in [0, 1). Defaults to 0.9.
        beta_2: decay rate of the second moment, in [0, 1). Defaults to 0.999.
        epsilon: added to ``sqrt(v_hat)``, >= 0. Defaults to 1e-7.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps, name,
            **kwargs: as in :class:`Optimizer`. The default name is 'nadam'.

    Example:
        >>> import jnet.optimizers
        >>> jnet.optimizers.Nadam().get_config()["epsilon"]
        1e-07
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
        self.beta_1, self.beta_2, self.epsilon = _check_nadam(beta_1, beta_2, epsilon)

    def build(self) -> optax.GradientTransformation:
        """The optax transformation (see :func:`keras_nadam`)."""
        return keras_nadam(
            self.learning_rate,
            self.beta_1,
            self.beta_2,
            self.epsilon,
            **self._extras(),
        )

    def get_config(self) -> dict[str, Any]:
        """Keras's Nadam config keys: the base keys plus Nadam's own arguments."""
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
        }
