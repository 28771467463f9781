"""String identifier -> object registries, shared by activations, losses, metrics, ...

A :class:`Registry` is data: a dict of canonical names built from the objects themselves plus
Keras's aliases. ``get`` accepts a string, a ``{'class_name': ..., 'config': ...}`` dict, an
object or a callable, exactly as Keras's ``get()`` functions do.

Example:
    >>> reg = Registry("activation", {"relu": abs}, aliases={"r": "relu"})
    >>> reg.get("r") is abs
    True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from jnet import errors


def keras_object_config(obj: Any, module: str, registered_name: str | None = None) -> dict:
    """The dict Keras's ``serialize`` functions write for an object with ``get_config``.

    Example:
        >>> class Thing:
        ...     def get_config(self):
        ...         return {"a": 1}
        >>> keras_object_config(Thing(), "keras.things")["config"]
        {'a': 1}
    """
    return {
        "module": module,
        "class_name": type(obj).__name__,
        "config": obj.get_config(),
        "registered_name": registered_name,
    }


class Registry:
    """Maps identifiers to objects, with aliases and did-you-mean errors.

    Args:
        kind: what the entries are ("optimizer", "loss"), used in error messages.
        entries: canonical name -> object.
        aliases: alias -> canonical name.
    """

    def __init__(
        self,
        kind: str,
        entries: Mapping[str, Any],
        aliases: Mapping[str, str] | None = None,
    ):
        self.kind = kind
        self._entries = dict(entries)
        self._aliases = dict(aliases or {})
        for alias, target in self._aliases.items():
            if target not in self._entries:
                raise KeyError(f"alias {alias!r} points to unknown {kind} {target!r}")

    def names(self) -> list[str]:
        """Every accepted string, canonical names and aliases, sorted."""
        return sorted(set(self._entries) | set(self._aliases))

    def canonical(self, name: str) -> str:
        """The canonical name of ``name`` (itself, or what an alias points to)."""
        if name in self._entries:
            return name
        if name in self._aliases:
            return self._aliases[name]
        raise errors.unknown_identifier(self.kind, name, self.names())

    def lookup(self, name: str) -> Any:
        """The object registered under ``name`` or one of its aliases."""
        return self._entries[self.canonical(name)]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and (name in self._entries or name in self._aliases)

    def items(self):
        """(canonical name, object) pairs."""
        return self._entries.items()

    def get(self, identifier: Any, *, from_config: Callable[[Any, dict], Any] | None = None) -> Any:
        """Resolves a string, config dict, object or callable.

        Args:
            identifier: a registered name or alias, a Keras-style config dict
                ``{'class_name': name, 'config': {...}}``, or an object (returned as is).
            from_config: how to build an object from ``(registered_object, config)``;
                defaults to calling the registered object with ``**config``.

        Returns:
            The registered object, the built object, or ``identifier`` itself.
        """
        if isinstance(identifier, str):
            return self.lookup(identifier)
        if isinstance(identifier, Mapping):
            if "class_name" not in identifier:
                raise errors.JnetValueError(
                    f"A {self.kind} config dict needs a 'class_name' key; received "
                    f"{dict(identifier)!r}."
                )
            target = self.lookup(identifier["class_name"])
            config = dict(identifier.get("config") or {})
            if from_config is not None:
                return from_config(target, config)
            return target(**config)
        return identifier

    def resolve(self, identifier: Any, expected: str) -> Any:
        """Keras's ``<module>.get`` over a registry of classes that have ``from_config``.

        None stays None; a name builds its class with the defaults; a config dict
        ``{'class_name': ..., 'config': {...}}`` builds it from the config; a class is
        instantiated; any other callable is returned as is.

        Args:
            identifier: what the caller passed.
            expected: the accepted forms, for the error message (e.g. "a name such as 'l2',
                a config dict, a Regularizer, or a callable x -> penalty").

        Raises:
            UnknownIdentifierError: an unknown name (the valid names are listed).
            JnetTypeError: anything else.
        """
        if identifier is None:
            return None
        if isinstance(identifier, str):
            return self.lookup(identifier)()
        if isinstance(identifier, Mapping):
            return self.get(identifier, from_config=lambda cls, config: cls.from_config(config))
        if isinstance(identifier, type):
            return identifier()
        if callable(identifier):
            return identifier
        raise errors.JnetTypeError(
            f"Could not interpret {self.kind} identifier: received "
            f"{errors.describe(identifier)}. Expected {expected}."
        )
