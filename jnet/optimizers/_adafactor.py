"""Adafactor with Keras's update rule (``keras/src/optimizers/adafactor.py``).

Tensors of rank >= 2 keep factored second moments over their last two axes (row means
``r`` and column means ``c``); lower ranks keep a full ``v``. The step is scaled by
``max(epsilon_2, rms(w))``, so the rule reads the (weight-decayed) parameters.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import optax

from jnet.optimizers._checks import (
    LearningRate,
    _check_bool,
    _check_float,
    _check_non_negative,
    _check_positive,
)
from jnet.optimizers._optimizer import Optimizer
from jnet.optimizers._transformation import (
    UpdateRule,
    _divide,
    _map_leaves,
    _unfused,
    keras_transformation,
)

__all__ = ["Adafactor", "AdafactorSlots", "keras_adafactor"]


class AdafactorSlots(NamedTuple):
    """Adafactor's optimizer variables.

    Attributes:
        r: row means of the factored second moment (a zero scalar for tensors of rank < 2).
        c: column means of the factored second moment (a zero scalar for tensors of rank < 2).
        v: the second moments, shaped like the parameters.
    """

    r: optax.Params
    c: optax.Params
    v: optax.Params


def _mean(x: jax.Array, axis: int | None = None, keepdims: bool = False) -> jax.Array:
    """``sum / count`` as TensorFlow's ``reduce_mean`` (XLA would multiply by ``1 / count``)."""
    total = jnp.sum(x, axis=axis, keepdims=keepdims)
    count = x.size if axis is None else x.shape[axis]
    return _divide(total, jnp.asarray(count, x.dtype))


def _rms(x: jax.Array) -> jax.Array:
    return jnp.sqrt(_mean(jnp.square(x)))


def _adafactor_rule(
    beta_2_decay: float, epsilon_1: float, epsilon_2: float, clip_threshold: float
) -> UpdateRule:
    def factor(p: jax.Array, drop_axis: int) -> jax.Array:
        if p.ndim < 2:
            return jnp.zeros([], p.dtype)
        shape = list(p.shape)
        del shape[drop_axis]
        return jnp.zeros(shape, p.dtype)

    def init(params: optax.Params) -> AdafactorSlots:
        return AdafactorSlots(
            r=jax.tree.map(lambda p: factor(p, -1), params),
            c=jax.tree.map(lambda p: factor(p, -2), params),
            v=optax.tree.zeros_like(params),
        )

    def step(grads, slots: AdafactorSlots, lr: jax.Array, iterations: jax.Array, params):
        def leaf(g, w, r, c, v):
            dtype = v.dtype
            lr_ = lr.astype(dtype)
            g = g.astype(dtype)
            local_step = (iterations + 1).astype(dtype)
            rho_t = jnp.minimum(lr_, 1 / _unfused(jnp.sqrt(local_step)))
            alpha_t = jnp.maximum(jnp.asarray(epsilon_2, dtype), _rms(w)) * rho_t
            regulated_grad_square = _unfused(jnp.square(g)) + epsilon_1
            beta_2_t = 1 - jnp.power(local_step, beta_2_decay)
            if w.ndim >= 2:
                r = _unfused(beta_2_t * r) + _unfused(
                    (1 - beta_2_t) * _mean(regulated_grad_square, axis=-1)
                )
                c = _unfused(beta_2_t * c) + _unfused(
                    (1 - beta_2_t) * _mean(regulated_grad_square, axis=-2)
                )
                row_factor = _divide(r, _mean(r, axis=-1, keepdims=True))
                v = jnp.expand_dims(row_factor, -1) * jnp.expand_dims(c, -2)
            else:
                v = _unfused(beta_2_t * v) + _unfused((1 - beta_2_t) * regulated_grad_square)
            u_t = g / _unfused(jnp.sqrt(v))
            u_t_hat = _divide(u_t, jnp.maximum(1.0, _divide(_rms(u_t), clip_threshold)))
            return -(alpha_t * u_t_hat), r, c, v

        increments, r, c, v = _map_leaves(leaf, grads, params, slots.r, slots.c, slots.v)
        return increments, AdafactorSlots(r=r, c=c, v=v)

    return UpdateRule(init, step, reads_params=True)


def _check_adafactor(
    beta_2_decay: Any, epsilon_1: Any, epsilon_2: Any, clip_threshold: Any, relative_step: Any
) -> tuple:
    return (
        _check_float("beta_2_decay", beta_2_decay),
        _check_non_negative("epsilon_1", epsilon_1),
        _check_non_negative("epsilon_2", epsilon_2),
        _check_positive("clip_threshold", clip_threshold),
        _check_bool("relative_step", relative_step),
    )


