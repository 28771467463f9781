"""The random draws of the initializers, compiled as programs that run once.

``jax.random.uniform(key, shape)`` called eagerly compiles a program per shape; with JAX's
default ``jax_threefry_partitionable``, XLA:CPU's optimizing backend spends about a second
compiling each (a Sequential CNN of three weight shapes: ~4.5 s before its first batch, more
than its training). The draws here are the same functions jitted with
:func:`jnet.utils._init_compile.init_compiler_options` (XLA's backend optimization off on CPU:
about 10x less compile time, microseconds more run time), still one program per shape and
dtype, reused by every later layer of that shape in the process. Inside a traced program (a
functional model's one init program) they are inlined as before.

The values are threefry's, as ``jax.random``'s; draws through transcendental functions
(``truncated_normal``'s inverse error function) may differ from an optimized program's in the
last bit. The same seed gives the same weights.

Example:
    >>> import jax
    >>> w = uniform(jax.random.key(0), (2, 3), jax.numpy.float32, -1.0, 1.0)
    >>> w.shape, bool((abs(w) <= 1).all())
    ((2, 3), True)
"""

from __future__ import annotations

import functools
from typing import Any

import jax

from jnet.utils._init_compile import init_compiler_options

__all__ = ["normal", "truncated_normal", "uniform"]


_FUNCTIONS = {"normal": jax.random.normal, "uniform": jax.random.uniform,
              "truncated_normal": jax.random.truncated_normal}


@functools.cache
def _compiled(name: str) -> Any:
    # Built on first use, not at import: init_compiler_options reads the backend, and jnet's
    # import must not start it (jax.distributed.initialize has to come first).
    return jax.jit(_FUNCTIONS[name], static_argnames=("shape", "dtype"),
                   compiler_options=init_compiler_options())


def _tracing() -> bool:
    """Whether a program is being traced (a jit with compiler options may not be nested): under
    a trace every new array is a tracer, even a constant."""
    return isinstance(jax.numpy.zeros((), "int32"), jax.core.Tracer)


def _draw(name: str) -> Any:
    if _tracing():
        return _FUNCTIONS[name]
    return _compiled(name)


def uniform(key: Any, shape: tuple[int, ...], dtype: Any, minval: float, maxval: float) -> Any:
    """``jax.random.uniform(key, shape, dtype, minval, maxval)``, compiled for one run."""
    return _draw("uniform")(key, shape=tuple(shape), dtype=dtype, minval=minval, maxval=maxval)


def normal(key: Any, shape: tuple[int, ...], dtype: Any) -> Any:
    """``jax.random.normal(key, shape, dtype)``, compiled for one run."""
    return _draw("normal")(key, shape=tuple(shape), dtype=dtype)


def truncated_normal(key: Any, lower: float, upper: float, shape: tuple[int, ...],
                     dtype: Any) -> Any:
    """``jax.random.truncated_normal(key, lower, upper, shape, dtype)``, compiled for one run."""
    return _draw("truncated_normal")(key, lower, upper, shape=tuple(shape), dtype=dtype)
