"""Keras's window functions (``keras.ops.numpy``): Bartlett, Blackman, Hamming, Hann, Kaiser.

Each takes the window length ``x`` (a Python int or a concrete integer array; as in Keras,
not a symbolic or traced tensor) and returns a 1-D ``floatx()`` array of that length,
symmetric (NumPy's definitions).

Example:
    >>> hanning(3).tolist()
    [0.0, 1.0, 0.0]
"""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp

from jnet import config
from jnet.ops._numpy_array_checks import static_int
from jnet.ops._op import convert, keras_op

__all__ = ["bartlett", "blackman", "hamming", "hanning", "kaiser"]


def _length(x: Any, op: str) -> int:
    return static_int(x, op, "x")


@keras_op
def bartlett(x: Any):
    """The Bartlett (triangular) window of length ``x``.

    Args:
        x: the number of points (an int).

    Returns:
        A 1-D ``floatx()`` array.

    Example:
        >>> bartlett(5).tolist()
        [0.0, 0.5, 1.0, 0.5, 0.0]
    """
    return jnp.bartlett(_length(x, "bartlett")).astype(config.floatx())


@keras_op
def blackman(x: Any):
    """The Blackman window of length ``x``.

    Args:
        x: the number of points (an int).

    Returns:
        A 1-D ``floatx()`` array.

    Example:
        >>> [round(v, 3) for v in blackman(3).tolist()]
        [-0.0, 1.0, -0.0]
    """
    return jnp.blackman(_length(x, "blackman")).astype(config.floatx())


@keras_op
def hamming(x: Any):
    """The Hamming window of length ``x``.

    Args:
        x: the number of points (an int).

    Returns:
        A 1-D ``floatx()`` array.

    Example:
        >>> [round(v, 3) for v in hamming(3).tolist()]
        [0.08, 1.0, 0.08]
    """
    return jnp.hamming(_length(x, "hamming")).astype(config.floatx())


@keras_op
def hanning(x: Any):
    """The Hann window of length ``x``.

    Args:
        x: the number of points (an int).

    Returns:
        A 1-D ``floatx()`` array.

    Example:
        >>> hanning(5).tolist()
        [0.0, 0.5, 1.0, 0.5, 0.0]
    """
    return jnp.hanning(_length(x, "hanning")).astype(config.floatx())


@keras_op
def kaiser(x: Any, beta: Any):
    """The Kaiser window of length ``x``.

    Args:
        x: the number of points (an int).
        beta: the shape parameter (0 gives a rectangular window; larger is narrower).

    Returns:
        A 1-D ``floatx()`` array.

    Example:
        >>> kaiser(3, 0.0).tolist()
        [1.0, 1.0, 1.0]
    """
    beta = convert(beta, "float32")
    return jnp.kaiser(_length(x, "kaiser"), beta).astype(config.floatx())
