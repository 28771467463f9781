"""Wrapper: the base class of layers that take another layer and augment it (Keras's
``keras.layers.Wrapper``), written the Keras way (``call`` uses ``self.layer``).

Example:
    >>> import numpy as np, jnet
    >>> class Doubled(jnet.layers.Wrapper):
    ...     def call(self, inputs):
    ...         return 2.0 * self.layer(inputs)
    >>> model = jnet.Sequential([jnet.layers.Input((3,)),
    ...                          Doubled(jnet.layers.Dense(2, kernel_initializer="ones"))])
    >>> model.predict(np.ones((1, 3), "float32"), verbose=0).tolist()
    [[6.0, 6.0]]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jnet import dtype_policies, errors
from jnet.layers.base import Layer
from jnet.layers.keras_layer import KerasLayer

__all__ = ["Wrapper"]


class Wrapper(KerasLayer):
    """Abstract wrapper base class.

    Wrappers take another layer and augment it in various ways. Subclass it and write
    ``call`` (and ``build`` if the wrapper has weights of its own), as in Keras; the wrapped
    layer is ``self.layer``, a sublayer whose weights follow the wrapper's own. The subclass
    trains, saves and loads inside Sequential, functional and subclassed models like any
    Keras-style layer (:class:`jnet.layers.Layer`). Do not use this class as a layer itself.

    Args:
        layer: the layer to be wrapped (a jnet layer).
        **kwargs: the base layer's arguments (``name``, ``trainable``, ``dtype``, ...).

    Example:
        >>> import numpy as np, jnet
        >>> class Residual(jnet.layers.Wrapper):
        ...     def call(self, inputs):
        ...         return inputs + self.layer(inputs)
        >>> layer = Residual(jnet.layers.Dense(3, kernel_initializer="zeros"))
        >>> layer(np.ones((2, 3), "float32")).tolist()
        [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]
        >>> type(layer.get_config()["layer"]).__name__
        'Dense'
    """

    def __init__(self, layer: Any, **kwargs: Any):
        if not isinstance(layer, Layer):
            raise errors.JnetValueError(
                f"Layer {errors.describe(layer)} supplied to Wrapper isn't a supported layer "
                f"type. Please ensure wrapped layer is a valid jnet layer."
            )
        super().__init__(**kwargs)
        self.layer = layer

    def call(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        """The wrapped layer's call (override it to augment the layer)."""
        return self.layer(inputs, *args, **kwargs)

    def get_config(self) -> dict[str, Any]:
        """The base config (``name``, ``trainable``, ``dtype``), a subclass's other plain
        constructor arguments (when it does not override ``get_config``), and ``layer``: the
        wrapped layer object (saving writes it as a nested layer entry)."""
        self._check_super_called()
        config: dict[str, Any] = {"name": self.name, "trainable": self.trainable}
        if type(self).get_config is Wrapper.get_config:
            auto = dict(self.__dict__.get("_auto_config") or {})
            auto.pop("layer", None)
            config.update(auto)
        config["dtype"] = dtype_policies.serialize(self.dtype_policy)
        config["layer"] = self.layer
        return config

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Wrapper:
        """The wrapper of :meth:`get_config`'s dict (``layer`` a jnet layer)."""
        config = dict(config)
        return cls(config.pop("layer"), **config)

