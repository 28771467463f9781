"""The loss registry: ``get``, ``resolve``, ``serialize`` and ``deserialize``.

Names, aliases and resolution rules are Keras's (``keras/src/losses/__init__.py``,
``trainers/compile_utils.py get_loss``).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

from jnet import errors
from jnet._registry import Registry, keras_object_config
from jnet.losses._base import FnCodec, Loss, LossFunctionWrapper
from jnet.losses._crossentropy import (
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    kl_divergence,
    poisson,
    sparse_categorical_crossentropy,
)
from jnet.losses._generalized import CategoricalGeneralizedCrossEntropy
from jnet.losses._hinge import (
    CategoricalHinge,
    Hinge,
    SquaredHinge,
    categorical_hinge,
    hinge,
    squared_hinge,
)
from jnet.losses._probabilistic import (
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    CategoricalCrossentropy,
    CategoricalFocalCrossentropy,
    CrossentropyByShape,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
)
from jnet.losses._regression import (
    CosineSimilarity,
    Huber,
    LogCosh,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    cosine_similarity,
    huber,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from jnet.losses._segmentation import Dice, Tversky, dice, tversky
from jnet.losses._sequence import CTC, ctc
from jnet.losses._similarity import Circle, circle
from jnet.losses._utils import _object_name

__all__ = ["get", "resolve", "serialize", "deserialize"]


_CLASSES = (
    # Probabilistic
    KLDivergence,
    Poisson,
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    CategoricalCrossentropy,
    CategoricalFocalCrossentropy,
    SparseCategoricalCrossentropy,
    # Regression
    MeanSquaredError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError,
    CosineSimilarity,
    LogCosh,
    Huber,
    # Hinge
    Hinge,
    SquaredHinge,
    CategoricalHinge,
    # Image segmentation
    Dice,
    Tversky,
    # Similarity
    Circle,
    # Sequence
    CTC,
)
_FUNCTIONS = (
    kl_divergence,
    poisson,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    sparse_categorical_crossentropy,
    mean_squared_error,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_logarithmic_error,
    cosine_similarity,
    log_cosh,
    huber,
    hinge,
    squared_hinge,
    categorical_hinge,
    dice,
    tversky,
    circle,
    ctc,
)
_REGISTRY = Registry(
    "loss",
    {obj.__name__: obj for obj in (*_CLASSES, *_FUNCTIONS)},
    # keras/src/losses/__init__.py ALL_OBJECTS_DICT's aliases.
    aliases={
        "bce": "binary_crossentropy",
        "BCE": "binary_crossentropy",
        "kld": "kl_divergence",
        "KLD": "kl_divergence",
        "mae": "mean_absolute_error",
        "MAE": "mean_absolute_error",
        "mse": "mean_squared_error",
        "MSE": "mean_squared_error",
        "mape": "mean_absolute_percentage_error",
        "MAPE": "mean_absolute_percentage_error",
        "msle": "mean_squared_logarithmic_error",
        "MSLE": "mean_squared_logarithmic_error",
    },
)
# Keras exports it (``keras.losses.CategoricalGeneralizedCrossEntropy``) but leaves it out of
# its registry: no string name, but configs Keras writes name it.
_KERAS_CONFIG_ONLY = (CategoricalGeneralizedCrossEntropy,)
# Only reachable from config dicts (Keras can't build them from a bare name either).
_CONFIG_ONLY = {
    "LossFunctionWrapper": LossFunctionWrapper,
    "CrossentropyByShape": CrossentropyByShape,
    **{cls.__name__: cls for cls in _KERAS_CONFIG_ONLY},
}


def _interpret(obj: Any, identifier: Any) -> Any:
    if inspect.isclass(obj):
        obj = obj()
    if not callable(obj):
        raise errors.JnetTypeError(
            f"Could not interpret loss identifier {errors.describe(identifier)}: expected a "
            f"loss name ({', '.join(repr(n) for n in _REGISTRY.names()[:6])}, ...), a config "
            f"dict, a Loss, or a callable fn(y_true, y_pred)."
        )
    return obj


def deserialize(config: Mapping) -> Any:
    """Builds a loss from :func:`serialize`'s output (Keras's serialization format).

    Args:
        config: ``{'class_name': ..., 'config': ...}``; ``class_name`` ``'function'`` names a
            loss function in ``config``.

    Returns:
        A :class:`Loss` instance or a loss function.

    Example:
        >>> deserialize(serialize(BinaryCrossentropy(from_logits=True))).from_logits
        True
    """
    if not isinstance(config, Mapping) or "class_name" not in config:
        raise errors.JnetValueError(
            f"A loss config dict needs a 'class_name' key; received {errors.describe(config)}."
        )
    class_name = config["class_name"]
    inner = config.get("config")
    if class_name == "function":
        return _REGISTRY.lookup(inner)
    cls = _CONFIG_ONLY.get(class_name) or _REGISTRY.lookup(class_name)
    if not (inspect.isclass(cls) and issubclass(cls, Loss)):
        return cls
    return cls.from_config(dict(inner or {}))


def get(identifier: Any) -> Any:
    """Resolves a loss identifier as ``keras.losses.get`` does.

    Args:
        identifier: a function name or alias (``'mse'``, ``'binary_crossentropy'``,
            ``'huber'``) -> the function; a class name (``'MeanSquaredError'``) or a Loss class
            -> a default instance; a config dict -> the deserialised object; a Loss instance or
            any callable -> itself; None -> None.

    Returns:
        A loss function, a :class:`Loss` instance, or None.

    Raises:
        UnknownIdentifierError: for an unknown name (lists the valid ones).

    Example:
        >>> get("mse") is mean_squared_error
        True
        >>> type(get("MeanSquaredError")).__name__
        'MeanSquaredError'
    """
    if identifier is None:
        return None
    if isinstance(identifier, Mapping):
        return _interpret(deserialize(identifier), identifier)
    return _interpret(_REGISTRY.get(identifier), identifier)


def resolve(identifier: Any) -> Loss | None:
    """Resolves ``compile(loss=...)`` to a :class:`Loss`, following Keras's ``get_loss``.

    * ``'crossentropy'``/``'ce'`` (any case) -> :class:`CrossentropyByShape` named as given.
    * other strings -> :func:`get`; functions are wrapped in :class:`LossFunctionWrapper`
      named by the string given (``'mse'`` stays ``'mse'``); class names give instances with
      their default names (``'MeanSquaredError'`` -> ``'mean_squared_error'``).
    * a :class:`Loss` instance -> itself; a Loss class -> a default instance.
    * a plain callable ``fn(y_true, y_pred)`` -> wrapped, named by its snake-cased
      ``__name__``.
    * None -> None (a model may have no compiled loss).

    Args:
        identifier: what was passed to ``compile(loss=...)``.

    Returns:
        A :class:`Loss`, or None.

    Example:
        >>> resolve("mse").name, resolve("MeanSquaredError").name, resolve("ce").name
        ('mse', 'mean_squared_error', 'ce')
    """
    if identifier is None:
        return None
    if isinstance(identifier, str) and identifier.lower() in ("crossentropy", "ce"):
        return CrossentropyByShape(name=identifier)
    obj = get(identifier)
    if isinstance(obj, Loss):
        obj.check_implemented()
        return obj
    name = identifier if isinstance(identifier, str) else _object_name(obj)
    return LossFunctionWrapper(obj, name=name)


def serialize(loss: Any) -> dict | None:
    """Serialises a loss the way ``keras.losses.serialize`` does.

    Args:
        loss: a :class:`Loss` instance or a loss function.

    Returns:
        ``{'module', 'class_name', 'config', 'registered_name'}``; functions serialise as
        ``class_name='function'`` with their name as ``config``.

    Example:
        >>> serialize(mean_squared_error)["config"]
        'mean_squared_error'
        >>> serialize(BinaryCrossentropy())["config"]["from_logits"]
        False
    """
    if loss is None:
        return None
    if isinstance(loss, Loss):
        keras_public = type(loss) in (*_CLASSES, *_KERAS_CONFIG_ONLY)
        return keras_object_config(
            loss, "keras.losses" if keras_public else "jnet.losses",
            None if keras_public else type(loss).__name__,
        )
    if callable(loss) and hasattr(loss, "__name__"):
        return {
            "module": "builtins",
            "class_name": "function",
            "config": loss.__name__,
            "registered_name": "function",
        }
    raise errors.JnetTypeError(
        f"serialize: expected a Loss or a loss function; received {errors.describe(loss)}."
    )


# The wrapper's `fn` is written to and read from configs by this registry.
LossFunctionWrapper.fn_codec = FnCodec(serialize=serialize, get=get)
