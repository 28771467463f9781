"""``keras.backend``'s names: the backend's settings and dtype helpers, and ``clear_session``.

Most names are jnet's own functions under Keras's names: the settings of :mod:`jnet.config`
(``floatx``, ``epsilon``, ``image_data_format`` and their setters, ``backend()`` -> ``'jax'``),
the dtype rules of :mod:`jnet._dtypes` (``standardize_dtype``, ``result_type``,
``is_float_dtype``, ``is_int_dtype``) and ``is_keras_tensor``. :func:`clear_session` resets
what jnet keeps per session (see its docstring).

Example:
    >>> import jnet
    >>> jnet.backend.backend(), jnet.backend.floatx()
    ('jax', 'float32')
    >>> jnet.backend.result_type("int8", "uint8")
    'int16'
    >>> jnet.backend.is_float_dtype("bfloat16"), jnet.backend.is_int_dtype("uint8")
    (True, True)
"""

from __future__ import annotations

import gc
from typing import Any

import jax

from jnet import _dtypes, config, variables
from jnet.config import (
    backend,
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
    set_image_data_format,
)
from jnet.symbolic import KerasTensor, naming
from jnet.utils import random as seed_stream

__all__ = [
    "backend",
    "clear_session",
    "epsilon",
    "floatx",
    "get_uid",
    "image_data_format",
    "is_float_dtype",
    "is_int_dtype",
    "is_keras_tensor",
    "result_type",
    "set_epsilon",
    "set_floatx",
    "set_image_data_format",
    "standardize_dtype",
]

standardize_dtype = _dtypes.standardize_dtype
result_type = _dtypes.result_type
get_uid = naming.get_uid


def is_float_dtype(dtype: Any) -> bool:
    """Whether ``dtype`` is a float dtype (``keras.backend.is_float_dtype``).

    Example:
        >>> is_float_dtype("float16"), is_float_dtype("int32")
        (True, False)
    """
    name = standardize_dtype(dtype)
    return name.startswith("float") or name.startswith("bfloat")


def is_int_dtype(dtype: Any) -> bool:
    """Whether ``dtype`` is a signed or unsigned integer dtype (``keras.backend.is_int_dtype``).

    Example:
        >>> is_int_dtype("uint8"), is_int_dtype(bool)
        (True, False)
    """
    name = standardize_dtype(dtype)
    return name.startswith("int") or name.startswith("uint")


def is_keras_tensor(x: Any) -> bool:
    """Whether ``x`` is a symbolic tensor (a ``jnet.Input`` or a layer's output on one).

    Example:
        >>> import jnet
        >>> is_keras_tensor(jnet.Input((3,))), is_keras_tensor(1.0)
        (True, False)
    """
    return isinstance(x, KerasTensor)


def clear_session(free_memory: bool = True) -> None:
    """Resets jnet's session state, as ``keras.backend.clear_session``.

    Resets: the :func:`get_uid` counters and the automatic names of ``jnet.Variable`` (Keras's
    name counters; jnet names layers per model,
    so layer names do not depend on them), the global generator of ``jnet.random`` (remade
    from the seed stream on the next unseeded draw), and the session switches Keras keeps in
    its global state: the dtype policy, interactive logging and flash attention. ``floatx``,
    ``epsilon`` and ``image_data_format`` stay as set, as in Keras.

    Args:
        free_memory: also runs Python's garbage collector and drops JAX's compiled-function
            caches (default True).

    Example:
        >>> get_uid("x"), get_uid("x")
        (1, 2)
        >>> clear_session(free_memory=False); get_uid("x")
        1
    """
    naming.clear_uids()
    variables.reset_names()
    seed_stream.drop_global_object(seed_stream.GLOBAL_SEED_GENERATOR)
    config.set_dtype_policy(config.floatx())
    config.enable_interactive_logging()
    config.enable_flash_attention()
    if free_memory:
        gc.collect()
        jax.clear_caches()
