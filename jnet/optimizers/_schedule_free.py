"""Schedule-Free AdamW with Keras's update rule (``keras/src/optimizers/schedule_free_adamw.py``).

The optimizer keeps ``z`` (Keras's ``momentum`` slot, started at the initial weights) where the
Adam-normalized gradient steps land, and the model's weights ``y`` are an interpolation of
``z`` and the running average ``x``; ``x`` itself is not stored but recovered from ``y`` and
the previous ``z``. Like Keras, jnet trains and evaluates with ``y``: Keras swaps no weights for
evaluation (the reference implementation's ``eval()`` / ``train()`` switch has no Keras
counterpart), and neither does jnet.

Difference from Keras's TensorFlow backend (deliberate): Keras keeps ``momentum_old =
momentum.value`` to recover ``x``, but on TensorFlow ``.value`` is the variable itself, so it
reads the momentum after its update (``z_new``) and recovers a wrong ``x`` (weights differ by
about 1e-3 after a few steps). jnet uses the momentum before the update, as the algorithm and
Keras's JAX backend do.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import optax

from jnet import errors
from jnet.optimizers._checks import LearningRate, _check_non_negative, _check_range
from jnet.optimizers._optimizer import Optimizer
from jnet.optimizers._transformation import (
    UpdateRule,
    _map_leaves,
    _unfused,
    keras_transformation,
)

__all__ = ["ScheduleFreeAdamW", "ScheduleFreeSlots", "keras_schedule_free_adamw"]


class ScheduleFreeSlots(NamedTuple):
    """Schedule-Free AdamW's optimizer variables.

    Attributes:
        momentums: ``z``, the sequence the gradient steps move (starts at the weights).
        velocities: the second moments ``v``.
    """

    momentums: optax.Params
    velocities: optax.Params


def _schedule_free_rule(beta_1: float, beta_2: float, epsilon: float,
                        warmup_steps: int) -> UpdateRule:
    def init(params: optax.Params) -> ScheduleFreeSlots:
        return ScheduleFreeSlots(momentums=jax.tree.map(jnp.array, params),
                                 velocities=optax.tree.zeros_like(params))

    def step(grads, slots: ScheduleFreeSlots, lr, iterations, params):
        def leaf(g, z, v, y):
            dtype = y.dtype
            lr_ = lr.astype(dtype)
            g = g.astype(dtype)
            local_step = (iterations + 1).astype(dtype)
            b1 = jnp.asarray(beta_1, dtype)
            b2 = jnp.asarray(beta_2, dtype)
            if warmup_steps > 0:
                lr_ = lr_ * jnp.minimum(local_step / jnp.asarray(warmup_steps, dtype), 1.0)
            bias_correction_2 = 1 - jnp.power(b2, local_step)
            v = v + _unfused((jnp.square(g) - v) * (1 - b2))
            denom = _unfused(jnp.sqrt(v / bias_correction_2)) + jnp.asarray(epsilon, dtype)
            z_new = z - _unfused(lr_ * g) / denom
            weight = 1.0 / local_step
            x_old = (y - _unfused((1 - b1) * z)) / b1
            x_new = _unfused((1 - weight) * x_old) + _unfused(weight * z_new)
            y_new = _unfused((1 - b1) * z_new) + _unfused(b1 * x_new)
            return y_new - y, z_new, v

        increments, momentums, velocities = _map_leaves(
            leaf, grads, slots.momentums, slots.velocities, params)
        return increments, ScheduleFreeSlots(momentums=momentums, velocities=velocities)

    return UpdateRule(init, step, reads_params=True)


def _check_schedule_free(beta_1: Any, beta_2: Any, epsilon: Any, warmup_steps: Any) -> tuple:
    if isinstance(warmup_steps, bool) or not isinstance(warmup_steps, int) or warmup_steps < 0:
        raise errors.JnetValueError(
            f"Argument `warmup_steps` must be an int >= 0; received warmup_steps="
            f"{warmup_steps!r}.")
    beta_1 = _check_range("beta_1", beta_1, 0.0, 1.0)
    if beta_1 == 0:  # x is recovered by dividing by beta_1
        raise errors.JnetValueError(
            "Argument `beta_1` must be a float in (0, 1]; received beta_1=0.")
    return (
        beta_1,
        _check_range("beta_2", beta_2, 0.0, 1.0, high_open=True),
        _check_non_negative("epsilon", epsilon),
        warmup_steps,
    )


def keras_schedule_free_adamw(
    learning_rate: LearningRate = 0.0025,
    beta_1: float = 0.9,
    beta_2: float = 0.999,
    epsilon: float = 1e-8,
    warmup_steps: int = 0,
    **extras: Any,
) -> optax.GradientTransformation:
    """Keras's Schedule-Free AdamW as an optax transformation.

    With ``t = iterations + 1``, ``lr_t = lr * min(t / warmup_steps, 1)`` (when warming up)
    and the weights ``y``::

        v <- v + (g**2 - v) * (1 - beta_2)
        z_new = z - lr_t * g / (sqrt(v / (1 - beta_2**t)) + epsilon)
        x = (y - (1 - beta_1) * z) / beta_1
        x <- (1 - 1/t) * x + (1/t) * z_new
        y <- (1 - beta_1) * z_new + beta_1 * x;   z <- z_new

    Args:
        learning_rate: a float >= 0 or a schedule ``step -> lr``. Defaults to 0.0025.
        beta_1: the interpolation between ``z`` and ``x``, in (0, 1]. Defaults to 0.9.
        beta_2: decay rate of the second moment, in [0, 1). Defaults to 0.999.
        epsilon: added to the denominator. Defaults to 1e-8.
        warmup_steps: steps of linear learning-rate warmup. Defaults to 0.
        **extras: ``weight_decay``, ``clipnorm``, ``clipvalue``, ``global_clipnorm``,
            ``loss_scale_factor`` (see :func:`keras_transformation`).

    Returns:
        An ``optax.GradientTransformation`` (slots: :class:`ScheduleFreeSlots`); its
        ``update`` needs ``params``.

    Example:
        >>> import jax.numpy as jnp
        >>> from jnet.optimizers import keras_schedule_free_adamw
        >>> tx = keras_schedule_free_adamw(0.1)
        >>> params = jnp.zeros(1)
        >>> updates, _ = tx.update(jnp.ones(1), tx.init(params), params)
        >>> round(updates.tolist()[0], 5)  # on the first step x, y and z meet
        -0.1
    """
    beta_1, beta_2, epsilon, warmup_steps = _check_schedule_free(
        beta_1, beta_2, epsilon, warmup_steps)
    return keras_transformation(
        _schedule_free_rule(beta_1, beta_2, epsilon, warmup_steps), learning_rate, **extras)


class ScheduleFreeAdamW(Optimizer):
    """Schedule-Free AdamW, Keras's ``keras.optimizers.ScheduleFreeAdamW``.

    Same arguments, defaults and numbers as Keras (see :func:`keras_schedule_free_adamw`).
    The model trains and evaluates with the interpolated weights ``y``, as in Keras.

    Args:
        learning_rate: a float >= 0 or a schedule ``step -> lr``. Defaults to 0.0025.
        beta_1: the interpolation between ``z`` and ``x``, in (0, 1]. Defaults to 0.9.
        beta_2: decay rate of the second moment, in [0, 1). Defaults to 0.999.
        epsilon: added to the denominator. Defaults to 1e-8.
        warmup_steps: steps of linear learning-rate warmup. Defaults to 0.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps, name,
            **kwargs: as in :class:`Optimizer`. The default name is 'schedule_free_adam_w'.

    Example:
        >>> import jnet.optimizers
        >>> opt = jnet.optimizers.ScheduleFreeAdamW()
        >>> opt.name, opt.get_config()["warmup_steps"]
        ('schedule_free_adam_w', 0)
    """

    def __init__(
        self,
        learning_rate: LearningRate = 0.0025,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        warmup_steps: int = 0,
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
        self.beta_1, self.beta_2, self.epsilon, self.warmup_steps = _check_schedule_free(
            beta_1, beta_2, epsilon, warmup_steps)

    def build(self) -> optax.GradientTransformation:
        """The optax transformation (see :func:`keras_schedule_free_adamw`)."""
        return keras_schedule_free_adamw(
            self.learning_rate, self.beta_1, self.beta_2, self.epsilon, self.warmup_steps,
            **self._extras())

    def get_config(self) -> dict[str, Any]:
        """Keras's config keys: the base keys plus the betas, epsilon and warmup_steps."""
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
            "warmup_steps": self.warmup_steps,
        }
