"""Keras's float functions of one array: trigonometry, exponentials, logarithms, roots,
``floor``/``ceil`` and the like (``keras.ops.sin``, ``keras.ops.log``...).

These ops share one rule, so they are made by one table-driven definition
(:func:`_float_function`) and share one short docstring: the input is cast to Keras's result
dtype, then the jax function runs. A float input keeps its dtype (``float16`` stays
``float16``); an integer or boolean input gives ``floatx()``, as Keras (``floor`` and ``ceil``
of integers too). The gradient is jax's.

Example:
    >>> import numpy as np
    >>> sqrt(np.array([4, 9])).tolist()
    [2.0, 3.0]
    >>> floor(np.array([1, 2], "int8")).dtype
    dtype('float32')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp

from jnet.ops._numpy_ufunc import float_dtype
from jnet.ops._op import convert, keras_op

__all__ = [
    "angle", "arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctanh", "cbrt", "ceil",
    "cos", "cosh", "deg2rad", "exp", "exp2", "expm1", "floor", "i0", "log", "log10", "log1p",
    "log2", "rad2deg", "reciprocal", "sin", "sinc", "sinh", "sqrt", "tan", "tanh",
]

_DOC = """{purpose}, elementwise (``keras.ops.{name}``).

    An integer or boolean ``x`` gives ``floatx()``; a float ``x`` keeps its dtype.

    Args:
        x: input array (or array-like).

    Returns:
        An array of ``x``'s shape: ``{jax_name}`` of ``x`` in Keras's result dtype.

    Example:
        >>> {name}(np.array([1, 2])).dtype
        dtype('float32')
    """


def _float_function(name: str, fn: Callable[[jax.Array], jax.Array], purpose: str):
    """The Keras op ``name``: ``fn`` of ``x`` cast to Keras's float result dtype."""

    def op(x: Any) -> jax.Array:
        x = convert(x)
        dtype = float_dtype(x.dtype)
        return fn(x if x.dtype == dtype else x.astype(dtype))

    op.__name__ = op.__qualname__ = name
    op.__doc__ = _DOC.format(purpose=purpose, name=name, jax_name=f"jnp.{fn.__name__}")
    return keras_op(op)


angle = _float_function("angle", jnp.angle, "The angle (argument) of complex numbers")
arccos = _float_function("arccos", jnp.arccos, "Inverse cosine")
arccosh = _float_function("arccosh", jnp.arccosh, "Inverse hyperbolic cosine")
arcsin = _float_function("arcsin", jnp.arcsin, "Inverse sine")
arcsinh = _float_function("arcsinh", jnp.arcsinh, "Inverse hyperbolic sine")
arctan = _float_function("arctan", jnp.arctan, "Inverse tangent")
arctanh = _float_function("arctanh", jnp.arctanh, "Inverse hyperbolic tangent")
cbrt = _float_function("cbrt", jnp.cbrt, "Cube root")
ceil = _float_function("ceil", jnp.ceil, "The ceiling (smallest integer >= x), as floats")
cos = _float_function("cos", jnp.cos, "Cosine")
cosh = _float_function("cosh", jnp.cosh, "Hyperbolic cosine")
deg2rad = _float_function("deg2rad", jnp.deg2rad, "Degrees converted to radians")
exp = _float_function("exp", jnp.exp, "The exponential e**x")
exp2 = _float_function("exp2", jnp.exp2, "The base-2 exponential 2**x")
expm1 = _float_function("expm1", jnp.expm1, "exp(x) - 1, accurate for small x")
floor = _float_function("floor", jnp.floor, "The floor (largest integer <= x), as floats")
i0 = _float_function("i0", jnp.i0, "The modified Bessel function of the first kind, order 0")
log = _float_function("log", jnp.log, "Natural logarithm")
log10 = _float_function("log10", jnp.log10, "Base-10 logarithm")
log1p = _float_function("log1p", jnp.log1p, "log(1 + x), accurate for small x")
log2 = _float_function("log2", jnp.log2, "Base-2 logarithm")
rad2deg = _float_function("rad2deg", jnp.rad2deg, "Radians converted to degrees")
reciprocal = _float_function("reciprocal", jnp.reciprocal, "The reciprocal 1 / x")
sin = _float_function("sin", jnp.sin, "Sine")
sinc = _float_function("sinc", jnp.sinc, "The normalized sinc function sin(pi x) / (pi x)")
sinh = _float_function("sinh", jnp.sinh, "Hyperbolic sine")
sqrt = _float_function("sqrt", jnp.sqrt, "Square root")
tan = _float_function("tan", jnp.tan, "Tangent")
tanh = _float_function("tanh", jnp.tanh, "Hyperbolic tangent")
