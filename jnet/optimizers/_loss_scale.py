"""``LossScaleOptimizer``: dynamic loss scaling for float16 training, as Keras's.

The train step multiplies the loss by the current scale before differentiating (so small
float16 gradients do not underflow); this optimizer divides the gradients by it again. A step
whose gradients are not all finite is skipped (weights and the inner optimizer's state stay
as they were) and halves the scale; after ``dynamic_growth_steps`` finite steps in a row the
scale doubles. The scale and the counter live in the optimizer state
(:class:`LossScaleState`), next to the inner optimizer's.

Example:
    >>> import jax.numpy as jnp
    >>> import jnet
    >>> opt = jnet.optimizers.LossScaleOptimizer(jnet.optimizers.SGD(0.1))
    >>> tx = opt.build()
    >>> state = tx.init(jnp.zeros(2))
    >>> float(loss_scale(state))
    32768.0
    >>> _, state = tx.update(jnp.array([jnp.inf, 1.0]), state, jnp.zeros(2))
    >>> float(loss_scale(state))
    16384.0
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import optax

from jnet import errors
from jnet.optimizers._optimizer import Optimizer

__all__ = ["LossScaleOptimizer", "LossScaleState", "loss_scale"]

#: Base-optimizer arguments Keras's LossScaleOptimizer accepts only at their defaults.
_BASE_DEFAULTS = {
    "weight_decay": None, "clipnorm": None, "global_clipnorm": None, "clipvalue": None,
    "use_ema": False, "ema_momentum": 0.99, "ema_overwrite_frequency": None,
    "loss_scale_factor": None, "gradient_accumulation_steps": None,
}


class LossScaleState(NamedTuple):
    """The state of a :class:`LossScaleOptimizer`: the inner optimizer's state, the finite
    steps since the scale last changed (int32) and the scale (float32)."""

    inner_state: Any
    step_counter: jax.Array
    dynamic_scale: jax.Array


def loss_scale(opt_state: Any) -> jax.Array | None:
    """The loss scale held by an optimizer state (a :class:`LossScaleState`), or None."""
    return opt_state.dynamic_scale if isinstance(opt_state, LossScaleState) else None


class LossScaleOptimizer(Optimizer):
    """An optimizer that dynamically scales the loss to prevent float16 underflow.

    Args:
        inner_optimizer: the jnet optimizer that applies the unscaled gradients.
        initial_scale: the first loss scale. Defaults to ``2**15``.
        dynamic_growth_steps: after this many finite steps in a row the scale doubles.
            Defaults to 2000.
        name: the optimizer's name. Defaults to ``'loss_scale_optimizer'``.
        **kwargs: Keras's base-optimizer arguments, accepted only at their defaults
            (``dynamic=True`` too); set them on the inner optimizer instead.

    Raises:
        JnetValueError: ``dynamic=False``, a base-optimizer argument off its default, an
            unknown argument, or a scale / growth-step count that is not positive.

    Example:
        >>> import jnet
        >>> opt = jnet.optimizers.LossScaleOptimizer(jnet.optimizers.Adam())
        >>> opt.initial_scale, opt.dynamic_growth_steps
        (32768.0, 2000)
    """

    def __init__(self, inner_optimizer: Any, initial_scale: float = 2.0**15,
                 dynamic_growth_steps: int = 2000, name: str | None = None, **kwargs: Any):
        if not kwargs.pop("dynamic", True):
            raise errors.JnetValueError(
                "LossScaleOptimizer no longer supports `dynamic=False`. Instead, simply set "
                "`loss_scale_factor` directly on the `inner_optimizer`."
            )
        for key, default in _BASE_DEFAULTS.items():
            if key in kwargs and kwargs.pop(key) != default:
                raise errors.JnetValueError(
                    f"LossScaleOptimizer does not support `{key}`. Instead, set `{key}` on the "
                    f"`inner_optimizer`."
                )
        if kwargs:
            raise errors.JnetValueError(
                f"LossScaleOptimizer does not support arguments: `{'`, `'.join(kwargs)}`."
            )
        if not isinstance(inner_optimizer, Optimizer):
            raise errors.JnetTypeError(
                f"LossScaleOptimizer: inner_optimizer must be a jnet optimizer, received "
                f"{errors.describe(inner_optimizer)}."
            )
        if isinstance(initial_scale, bool) or not isinstance(initial_scale, int | float) or (
            initial_scale <= 0
        ):
            raise errors.JnetValueError(
                f"LossScaleOptimizer: initial_scale must be a positive number, received "
                f"{initial_scale!r}."
            )
        if isinstance(dynamic_growth_steps, bool) or not isinstance(
            dynamic_growth_steps, int
        ) or dynamic_growth_steps <= 0:
            raise errors.JnetValueError(
                f"LossScaleOptimizer: dynamic_growth_steps must be a positive integer, "
                f"received {dynamic_growth_steps!r}."
            )
        super().__init__(learning_rate=0.0, name=name)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = float(initial_scale)
        self.dynamic_growth_steps = int(dynamic_growth_steps)
        # As Keras: the inner optimizer must not scale the gradients a second time.
        self.inner_optimizer.loss_scale_factor = None

    @property
    def learning_rate(self) -> Any:
        """The inner optimizer's learning rate."""
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value: Any) -> None:
        self.inner_optimizer.learning_rate = value

    @property
    def _learning_rate(self) -> Any:
        # What the learning-rate callbacks read and write: the inner optimizer's.
        inner = self.__dict__.get("inner_optimizer")
        return self.__dict__.get("_own_learning_rate") if inner is None else inner._learning_rate

    @_learning_rate.setter
    def _learning_rate(self, value: Any) -> None:
        inner = self.__dict__.get("inner_optimizer")
        if inner is None:  # the base class's __init__
            self.__dict__["_own_learning_rate"] = value
        else:
            inner._learning_rate = value

    def build(self) -> optax.GradientTransformation:
        """The transformation: unscale, skip non-finite steps, adapt the scale, then the inner
        optimizer's update (see the module)."""
        inner = self.inner_optimizer.build()
        initial, growth = self.initial_scale, self.dynamic_growth_steps

        def init_fn(params: Any) -> LossScaleState:
            return LossScaleState(
                inner.init(params), jnp.zeros((), jnp.int32), jnp.asarray(initial, jnp.float32)
            )

        def update_fn(grads: Any, state: LossScaleState, params: Any = None):
            scale = state.dynamic_scale
            leaves = jax.tree_util.tree_leaves(grads)
            finite = jnp.all(jnp.stack([jnp.all(jnp.isfinite(g)) for g in leaves])) if (
                leaves) else jnp.asarray(True)
            unscaled = jax.tree_util.tree_map(lambda g: g / scale.astype(g.dtype), grads)
            updates, inner_state = inner.update(unscaled, state.inner_state, params)
            updates = jax.tree_util.tree_map(
                lambda u: jnp.where(finite, u, jnp.zeros_like(u)), updates
            )
            inner_state = jax.tree_util.tree_map(
                lambda new, old: jnp.where(finite, new, old), inner_state, state.inner_state
            )
            grow = state.step_counter == growth - 1
            counter = jnp.where(finite & ~grow, state.step_counter + 1, 0).astype(jnp.int32)
            new_scale = jnp.where(finite, jnp.where(grow, scale * 2.0, scale), scale * 0.5)
            return updates, LossScaleState(inner_state, counter, new_scale)

        return optax.GradientTransformation(init_fn, update_fn)

    def get_config(self) -> dict[str, Any]:
        """Keras's: ``name``, ``inner_optimizer`` (serialized), ``initial_scale``,
        ``dynamic_growth_steps``."""
        return {
            "name": self.name,
            "inner_optimizer": {
                "module": "keras.optimizers",
                "class_name": type(self.inner_optimizer).__name__,
                "config": self.inner_optimizer.get_config(),
                "registered_name": None,
            },
            "initial_scale": self.initial_scale,
            "dynamic_growth_steps": self.dynamic_growth_steps,
        }

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> LossScaleOptimizer:
        """The optimizer of :meth:`get_config`'s dict (Keras's too), its ``inner_optimizer``
        an optimizer object (``jnet.optimizers.deserialize`` rebuilds a serialized one)."""
        config = dict(config)
        return cls(config.pop("inner_optimizer"), **config)
