"""``DTypePolicyMap``: layer paths (or regexes over them) -> dtype policies, as
``keras.dtype_policies.DTypePolicyMap``.

Given as a layer's ``dtype=``, the layer computes under the policy its path maps to (its
``name`` for a layer of a model; ``'outer/inner'`` for a layer held by another); paths that
match no key get ``default_policy``.

Example:
    >>> from jnet.dtype_policies import DTypePolicy
    >>> policy_map = DTypePolicyMap(default_policy="float32")
    >>> policy_map["encoder/layer_0/dense"] = "bfloat16"
    >>> policy_map["encoder/.*"] = DTypePolicy("float16")
    >>> policy_map["decoder"] = "bfloat16"
    >>> policy_map["encoder/layer_0/dense"].name, policy_map["encoder/attention/query"].name
    ('bfloat16', 'float16')
    >>> policy_map["decoder/attention"].name  # no implicit prefix match: the default
    'float32'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

from jnet import errors
from jnet.dtype_policies import _policy

__all__ = ["DTypePolicyMap"]


class DTypePolicyMap(_policy.DTypePolicy, MutableMapping):
    """Dict-like object mapping layer paths to ``DTypePolicy`` instances.

    A key is a layer path (``'dense'``, ``'encoder/dense'``) or a regular expression over
    paths (``'encoder/.*'``). Looking a path up tries the exact key first, then every key
    as a pattern (``re.fullmatch``); a path matching several patterns is an error, and one
    matching none gets ``default_policy``. As a policy itself (``compute_dtype``,
    ``variable_dtype``, ``name``) the map is its default policy. A layer's path is its
    ``name`` (Keras's ``layer.path`` for a layer of a model).

    Difference from Keras: a Keras layer given a map reports its entry's
    ``compute_dtype`` but casts and computes under the map's default policy (its call reads
    ``layer.dtype_policy``, the map itself); a jnet layer computes under its entry.

    Args:
        default_policy: the policy of paths that match no key: a ``DTypePolicy`` or its name.
            Defaults to None: the global policy (``jnet.config.dtype_policy()``).
        policy_map: an optional dict mapping strings to policies (or their names).

    Raises:
        JnetValueError: ``default_policy`` is a ``DTypePolicyMap``; an entry is not a policy.
        JnetTypeError: ``policy_map`` is not a dict.

    Example:
        >>> import numpy as np, jnet
        >>> policy_map = DTypePolicyMap(policy_map={"hidden": "mixed_bfloat16"})
        >>> model = jnet.Sequential([
        ...     jnet.Input((3,)),
        ...     jnet.layers.Dense(4, name="hidden", dtype=policy_map),
        ...     jnet.layers.Dense(2, name="out", dtype=policy_map)])
        >>> [layer.compute_dtype for layer in model.layers]
        ['bfloat16', 'float32']
        >>> model.predict(np.ones((1, 3), "float32"), verbose=0).dtype
        dtype('float32')
    """

    def __init__(self, default_policy: Any = None, policy_map: Any = None):
        if isinstance(default_policy, DTypePolicyMap):
            raise errors.JnetValueError("`default_policy` cannot be a `DTypePolicyMap`.")
        if policy_map is not None and not isinstance(policy_map, dict):
            raise errors.JnetTypeError(
                f"If specified, `policy_map` must be a dict. Received: "
                f"policy_map={policy_map!r} of type {type(policy_map)}"
            )
        self._default_policy_arg = default_policy
        self._default_policy = (None if default_policy is None
                                else _policy.get(default_policy))
        self._policy_map: dict[str, _policy.DTypePolicy] = {}
        for key, policy in (policy_map or {}).items():
            self[key] = policy

    @property
    def default_policy(self) -> _policy.DTypePolicy:
        """The policy of unmatched paths (the global policy when none was given)."""
        return _policy.get(self._default_policy)

    @property
    def name(self) -> str:
        """``'map_<default policy name>'``, as Keras's."""
        return f"map_{self.default_policy.name}"

    @property
    def _name(self) -> str:  # DTypePolicy's equality and hash read it
        return self.name

    @property
    def compute_dtype(self) -> str:
        """The default policy's compute dtype."""
        return self.default_policy.compute_dtype

    @property
    def variable_dtype(self) -> str:
        """The default policy's variable dtype."""
        return self.default_policy.variable_dtype

    @property
    def is_mixed(self) -> bool:
        """Whether the default policy is mixed."""
        return self.default_policy.is_mixed

    def __getitem__(self, key: str) -> _policy.DTypePolicy:
        """The policy of the layer path ``key`` (see the class)."""
        if key in self._policy_map:
            return self._policy_map[key]
        matching = [pattern for pattern in self._policy_map
                    if re.fullmatch(pattern, key)]
        if len(matching) > 1:
            raise errors.JnetValueError(
                f"Path '{key}' matches multiple dtype policy specification keys: {matching}. "
                f"Please make sure each path only matches at most one dtype policy "
                f"specification key in the DTypePolicyMap."
            )
        if matching:
            return self._policy_map[matching[0]]
        return self.default_policy

    def __setitem__(self, key: str, policy: Any) -> None:
        if key in self._policy_map:
            raise errors.JnetValueError(
                f"{key} already exist in the DTypePolicyMap with value "
                f"{self._policy_map[key]}. Please make sure to not use duplicated keys."
            )
        try:
            policy = _policy.get(policy)
        except errors.JnetError:
            raise errors.JnetValueError(
                f"Cannot interpret the assigned value by `jnet.dtype_policies.get`. "
                f"Received: {policy!r} of type {type(policy)}"
            ) from None
        if isinstance(policy, DTypePolicyMap):
            raise errors.JnetValueError(
                f"DTypePolicyMap[{key!r}]: a map's entries are policies, not maps."
            )
        self._policy_map[key] = policy

    def __delitem__(self, key: str) -> None:
        self._policy_map.pop(key)

    def __contains__(self, key: object) -> bool:
        return key in self._policy_map

    def __len__(self) -> int:
        return len(self._policy_map)

    def __iter__(self) -> Iterator[str]:
        return iter(self._policy_map)

    def __eq__(self, other: Any) -> bool:
        return (isinstance(other, DTypePolicyMap)
                and self._default_policy_arg == other._default_policy_arg
                and self._policy_map == other._policy_map)

    def __hash__(self) -> int:
        return id(self)

    def get_config(self) -> dict[str, Any]:
        """``{'default_policy': ..., 'policy_map': {key: policy config dict}}``."""
        default = self._default_policy_arg
        if isinstance(default, _policy.DTypePolicy):
            default = _policy.serialize(default)
        return {"default_policy": default,
                "policy_map": {k: _policy.serialize(v) for k, v in self._policy_map.items()}}

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> DTypePolicyMap:
        """The map of :meth:`get_config`'s dict (Keras's too)."""
        config = dict(config)
        default = config.get("default_policy")
        policies = config.get("policy_map") or {}
        if isinstance(policies, Mapping) and "config" in policies and "class_name" in policies:
            policies = policies["config"]  # Keras's serialized dict
        return cls(default_policy=default, policy_map=dict(policies))

    def __repr__(self) -> str:
        default = None if self._default_policy is None else self._default_policy.name
        mapping = [(k, v.name) for k, v in self._policy_map.items()]
        return f"<DTypePolicyMap default_policy={default}, mapping={mapping}>"


_policy._CLASSES["DTypePolicyMap"] = DTypePolicyMap
