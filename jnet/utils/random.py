"""jnet's global seed: the same seed gives the same weights, shuffles and dropout masks.

Example:
    >>> import jnet
    >>> jnet.utils.set_random_seed(0)
    >>> a = jnet.utils.random.next_seed()
    >>> jnet.utils.set_random_seed(0)
    >>> a == jnet.utils.random.next_seed()
    True
"""

from __future__ import annotations

import random as _py_random
from collections.abc import Callable
from typing import Any

import jax
import numpy as np

from jnet import errors

_state: dict[str, Any] = {}

# The name jnet.random keeps its global SeedGenerator under (see `global_object`).
GLOBAL_SEED_GENERATOR = "jnet.random.global_seed_generator"


def set_random_seed(seed: int) -> None:
    """Seeds Python's ``random``, NumPy's global generator and jnet's key stream, as
    ``keras.utils.set_random_seed`` does.

    Args:
        seed: a non-negative integer.
    """
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise errors.JnetValueError(
            f"set_random_seed: seed must be a non-negative integer, received {seed!r}."
        )
    _py_random.seed(int(seed))
    np.random.seed(int(seed) % 2**32)
    _state.clear()  # also drops the objects made by `global_object` (jnet.random's generator)
    _state["generator"] = np.random.default_rng(int(seed))


def _generator() -> np.random.Generator:
    if "generator" not in _state:
        _state["generator"] = np.random.default_rng()
    return _state["generator"]


def next_seed() -> int:
    """The next integer seed from jnet's stream (random unless ``set_random_seed`` was called)."""
    return int(_generator().integers(0, 2**31 - 1))


def next_key() -> jax.Array:
    """The next JAX PRNG key from jnet's stream."""
    return jax.random.key(next_seed())


def numpy_generator() -> np.random.Generator:
    """A NumPy generator seeded from jnet's stream (for host-side shuffling)."""
    return np.random.default_rng(next_seed())


def global_object(name: str, factory: Callable[[], Any]) -> Any:
    """An object that lives with jnet's seed stream: made by ``factory()`` on first use and
    dropped by ``set_random_seed``, so the next use makes it again from the new stream
    (``jnet.random`` keeps its global ``SeedGenerator`` here: one source of truth for seeds).
    """
    if name not in _state:
        _state[name] = factory()
    return _state[name]


def drop_global_object(name: str) -> None:
    """Forgets the object :func:`global_object` made under ``name`` (the next use remakes it)."""
    _state.pop(name, None)
