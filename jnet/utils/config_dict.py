"""Keras's ``keras.utils.Config``: a dict-like container of named values, read and written as
attributes or items, that can be frozen and written as JSON (``utils/config.py``).

Example:
    >>> from jnet.utils import Config
    >>> config = Config(learning_rate=0.1, momentum=0.9)
    >>> config.seed = 123
    >>> config["learning_rate"], config.seed, sorted(config)
    (0.1, 123, ['learning_rate', 'momentum', 'seed'])
    >>> config.to_json()
    '{"learning_rate": 0.1, "momentum": 0.9, "seed": 123}'
"""

from __future__ import annotations

import copy
import difflib
import json
from collections.abc import Iterator
from typing import Any

from jnet import errors

__all__ = ["Config"]


class Config:
    """A dict-like container for named values, as ``keras.utils.Config``.

    Values are set and read as attributes (``config.seed = 1``) or as items
    (``config["seed"]``); :meth:`freeze` makes every later change an error; :meth:`as_dict` and
    :meth:`to_json` give the values out. Iterating yields the names in sorted order, as Keras's.

    Args:
        **kwargs: the first values.

    Example:
        >>> config = Config(optimizer="adam")
        >>> config.freeze()
        >>> config.frozen
        True
        >>> config.optimizer = "sgd"
        Traceback (most recent call last):
        ...
        jnet.errors.JnetValueError: Cannot mutate attribute(s) because the config is frozen.
    """

    _jnet_own = frozenset({"_config", "_frozen"})

    def __init__(self, **kwargs: Any):
        object.__setattr__(self, "_config", dict(kwargs))
        object.__setattr__(self, "_frozen", False)

    @property
    def frozen(self) -> bool:
        """Whether the config is frozen."""
        return self._frozen

    def freeze(self) -> None:
        """Marks the config as frozen: any later change raises."""
        object.__setattr__(self, "_frozen", True)

    def unfreeze(self) -> None:
        """Allows changes again."""
        object.__setattr__(self, "_frozen", False)

    def _raise_if_frozen(self) -> None:
        if self._frozen:
            raise errors.JnetValueError("Cannot mutate attribute(s) because the config is frozen.")

    def as_dict(self) -> dict[str, Any]:
        """A (shallow) copy of the values as a dict."""
        return copy.copy(self._config)

    def to_json(self) -> str:
        """The values as a JSON string."""
        return json.dumps(self._config)

    def keys(self):
        return self._config.keys()

    def values(self):
        return self._config.values()

    def items(self):
        return self._config.items()

    def pop(self, *args: Any) -> Any:
        self._raise_if_frozen()
        return self._config.pop(*args)

    def update(self, *args: Any, **kwargs: Any) -> None:
        self._raise_if_frozen()
        self._config.update(*args, **kwargs)

    def get(self, keyname: str, value: Any = None) -> Any:
        return self._config.get(keyname, value)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self._jnet_own or hasattr(type(self), name):
            object.__setattr__(self, name, value)
            return
        self._raise_if_frozen()
        self._config[name] = value

    def __getattr__(self, name: str) -> Any:  # only called when normal lookup fails
        config = self.__dict__.get("_config", {})
        if name in config:
            return config[name]
        message = f"Unknown attribute: '{name}'."
        close = difflib.get_close_matches(name, list(config), n=1, cutoff=0.7)
        if close:
            message += f" Did you mean '{close[0]}'?"
        raise AttributeError(message)

    def __setitem__(self, key: str, item: Any) -> None:
        self._raise_if_frozen()
        self._config[key] = item

    def __getitem__(self, key: str) -> Any:
        return self._config[key]

    def __delitem__(self, key: str) -> None:
        self._raise_if_frozen()
        del self._config[key]

    def __contains__(self, item: Any) -> bool:
        return item in self._config

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._config))

    def __len__(self) -> int:
        return len(self._config)

    def __repr__(self) -> str:
        return f"<Config {self._config}>"
