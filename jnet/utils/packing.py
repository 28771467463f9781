"""Keras's ``unpack_x_y_sample_weight`` and ``pack_x_y_sample_weight``: the batch formats of
``fit`` (``x``, ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``), for custom steps.

Example:
    >>> import numpy as np
    >>> x, y = np.ones((2, 3)), np.zeros((2, 1))
    >>> _, _, sample_weight = unpack_x_y_sample_weight(pack_x_y_sample_weight(x, y))
    >>> sample_weight is None
    True
"""

from __future__ import annotations

from typing import Any

from jnet import errors

__all__ = ["pack_x_y_sample_weight", "unpack_x_y_sample_weight"]


def unpack_x_y_sample_weight(data: Any) -> tuple[Any, Any, Any]:
    """Unpacks a batch into ``(x, y, sample_weight)``, with None for what it lacks.

    Args:
        data: ``x`` (anything but a tuple or list), ``(x,)``, ``(x, y)`` or
            ``(x, y, sample_weight)``.

    Returns:
        The tuple ``(x, y, sample_weight)``.

    Example:
        >>> unpack_x_y_sample_weight(("x", "y"))
        ('x', 'y', None)
        >>> unpack_x_y_sample_weight("x")
        ('x', None, None)
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data[0], data[1], data[2]
    raise errors.JnetValueError(
        f"Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`; "
        f"received a {type(data).__name__} of length {len(data)}."
    )


def pack_x_y_sample_weight(x: Any, y: Any = None, sample_weight: Any = None) -> Any:
    """Packs ``x``, ``y`` and ``sample_weight`` into the batch format ``fit`` uses.

    Args:
        x: the features.
        y: the targets (None: none).
        sample_weight: per-sample weights (None: none).

    Returns:
        ``x`` alone when there is no ``y`` (``(x,)`` when ``x`` is a tuple or list),
        ``(x, y)``, or ``(x, y, sample_weight)``.

    Example:
        >>> pack_x_y_sample_weight("x"), pack_x_y_sample_weight("x", "y")
        ('x', ('x', 'y'))
        >>> pack_x_y_sample_weight(["a", "b"])
        (['a', 'b'],)
    """
    if y is None:
        return (x,) if isinstance(x, tuple | list) else x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)
