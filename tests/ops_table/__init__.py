"""The table behind tests/test_ops_parity.py: one module per family of ``keras.ops``.

Each family module (``numpy_math.py``, ``nn.py``, ...) defines

* ``CASES``: a list of :class:`Case`, one or more per op name, each run on ``jnet.ops`` and on
  ``keras.ops`` (TensorFlow backend) and compared: values to ``rtol``/``atol`` (exact for
  integers and booleans), result dtypes (Keras's TensorFlow backend computes 64-bit where its
  JAX backend, and jnet, compute 32-bit: the comparison maps ``int64 -> int32``,
  ``float64 -> float32``, ...), and the structure of tuple results;
* ``LEFT_OUT``: ``{name: reason}`` for names of ``keras.ops`` that the family leaves out on
  purpose (or whose parity is shown elsewhere, the reason names the test);
* ``PENDING``: names of the family not delivered yet (issue 19 stays open while any is left).

Inputs are NumPy arrays and Python values, the same on both sides. Use :func:`floats`,
:func:`ints` and :func:`bools` for seeded data.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np


@dataclasses.dataclass
class Case:
    """One row of the table.

    Args:
        name: the op's name in ``jnet.ops`` and ``keras.ops`` (``"image.resize"`` for a name
            that Keras has only in a family).
        args: positional arguments (NumPy arrays and Python values), the same on both sides.
        kwargs: keyword arguments.
        id: a short label telling rows of one op apart (shown in the test id).
        rtol, atol: tolerances for float results.
        dtype: compare result dtypes (False where Keras's TensorFlow backend is known to
            differ from its JAX backend; say why in ``note``).
        jit: also check that ``jax.jit`` of the op gives the same result (array arguments
            traced, the others static).
        grad: also check that ``jax.grad`` of the sum of the (first) output is finite with
            respect to the first float array argument.
        vmap: also check that ``jax.vmap`` of the op over a new leading axis of size 2 of its
            array arguments gives, slice by slice, the eager results (False where vmap cannot
            apply by nature, e.g. a data-dependent output shape; say why in ``note``).
        reference: instead of ``keras.ops.<name>``, a function of the same arguments giving
            the expected result (for an op that Keras's TensorFlow backend lacks or gets wrong).
        compare: instead of comparing values, a function ``(jnet_result, keras_result) ->
            None`` that asserts (for random or order-free results).
        note: why the row is special.
    """

    name: str
    args: tuple = ()
    kwargs: dict[str, Any] = dataclasses.field(default_factory=dict)
    id: str = ""
    rtol: float = 1e-6
    atol: float = 1e-6
    dtype: bool = True
    jit: bool = True
    grad: bool = False
    vmap: bool = True
    reference: Callable[..., Any] | None = None
    compare: Callable[[Any, Any], None] | None = None
    note: str = ""

    @property
    def test_id(self) -> str:
        return f"{self.name}-{self.id}" if self.id else self.name


_RNG = np.random.default_rng(19)


def floats(*shape: int, dtype: str = "float32", low: float = -2.0, high: float = 2.0):
    """Seeded uniform floats of ``shape``."""
    return _RNG.uniform(low, high, size=shape).astype(dtype)


def positive(*shape: int, dtype: str = "float32"):
    """Seeded floats in [0.1, 2]."""
    return floats(*shape, dtype=dtype, low=0.1, high=2.0)


def ints(*shape: int, dtype: str = "int32", low: int = -5, high: int = 6):
    """Seeded integers in [low, high)."""
    return _RNG.integers(low, high, size=shape).astype(dtype)


def bools(*shape: int):
    """Seeded booleans."""
    return _RNG.random(size=shape) < 0.5
