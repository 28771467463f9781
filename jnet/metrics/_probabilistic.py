"""KLDivergence and Poisson metrics (``keras/src/metrics/probabilistic_metrics.py``).

The cross-entropy metrics live in :mod:`jnet.metrics._base`.

Example:
    >>> m = Poisson()
    >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> round(float(m.result()), 4)
    0.5
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from jnet.metrics._regression import _wrapper_class
from jnet.metrics._utils import EPSILON, _as_float

__all__ = ["KLDivergence", "Poisson", "kl_divergence", "poisson"]

Array = jax.Array


def kl_divergence(y_true: Any, y_pred: Any) -> Array:
    """``sum(y_true * log(y_true / y_pred))`` over the last axis, both clipped to ``[eps, 1]``.

    Args:
        y_true: target distributions.
        y_pred: predicted distributions, same shape.

    Returns:
        Per-sample values.

    Example:
        >>> round(float(kl_divergence([[0.5, 0.5]], [[0.25, 0.75]])[0]), 4)
        0.1438
    """
    y_pred = _as_float(y_pred)
    y_true = jnp.clip(jnp.asarray(y_true).astype(y_pred.dtype), EPSILON, 1)
    y_pred = jnp.clip(y_pred, EPSILON, 1)
    return jnp.sum(y_true * jnp.log(y_true / y_pred), axis=-1)


def poisson(y_true: Any, y_pred: Any) -> Array:
    """``mean(y_pred - y_true * log(y_pred + eps))`` over the last axis.

    Args:
        y_true: targets (counts).
        y_pred: predicted rates, same shape.

    Returns:
        Per-sample values.

    Example:
        >>> [round(float(v), 4) for v in poisson([[0, 1], [0, 0]], [[1, 1], [0, 0]])]
        [1.0, 0.0]
    """
    y_pred = _as_float(y_pred)
    y_true = jnp.asarray(y_true).astype(y_pred.dtype)
    eps = jnp.asarray(EPSILON, y_pred.dtype)
    return jnp.mean(y_pred - y_true * jnp.log(y_pred + eps), axis=-1)


KLDivergence = _wrapper_class(
    kl_divergence,
    "KLDivergence",
    "kl_divergence",
    """Running mean of :func:`kl_divergence`.

    Args:
        name: Defaults to ``'kl_divergence'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = KLDivergence()
        >>> m.update_state([[0.5, 0.5]], [[0.25, 0.75]])
        >>> round(float(m.result()), 4)
        0.1438
    """,
    __name__,
)
Poisson = _wrapper_class(
    poisson,
    "Poisson",
    "poisson",
    """Running mean of :func:`poisson`.

    Args:
        name: Defaults to ``'poisson'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = Poisson()
        >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
        >>> round(float(m.result()), 4)
        0.5
    """,
    __name__,
)
