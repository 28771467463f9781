"""An optimizer's state, and reading or overwriting the learning rate inside it.

:class:`OptimizerState` holds ``iterations``, the learning rate and the optimizer's slot
variables. Because the learning rate is an array in the state, :func:`set_learning_rate`
changes it between steps without recompiling a jitted step.

Example:
    >>> import jax.numpy as jnp
    >>> from jnet.optimizers import keras_sgd, get_learning_rate, set_learning_rate
    >>> tx = keras_sgd(0.1)
    >>> state = tx.init({"w": jnp.ones(2)})
    >>> float(get_learning_rate(state))
    0.10000000149011612
    >>> state = set_learning_rate(state, 0.5)
    >>> updates, state = tx.update({"w": jnp.ones(2)}, state)
    >>> updates["w"].tolist()
    [-0.5, -0.5]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import flax.struct
import jax
import jax.numpy as jnp
import numpy as np
import optax

from jnet import errors
from jnet.optimizers._checks import _check_non_negative

__all__ = ["OptimizerState", "get_iterations", "get_learning_rate", "set_learning_rate"]


@flax.struct.dataclass
class OptimizerState:
    """The state of a Keras-rule optimizer; a pytree (jit, scan and checkpoint it freely).

    Attributes:
        iterations: int32 scalar, the number of steps applied (Keras ``optimizer.iterations``).
        learning_rate: float32 scalar, the learning rate the NEXT step uses (what Keras's
            ``optimizer.learning_rate`` reads: for a schedule, ``schedule(iterations)``).
        slots: the optimizer's own variables (momentums, velocities, ...), a NamedTuple of
            pytrees shaped like the parameters.
        scheduled: static (not a leaf); True when the learning rate comes from a schedule,
            in which case it cannot be overwritten.

    Example:
        >>> import jax.numpy as jnp
        >>> from jnet.optimizers import keras_adam
        >>> state = keras_adam(1e-3).init(jnp.zeros(3))
        >>> int(state.iterations), state.learning_rate.dtype
        (0, dtype('float32'))
    """

    iterations: jax.Array
    learning_rate: jax.Array
    slots: Any
    scheduled: bool = flax.struct.field(pytree_node=False, default=False)


_INJECT_STATES = (optax.InjectStatefulHyperparamsState, optax.InjectHyperparamsState)


def _holds_learning_rate(node: Any) -> bool:
    if isinstance(node, OptimizerState):
        return True
    return isinstance(node, _INJECT_STATES) and "learning_rate" in node.hyperparams


def _find_holders(state: Any) -> list[Any]:
    if _holds_learning_rate(state):
        return [state]
    if isinstance(state, tuple | list):
        return [h for item in state for h in _find_holders(item)]
    if isinstance(state, Mapping):
        return [h for item in state.values() for h in _find_holders(item)]
    return []


def _replace_holder(state: Any, holder: Any, new: Any) -> Any:
    if state is holder:
        return new
    if isinstance(state, tuple) and hasattr(state, "_fields"):  # NamedTuple
        return type(state)(*(_replace_holder(s, holder, new) for s in state))
    if isinstance(state, tuple | list):
        return type(state)(_replace_holder(s, holder, new) for s in state)
    if isinstance(state, Mapping):
        return type(state)({k: _replace_holder(v, holder, new) for k, v in state.items()})
    return state


def _the_holder(opt_state: Any) -> Any:
    holders = _find_holders(opt_state)
    if not holders:
        raise errors.JnetTypeError(
            f"This optimizer state holds no adjustable learning rate (received "
            f"{errors.describe(opt_state)}). Use a jnet optimizer (jnet.optimizers.Adam(), "
            f"'adam', ...), or build a raw optax transformation with "
            f"optax.inject_hyperparams(...)(learning_rate=...)."
        )
    if len(holders) > 1:
        raise errors.JnetValueError(
            f"This optimizer state holds {len(holders)} learning rates, so which one to use "
            f"is ambiguous; read or set them on the sub-states directly."
        )
    return holders[0]


def get_learning_rate(opt_state: Any) -> jax.Array:
    """The learning rate the next step will use, read from an optimizer state.

    Works on the state of any jnet optimizer (and on an ``optax.inject_hyperparams`` state
    with a ``learning_rate``, also nested in a ``chain``). Pure and jit-able.

    Args:
        opt_state: the state from ``optimizer.build().init(params)`` or a later update.

    Returns:
        A float32 scalar array.

    Raises:
        JnetTypeError: the state holds no adjustable learning rate (a raw optax transform).

    Example:
        >>> import jax.numpy as jnp
        >>> import jnet.optimizers
        >>> state = jnet.optimizers.Adam(0.01).build().init(jnp.zeros(2))
        >>> float(jnet.optimizers.get_learning_rate(state))
        0.009999999776482582
    """
    holder = _the_holder(opt_state)
    if isinstance(holder, OptimizerState):
        return holder.learning_rate
    return holder.hyperparams["learning_rate"]


def set_learning_rate(opt_state: Any, value: Any) -> Any:
    """Returns ``opt_state`` with its learning rate replaced by ``value`` (pure, jit-able).

    The next update uses ``value``, like assigning ``optimizer.learning_rate = value`` in
    Keras. The value is stored as a float32 scalar, so a jitted step does not recompile.

    Args:
        opt_state: the state of a jnet optimizer (or of ``optax.inject_hyperparams``).
        value: the new learning rate: a float >= 0 or a scalar array.

    Returns:
        A new state; the input is not modified.

    Raises:
        JnetTypeError: the state holds no adjustable learning rate, or it follows a schedule
            (Keras raises TypeError there too), or ``value`` is not a scalar number.
        JnetValueError: ``value`` is negative or not finite.

    Example:
        >>> import jax.numpy as jnp
        >>> import jnet.optimizers
        >>> state = jnet.optimizers.SGD().build().init(jnp.zeros(2))
        >>> state = jnet.optimizers.set_learning_rate(state, 0.5)
        >>> float(jnet.optimizers.get_learning_rate(state))
        0.5
    """
    holder = _the_holder(opt_state)
    if isinstance(value, jax.Array | np.ndarray):
        if np.shape(value) != () or not (
            jnp.issubdtype(value.dtype, jnp.floating) or jnp.issubdtype(value.dtype, jnp.integer)
        ):
            raise errors.JnetTypeError(
                f"The learning rate must be a scalar number; received {errors.describe(value)}."
            )
    else:
        value = _check_non_negative("learning_rate", value)
    if isinstance(holder, OptimizerState):
        if holder.scheduled:
            raise errors.JnetTypeError(
                "This optimizer was created with a learning-rate schedule, hence its learning "
                "rate is not settable. If you need to set it, create the optimizer with a "
                "float `learning_rate`."
            )
        new = holder.replace(learning_rate=jnp.asarray(value, dtype=jnp.float32))
    else:
        old = holder.hyperparams["learning_rate"]
        hyperparams = dict(holder.hyperparams)
        hyperparams["learning_rate"] = jnp.asarray(value, dtype=jnp.asarray(old).dtype)
        new = holder._replace(hyperparams=hyperparams)
    return _replace_holder(opt_state, holder, new)


def get_iterations(opt_state: Any) -> jax.Array:
    """The number of steps applied so far (Keras ``optimizer.iterations``), an int32 scalar.

    Args:
        opt_state: the state of a jnet optimizer.

    Returns:
        An int32 scalar array.

    Example:
        >>> import jax.numpy as jnp
        >>> import jnet.optimizers
        >>> tx = jnet.optimizers.SGD().build()
        >>> state = tx.init(jnp.zeros(2))
        >>> _, state = tx.update(jnp.ones(2), state)
        >>> int(jnet.optimizers.get_iterations(state))
        1
    """
    holder = _the_holder(opt_state)
    if isinstance(holder, OptimizerState):
        return holder.iterations
    return holder.count
