"""What ``help()``, ``inspect.signature`` and ``dir`` show of a built-in layer class.

A built-in layer is a Flax dataclass: its generated ``__init__`` takes Flax's ``parent``, takes
``name`` positionally, spells Keras's ``dtype=`` as the private ``_dtype`` field, and the class
inherits about a hundred ``flax.linen.Module`` methods, so ``help(jnet.layers.Dense)`` ran to a
thousand lines of Flax internals. :class:`jnet.layers._layer_kind.LayerMeta` answers with
these two functions instead:

* :func:`keras_signature`: the constructor as Keras documents it, Keras's arguments in
  Keras's order, then the keyword-only base arguments (``trainable``, ``dtype``, ``name``,
  ``input_shape``, ``input_dim``), without ``parent``;
* :func:`help_names`: the names ``dir(cls)`` (and so ``pydoc``) lists: the public methods and
  properties that jnet's classes define, ``__call__`` and ``apply``; not the
  constructor arguments (the signature has them), the engine's ``ALL_CAPS`` class
  constants, nor Flax's plumbing (``bind``, ``setup``, ``variable``, ``parent``, ...).

Attribute access is untouched: every Flax method still works on a layer, it is only not listed.

Example:
    >>> import inspect
    >>> import jnet
    >>> list(inspect.signature(jnet.layers.Dropout).parameters)
    ['rate', 'noise_shape', 'seed', 'trainable', 'dtype', 'name', 'input_shape', 'input_dim']
    >>> inspect.signature(jnet.layers.Dropout).parameters["rate"]
    <Parameter "rate: float">
    >>> "parent" in dir(jnet.layers.Dense), "count_params" in dir(jnet.layers.Dense)
    (False, True)
"""

from __future__ import annotations

import dataclasses
import inspect
import sys

__all__ = ["help_names", "keras_signature"]

#: Keras's base-layer keyword arguments, in the order the signature lists them.
_BASE_KEYWORDS = ("trainable", "dtype", "name", "input_shape", "input_dim")
#: Flax's method a jnet user calls (the pure level; jnet's ``Layer`` documents ``apply``).
#: ``init`` works too but is left out: its Flax docstring alone is a hundred lines.
_FLAX_SHOWN = ("apply",)
#: Flax's fields, set by Flax on every module class.
_FLAX_HIDDEN = frozenset({"parent", "scope", "name"})
_PARAMETER = inspect.Parameter


def keras_signature(cls: type) -> inspect.Signature:
    """The signature of ``cls(...)`` as Keras documents it (see the module)."""
    signature = inspect.signature(cls.__init__)
    own_dtype = "dtype" in signature.parameters  # a layer whose dtype= is its own field
    positional, keywords = [], {}
    for name, parameter in list(signature.parameters.items())[1:]:  # without self
        if name == "parent" or (name == "_dtype" and own_dtype):
            continue
        parameter = parameter.replace(annotation=_evaluated(cls, name, parameter.annotation))
        if name == "_dtype":
            name, parameter = "dtype", parameter.replace(name="dtype")
        if name == "name":
            parameter = parameter.replace(annotation=_Annotation("str | None"))
        if name == "name" or parameter.kind is _PARAMETER.KEYWORD_ONLY:
            keywords[name] = parameter.replace(kind=_PARAMETER.KEYWORD_ONLY)
        else:
            positional.append(parameter)
    order = cls.__dict__.get("KERAS_POSITIONAL")
    if order:  # Keras's positional order, where it differs from the fields' (LayerMeta)
        rank = {name: i for i, name in enumerate(order)}
        positional.sort(key=lambda p: rank.get(p.name, len(order)))
    ordered = [keywords.pop(name) for name in _BASE_KEYWORDS if name in keywords]
    return inspect.Signature(positional + list(keywords.values()) + ordered)


class _Annotation(str):
    """An annotation shown as written (``Activation``, not its expanded union)."""

    def __repr__(self) -> str:
        return str(self)


def _evaluated(cls: type, name: str, annotation: object) -> object:
    """A field's annotation (the modules use ``from __future__ import annotations``): a
    class when it names one (``int``), else its text without the ``_typing.`` prefix
    (``Activation``), which says more in ``help()`` than the expanded union."""
    if not isinstance(annotation, str):
        return annotation
    owner = next((k for k in cls.__mro__ if name in vars(k).get("__annotations__", {})), cls)
    try:
        value = eval(annotation, vars(sys.modules[owner.__module__]))
    except Exception:  # a name only a type checker sees
        value = None
    if isinstance(value, type):
        return value
    return _Annotation(annotation.replace("_typing.", ""))


def help_names(cls: type) -> list[str]:
    """The names ``dir(cls)`` lists for a built-in layer class (see the module)."""
    fields = {f.name for f in dataclasses.fields(cls)} if dataclasses.is_dataclass(cls) else set()
    names = set(_FLAX_SHOWN)
    for klass in cls.__mro__:
        if klass.__module__.split(".")[0] in ("flax", "builtins"):
            continue
        names.update(name for name in vars(klass) if _shown(name, fields))
    return sorted(names)


def _shown(name: str, fields: set[str]) -> bool:
    if name == "__call__":
        return True
    return (
        not name.startswith("_")
        and name not in fields
        and name not in _FLAX_HIDDEN
        and not name.isupper()
    )
