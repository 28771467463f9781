"""The pieces of :class:`jnet.layers.feature_space.FeatureSpace`: a :class:`Feature`, a
:class:`Cross`, the identity preprocessor of float features, and the reading of a dataset into
the per-feature batches Keras adapts on.

Example:
    >>> Cross(("a", "b"), crossing_dim=4).name
    'a_X_b'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from jnet import errors
from jnet.layers.category_encoding import CategoryEncoding
from jnet.layers.discretization import Discretization
from jnet.layers.hashing import HashedCrossing, Hashing
from jnet.layers.lookup import IntegerLookup, StringLookup

__all__ = ["Cross", "Feature", "Identity", "cardinality", "columns", "to_numpy"]

_FEATURE_MODES = ("int", "one_hot", "float")
_CROSS_MODES = ("int", "one_hot")
_BATCH = 32  # Keras batches unbatched elements by 32 before adapting


class Identity:
    """The preprocessor of ``FeatureSpace.float``: its input as float32."""

    def __init__(self, name: str | None = None):
        self.name = name

    def __call__(self, inputs: Any) -> np.ndarray:
        return np.asarray(inputs, np.float32)

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name}


class Cross:
    """A crossing of features, as ``keras.utils.FeatureSpace.cross`` makes.

    Args:
        feature_names: the names of the crossed features (two or more).
        crossing_dim: the number of hashing bins of the cross.
        output_mode: ``'one_hot'`` (default) or ``'int'``.
    """

    def __init__(self, feature_names: Any, crossing_dim: int, output_mode: str = "one_hot"):
        if output_mode not in _CROSS_MODES:
            raise errors.JnetValueError(
                f"FeatureSpace.cross: output_mode must be one of {_CROSS_MODES}, received "
                f"{output_mode!r}."
            )
        self.feature_names = tuple(feature_names)
        self.crossing_dim = crossing_dim
        self.output_mode = output_mode

    @property
    def name(self) -> str:
        return "_X_".join(self.feature_names)

    def get_config(self) -> dict[str, Any]:
        return {"feature_names": self.feature_names, "crossing_dim": self.crossing_dim,
                "output_mode": self.output_mode}


class Feature:
    """One feature: its input dtype, its preprocessor and how it is encoded.

    Args:
        dtype: the raw input's dtype (``'float32'``, ``'int32'`` or ``'string'``).
        preprocessor: a callable (a jnet preprocessing layer) from raw values to features.
        output_mode: ``'int'``, ``'one_hot'`` or ``'float'``.
    """

    def __init__(self, dtype: str, preprocessor: Any, output_mode: str):
        if output_mode not in _FEATURE_MODES:
            raise errors.JnetValueError(
                f"FeatureSpace.feature: output_mode must be one of {_FEATURE_MODES}, received "
                f"{output_mode!r}."
            )
        self.dtype = dtype
        self.preprocessor = preprocessor
        self.output_mode = output_mode


def to_numpy(value: Any) -> np.ndarray:
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    array = np.asarray(value)
    if array.dtype.kind == "S":
        array = array.astype(str)
    return array


def cardinality(preprocessor: Any) -> int | None:
    if isinstance(preprocessor, IntegerLookup | StringLookup):
        return preprocessor.vocabulary_size()
    if isinstance(preprocessor, CategoryEncoding):
        return preprocessor.num_tokens
    if isinstance(preprocessor, Discretization):
        if preprocessor.bin_boundaries is not None:
            return len(preprocessor.bin_boundaries) + 1
        return preprocessor.num_bins
    if isinstance(preprocessor, HashedCrossing | Hashing):
        return preprocessor.num_bins
    return None



def columns(dataset: Any, keys: list[str]) -> dict[str, list[np.ndarray]]:
    """Each feature of ``dataset`` as the batches Keras adapts on: batches of 32 when the
    dataset holds single samples, a trailing axis added to rank-0/1 values."""
    if isinstance(dataset, Mapping):
        dataset = {k: to_numpy(v) for k, v in dataset.items()}
        elements: Iterable[Any] = ({k: v[i] for k, v in dataset.items()}
                                   for i in range(len(next(iter(dataset.values())))))
    elif hasattr(dataset, "as_numpy_iterator"):
        elements = dataset.as_numpy_iterator()
    elif isinstance(dataset, Iterable) and not isinstance(dataset, str | bytes):
        elements = iter(dataset)
    else:
        raise errors.JnetTypeError(
            "FeatureSpace.adapt: dataset must be a tf.data.Dataset, a dict of arrays/lists or "
            f"an iterable of dicts, received {type(dataset).__name__}."
        )
    out: dict[str, list[np.ndarray]] = {key: [] for key in keys}
    first = None
    for element in elements:
        if not isinstance(element, Mapping):
            raise errors.JnetTypeError(
                "FeatureSpace.adapt: each element of the dataset must be a dict of features "
                f"(map away the labels first), received {type(element).__name__}."
            )
        first = first or element
        missing = [key for key in keys if key not in element]
        if missing:
            raise errors.JnetValueError(
                f"FeatureSpace.adapt: the dataset lacks the features {missing!r} (it has "
                f"{sorted(element)})."
            )
        for key in keys:
            out[key].append(to_numpy(element[key]))
    if first is None:
        return out
    for key in keys:
        values = out[key]
        if values and values[0].ndim == 0:
            stacked = np.stack(values)
            values = [stacked[i:i + _BATCH] for i in range(0, len(stacked), _BATCH)]
        out[key] = [v[..., None] if v.ndim <= 1 else v for v in values]
    return out

