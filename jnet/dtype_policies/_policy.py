"""``DTypePolicy``: the compute and variable dtypes of a layer, as ``keras.DTypePolicy``.

A policy is named by a float dtype (``'float32'``, ``'bfloat16'``, ...: both dtypes that one)
or by ``'mixed_float16'`` / ``'mixed_bfloat16'`` (computations in float16 / bfloat16, variables
in float32). The global policy lives in :mod:`jnet.config` (``set_dtype_policy``); this module
gives it its class.

Example:
    >>> policy = DTypePolicy("mixed_bfloat16")
    >>> policy.compute_dtype, policy.variable_dtype
    ('bfloat16', 'float32')
    >>> policy
    <DTypePolicy "mixed_bfloat16">
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from jnet import config, errors

__all__ = ["DTypePolicy", "FloatDTypePolicy", "deserialize", "get", "serialize"]

#: Mixed policies: name -> (compute dtype, variable dtype).
_MIXED = {"mixed_float16": ("float16", "float32"), "mixed_bfloat16": ("bfloat16", "float32")}
#: The float dtypes a policy may be named by (Keras's ``standardize_dtype`` names).
_FLOATS = ("float16", "bfloat16", "float32", "float64")


def _parse(name: Any) -> tuple[str, str]:
    if not isinstance(name, str):
        raise errors.JnetTypeError(
            f"'name' must be a string, such as 'mixed_float16'. Received: name={name!r} "
            f"(of type {type(name)})"
        )
    if name in _MIXED:
        return _MIXED[name]
    standard = {"half": "float16", "float": "float32", "double": "float64"}.get(name, name)
    if standard in _FLOATS:
        return standard, standard
    raise errors.JnetValueError(
        f"Cannot convert '{name}' to a mixed precision DTypePolicy. Valid policies include "
        f"'mixed_float16', 'mixed_bfloat16', and the name of any float dtype such as "
        f"'float32'."
    )


class DTypePolicy:
    """A dtype policy for a layer: the dtype it computes in and the dtype of its variables.

    Args:
        name: ``'mixed_float16'`` or ``'mixed_bfloat16'`` (float16 / bfloat16 computations,
            float32 variables), or a float dtype name (``'float32'``, ``'bfloat16'``, ...:
            both dtypes that one). Defaults to the global policy's name
            (``jnet.config.dtype_policy()``).

    Raises:
        JnetTypeError: ``name`` is not a string.
        JnetValueError: ``name`` names no policy.

    Example:
        >>> import jnet
        >>> layer = jnet.layers.Dense(10, dtype=DTypePolicy("mixed_float16"))
        >>> layer.compute_dtype, layer.variable_dtype
        ('float16', 'float32')
    """

    def __init__(self, name: str | None = None):
        if name is None:
            name = config.dtype_policy().name
        self._compute_dtype, self._variable_dtype = _parse(name)
        self._name = name

    @property
    def name(self) -> str:
        """The policy's name (``'mixed_float16'``, ``'float32'``, ...)."""
        return self._name

    @property
    def compute_dtype(self) -> str:
        """The dtype layers compute in (and output), e.g. ``'float16'``."""
        return self._compute_dtype

    @property
    def variable_dtype(self) -> str:
        """The dtype layers create their variables in, e.g. ``'float32'``."""
        return self._variable_dtype

    @property
    def quantization_mode(self) -> None:
        """None: jnet's policies are not quantized."""
        return None

    @property
    def is_mixed(self) -> bool:
        """Whether the compute dtype differs from the variable dtype (jnet's own)."""
        return self._compute_dtype != self._variable_dtype

    def get_config(self) -> dict[str, Any]:
        """``{'name': ...}``, as Keras's."""
        return {"name": self._name}

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> DTypePolicy:
        """The policy of ``get_config()``'s dict."""
        return cls(**config)

    def __repr__(self) -> str:
        return f'<DTypePolicy "{self._name}">'

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, DTypePolicy) and self._name == other._name

    def __hash__(self) -> int:
        return hash(("DTypePolicy", self._name))


class FloatDTypePolicy(DTypePolicy):
    """Keras's former name of :class:`DTypePolicy` (same behaviour, same ``repr``)."""


_CLASSES = {"DTypePolicy": DTypePolicy, "FloatDTypePolicy": FloatDTypePolicy}


def serialize(dtype_policy: DTypePolicy) -> dict[str, Any]:
    """A policy's Keras config: ``{'module', 'class_name', 'config', 'registered_name'}``.

    Example:
        >>> serialize(DTypePolicy("float32"))["config"]
        {'name': 'float32'}
    """
    if not isinstance(dtype_policy, DTypePolicy):
        raise errors.JnetTypeError(
            f"dtype_policies.serialize expects a DTypePolicy, received "
            f"{errors.describe(dtype_policy)}."
        )
    return {
        "module": "keras",
        "class_name": type(dtype_policy).__name__,
        "config": dtype_policy.get_config(),
        "registered_name": None,
    }


def deserialize(config: Mapping[str, Any], custom_objects: Any = None) -> DTypePolicy:
    """The policy of a :func:`serialize` dict (Keras's too).

    Args:
        config: ``{'class_name': 'DTypePolicy', 'config': {'name': ...}}``.
        custom_objects: accepted for Keras compatibility; unused.

    Example:
        >>> deserialize({"class_name": "DTypePolicy", "config": {"name": "mixed_float16"}})
        <DTypePolicy "mixed_float16">
    """
    del custom_objects
    if not isinstance(config, Mapping) or config.get("class_name") not in _CLASSES:
        raise errors.JnetValueError(
            f"Cannot deserialize a dtype policy from {config!r}: expected "
            f"{{'class_name': 'DTypePolicy', 'config': {{'name': ...}}}}."
        )
    inner = config.get("config") or {}
    return _CLASSES[config["class_name"]].from_config(dict(inner))


def get(identifier: Any) -> DTypePolicy:
    """A policy from None (the global one), a name, a config dict, a numpy/JAX dtype or a
    policy (returned as is).

    Raises:
        JnetValueError: for anything else.

    Example:
        >>> get("mixed_bfloat16").compute_dtype
        'bfloat16'
    """
    if identifier is None:
        return config.dtype_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, Mapping):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return DTypePolicy(identifier)
    try:
        name = np.dtype(identifier).name
    except TypeError:
        name = None
    if name in _FLOATS:
        return DTypePolicy(name)
    raise errors.JnetValueError(
        "Cannot interpret `dtype` argument. Expected a string or an instance of DTypePolicy. "
        f"Received: dtype={identifier!r}"
    )


config._set_policy_class(DTypePolicy)
