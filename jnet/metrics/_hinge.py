"""Hinge metrics (``keras/src/metrics/hinge_metrics.py``): Hinge, SquaredHinge,
CategoricalHinge, with their per-sample functions.

Example:
    >>> m = Hinge()
    >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
    >>> round(float(m.result()), 4)
    1.3
"""

from __future__ import annotations

import jax

from jnet.losses import categorical_hinge, hinge, squared_hinge
from jnet.metrics._reduction import _wrapper_class

__all__ = [
    "Hinge",
    "SquaredHinge",
    "CategoricalHinge",
    "hinge",
    "squared_hinge",
    "categorical_hinge",
]

Array = jax.Array


Hinge = _wrapper_class(
    hinge,
    "Hinge",
    "hinge",
    """Running mean of :func:`hinge`.

    Args:
        name: Defaults to ``'hinge'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = Hinge()
        >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
        >>> round(float(m.result()), 4)
        1.3
    """,
    __name__,
)
SquaredHinge = _wrapper_class(
    squared_hinge,
    "SquaredHinge",
    "squared_hinge",
    """Running mean of :func:`squared_hinge`.

    Args:
        name: Defaults to ``'squared_hinge'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = SquaredHinge()
        >>> m.update_state([[0, 1]], [[0.6, 0.4]])
        >>> round(float(m.result()), 4)
        1.46
    """,
    __name__,
)
CategoricalHinge = _wrapper_class(
    categorical_hinge,
    "CategoricalHinge",
    "categorical_hinge",
    """Running mean of :func:`categorical_hinge`.

    Args:
        name: Defaults to ``'categorical_hinge'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = CategoricalHinge()
        >>> m.update_state([[0, 1]], [[0.6, 0.4]])
        >>> round(float(m.result()), 4)
        1.2
    """,
    __name__,
)
