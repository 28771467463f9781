"""The ops behind Python's operators on KerasTensors (``a + b``, ``-x``, ``x[:, 0]``).

:mod:`jnet.symbolic` sits below ``jnet.ops``, so ``KerasTensor`` reads its operators from a
table that this module fills when ``jnet.ops`` is imported, with the same ops Keras's
``KerasTensor`` records.

Example:
    >>> import jnet
    >>> x = jnet.Input(shape=(3,))
    >>> (2 * x + 1).shape, x[:, 0].shape
    ((None, 3), (None,))
"""

from jnet.ops import numpy as np_ops
from jnet.symbolic import keras_tensor

__all__: list[str] = []

keras_tensor.register_operators({
    name: getattr(np_ops, name)
    for name in (
        "absolute", "add", "floor_divide", "get_item", "greater", "greater_equal", "less",
        "less_equal", "logical_and", "logical_not", "logical_or", "logical_xor", "matmul", "mod",
        "multiply", "negative", "power", "round", "subtract", "true_divide",
    )
})