def keras_adafactor(
    learning_rate: LearningRate = 0.001,
    beta_2_decay: float = -0.8,
    epsilon_1: float = 1e-30,
    epsilon_2: float = 0.001,
    clip_threshold: float = 1.0,
    relative_step: bool = True,
    **extras: Any,
) -> optax.GradientTransformation:
    """Keras's Adafactor as an optax transformation.

    Update rule (Keras's ``keras/src/optimizers/adafactor.py``, op for op)::

        rho_t = min(lr, 1 / sqrt(t));  alpha_t = max(epsilon_2, rms(w)) * rho_t
        beta_2_t = 1 - t**beta_2_decay;  s = g**2 + epsilon_1
        rank >= 2:  r <- beta_2_t * r + (1 - beta_2_t) * mean(s, -1)
                    c <- beta_2_t * c + (1 - beta_2_t) * mean(s, -2)
                    v = (r / mean(r, -1))[..., None] * c[..., None, :]
        otherwise:  v <- beta_2_t * v + (1 - beta_2_t) * s
        u = g / sqrt(v);  w <- w - alpha_t * u / max(1, rms(u) / clip_threshold)

    Args:
        learning_rate: a float >= 0 or a schedule ``step -> lr``. Defaults to 0.001.
        beta_2_decay: the decay rate of the second moment is ``1 - t**beta_2_decay``. Defaults
            to -0.8.
        epsilon_1: added to the squared gradients, >= 0. Defaults to 1e-30.
        epsilon_2: lower bound of the weights' RMS in the step size, >= 0. Defaults to 0.001.
        clip_threshold: RMS threshold of the normalized update, > 0. Defaults to 1.0.
        relative_step: cap the learning rate at ``1 / sqrt(t)`` (Keras's step size is capped
            there in any case, so this does not change the numbers). Defaults to True.
        **extras: ``weight_decay``, ``clipnorm``, ``clipvalue``, ``global_clipnorm``,
            ``loss_scale_factor`` (see :func:`keras_transformation`).

    Returns:
        An ``optax.GradientTransformation`` with an :class:`OptimizerState` (slots:
        :class:`AdafactorSlots`).

    Example:
        >>> import jax.numpy as jnp
        >>> from jnet.optimizers import keras_adafactor
        >>> tx = keras_adafactor(0.01)
        >>> params = jnp.ones((2, 3))
        >>> state = tx.init(params)
        >>> state.slots.r.shape, state.slots.c.shape
        ((2,), (3,))
        >>> updates, state = tx.update(jnp.ones((2, 3)), state, params)
        >>> round(updates.tolist()[0][0], 5)  # rms(w) * lr
        -0.01
    """
    beta_2_decay, epsilon_1, epsilon_2, clip_threshold, relative_step = _check_adafactor(
        beta_2_decay, epsilon_1, epsilon_2, clip_threshold, relative_step
    )
    return keras_transformation(
        _adafactor_rule(beta_2_decay, epsilon_1, epsilon_2, clip_threshold), learning_rate, **extras
    )


class Adafactor(Optimizer):
    """The Adafactor optimizer, Keras's ``keras.optimizers.Adafactor``.

    Same arguments, defaults and numbers as Keras (see :func:`keras_adafactor` for the rule).

    Args:
        learning_rate: a float >= 0 or a schedule ``step -> lr``. Defaults to 0.001.
        beta_2_decay: the decay rate of the second moment is ``1 - t**beta_2_decay``. Defaults
            to -0.8.
        epsilon_1: added to the squared gradients, >= 0. Defaults to 1e-30.
        epsilon_2: lower bound of the weights' RMS in the step size, >= 0. Defaults to 0.001.
        clip_threshold: RMS threshold of the normalized update, > 0. Defaults to 1.0.
        relative_step: cap the learning rate at ``1 / sqrt(t)`` (Keras's step size is capped
            there in any case, so this does not change the numbers). Defaults to True.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps, name,
            **kwargs: as in :class:`Optimizer`. The default name is 'adafactor'.

    Example:
        >>> import jnet.optimizers
        >>> jnet.optimizers.Adafactor().get_config()["epsilon_1"]
        1e-30
    """

    def __init__(
        self,
        learning_rate: LearningRate = 0.001,
        beta_2_decay: float = -0.8,
        epsilon_1: float = 1e-30,
        epsilon_2: float = 0.001,
        clip_threshold: float = 1.0,
        relative_step: bool = True,
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
            self.beta_2_decay,
            self.epsilon_1,
            self.epsilon_2,
            self.clip_threshold,
            self.relative_step,
        ) = _check_adafactor(beta_2_decay, epsilon_1, epsilon_2, clip_threshold, relative_step)

    def build(self) -> optax.GradientTransformation:
        """The optax transformation (see :func:`keras_adafactor`)."""
        return keras_adafactor(
            self.learning_rate,
            self.beta_2_decay,
            self.epsilon_1,
            self.epsilon_2,
            self.clip_threshold,
            self.relative_step,
            **self._extras(),
        )

    def get_config(self) -> dict[str, Any]:
        """Keras's Adafactor config keys: the base keys plus Adafactor's own arguments."""
        return {
            **super().get_config(),
            "beta_2_decay": self.beta_2_decay,
            "epsilon_1": self.epsilon_1,
            "epsilon_2": self.epsilon_2,
            "clip_threshold": self.clip_threshold,
            "relative_step": self.relative_step,
        }
