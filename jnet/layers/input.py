"""``jnet.Input`` and ``InputLayer``: declaring a model's input shape the Keras way.

Example:
    >>> import jnet
    >>> x = jnet.Input(shape=(10,))
    >>> x.shape
    (None, 10)
    >>> model = jnet.Sequential([x, jnet.layers.Dense(1)])
    >>> model.input_shape
    (None, 10)
"""

from __future__ import annotations

import dataclasses
from typing import Any

from jnet import errors
from jnet.layers.base import Layer, _check_shape


@dataclasses.dataclass(frozen=True)
class KerasTensor:
    """A symbolic tensor: a shape (batch axis first, None when free), a dtype and a name."""

    shape: tuple[int | None, ...]
    dtype: str = "float32"
    name: str | None = None

    @property
    def ndim(self) -> int:
        return len(self.shape)


def Input(  # noqa: N802 - Keras's name
    shape: Any = None,
    batch_size: int | None = None,
    dtype: Any = None,
    name: str | None = None,
    batch_shape: Any = None,
) -> KerasTensor:
    """Declares a model input, as ``keras.Input``.

    Args:
        shape: the shape of one sample, without the batch axis, e.g. ``(784,)``.
        batch_size: an optional fixed batch size.
        dtype: the input dtype (default float32).
        name: an optional name.
        batch_shape: the full shape including the batch axis, instead of ``shape``.

    Returns:
        A :class:`KerasTensor` of shape ``(batch_size, *shape)``.
    """
    if shape is None and batch_shape is None:
        raise errors.JnetValueError(
            "Input needs shape=(...) (one sample's shape, without the batch axis) or "
            "batch_shape=(...)."
        )
    if batch_shape is not None:
        full = tuple(batch_shape)
        _check_shape("batch_shape", full[1:], "Input")
    else:
        if isinstance(shape, int):
            shape = (shape,)
        _check_shape("shape", shape, "Input")
        full = (batch_size, *tuple(shape))
    return KerasTensor(shape=full, dtype=str(dtype or "float32"), name=name)


class InputLayer(Layer):
    """The layer form of :func:`Input`; a ``Sequential`` turns it into its input shape.

    Args:
        shape: the shape of one sample, without the batch axis.
    """

    shape: Any = None

    def __call__(self, inputs, training: bool = False):
        return inputs
