"""Adam and AdamW with Keras's update rule (``keras/src/optimizers/adam.py``, ``adamw.py``).

Keras uses the paper's "epsilon hat" form: epsilon is added to the uncorrected ``sqrt(v)``
and the bias corrections are folded into the step size ``alpha``. No choice of ``optax.adam``
arguments reproduces it (optax adds epsilon to the corrected ``sqrt(v_hat)``), and
``optax.amsgrad`` takes its maximum over the corrected velocity; this module follows Keras's
operations one for one.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import optax

from jnet import errors
from jnet.optimizers._checks import LearningRate, _check_bool, _check_non_negative, _check_range
from jnet.optimizers._optimizer import Optimizer
from jnet.optimizers._transformation import (
    UpdateRule,
    _map_leaves,
    _unfused,
    keras_transformation,
)

__all__ = ["Adam", "AdamSlots", "AdamW", "keras_adam", "keras_adamw"]


class AdamSlots(NamedTuple):
    """Adam's optimizer variables, shaped like the parameters.

    Attributes:
        momentums: the first moments ``m``.
        velocities: the second moments ``v``.
        velocity_hats: the running maxima of ``v`` (AMSGrad); None when amsgrad is False.
    """

    momentums: optax.Params
    velocities: optax.Params
    velocity_hats: optax.Params | None


def _adam_rule(beta_1: float, beta_2: float, epsilon: float, amsgrad: bool) -> UpdateRule:
    def init(params: optax.Params) -> AdamSlots:
        return AdamSlots(
            momentums=optax.tree.zeros_like(params),
            velocities=optax.tree.zeros_like(params),
            velocity_hats=optax.tree.zeros_like(params) if amsgrad else None,
        )

    def step(grads, slots: AdamSlots, lr: jax.Array, iterations: jax.Array):
        def leaf(g, m, v, v_hat):
            dtype = m.dtype
            lr_ = lr.astype(dtype)
            g = g.astype(dtype)
            local_step = (iterations + 1).astype(dtype)
            beta_1_power = jnp.power(jnp.asarray(beta_1, dtype), local_step)
            beta_2_power = jnp.power(jnp.asarray(beta_2, dtype), local_step)
            alpha = lr_ * jnp.sqrt(1 - beta_2_power) / (1 - beta_1_power)
            m = m + _unfused((g - m) * (1 - beta_1))
            v = v + _unfused((jnp.square(g) - v) * (1 - beta_2))
            if amsgrad:
                v_hat = jnp.maximum(v_hat, v)
            denominator = jnp.sqrt(v_hat if amsgrad else v) + epsilon
            return -((m * alpha) / denominator), m, v, v_hat

        increments, momentums, velocities, velocity_hats = _map_leaves(
            leaf, grads, slots.momentums, slots.velocities, slots.velocity_hats
        )
        return increments, AdamSlots(
            momentums=momentums,
            velocities=velocities,
            velocity_hats=velocity_hats if amsgrad else None,
        )

    return UpdateRule(init, step)


def _check_adam(beta_1: Any, beta_2: Any, epsilon: Any, amsgrad: Any) -> tuple:
    return (
        _check_range("beta_1", beta_1, 0.0, 1.0, high_open=True),
        _check_range("beta_2", beta_2, 0.0, 1.0, high_open=True),
        _check_non_negative("epsilon", epsilon),
        _check_bool("amsgrad", amsgrad),
    )


def keras_adam(
    learning_rate: LearningRate = 0.001,
    beta_1: float = 0.9,
    beta_2: float = 0.999,
    epsilon: float = 1e-7,
    amsgrad: bool = False,
    **extras: Any,
) -> optax.GradientTransformation:
    """Keras's Adam as an optax transformation, bit for bit.

    With ``t = iterations + 1`` (float32)::

        m <- m + (g - m) * (1 - beta_1)
        v <- v + (g**2 - v) * (1 - beta_2)
        v_hat <- max(v_hat, v)                       # amsgrad only; then v_hat replaces v
        alpha = lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)
        w <- w - (m * alpha) / (sqrt(v) + epsilon)

    Args:
        learning_rate: a float >= 0 or a schedule ``step -> lr``. Defaults to 0.001.
        beta_1: decay rate of the first moment, in [0, 1). Defaults to 0.9.
        beta_2: decay rate of the second moment, in [0, 1). Defaults to 0.999.
        epsilon: added to ``sqrt(v)``, >= 0. Defaults to 1e-7 (Keras's, not optax's 1e-8).
        amsgrad: whether to use AMSGrad. Defaults to False.
        **extras: ``weight_decay``, ``clipnorm``, ``clipvalue``, ``global_clipnorm``,
            ``loss_scale_factor`` (see :func:`keras_transformation`).

    Returns:
        An ``optax.GradientTransformation`` with an :class:`OptimizerState` (slots:
        :class:`AdamSlots`).

    Example:
        >>> import jax.numpy as jnp
        >>> from jnet.optimizers import keras_adam
        >>> tx = keras_adam(0.1)
        >>> updates, state = tx.update(jnp.array([2.0]), tx.init(jnp.zeros(1)))
        >>> round(updates.tolist()[0], 5)  # the first step moves by about lr
        -0.1
    """
    beta_1, beta_2, epsilon, amsgrad = _check_adam(beta_1, beta_2, epsilon, amsgrad)
    return keras_transformation(
        _adam_rule(beta_1, beta_2, epsilon, amsgrad), learning_rate, **extras
    )


def keras_adamw(
    learning_rate: LearningRate = 0.001,
    weight_decay: float = 0.004,
    beta_1: float = 0.9,
    beta_2: float = 0.999,
    epsilon: float = 1e-7,
    amsgrad: bool = False,
    **extras: Any,
) -> optax.GradientTransformation:
    """Keras's AdamW: ``w <- w - w * weight_decay * lr``, then the Adam step of :func:`keras_adam`.

    Args:
        learning_rate: a float >= 0 or a schedule ``step -> lr``. Defaults to 0.001.
        weight_decay: the decoupled decay rate, >= 0. Defaults to 0.004 (Keras's).
        beta_1, beta_2, epsilon, amsgrad: as in :func:`keras_adam`.
        **extras: ``clipnorm``, ``clipvalue``, ``global_clipnorm``, ``loss_scale_factor``.

    Returns:
        An ``optax.GradientTransformation``; its ``update`` needs ``params``.

    Example:
        >>> import jax.numpy as jnp
        >>> from jnet.optimizers import keras_adamw
        >>> tx = keras_adamw(0.1, weight_decay=0.5)
        >>> params = jnp.array([1.0])
        >>> updates, _ = tx.update(jnp.array([0.0]), tx.init(params), params)
        >>> round(updates.tolist()[0], 6)
        -0.05
    """
    weight_decay = _check_weight_decay(weight_decay)
    return keras_adam(
        learning_rate, beta_1, beta_2, epsilon, amsgrad, weight_decay=weight_decay, **extras
    )


def _check_weight_decay(weight_decay: Any) -> float:
    if weight_decay is None:
        raise errors.JnetValueError(
            "AdamW needs a weight decay: argument `weight_decay` must be a float >= 0; "
            "received weight_decay=None. Use Adam for no decay."
        )
    return _check_non_negative("weight_decay", weight_decay)


class Adam(Optimizer):
    """The Adam optimizer, Keras's ``keras.optimizers.Adam``.

    Same arguments, defaults and numbers as Keras (see :func:`keras_adam` for the rule).

    Args:
        learning_rate: a float >= 0 or a schedule ``step -> lr``. Defaults to 0.001.
        beta_1: decay rate of the first moment, in [0, 1). Defaults to 0.9.
        beta_2: decay rate of the second moment, in [0, 1). Defaults to 0.999.
        epsilon: added to ``sqrt(v)``, >= 0. Defaults to 1e-7.
        amsgrad: whether to use AMSGrad. Defaults to False.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps, name,
            **kwargs: as in :class:`Optimizer`. The default name is 'adam'.

    Example:
        >>> import jax.numpy as jnp
        >>> import jnet.optimizers
        >>> opt = jnet.optimizers.Adam(learning_rate=0.01)
        >>> opt.get_config()["epsilon"]
        1e-07
        >>> state = opt.build().init({"w": jnp.zeros((2, 3))})
        >>> state.slots.momentums["w"].shape
        (2, 3)
    """

    def __init__(
        self,
        learning_rate: LearningRate = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
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
        self.beta_1, self.beta_2, self.epsilon, self.amsgrad = _check_adam(
            beta_1, beta_2, epsilon, amsgrad
        )

    def build(self) -> optax.GradientTransformation:
        """The optax transformation (see :func:`keras_adam`)."""
        return keras_adam(
            self.learning_rate,
            self.beta_1,
            self.beta_2,
            self.epsilon,
            self.amsgrad,
            **self._extras(),
        )

    def get_config(self) -> dict[str, Any]:
        """Keras's Adam config keys: the base keys plus the betas, epsilon and amsgrad."""
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
            "amsgrad": self.amsgrad,
        }


class AdamW(Adam):
    """Adam with decoupled weight decay, Keras's ``keras.optimizers.AdamW``.

    Before each Adam step every parameter is decayed: ``w <- w - w * weight_decay * lr``.

    Args:
        learning_rate: a float >= 0 or a schedule ``step -> lr``. Defaults to 0.001.
        weight_decay: the decay rate, >= 0 (None is rejected, as in Keras). Defaults to 0.004.
        beta_1, beta_2, epsilon, amsgrad: as in :class:`Adam`.
        clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum, ema_overwrite_frequency,
            loss_scale_factor, gradient_accumulation_steps, name, **kwargs: as in
            :class:`Optimizer`. The default name is 'adam_w' (Keras's).

    Example:
        >>> import jnet.optimizers
        >>> jnet.optimizers.AdamW().get_config()["weight_decay"]
        0.004
    """

    def __init__(
        self,
        learning_rate: LearningRate = 0.001,
        weight_decay: float = 0.004,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
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
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            amsgrad=amsgrad,
            weight_decay=_check_weight_decay(weight_decay),
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
