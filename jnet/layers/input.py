"""``jnet.Input``, ``InputLayer`` and symbolic tensors: declaring a model's inputs the Keras way.

``jnet.Input(shape=...)`` returns a :class:`~jnet.symbolic.KerasTensor`: a shape and a dtype,
with the history of how it was made (the layer, its call and the position among that call's
outputs). Calling a jnet layer on KerasTensors records a :class:`~jnet.symbolic.Node` and
returns new KerasTensors (:mod:`jnet.symbolic`); a ``jnet.Model(inputs, outputs)`` turns the
recorded graph into one pure function. ``KerasTensor``, ``KerasHistory``, ``Node``,
``flatten`` and ``inbound_nodes`` are re-exported here from :mod:`jnet.symbolic`.

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

from typing import Any, ClassVar

import flax.linen as nn

from jnet import errors
from jnet.layers.base import Layer, _check_shape

# The symbolic core lives in jnet.symbolic; its names stay importable from here.
from jnet.symbolic import KerasHistory as KerasHistory
from jnet.symbolic import KerasTensor as KerasTensor
from jnet.symbolic import Node as Node
from jnet.symbolic import flatten as flatten
from jnet.symbolic import inbound_nodes as inbound_nodes

__all__ = ["Input", "InputLayer", "KerasTensor", "KerasHistory", "Node"]


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
        name: an optional name (a model names unnamed inputs ``input_layer``,
            ``input_layer_1``, ...).
        batch_shape: the full shape including the batch axis, instead of ``shape``.

    Returns:
        A :class:`KerasTensor` of shape ``(batch_size, *shape)``.

    Example:
        >>> import jnet
        >>> x = jnet.Input(shape=(28, 28, 1), name="image")
        >>> x.shape, x.name
        ((None, 28, 28, 1), 'image')
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
    layer = InputLayer(shape=full[1:], batch_size=full[0], dtype=dtype, name=name)
    return layer._jnet_make_tensor()


class InputLayer(Layer):
    """The layer behind :func:`Input`; a ``Sequential`` turns it into its input shape.

    Args:
        shape: the shape of one sample, without the batch axis.
        batch_size: an optional fixed batch size.
        dtype: the input dtype (default float32).

    Example:
        >>> import jnet
        >>> x = jnet.Input(shape=(3,))
        >>> type(x._keras_history.layer).__name__
        'InputLayer'
    """

    shape: Any = None
    batch_size: Any = None
    dtype: Any = None

    #: Read by ``jnet.symbolic.Node.is_input``: this layer's node starts a graph.
    _JNET_IS_INPUT_LAYER: ClassVar[bool] = True

    @property
    def batch_shape(self) -> tuple[int | None, ...]:
        return (self.batch_size, *tuple(self.shape or ()))

    @nn.nowrap
    def _jnet_make_tensor(self) -> KerasTensor:
        """The KerasTensor this layer stands for (made once, at its first node)."""
        nodes = inbound_nodes(self)
        if nodes:
            return nodes[0].outputs
        tensor = KerasTensor(
            shape=self.batch_shape,
            dtype=str(self.dtype or "float32"),
            name=self.name,
            _keras_history=KerasHistory(self, 0, 0),
        )
        nodes.append(Node(self, (), {}, tensor))
        return tensor

    def __call__(self, inputs, training: bool = False):
        return inputs
