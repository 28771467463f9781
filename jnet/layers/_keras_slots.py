"""Where a Keras-style layer's Variables keep their values once a model holds the layer.

In Keras a layer's weights are the variables every model containing the layer trains. A jnet
model holds its variables as one pytree (what its compiled steps take), so a Keras-style
layer's :class:`jnet.Variable` is bound (:meth:`jnet.Variable.bind_source`) to a
:class:`ModelSlot`: while a built model holds the layer, ``layer.w.numpy()``,
``np.asarray(layer.w)``, ``layer.w.value`` read the model's current value (after ``fit``,
the trained one, with no sync call first), and ``layer.w.assign(...)`` writes into the model.
Before that, and for a layer on its own, the Variable holds its own value.

The model is found from the layer (:func:`jnet.layers._owner.location`); the weight sits at
``(collection, layer name, sublayer names..., key)`` of that model's variables.

Example:
    >>> import numpy as np, jnet
    >>> class Scale(jnet.layers.Layer):
    ...     def build(self, input_shape):
    ...         self.s = self.add_weight(shape=(), initializer="ones", name="s")
    ...     def call(self, inputs):
    ...         return inputs * self.s
    >>> layer = Scale()
    >>> model = jnet.Sequential([jnet.Input((2,)), layer])
    >>> model.set_weights([np.float32(3.0)])
    >>> float(layer.s.numpy())  # the model's value
    3.0
    >>> _ = layer.s.assign(5.0)
    >>> float(model.get_weights()[0])
    5.0
"""

from __future__ import annotations

import weakref
from typing import Any

from jnet.layers._keras_engine import STATE
from jnet.layers._owner import location, replaced
from jnet.layers.base import _get_path, _has_path

__all__ = ["ModelSlot"]


class ModelSlot:
    """The source of a Keras-style layer's Variable (see the module).

    Args:
        layer: the layer (held weakly).
        weight: its record of the Variable (``key`` and ``variable``, read at each access:
            the key follows the attribute the Variable is set to).
    """

    def __init__(self, layer: Any, weight: Any):
        self._layer = weakref.ref(layer)
        self._weight = weight

    def _where(self) -> tuple[Any, dict[str, Any], tuple[str, ...]] | None:
        layer = self._layer()
        found = location(layer) if layer is not None else None
        if found is None:
            return None
        model, names = found
        variables = model.variables
        first = "params" if self._weight.variable.trainable else STATE
        for col in (first, STATE if first == "params" else "params"):
            path = (col, *names, self._weight.key)
            if _has_path(variables, path):
                return model, variables, path
        return None

    def read(self) -> Any:
        """The model's value of the Variable, or None (no built model holds the layer)."""
        where = self._where()
        return None if where is None else _get_path(where[1], where[2])

    def write(self, value: Any) -> bool:
        """Stores ``value`` in the model; False when no built model holds the layer."""
        where = self._where()
        if where is None:
            return False
        model, variables, path = where
        model._set_variables(replaced(variables, path, value))
        return True
