"""How programs that only create weights are compiled: fast, since they run once.

A model's initial weights come from one compiled program of its layers' initializers (see
:meth:`jnet.models.functional.Functional._init_variables`). On CPU, XLA's optimizing backend
spends about a second per random draw compiling JAX's threefry generator (with
``jax_threefry_partitionable``, JAX's default): 20 s for MobileNetV2's 53 weight draws, before
the first batch. The program runs once, so XLA's backend optimization is switched off for it
(``xla_backend_optimization_level=0``): about 10x less compile time (MobileNetV2: 20.3 s ->
about 2 s), at a run time of milliseconds either way. (Sequential models still initialize
each layer eagerly: in a long-running process, eager ops are compiled once per shape and
reused by every later model, which a program per layer is not.) Draws that go through transcendental
functions (``truncated_normal``'s inverse error function) may differ from an optimized
program's in the last bit; the same seed still gives the same weights, since the same program
always makes them. Other platforms compile as usual.

Example:
    >>> import jax
    >>> options = init_compiler_options()
    >>> options is None or options == {"xla_backend_optimization_level": 0}
    True
"""

from __future__ import annotations

import jax

__all__ = ["init_compiler_options"]


def init_compiler_options() -> dict[str, int] | None:
    """The ``compiler_options`` for a program that only creates weights (None: XLA's own)."""
    if jax.default_backend() == "cpu":
        return {"xla_backend_optimization_level": 0}
    return None
