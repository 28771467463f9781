"""The base of jnet's initializers: :class:`Initializer` and the argument checks they share.

``Initializer`` is the protocol (``init(key, shape, dtype)``, ``get_config``/``from_config``,
equality by config); ``_shape``, ``_dtype``, ``_number``, ``_seed`` and ``_check_call`` give
every initializer the same error messages for a bad shape, dtype, number, seed or call.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors

Shape = tuple[int, ...]
InitFn = Callable[..., jax.Array]


# --------------------------------------------------------------------------------------------
# Argument checks shared by every initializer.
# --------------------------------------------------------------------------------------------


def _shape(shape: Any, owner: str) -> Shape:
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (shape,)
    try:
        dims = tuple(int(d) for d in shape)
        ok = all(d >= 0 for d in dims) and all(not isinstance(d, bool) for d in shape)
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise errors.JnetValueError(
            f"{owner} needs `shape` to be a tuple of non-negative integers; received "
            f"{errors.describe(shape)}."
        )
    return dims


def _dtype(dtype: Any, owner: str, floating: bool) -> jnp.dtype:
    if dtype is None:
        return jnp.dtype(jnp.float32)
    try:
        dt = jnp.dtype(dtype)
    except TypeError as e:
        raise errors.JnetTypeError(
            f"{owner} received an invalid `dtype`: {errors.describe(dtype)}."
        ) from e
    if floating and not jnp.issubdtype(dt, jnp.floating):
        raise errors.JnetValueError(
            f"{owner} draws random numbers, so `dtype` must be a floating dtype such as "
            f"float32; received dtype={dt}."
        )
    return dt


def _number(value: Any, name: str, owner: str) -> Any:
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.ndarray, jax.Array)):
        raise errors.JnetTypeError(
            f"{owner} needs `{name}` to be a real number; received {errors.describe(value)}."
        )
    if np.ndim(value) != 0:
        raise errors.JnetValueError(
            f"{owner} needs `{name}` to be a scalar; received {errors.describe(value)}."
        )
    return value


def _seed(seed: Any, owner: str) -> int | None:
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise errors.JnetValueError(
            f"{owner} needs `seed` to be an integer or None; received {errors.describe(seed)}. "
            "Keras's SeedGenerator objects have no jnet equivalent: pass an int, or None and "
            "a PRNG key when calling the initializer."
        )
    return int(seed)


def _check_call(owner: str, key: Any, shape: Any) -> None:
    if shape is None:
        hint = ""
        if isinstance(key, (tuple, list, int)):
            hint = (
                f" It looks like the shape was passed as the key: call "
                f"init(jax.random.key(0), {tuple(key) if not isinstance(key, int) else (key,)})."
            )
        raise errors.JnetTypeError(
            f"{owner} is called as init(key, shape, dtype=jnp.float32), like a Flax "
            f"initializer, but no shape was given.{hint}"
        )


class Initializer:
    """Base class of jnet's initializers: callable as ``init(key, shape, dtype)``.

    Subclasses implement ``__call__`` and ``get_config``; ``from_config`` rebuilds an instance
    from ``get_config()``. Instances compare equal when their class and config are equal.

    Example:
        >>> class Twos(Initializer):
        ...     def __call__(self, key=None, shape=None, dtype=jnp.float32):
        ...         return jnp.full(shape, 2.0, dtype)
        >>> Twos()(None, (2,))
        Array([2., 2.], dtype=float32)
    """

    def __call__(self, key: Any = None, shape: Sequence[int] | None = None,
                 dtype: Any = jnp.float32) -> jax.Array:
        """Returns an array of ``shape`` and ``dtype``.

        Args:
            key: a JAX PRNG key (ignored by deterministic or seeded initializers).
            shape: the shape of the array.
            dtype: the dtype of the array. Defaults to float32.
        """
        raise NotImplementedError(
            f"{type(self).__name__} must implement __call__(key, shape, dtype)."
        )

    def get_config(self) -> dict:
        """The constructor arguments, as Keras writes them in a config."""
        return {}

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Initializer:
        """Builds an initializer from ``get_config()``'s output."""
        return cls(**config)

    def clone(self) -> Initializer:
        """A new instance with the same config."""
        return type(self).from_config(self.get_config())

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other: object) -> bool:
        if type(self) is not type(other):
            return NotImplemented
        return repr(self.get_config()) == repr(other.get_config())  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self), repr(self.get_config())))
