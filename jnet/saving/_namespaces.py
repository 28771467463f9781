"""Keras's serialization names that belong to namespaces below ``jnet.saving``.

``keras.layers.serialize`` / ``deserialize`` and ``keras.utils.serialize_keras_object`` /
``deserialize_keras_object`` need the whole registry of jnet's objects, which only
``jnet.saving`` (floor 9) can reach; ``jnet.layers`` (floor 8) and ``jnet.utils`` (floor 3)
cannot import it. So the code lives here and the package face (``jnet/__init__.py``, the top
floor) puts the names on ``jnet.layers`` and ``jnet.utils``, where Keras users look for them
(``import jnet`` always runs the face first, so ``from jnet.utils import
serialize_keras_object`` works).

Example:
    >>> import jnet
    >>> config = jnet.layers.serialize(jnet.layers.Dense(2, name="d"))
    >>> config["module"], config["class_name"], config["config"]["units"]
    ('keras.layers', 'Dense', 2)
    >>> jnet.layers.deserialize(config).units
    2
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jnet import errors
from jnet.layers import Layer
from jnet.saving._keras_config import keras_layer
from jnet.saving._serialization_lib import deserialize_keras_object, serialize_keras_object

__all__ = ["deserialize_layer_object", "serialize_layer_object"]


def serialize_layer_object(layer: Any) -> dict[str, Any]:
    """Keras's ``keras.layers.serialize``: a layer as Keras's object dict
    (``{'module', 'class_name', 'config', 'registered_name'}``).

    Args:
        layer: a jnet layer (built-in or a registered Keras-style subclass).

    Returns:
        The dict :func:`deserialize_layer_object` rebuilds the layer from.

    Raises:
        JnetTypeError: for something that is not a layer.

    Example:
        >>> import jnet
        >>> serialize_layer_object(jnet.layers.Dropout(0.5))["config"]["rate"]
        0.5
    """
    if not isinstance(layer, Layer):
        raise errors.JnetTypeError(
            f"layers.serialize takes a layer, received {errors.describe(layer)}. Use "
            f"jnet.saving.serialize_keras_object for other objects."
        )
    return serialize_keras_object(layer)


def deserialize_layer_object(config: Mapping[str, Any],
                             custom_objects: Mapping[str, Any] | None = None) -> Any:
    """Keras's ``keras.layers.deserialize``: the layer a config describes.

    Args:
        config: Keras's object dict (:func:`serialize_layer_object`'s, or one Keras wrote:
            its Keras-only keys are translated as when a ``.keras`` file is loaded), or a
            dict with only ``class_name`` and ``config`` (then the class is a layer's of
            ``keras.layers`` or a custom one).
        custom_objects: ``{name: class}`` for your own layer classes (and the functions
            their configs name) that are not registered. Defaults to None.

    Returns:
        A new layer, not built.

    Raises:
        JnetTypeError: for a config that is not a dict, a class neither jnet's nor
            registered nor passed, or a config that describes something else than a layer.

    Example:
        >>> deserialize_layer_object({"class_name": "Dense", "config": {"units": 3}}).units
        3
    """
    if not isinstance(config, Mapping) or "class_name" not in config:
        raise errors.JnetTypeError(
            f"layers.deserialize takes a layer's config dict ({{'class_name': ..., 'config': "
            f"...}}), received {errors.describe(config)}."
        )
    config = dict(config)
    if config.get("module") is None and config.get("registered_name") is None:
        config["module"] = "keras.layers"
    try:
        layer = deserialize_keras_object(config, custom_objects)
    except errors.JnetError as e:  # a config Keras wrote (dtype policies, Keras-only keys)
        try:
            layer = keras_layer(config, custom_objects)
        except errors.JnetError:
            raise e from None
    if not isinstance(layer, Layer):
        raise errors.JnetTypeError(
            f"layers.deserialize: the config describes a {type(layer).__name__}, not a layer. "
            f"Use jnet.saving.deserialize_keras_object for other objects."
        )
    return layer
