"""Lion with Keras's update rule (``keras/src/optimizers/lion.py``).

Keras computes ``1 - beta`` in the variable's dtype (float32, not in Python's double) and
steps by ``lr * sign(...)``; this module follows its operations one for one.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import optax

from jnet import errors
from jnet.optimizers._checks import LearningRate, _check_range
from jnet.optimizers._optimizer import Optimizer
from jnet.optimizers._transformation import (
    UpdateRule,
    _map_leaves,
    _unfused,
    keras_transformation,
)

__all__ = ["Lion", "LionSlots", "keras_lion"]


class LionSlots(NamedTuple):
    """Lion's optimizer variables.

    Attributes:
        momentums: the momentums ``m``.
    """

    momentums: optax.Params


def _lion_rule(beta_1: float, beta_2: float) -> UpdateRule:
    def init(params: optax.Params) -> LionSlots:
        return LionSlots(momentums=optax.tree.zeros_like(params))

    def step(grads, slots: LionSlots, lr: jax.Array, iterations: jax.Array):
        del iterations

        def leaf(g, m):
            dtype = m.dtype
            g = g.astype(dtype)
            b1 = jnp.asarray(beta_1, dtype)
            b2 = jnp.asarray(beta_2, dtype)
            direction = jnp.sign(_unfused(m * b1) + _unfused(g * (1.0 - b1)))
            increment = -(lr.astype(dtype) * direction)
            m = _unfused(m * b2) + _unfused(g * (1.0 - b2))
            return increment, m

        increments, momentums = _map_leaves(leaf, grads, slots.momentums)
        return increments, LionSlots(momentums=momentums)

    return UpdateRule(init, step)


def _check_lion_beta_1(beta_1: Any) -> float:
    beta_1 = _check_range("beta_1", beta_1, 0.0, 1.0)
    if beta_1 == 0:
        raise errors.JnetValueError(
            "Argument `beta_1` must be in (0, 1] (at 0 Lion degenerates to SignSGD); "
            "received beta_1=0."
        )
    return beta_1


def _check_lion(beta_1: Any, beta_2: Any) -> tuple:
    return (
        _check_lion_beta_1(beta_1),
        _check_range("beta_2", beta_2, 0.0, 1.0),
    )


def keras_lion(
    learning_rate: LearningRate = 0.001,
    beta_1: float = 0.9,
    beta_2: float = 0.99,
    **extras: Any,
) -> optax.GradientTransformation:
    """Keras's Lion as an optax transformation.

    Update rule (Keras's ``keras/src/optimizers/lion.py``, op for op)::

        w <- w - lr * sign(m * beta_1 + g * (1 - beta_1))
        m <- m * beta_2 + g * (1 - beta_2)

    Args:
        learning_rate: a float >= 0 or a schedule ``step -> lr``. Defaults to 0.001.
        beta_1: interpolation between momentum and gradient for the step, in (0, 1]. Defaults to
            0.9.
        beta_2: decay rate of the momentum, in [0, 1]. Defaults to 0.99.
        **extras: ``weight_decay``, ``clipnorm``, ``clipvalue``, ``global_clipnorm``,
            ``loss_scale_factor`` (see :func:`keras_transformation`).

    Returns:
        An ``optax.GradientTransformation`` with an :class:`OptimizerState` (slots:
        :class:`LionSlots`).

    Example:
        >>> import jax.numpy as jnp
        >>> from jnet.optimizers import keras_lion
        >>> tx = keras_lion(0.1)
        >>> updates, state = tx.update(jnp.array([3.0, -0.5]), tx.init(jnp.zeros(2)))
        >>> [round(u, 5) for u in updates.tolist()]
        [-0.1, 0.1]
    """
    beta_1, beta_2 = _check_lion(beta_1, beta_2)
    return keras_transformation(_lion_rule(beta_1, beta_2), learning_rate, **extras)


class Lion(Optimizer):
    """The Lion optimizer (evolved sign momentum), Keras's ``keras.optimizers.Lion``.

    Same arguments, defaults and numbers as Keras (see :func:`keras_lion` for the rule).

    Args:
        learning_rate: a float >= 0 or a schedule ``step -> lr``. Defaults to 0.001.
        beta_1: interpolation between momentum and gradient for the step, in (0, 1]. Defaults to
            0.9.
        beta_2: decay rate of the momentum, in [0, 1]. Defaults to 0.99.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps, name,
            **kwargs: as in :class:`Optimizer`. The default name is 'lion'.

    Example:
        >>> import jnet.optimizers
        >>> jnet.optimizers.Lion().get_config()["beta_2"]
        0.99
    """

    def __init__(
        self,
        learning_rate: LearningRate = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.99,
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
        self.beta_1, self.beta_2 = _check_lion(beta_1, beta_2)

    def build(self) -> optax.GradientTransformation:
        """The optax transformation (see :func:`keras_lion`)."""
        return keras_lion(
            self.learning_rate,
            self.beta_1,
            self.beta_2,
            **self._extras(),
        )

    def get_config(self) -> dict[str, Any]:
        """Keras's Lion config keys: the base keys plus Lion's own arguments."""
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
        }
