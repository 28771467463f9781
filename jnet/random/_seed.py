"""Seeds, as ``keras.random`` takes them: an int, a :class:`SeedGenerator`, ``None``, or (as on
Keras's JAX backend) a ``uint32[2]`` key array.

* An int seed ``s`` is the key ``[s, 0]``: the same draw on every call.
* A :class:`SeedGenerator` holds its state as a ``uint32[2]`` jax array; each draw uses the
  state as its key and advances it by ``[0, 1]``.
* ``None`` draws from jnet's global generator, made from jnet's seed stream
  (``jnet.utils.set_random_seed`` remakes it, so the same seed gives bit-identical draws).

Compiled code stays pure: a draw inside ``jax.jit`` takes its seed as an argument, either a key
array (``seed=state``, with :func:`advance` giving the next state) or a generator whose state is
handed in with :meth:`SeedGenerator.scoped_state`. A draw that would store a traced value in a
generator created outside the trace (or the global one) raises instead of leaking the tracer.

Example:
    >>> import jax, jnet
    >>> gen = jnet.random.SeedGenerator(42)
    >>> a = jnet.random.uniform((2,), seed=gen)
    >>> b = jnet.random.uniform((2,), seed=gen)
    >>> bool((a != b).all())
    True
    >>> @jax.jit
    ... def step(state):
    ...     seed, state = jnet.random.advance(state)
    ...     return jnet.random.normal((3,), seed=seed), state
    >>> x, state = step(jnet.random.SeedGenerator(1).state)
    >>> state.tolist()
    [1, 1]
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet.symbolic import naming
from jnet.utils import random as seed_stream

__all__ = ["SeedGenerator", "advance", "draw_seed", "global_seed_generator"]

_INCREMENT = np.array([0, 1], dtype=np.uint32)
_GLOBAL = seed_stream.GLOBAL_SEED_GENERATOR


def _key_from_int(seed: int) -> np.ndarray:
    return np.array([int(seed) & 0xFFFFFFFF, 0], dtype=np.uint32)


def _is_tracer(x: Any) -> bool:
    return isinstance(x, jax.core.Tracer)


def advance(state: Any, ordered: bool = True) -> tuple[jax.Array, jax.Array]:
    """The pure step of a :class:`SeedGenerator`: ``(seed for this draw, next state)``.

    Args:
        state: a ``uint32[2]`` array (a generator's ``state``).
        ordered: ``True`` (default) adds ``[0, 1]``; ``False`` scrambles the state as Keras's
            global generator does (``(state + 1) * 5387 % 933199``).

    Returns:
        ``(seed, new_state)``: ``seed`` is ``state`` itself, to pass as a draw's ``seed=``.

    Example:
        >>> seed, state = advance(SeedGenerator(7).state)
        >>> seed.tolist(), state.tolist()
        ([7, 0], [7, 1])
    """
    state = jnp.asarray(state, dtype=jnp.uint32)
    if state.shape != (2,):
        raise errors.JnetValueError(
            f"advance: state must have shape (2,) (a SeedGenerator's state), received "
            f"shape {state.shape}."
        )
    if ordered:
        new_state = state + _INCREMENT
    else:
        new_state = (state + np.uint32(1)) * np.uint32(5387) % np.uint32(933199)
    return state, new_state


class SeedGenerator:
    """Generates a new seed on each draw, as ``keras.random.SeedGenerator``.

    An int seed passed to a draw gives the same values on every call; a ``SeedGenerator``
    gives new values each time, reproducibly from its own ``seed``.

    Args:
        seed: an int, the initial state ``[seed, 0]``; ``None`` (default) takes one from jnet's
            seed stream (so ``jnet.utils.set_random_seed`` makes it reproducible).
        name: a name; default ``seed_generator``, ``seed_generator_1``, ...

    Attributes:
        state: the ``uint32[2]`` jax array used as the next draw's key.

    Example:
        >>> import jnet
        >>> gen = jnet.random.SeedGenerator(seed=42)
        >>> gen.state.tolist()
        [42, 0]
        >>> values = jnet.random.normal((2, 3), seed=gen)
        >>> gen.state.tolist()
        [42, 1]
    """

    def __init__(self, seed: int | None = None, name: str | None = None, **kwargs: Any):
        kwargs.pop("backend", None)
        if kwargs:
            raise errors.JnetValueError(f"Unrecognized keyword arguments: {kwargs}")
        if name is None:
            uid = naming.get_uid("seed_generator")
            name = "seed_generator" if uid == 1 else f"seed_generator_{uid - 1}"
        self.name = name
        self._initial_seed = seed
        if seed is None:
            seed = seed_stream.next_seed()
        if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
            raise errors.JnetValueError(
                f"Argument `seed` must be an integer. Received: seed={seed!r}"
            )
        with jax.ensure_compile_time_eval():
            self.state = jnp.asarray(_key_from_int(seed))

    def next(self, ordered: bool = True) -> jax.Array:
        """The seed for one draw (the current state); advances the state.

        Args:
            ordered: ``True`` adds ``[0, 1]`` to the state; ``False`` scrambles it (the global
                generator's way).

        Returns:
            The ``uint32[2]`` key for the draw.
        """
        seed, new_state = advance(self.state, ordered)
        if _is_tracer(new_state) and not _is_tracer(self.state):
            raise errors.JnetValueError(
                f"SeedGenerator {self.name!r} was drawn from inside a traced (jit) function, "
                "but its state lives outside it: the new state would leak out of the trace. "
                "Pass the state in: `with gen.scoped_state(state) as scope: ...` then "
                "`scope.state`, or draw with `seed=state` and `jnet.random.advance(state)`."
            )
        self.state = new_state
        return seed

    @contextlib.contextmanager
    def scoped_state(self, state: Any) -> Iterator[_Scope]:
        """Draws inside the block use ``state`` (a traced value is fine) instead of the
        generator's own state, which is left as it was; the block's final state is
        ``scope.state`` afterwards. This is how a pure function carries the generator.

        Args:
            state: a ``uint32[2]`` array.

        Example:
            >>> import jax, jnet
            >>> gen = jnet.random.SeedGenerator(3)
            >>> @jax.jit
            ... def f(state):
            ...     with gen.scoped_state(state) as scope:
            ...         x = jnet.random.uniform((2,), seed=gen)
            ...     return x, scope.state
            >>> x, new_state = f(gen.state)
            >>> new_state.tolist(), gen.state.tolist()
            ([3, 1], [3, 0])
        """
        own = self.state
        scope = _Scope(state)
        self.state = state
        try:
            yield scope
        finally:
            scope.state = self.state
            self.state = own

    def get_config(self) -> dict[str, Any]:
        """``{'seed': the seed given, 'name': ...}`` (Keras's config)."""
        return {"seed": self._initial_seed, "name": self.name}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> SeedGenerator:
        """A generator from :meth:`get_config`'s dict."""
        return cls(**config)

    def __repr__(self) -> str:
        return f"<SeedGenerator name={self.name!r} state={np.asarray(self.state).tolist()}>"


class _Scope:
    """Holds the state a :meth:`SeedGenerator.scoped_state` block ended with."""

    def __init__(self, state: Any):
        self.state = state


def global_seed_generator() -> SeedGenerator:
    """The generator that ``seed=None`` draws from; remade by ``jnet.utils.set_random_seed``."""
    return seed_stream.global_object(_GLOBAL, lambda: SeedGenerator(name="global_seed_generator"))


def draw_seed(seed: Any) -> Any:
    """The key one draw uses, from any ``seed=`` Keras accepts (see the module docstring).

    Example:
        >>> draw_seed(5).tolist()
        [5, 0]
    """
    if isinstance(seed, SeedGenerator):
        return seed.next()
    if isinstance(seed, bool):
        pass
    elif isinstance(seed, int | np.integer):
        return _key_from_int(seed)
    elif seed is None:
        if _is_tracer(jnp.zeros((), jnp.uint32) + np.uint32(0)):
            raise errors.JnetValueError(
                "A jnet.random draw with seed=None ran inside a traced (jit) function: the "
                "global generator cannot be used there (the draw would be frozen into the "
                "compiled program). Pass seed= a SeedGenerator whose state is handed in "
                "(SeedGenerator.scoped_state) or a key array (jnet.random.advance)."
            )
        return global_seed_generator().next(ordered=False)
    elif isinstance(seed, jax.Array | np.ndarray):
        if jnp.issubdtype(seed.dtype, jax.dtypes.prng_key) or seed.shape == (2,):
            return seed
        raise errors.JnetValueError(
            f"A seed array must be a uint32[2] key (a SeedGenerator's state), received shape "
            f"{seed.shape}."
        )
    raise errors.JnetValueError(
        "Argument `seed` must be either an integer or an instance of `SeedGenerator` "
        f"(or a uint32[2] key array). Received: seed={seed!r} (of type {type(seed)})"
    )
