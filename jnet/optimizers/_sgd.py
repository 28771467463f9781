"""SGD with Keras's momentum form (``keras/src/optimizers/sgd.py``).

Keras keeps a velocity ``v <- v * momentum - g * lr`` and adds it to the weights (Nesterov:
adds ``v * momentum - g * lr`` with the new ``v``). optax's ``sgd`` keeps an undamped trace
and multiplies it by the current learning rate, which differs in rounding and, under a
schedule, in value. This module reproduces Keras's operations one for one.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import optax

from jnet.optimizers._checks import LearningRate, _check_bool, _check_range
from jnet.optimizers._optimizer import Optimizer
from jnet.optimizers._transformation import (
    UpdateRule,
    _map_leaves,
    _unfused,
    keras_transformation,
)

__all__ = ["SGD", "SGDSlots", "keras_sgd"]


class SGDSlots(NamedTuple):
    """SGD's optimizer variables.

    Attributes:
        momentums: the velocities, shaped like the parameters; None when momentum is 0.
    """

    momentums: optax.Params | None


def _sgd_rule(momentum: float, nesterov: bool) -> UpdateRule:
    def init(params: optax.Params) -> SGDSlots:
        if momentum == 0:
            return SGDSlots(momentums=None)
        return SGDSlots(momentums=optax.tree.zeros_like(params))

    def step(grads, slots: SGDSlots, lr: jax.Array, iterations: jax.Array):
        del iterations
        if momentum == 0:  # w <- w - g * lr
            return jax.tree.map(lambda g: -_unfused(g * lr.astype(g.dtype)), grads), slots

        def leaf(g: jax.Array, m: jax.Array) -> tuple[jax.Array, jax.Array]:
            lr_ = lr.astype(m.dtype)
            g = g.astype(m.dtype)
            m = _unfused(m * momentum) - _unfused(g * lr_)  # v <- v * mu - g * lr
            increment = _unfused(m * momentum) - _unfused(g * lr_) if nesterov else m
            return increment, m

        increments, momentums = _map_leaves(leaf, grads, slots.momentums)
        return increments, SGDSlots(momentums=momentums)

    return UpdateRule(init, step)


def _check_sgd(momentum: Any, nesterov: Any) -> tuple[float, bool]:
    return _check_range("momentum", momentum, 0.0, 1.0), _check_bool("nesterov", nesterov)


def keras_sgd(
    learning_rate: LearningRate = 0.01,
    momentum: float = 0.0,
    nesterov: bool = False,
    **extras: Any,
) -> optax.GradientTransformation:
    """Keras's SGD as an optax transformation, bit for bit.

    Update rule for a weight ``w`` with gradient ``g``::

        momentum == 0:  w <- w - g * lr
        momentum > 0:   v <- v * momentum - g * lr;  w <- w + v
        nesterov:       v <- v * momentum - g * lr;  w <- w + (v * momentum - g * lr)

    Args:
        learning_rate: a float >= 0 or a schedule ``step -> lr``. Defaults to 0.01.
        momentum: a float in [0, 1]. Defaults to 0.0.
        nesterov: whether to use Nesterov momentum. Defaults to False.
        **extras: ``weight_decay``, ``clipnorm``, ``clipvalue``, ``global_clipnorm``,
            ``loss_scale_factor`` (see :func:`keras_transformation`).

    Returns:
        An ``optax.GradientTransformation`` with an :class:`OptimizerState` (slots:
        :class:`SGDSlots`).

    Example:
        >>> import jax.numpy as jnp
        >>> import optax
        >>> from jnet.optimizers import keras_sgd
        >>> tx = keras_sgd(0.1, momentum=0.9)
        >>> params = jnp.array([1.0])
        >>> state = tx.init(params)
        >>> for _ in range(2):
        ...     updates, state = tx.update(jnp.array([1.0]), state)
        ...     params = optax.apply_updates(params, updates)
        >>> params.tolist()
        [0.7099999785423279]
    """
    momentum, nesterov = _check_sgd(momentum, nesterov)
    return keras_transformation(_sgd_rule(momentum, nesterov), learning_rate, **extras)


class SGD(Optimizer):
    """Gradient descent with momentum, Keras's ``keras.optimizers.SGD``.

    Same arguments, defaults and numbers as Keras (see :func:`keras_sgd` for the rule).

    Args:
        learning_rate: a float >= 0 or a schedule ``step -> lr``. Defaults to 0.01.
        momentum: a float in [0, 1]. Defaults to 0.0.
        nesterov: whether to use Nesterov momentum. Defaults to False.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps, name,
            **kwargs: as in :class:`Optimizer`. The default name is 'sgd'.

    Example:
        >>> import jax.numpy as jnp
        >>> import jnet.optimizers
        >>> tx = jnet.optimizers.SGD(learning_rate=0.1, momentum=0.9).build()
        >>> updates, state = tx.update(jnp.ones(1), tx.init(jnp.zeros(1)))
        >>> updates.tolist()
        [-0.10000000149011612]
    """

    def __init__(
        self,
        learning_rate: LearningRate = 0.01,
        momentum: float = 0.0,
        nesterov: bool = False,
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
        self.momentum, self.nesterov = _check_sgd(momentum, nesterov)

    def build(self) -> optax.GradientTransformation:
        """The optax transformation (see :func:`keras_sgd`)."""
        return keras_sgd(self.learning_rate, self.momentum, self.nesterov, **self._extras())

    def get_config(self) -> dict[str, Any]:
        """Keras's SGD config keys: the base keys plus ``momentum`` and ``nesterov``."""
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
