"""Which base a subclass of ``jnet.layers.Layer`` gets: Flax's or the Keras-style one.

Built-in layers are Flax modules: dataclass fields and ``__call__``. A user's layer written
as in Keras defines ``call`` (and usually ``__init__``) and never ``__call__``; for such a
class body, :class:`LayerMeta` (the metaclass of ``jnet.layers.Layer``) builds the class on
the Keras-style base registered here (:class:`jnet.layers.keras_layer.KerasLayer`, which
registers itself) instead of the Flax one. ``isinstance(x, jnet.layers.Layer)`` and
``issubclass`` hold for both kinds, so models, wrappers and saving treat them alike.

Example:
    >>> import jnet
    >>> class Double(jnet.layers.Layer):
    ...     def call(self, inputs):
    ...         return inputs * 2
    >>> isinstance(Double(), jnet.layers.Layer), Double.__mro__[1].__name__
    (True, 'KerasLayer')
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

from jnet import errors
from jnet.layers import _help

__all__ = ["LayerMeta", "register_keras_base"]

_KERAS_BASE: list[type] = []


def register_keras_base(cls: type) -> None:
    """Sets the class that a Keras-style subclass of ``jnet.layers.Layer`` gets as its base."""
    _KERAS_BASE[:] = [cls]


def _is_layer_base(cls: Any) -> bool:
    return isinstance(cls, type) and cls.__dict__.get("_JNET_LAYER_BASE", False)


def _is_keras_style(namespace: Mapping[str, Any]) -> bool:
    return "__call__" not in namespace and ("call" in namespace or "__init__" in namespace)


class LayerMeta(type):
    """The metaclass of ``jnet.layers.Layer`` (see the module)."""

    def __new__(mcls, name, bases, namespace, **kwargs):
        if _KERAS_BASE and _is_keras_style(namespace) and any(map(_is_layer_base, bases)):
            keras_base = _KERAS_BASE[0]
            bases = tuple(keras_base if _is_layer_base(b) else b for b in bases)
            return type(keras_base)(name, bases, dict(namespace), **kwargs)
        return super().__new__(mcls, name, bases, namespace, **kwargs)

    def __instancecheck__(cls, instance: Any) -> bool:
        if _is_layer_base(cls) and _KERAS_BASE and isinstance(instance, _KERAS_BASE[0]):
            return True
        return super().__instancecheck__(instance)

    def __subclasscheck__(cls, subclass: type) -> bool:
        if _is_layer_base(cls) and _KERAS_BASE and issubclass(subclass, _KERAS_BASE[0]):
            return True
        return super().__subclasscheck__(subclass)

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        # A class whose Keras positional order differs from its dataclass fields' (a subclass
        # adds a field that Keras places before inherited ones) lists that order in
        # KERAS_POSITIONAL; positional arguments are bound to those names.
        order = cls.__dict__.get("KERAS_POSITIONAL")
        if args and order:
            if len(args) > len(order):
                raise errors.JnetTypeError(
                    f"{cls.__name__} takes at most {len(order)} positional arguments "
                    f"({', '.join(order)}), received {len(args)}."
                )
            for name, value in zip(order, args, strict=False):
                if name in kwargs:
                    raise errors.JnetTypeError(
                        f"{cls.__name__} received {name!r} both positionally and by keyword."
                    )
                kwargs[name] = value
            args = ()
        return super().__call__(*args, **kwargs)

    @property
    def __signature__(cls) -> inspect.Signature:
        # Classes only (a property of the metaclass): a layer instance keeps its __call__'s.
        return _help.keras_signature(cls)

    def __dir__(cls) -> list[str]:
        return _help.help_names(cls)
