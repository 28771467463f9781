"""A model held by a Keras-style layer, seen as one of the layer's sublayers.

Keras's guides build a layer's feed-forward as a model (``self.ffn = keras.Sequential([...])``
in a transformer block). A Keras-style layer (:mod:`jnet.layers.keras_layer`) tracks such a
model through a :class:`ModelPart`: the few things the layer asks of a sublayer (its name,
whether it trains, its weight paths, penalties and constraints), answered from the model's
layers. The model itself runs through :mod:`jnet.layers._keras_context`, with its entries of
the layer's variables. Models are recognised by the ``_JNET_IS_MODEL`` flag, so this module
imports no model class.

Example:
    >>> import jnet
    >>> ffn = jnet.Sequential([jnet.layers.Dense(2, kernel_regularizer="l2")])
    >>> part = ModelPart(ffn)
    >>> part.name == ffn.name, part.has_weight_regularizers(), part.has_constraints()
    (True, True, False)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["ModelPart", "is_model"]


def is_model(value: Any) -> bool:
    """Whether ``value`` is a jnet model (by the flag ``Model`` sets)."""
    return bool(getattr(type(value), "_JNET_IS_MODEL", False))


def _part(layer: Any) -> Any:
    return ModelPart(layer) if is_model(layer) else layer


class ModelPart:
    """The sublayer view of ``model`` (see the module docstring).

    Args:
        model: a jnet model held by a Keras-style layer.
    """

    def __init__(self, model: Any):
        self.model = model

    @property
    def name(self) -> str:
        return self.model.name

    @property
    def trainable(self) -> bool:
        return bool(self.model.trainable)

    def _parts(self) -> list[Any]:
        return [_part(layer) for layer in self.model.layers]

    def has_weight_regularizers(self) -> bool:
        """Whether a layer of the model has a weight regularizer."""
        return any(p.has_weight_regularizers() for p in self._parts())

    def has_constraints(self) -> bool:
        """Whether a layer of the model has a weight constraint."""
        return any(p.has_constraints() for p in self._parts())

    def regularization_loss(self, params: Mapping[str, Any]) -> Any:
        """The sum of the weight penalties of the model's trainable layers, or None."""
        terms = []
        for part in self._parts():
            if part.name in params and part.trainable:
                value = part.regularization_loss(params[part.name])
                if value is not None:
                    terms.append(value)
        return sum(terms[1:], terms[0]) if terms else None

    def apply_constraints(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """``params`` (the model's) with each constrained weight projected."""
        out = dict(params)
        for part in self._parts():
            if part.name in out and part.has_constraints():
                out[part.name] = part.apply_constraints(out[part.name])
        return out

    def weight_paths(self, variables: Mapping[str, Any]) -> list[tuple[str, ...]]:
        """The Keras-ordered paths of the model's weights in ``variables`` (its own)."""
        return self.model.weight_paths(dict(variables))

    def set_values(self, variables: Mapping[str, Any]) -> None:
        """Gives the model the values ``{collection: tree}`` (the outer model's, after fit)."""
        self.model._set_variables({**self.model.variables, **variables})  # noqa: SLF001

    def variables_list(self) -> list[Any]:
        """The model's weights as :class:`jnet.Variable` views (trainable, then the rest)."""
        return list(self.model.trainable_variables) + list(self.model.non_trainable_variables)
