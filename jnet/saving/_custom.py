"""The user's objects, as loading sees them: passed, scoped and registered, found by name only.

Every reader of configs (jnet files, Keras archives, ``deserialize_keras_object``) turns the
caller's ``custom_objects`` into one dict with :func:`custom_dict`: the passed objects, the
objects registered with ``@register_keras_serializable`` (under ``'package>name'``) and those
of the current ``custom_object_scope``. A name is looked up in that dict and nowhere else (no
module is ever imported), with one courtesy as in Keras: a plain name ``'my_fn'`` also finds an
object registered as ``'<package>>my_fn'``, and a registered name ``'pkg>my_fn'`` also finds
``custom_objects={'my_fn': ...}``; callers try jnet's own names before that courtesy.

Example:
    >>> import jnet
    >>> from jnet.saving._custom import custom_dict, find
    >>> @jnet.saving.register_keras_serializable("Doc")
    ... def tripled(x):
    ...     return 3 * x
    >>> find(["tripled"], custom_dict(None), loose=True) is tripled
    True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from jnet.utils import _object_registration as registration

__all__ = ["custom_dict", "find", "registered_name_of", "register_hint"]


def custom_dict(custom_objects: Mapping[str, Any] | None) -> dict[str, Any]:
    """``custom_objects`` checked, merged with the registered and scoped objects.

    Raises:
        JnetTypeError: ``custom_objects`` is not a dict.
    """
    return registration.all_custom_objects(custom_objects)


def find(names: Iterable[Any], custom: Mapping[str, Any], loose: bool = False) -> Any:
    """The first of ``names`` (strings; others skipped) in ``custom``, or None.

    With ``loose``, a name not found exactly is matched by its part after ``'>'``
    (``'pkg>f'`` finds ``'f'``) or, without ``'>'``, against registered names ending in
    ``'>name'`` (``'f'`` finds ``'pkg>f'``).
    """
    keys = [n for n in names if isinstance(n, str) and n]
    for key in keys:
        if key in custom:
            return custom[key]
    if not loose:
        return None
    for key in keys:
        if ">" in key:
            short = key.rsplit(">", 1)[1]
            if short in custom:
                return custom[short]
        else:
            suffix = ">" + key
            for name, obj in custom.items():
                if name.endswith(suffix):
                    return obj
    return None


def registered_name_of(obj: Any) -> str | None:
    """The name ``obj`` (a class or function) is registered under, or None."""
    try:
        return registration.GLOBAL_CUSTOM_NAMES.get(obj)
    except TypeError:
        return None


def register_hint(class_name: str, what: str = "class") -> str:
    """The sentence that says how to make ``class_name`` loadable."""
    return (
        f"Decorate your {what} with @jnet.saving.register_keras_serializable() and import it "
        f"before loading, or pass it: custom_objects={{{class_name!r}: {class_name}}} (or use "
        f"jnet.saving.custom_object_scope). jnet never imports a module named in a file."
    )
