"""Dtype policies, as ``keras.dtype_policies``: :class:`DTypePolicy` (compute and variable
dtypes), its former name :class:`FloatDTypePolicy`, :class:`DTypePolicyMap` (layer paths to
policies), and ``get``/``serialize``/``deserialize``.

Example:
    >>> import jnet
    >>> jnet.dtype_policies.get("mixed_float16")
    <DTypePolicy "mixed_float16">
"""

from jnet.dtype_policies._policy import (
    DTypePolicy,
    FloatDTypePolicy,
    deserialize,
    get,
    serialize,
)
from jnet.dtype_policies._policy_map import DTypePolicyMap

__all__ = ["DTypePolicy", "DTypePolicyMap", "FloatDTypePolicy", "deserialize", "get", "serialize"]
