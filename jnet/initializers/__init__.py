"""Keras's weight initializers, as Flax-style initializers ``init(key, shape, dtype)``.

Every class of ``keras.initializers`` is here with Keras's name, arguments, defaults and
formulas (``keras/src/initializers/``), and every string Keras accepts (``'glorot_uniform'``,
``'GlorotUniform'``, ``'uniform'``, ``'normal'``, ``'zero'``, ...) resolves through :func:`get`.

An instance is called like a Flax initializer, ``init(key, shape, dtype=jnp.float32)``, so it can
be passed straight to ``flax.linen.Module.param``. A random initializer built with an integer
``seed`` ignores ``key`` and draws from ``jax.random.key(seed)``: like a seeded Keras
initializer, it returns the same values on every call. JAX's random stream is not TensorFlow's,
so only the distributions match Keras, not the draws.

The families live in their own files, as in Keras's ``initializers/``: ``_base.py`` (the
``Initializer`` protocol and argument checks), ``_constant.py``, ``_random.py`` (random,
variance-scaling and orthogonal) and ``_stft.py``; this module holds the registry, ``get``,
``serialize`` and ``deserialize``, and re-exports every class under its Keras names.

Example:
    >>> import jax
    >>> from jnet import initializers
    >>> init = initializers.get("glorot_uniform")
    >>> init(jax.random.key(0), (784, 128)).shape
    (784, 128)
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors, variables
from jnet._registry import Registry, keras_object_config
from jnet.initializers._base import InitFn as InitFn
from jnet.initializers._base import Initializer as Initializer
from jnet.initializers._base import Shape as Shape
from jnet.initializers._base import _dtype, _shape
from jnet.initializers._constant import Constant as Constant
from jnet.initializers._constant import Identity as Identity
from jnet.initializers._constant import IdentityInitializer as IdentityInitializer
from jnet.initializers._constant import Ones as Ones
from jnet.initializers._constant import Zeros as Zeros
from jnet.initializers._constant import constant as constant
from jnet.initializers._constant import identity as identity
from jnet.initializers._constant import ones as ones
from jnet.initializers._constant import zeros as zeros
from jnet.initializers._random import GlorotNormal as GlorotNormal
from jnet.initializers._random import GlorotUniform as GlorotUniform
from jnet.initializers._random import HeNormal as HeNormal
from jnet.initializers._random import HeUniform as HeUniform
from jnet.initializers._random import LecunNormal as LecunNormal
from jnet.initializers._random import LecunUniform as LecunUniform
from jnet.initializers._random import Orthogonal as Orthogonal
from jnet.initializers._random import OrthogonalInitializer as OrthogonalInitializer
from jnet.initializers._random import RandomNormal as RandomNormal
from jnet.initializers._random import RandomUniform as RandomUniform
from jnet.initializers._random import TruncatedNormal as TruncatedNormal
from jnet.initializers._random import VarianceScaling as VarianceScaling
from jnet.initializers._random import compute_fans as compute_fans
from jnet.initializers._random import glorot_normal as glorot_normal
from jnet.initializers._random import glorot_uniform as glorot_uniform
from jnet.initializers._random import he_normal as he_normal
from jnet.initializers._random import he_uniform as he_uniform
from jnet.initializers._random import lecun_normal as lecun_normal
from jnet.initializers._random import lecun_uniform as lecun_uniform
from jnet.initializers._random import orthogonal as orthogonal
from jnet.initializers._random import random_normal as random_normal
from jnet.initializers._random import random_uniform as random_uniform
from jnet.initializers._random import truncated_normal as truncated_normal
from jnet.initializers._random import variance_scaling as variance_scaling
from jnet.initializers._stft import STFT as STFT
from jnet.initializers._stft import STFTInitializer as STFTInitializer
from jnet.initializers._stft import stft as stft

__all__ = [
    "INITIALIZERS",
    "STFT",
    "Constant",
    "GlorotNormal",
    "GlorotUniform",
    "HeNormal",
    "HeUniform",
    "Identity",
    "IdentityInitializer",
    "Initializer",
    "LecunNormal",
    "LecunUniform",
    "Ones",
    "Orthogonal",
    "OrthogonalInitializer",
    "RandomNormal",
    "RandomUniform",
    "STFTInitializer",
    "TruncatedNormal",
    "VarianceScaling",
    "Zeros",
    "compute_fans",
    "constant",
    "deserialize",
    "get",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "identity",
    "lecun_normal",
    "lecun_uniform",
    "ones",
    "orthogonal",
    "random_normal",
    "random_uniform",
    "serialize",
    "stft",
    "truncated_normal",
    "variance_scaling",
    "zeros",
]


def _snake_case(name: str) -> str:
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


_CLASSES = (
    Initializer, Constant, Identity, Ones, STFT, Zeros, GlorotNormal, GlorotUniform, HeNormal,
    HeUniform, LecunNormal, LecunUniform, Orthogonal, RandomNormal, RandomUniform,
    TruncatedNormal, VarianceScaling,
)

INITIALIZERS = Registry(
    "initializer",
    {cls.__name__: cls for cls in _CLASSES},
    aliases={
        **{_snake_case(cls.__name__): cls.__name__ for cls in _CLASSES},
        "IdentityInitializer": "Identity",
        "normal": "RandomNormal",
        "one": "Ones",
        "STFTInitializer": "STFT",
        "OrthogonalInitializer": "Orthogonal",
        "uniform": "RandomUniform",
        "zero": "Zeros",
    },
)
"""The initializer registry: Keras's class names, their snake_case names and Keras's aliases."""


def _array_initializer(value: Any) -> InitFn:
    value = np.asarray(value) if not isinstance(value, jax.Array) else value

    def initialize(key: Any = None, shape: Sequence[int] | None = None,
                   dtype: Any = jnp.float32) -> jax.Array:
        if shape is not None and _shape(shape, "array initializer") != tuple(value.shape):
            raise errors.JnetValueError(
                f"This initializer returns a fixed array of shape {tuple(value.shape)}; "
                f"received shape={tuple(shape)}."
            )
        return jnp.asarray(value, _dtype(dtype, "array initializer", floating=False))

    return initialize


def get(identifier: Any) -> Any:
    """Resolves an initializer identifier the way ``keras.initializers.get`` does.

    Args:
        identifier: None (returned as None); a Keras name (``'glorot_uniform'``,
            ``'GlorotUniform'``, ``'uniform'``, ``'normal'``, ``'zeros'``, ...), which builds
            the class with its defaults; a config dict ``{'class_name': ..., 'config': {...}}``;
            an initializer class (instantiated); an array (returned whenever that shape is
            asked for); or any callable ``(key, shape, dtype)`` such as
            ``jax.nn.initializers.zeros``, returned as is.

    Returns:
        An initializer.

    Raises:
        UnknownIdentifierError: for an unknown name (the message lists the valid names).
        JnetTypeError: for anything else.

    Example:
        >>> get("uniform")
        RandomUniform(seed=None, minval=-0.05, maxval=0.05)
        >>> get({"class_name": "Constant", "config": {"value": 2.0}})
        Constant(value=2.0)
    """
    if isinstance(identifier, (jax.Array, np.ndarray, np.generic)):
        return _array_initializer(identifier)
    return INITIALIZERS.resolve(
        identifier,
        "a name such as 'glorot_uniform', a config dict, an initializer, or a callable "
        "(key, shape, dtype)",
    )


def serialize(initializer: Any) -> dict | None:
    """The Keras config dict of an initializer (the format of Keras's ``config.json``).

    Args:
        initializer: a jnet initializer (``jax.nn.initializers.zeros``/``ones`` are recognised
            as Zeros/Ones), or None.

    Returns:
        ``{'module': 'keras.initializers', 'class_name': ..., 'config': {...},
        'registered_name': None}`` as ``keras.initializers.serialize`` writes it; None for None
        and for callables jnet cannot describe.

    Example:
        >>> serialize(RandomNormal(stddev=1.0, seed=3))["config"]
        {'seed': 3, 'mean': 0.0, 'stddev': 1.0}
    """
    if initializer is jax.nn.initializers.zeros:
        initializer = Zeros()
    elif initializer is jax.nn.initializers.ones:
        initializer = Ones()
    if not isinstance(initializer, Initializer):
        return None
    module = "keras" if type(initializer) is Initializer else "keras.initializers"
    return keras_object_config(initializer, module)


def deserialize(config: Mapping[str, Any]) -> Initializer:
    """Builds an initializer from :func:`serialize`'s (or Keras's) config dict.

    Args:
        config: ``{'class_name': ..., 'config': {...}}``.

    Returns:
        The initializer.

    Example:
        >>> deserialize(serialize(HeNormal(seed=1)))
        HeNormal(seed=1, input_axes=None, output_axes=None)
    """
    return get(dict(config))


# Variable('zeros', shape=...) resolves names through this registry (jnet.variables sits
# below the initializers and cannot import them).
variables.register_initializer_resolver(get)
