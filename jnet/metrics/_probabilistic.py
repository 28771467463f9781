"""KLDivergence and Poisson metrics (``keras/src/metrics/probabilistic_metrics.py``).

The cross-entropy metrics live in :mod:`jnet.metrics._base`.

Example:
    >>> m = Poisson()
    >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> round(float(m.result()), 4)
    0.5
"""

from __future__ import annotations

import jax

from jnet.losses import kl_divergence, poisson
from jnet.metrics._regression import _wrapper_class

__all__ = ["KLDivergence", "Poisson", "kl_divergence", "poisson"]

Array = jax.Array






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
