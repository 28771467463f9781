"""The table of model classes by name, which :mod:`jnet.models` fills and loading reads.

A saved architecture is ``{'class_name': name, 'config': ...}``. Saving gets it from the
model itself (:func:`architecture_of`: ``model.architecture_config()``); loading looks
``name`` up here and calls ``model_class(name).from_architecture(config, custom_objects)``.
So the saving folder knows file formats and names, never the model classes:
:mod:`jnet.models` registers ``Sequential``, ``Functional`` and ``Model`` (Keras's name for
a functional model's class).

Example:
    >>> import jnet
    >>> from jnet.saving._classes import model_class
    >>> model_class("Sequential") is jnet.Sequential
    True
"""

from __future__ import annotations

from typing import Any

from jnet import errors

__all__ = ["architecture_of", "model_class", "model_class_names", "register_model_class"]

_CLASSES: dict[str, type] = {}


def register_model_class(name: str, cls: type) -> None:
    """Makes ``cls`` the model class that a saved ``class_name`` of ``name`` rebuilds.

    ``cls`` must offer ``from_architecture(config, custom_objects=None)``.
    """
    if not isinstance(name, str) or not name:
        raise errors.JnetTypeError(f"A model class name must be a string, received {name!r}.")
    if not callable(getattr(cls, "from_architecture", None)):
        raise errors.JnetTypeError(
            f"{errors.describe(cls)} has no from_architecture(config, custom_objects) to "
            f"rebuild a saved model with."
        )
    _CLASSES[name] = cls


def model_class_names() -> list[str]:
    """The registered names, sorted."""
    return sorted(_CLASSES)


def model_class(name: str) -> type:
    """The model class registered under ``name``.

    Raises:
        JnetValueError: no model class has that name (the message lists the known ones).
    """
    cls = _CLASSES.get(name) if isinstance(name, str) else None
    if cls is None:
        known = ", ".join(repr(n) for n in model_class_names()) or "none"
        raise errors.JnetValueError(
            f"Unknown model class {name!r}: jnet rebuilds the model classes {known}."
        )
    return cls


def architecture_of(model: Any) -> dict[str, Any]:
    """``{'class_name', 'config'}`` of a model, from its ``architecture_config()``.

    Raises:
        JnetTypeError: the model has none (a subclassed model: its architecture is its code).
    """
    get = getattr(model, "architecture_config", None)
    config = get() if callable(get) else None
    if config is None:
        raise errors.JnetTypeError(
            f"jnet can save Sequential and functional models; received "
            f"{errors.describe(model)}."
        )
    return config
