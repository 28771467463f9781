"""``FeatureSpace``: one object that turns a dict of raw structured features into model input,
as ``keras.utils.FeatureSpace`` (exposed as ``jnet.utils.FeatureSpace``).

Each feature names a preprocessor among jnet's preprocessing layers (``Normalization``,
``Rescaling``, ``Discretization``, ``IntegerLookup``, ``StringLookup``, ``Hashing``), optionally
crossed with others (``HashedCrossing``) and one-hot encoded (``CategoryEncoding``), with
Keras's names, defaults, order of the concatenated outputs and numbers.

Differences from Keras, both from strings never entering JAX:

* The FeatureSpace runs on the host: ``feature_space(data)`` takes a dict of NumPy arrays,
  lists, scalars or eager ``tf.Tensor``s and returns NumPy arrays (float32 for encoded
  features). Inside ``tf.data.Dataset.map`` (a graph) it runs through ``tf.numpy_function``
  in ``'concat'`` mode, so Keras's ``ds.map(lambda x, y: (feature_space(x), y))`` works.
* ``get_encoded_features()`` returns ``jnet.Input``s of the encoded shapes (one, or a dict
  in ``'dict'`` mode), on which the training model is built exactly as in Keras's example;
  the raw-string "inference model" of Keras's example (a model whose inputs are
  ``get_inputs()``) cannot be compiled by JAX: call ``model(feature_space(raw))`` instead.

Example:
    >>> import numpy as np, jnet
    >>> FeatureSpace = jnet.utils.FeatureSpace
    >>> data = {"price": np.array([1.0, 2.0, 3.0, 4.0], "float32"),
    ...         "color": np.array(["red", "blue", "red", "green"])}
    >>> space = FeatureSpace(
    ...     {"price": "float_normalized", "color": "string_categorical"},
    ...     output_mode="concat")
    >>> space.adapt(data)
    >>> space({"price": [2.5], "color": ["red"]}).round(3)
    array([[0., 1., 0., 0., 0.]], dtype=float32)
    >>> space.get_encoded_features().shape
    (None, 5)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from jnet import errors
from jnet.layers._feature_space_parts import (
    Cross,
    Feature,
    Identity,
    cardinality,
    columns,
    to_numpy,
)
from jnet.layers.category_encoding import CategoryEncoding
from jnet.layers.discretization import Discretization
from jnet.layers.hashing import HashedCrossing, Hashing
from jnet.layers.input import Input
from jnet.layers.lookup import IntegerLookup, StringLookup
from jnet.layers.normalization_preprocessing import Normalization
from jnet.layers.rescaling import Rescaling

__all__ = ["Cross", "Feature", "FeatureSpace"]

def _named(name: str | None) -> dict[str, Any]:
    return {} if name is None else {"name": f"{name}_preprocessor"}


class FeatureSpace:
    """Preprocesses a dict of structured features into one array, as
    ``keras.utils.FeatureSpace``.

    Args:
        features: a dict from feature name to a :class:`Feature` (made with the class
            methods below) or one of the strings ``'float'``, ``'float_normalized'``,
            ``'float_rescaled'``, ``'float_discretized'``, ``'integer_categorical'``,
            ``'string_categorical'``, ``'integer_hashed'``, ``'string_hashed'``.
        output_mode: ``'concat'`` (default: one float32 array, features in sorted name
            order, then the crosses in sorted order) or ``'dict'``.
        crosses: crossings: :meth:`cross` results, or tuples of feature names (crossed into
            ``crossing_dim`` bins).
        crossing_dim: the bins of a cross given as a tuple. Default 32.
        hashing_dim: the bins of a hashed feature given as a string. Default 32.
        num_discretization_bins: the bins of ``'float_discretized'`` given as a string.
            Default 32.
        name: the FeatureSpace's name.

    Example:
        >>> import numpy as np, jnet
        >>> FeatureSpace = jnet.utils.FeatureSpace
        >>> space = FeatureSpace(
        ...     {"a": FeatureSpace.integer_categorical(num_oov_indices=0),
        ...      "b": FeatureSpace.float_rescaled(scale=0.5),
        ...      "c": FeatureSpace.string_hashed(num_bins=4, output_mode="int")},
        ...     crosses=[FeatureSpace.cross(("a", "c"), crossing_dim=8, output_mode="int")],
        ...     output_mode="dict")
        >>> space.adapt({"a": np.array([3, 5, 3]), "b": np.array([2.0, 4.0, 6.0]),
        ...              "c": np.array(["x", "y", "z"])})
        >>> out = space({"a": [5, 3], "b": [4.0, 4.0], "c": ["x", "y"]})
        >>> sorted(out), out["a"].tolist(), out["b"].ravel().tolist(), out["a_X_c"].shape
        (['a', 'a_X_c', 'b', 'c'], [[0.0, 1.0], [1.0, 0.0]], [2.0, 2.0], (2, 1))
    """

    # -- the features, as Keras's class methods ---------------------------------------------

    @classmethod
    def cross(cls, feature_names: Any, crossing_dim: int, output_mode: str = "one_hot") -> Cross:
        """A crossing of ``feature_names`` hashed into ``crossing_dim`` bins.

        Args:
            feature_names: the crossed features' names.
            crossing_dim: the number of bins.
            output_mode: ``'one_hot'`` (default) or ``'int'``.

        Example:
            >>> import jnet
            >>> jnet.utils.FeatureSpace.cross(("a", "b"), crossing_dim=8).name
            'a_X_b'
        """
        return Cross(feature_names, crossing_dim, output_mode=output_mode)

    @classmethod
    def feature(cls, dtype: str, preprocessor: Any, output_mode: str) -> Feature:
        """A feature with a preprocessor of your own.

        Args:
            dtype: the raw input's dtype.
            preprocessor: a callable from raw values to features (an ``adapt`` method, if
                it has one, is called by :meth:`FeatureSpace.adapt`).
            output_mode: ``'int'``, ``'one_hot'`` or ``'float'``.

        Example:
            >>> import jnet
            >>> f = jnet.utils.FeatureSpace.feature(
            ...     "float32", jnet.layers.Rescaling(2.0), "float")
            >>> f.output_mode
            'float'
        """
        return Feature(dtype, preprocessor, output_mode)

    @classmethod
    def float(cls, name: str | None = None) -> Feature:
        """A float feature passed through unchanged (as float32).

        Args:
            name: the feature's name (its preprocessor is ``'<name>_preprocessor'``).

        Example:
            >>> import jnet
            >>> jnet.utils.FeatureSpace.float().dtype
            'float32'
        """
        return Feature("float32", Identity(**_named(name)), "float")

    @classmethod
    def float_rescaled(cls, scale: float = 1.0, offset: float = 0.0,
                       name: str | None = None) -> Feature:
        """A float feature times ``scale`` plus ``offset`` (``Rescaling``).

        Args:
            scale: the factor. Default 1.0.
            offset: the shift. Default 0.0.
            name: the feature's name.

        Example:
            >>> import jnet
            >>> jnet.utils.FeatureSpace.float_rescaled(scale=2.0).preprocessor.scale
            2.0
        """
        return Feature("float32", Rescaling(scale=scale, offset=offset, **_named(name)),
                       "float")

    @classmethod
    def float_normalized(cls, name: str | None = None) -> Feature:
        """A float feature standardized by the mean and variance ``adapt`` learns.

        Args:
            name: the feature's name.

        Example:
            >>> import jnet
            >>> jnet.utils.FeatureSpace.float_normalized().output_mode
            'float'
        """
        return Feature("float32", Normalization(axis=-1, **_named(name)), "float")

    @classmethod
    def float_discretized(cls, num_bins: int, bin_boundaries: Any = None,
                          output_mode: str = "one_hot", name: str | None = None) -> Feature:
        """A float feature bucketed into ``num_bins`` quantile bins (``Discretization``).

        Args:
            num_bins: the number of bins ``adapt`` learns.
            bin_boundaries: fixed boundaries instead (then ``adapt`` leaves them).
            output_mode: ``'one_hot'`` (default) or ``'int'``.
            name: the feature's name.

        Example:
            >>> import jnet
            >>> jnet.utils.FeatureSpace.float_discretized(num_bins=3).preprocessor.num_bins
            3
        """
        layer = Discretization(num_bins=num_bins, bin_boundaries=bin_boundaries, **_named(name))
        return Feature("float32", layer, output_mode)

    @classmethod
    def integer_categorical(cls, max_tokens: int | None = None, num_oov_indices: int = 1,
                            output_mode: str = "one_hot", name: str | None = None) -> Feature:
        """An integer category indexed by the vocabulary ``adapt`` learns (``IntegerLookup``).

        Args:
            max_tokens: the largest vocabulary; None: no limit.
            num_oov_indices: indices for unknown values. Default 1.
            output_mode: ``'one_hot'`` (default) or ``'int'``.
            name: the feature's name.

        Example:
            >>> import jnet
            >>> jnet.utils.FeatureSpace.integer_categorical().dtype
            'int32'
        """
        layer = IntegerLookup(max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                              **_named(name))
        return Feature("int32", layer, output_mode)

    @classmethod
    def string_categorical(cls, max_tokens: int | None = None, num_oov_indices: int = 1,
                           output_mode: str = "one_hot", name: str | None = None) -> Feature:
        """A string category indexed by the vocabulary ``adapt`` learns (``StringLookup``).

        Args:
            max_tokens: the largest vocabulary; None: no limit.
            num_oov_indices: indices for unknown strings. Default 1.
            output_mode: ``'one_hot'`` (default) or ``'int'``.
            name: the feature's name.

        Example:
            >>> import jnet
            >>> jnet.utils.FeatureSpace.string_categorical().dtype
            'string'
        """
        layer = StringLookup(max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                             **_named(name))
        return Feature("string", layer, output_mode)

    @classmethod
    def string_hashed(cls, num_bins: int, output_mode: str = "one_hot",
                      name: str | None = None) -> Feature:
        """A string feature hashed into ``num_bins`` bins (``Hashing``).

        Args:
            num_bins: the number of bins.
            output_mode: ``'one_hot'`` (default) or ``'int'``.
            name: the feature's name.

        Example:
            >>> import jnet
            >>> jnet.utils.FeatureSpace.string_hashed(8).preprocessor.num_bins
            8
        """
        return Feature("string", Hashing(num_bins=num_bins, **_named(name)), output_mode)

    @classmethod
    def integer_hashed(cls, num_bins: int, output_mode: str = "one_hot",
                       name: str | None = None) -> Feature:
        """An integer feature hashed into ``num_bins`` bins (``Hashing``).

        Args:
            num_bins: the number of bins.
            output_mode: ``'one_hot'`` (default) or ``'int'``.
            name: the feature's name.

        Example:
            >>> import jnet
            >>> jnet.utils.FeatureSpace.integer_hashed(8).dtype
            'int32'
        """
        return Feature("int32", Hashing(num_bins=num_bins, **_named(name)), output_mode)

    # -- the space ---------------------------------------------------------------------------

    def __init__(self, features: Mapping[str, Any], output_mode: str = "concat",
                 crosses: Any = None, crossing_dim: int = 32, hashing_dim: int = 32,
                 num_discretization_bins: int = 32, name: str | None = None):
        if not isinstance(features, Mapping) or not features:
            raise errors.JnetValueError(
                f"FeatureSpace: features must be a non-empty dict from feature name to "
                f"feature, received {features!r}."
            )
        if output_mode not in ("dict", "concat"):
            raise errors.JnetValueError(
                f"FeatureSpace: output_mode must be 'dict' or 'concat', received "
                f"{output_mode!r}."
            )
        self.name = name or "feature_space"
        self.output_mode = output_mode
        self.crossing_dim = crossing_dim
        self.hashing_dim = hashing_dim
        self.num_discretization_bins = num_discretization_bins
        self.features = {key: self._standardize(key, value) for key, value in features.items()}
        self.crosses = [self._standardize_cross(cross) for cross in crosses or ()]
        self.crosses_by_name = {cross.name: cross for cross in self.crosses}
        self.preprocessors = {key: f.preprocessor for key, f in self.features.items()}
        self.crossers = {c.name: HashedCrossing(c.crossing_dim, name=c.name)
                         for c in self.crosses}
        self.one_hot_encoders: dict[str, CategoryEncoding] = {}
        self._is_adapted = False
        self._widths: dict[str, int] | None = None
        self.inputs = {key: Input(shape=(1,), dtype=_input_dtype(f.dtype), name=key)
                       for key, f in self.features.items()}
        self.encoded_features = None

    def _standardize(self, key: str, feature: Any) -> Feature:
        if isinstance(feature, Feature):
            return feature
        makers = {
            "float": lambda: self.float(name=key),
            "float_normalized": lambda: self.float_normalized(name=key),
            "float_rescaled": lambda: self.float_rescaled(name=key),
            "float_discretized": lambda: self.float_discretized(
                self.num_discretization_bins, name=key),
            "integer_categorical": lambda: self.integer_categorical(name=key),
            "string_categorical": lambda: self.string_categorical(name=key),
            "integer_hashed": lambda: self.integer_hashed(self.hashing_dim, name=key),
            "string_hashed": lambda: self.string_hashed(self.hashing_dim, name=key),
        }
        if not isinstance(feature, str) or feature not in makers:
            raise errors.JnetValueError(
                f"FeatureSpace: feature {key!r} must be a FeatureSpace.feature(...) or one of "
                f"{sorted(makers)}, received {feature!r}."
            )
        return makers[feature]()

    def _standardize_cross(self, cross: Any) -> Cross:
        if isinstance(cross, Cross):
            names = cross.feature_names
        else:
            if not self.crossing_dim:
                raise errors.JnetValueError(
                    "FeatureSpace: crosses given as feature names need crossing_dim (the "
                    f"dimensionality of the crossing space), received {self.crossing_dim!r}."
                )
            names = tuple(cross)
            cross = Cross(names, crossing_dim=self.crossing_dim)
        unknown = [n for n in names if n not in self.features]
        if unknown:
            raise errors.JnetValueError(
                f"FeatureSpace: every feature in crosses must be in features; cross {names!r} "
                f"names unknown features {unknown!r} (features: {sorted(self.features)})."
            )
        return cross

    # -- adapt -------------------------------------------------------------------------------

    def _adaptable(self) -> list[str]:
        names = []
        for key, pre in self.preprocessors.items():
            if isinstance(pre, Normalization) and pre.mean is not None:
                continue
            if isinstance(pre, Discretization) and (
                pre.num_bins is None or pre.bin_boundaries is not None
            ):
                continue  # fixed boundaries: Keras's adapt would raise, there is nothing to learn
            if getattr(pre, "_has_input_vocabulary", False):
                continue
            if hasattr(pre, "adapt"):
                names.append(key)
        return names

    def adapt(self, dataset: Any) -> None:
        """Adapts every preprocessor that learns from data (vocabularies, means and
        variances, bin boundaries) on its feature of ``dataset``.

        Args:
            dataset: a dict of arrays/lists (one sample a row), a ``tf.data.Dataset`` of
                dicts (batched or not, as Keras takes), or an iterable of dict batches.

        Example:
            >>> import numpy as np, jnet
            >>> space = jnet.utils.FeatureSpace({"x": "integer_categorical"})
            >>> space.adapt({"x": np.array([4, 4, 7])})
            >>> space.preprocessors["x"].get_vocabulary()
            [-1, 4, 7]
        """
        for key, column in columns(dataset, self._adaptable()).items():
            self.preprocessors[key].adapt(iter(column))
        self._is_adapted = True
        self._build()

    def _check_adapted(self) -> None:
        if not self._is_adapted:
            if self._adaptable():
                raise errors.JnetValueError(
                    "FeatureSpace: call .adapt(dataset) on the FeatureSpace before using it "
                    f"(features to adapt: {self._adaptable()})."
                )
            self._is_adapted = True

    def _build(self) -> None:
        """The one-hot encoders and each output's width, from one dummy-free pass over the
        preprocessors' cardinalities."""
        widths: dict[str, int] = {}
        for name in self._names():
            spec = self.features.get(name) or self.crosses_by_name[name]
            preprocessor = self.preprocessors.get(name) or self.crossers[name]
            if spec.output_mode == "one_hot":
                size = cardinality(preprocessor)
                if size is None:
                    raise errors.JnetValueError(
                        f"FeatureSpace: feature {name!r} has output_mode='one_hot' but its "
                        f"preprocessor {type(preprocessor).__name__} has no known output "
                        "size, so it cannot be one-hot encoded; use output_mode='int'."
                    )
                self.one_hot_encoders[name] = CategoryEncoding(
                    num_tokens=size, output_mode="multi_hot")
                widths[name] = size
            else:
                if self.output_mode == "concat" and spec.output_mode == "int":
                    raise errors.JnetValueError(
                        f"FeatureSpace: cannot concatenate features because feature {name!r} "
                        "is not encoded (output_mode='int'); use output_mode='dict'."
                    )
                widths[name] = 1
        self._widths = widths

    def _names(self) -> list[str]:
        return sorted(self.features) + sorted(self.crosses_by_name)

    # -- symbolic views ----------------------------------------------------------------------

    def get_inputs(self) -> dict[str, Any]:
        """A dict of ``jnet.Input(shape=(1,))``, one per raw feature, as Keras's.

        Example:
            >>> import jnet
            >>> space = jnet.utils.FeatureSpace({"x": "float"})
            >>> space.get_inputs()["x"].shape
            (None, 1)
        """
        self._check_adapted()
        return self.inputs

    def get_encoded_features(self) -> Any:
        """``jnet.Input``s of the encoded features to build a model on: one of shape
        ``(None, width)`` (``'concat'``) or a dict of them (``'dict'``).

        Example:
            >>> import jnet
            >>> jnet.utils.FeatureSpace({"x": "float"}).get_encoded_features().shape
            (None, 1)
        """
        self._check_adapted()
        if self._widths is None:
            self._build()
        if self.encoded_features is None:
            if self.output_mode == "concat":
                width = sum(self._widths.values())
                self.encoded_features = Input(shape=(width,), name=self.name)
            else:
                self.encoded_features = {
                    name: Input(shape=(w,), name=name, dtype=self._dict_dtype(name))
                    for name, w in self._widths.items()
                }
        return self.encoded_features

    def _dict_dtype(self, name: str) -> str:
        spec = self.features.get(name) or self.crosses_by_name[name]
        return "int32" if spec.output_mode == "int" else "float32"

    # -- call --------------------------------------------------------------------------------

    def __call__(self, data: Any) -> Any:
        """Encodes a dict of raw features (a batch, or one sample of scalars).

        Args:
            data: a dict from feature name to an array, list, scalar or ``tf.Tensor``.

        Returns:
            A float32 array ``(batch, width)`` (``'concat'``), or a dict of arrays.
        """
        self._check_adapted()
        if self._widths is None:
            self._build()
        if not isinstance(data, Mapping):
            raise errors.JnetTypeError(
                f"FeatureSpace can only be called with a dict of features, received "
                f"{type(data).__name__}."
            )
        missing = [key for key in self.features if key not in data]
        if missing:
            raise errors.JnetValueError(
                f"FeatureSpace: data lacks the features {missing!r} (it has {sorted(data)})."
            )
        if _is_graph_tensor(next(iter(data.values()))):
            return self._graph_call(data)
        return self._encode({key: data[key] for key in self.features})

    def _encode(self, data: dict[str, Any]) -> Any:
        columns = {key: to_numpy(value) for key, value in data.items()}
        rebatched = any(c.ndim == 0 for c in columns.values())
        columns = {key: c.reshape(1, 1) if c.ndim == 0 else c[:, None] if c.ndim == 1 else c
                   for key, c in columns.items()}
        pre = {key: np.asarray(self.preprocessors[key](columns[key])) for key in self.features}
        crossed = {name: np.asarray(self.crossers[name]([pre[n] for n in c.feature_names]))
                   for name, c in self.crosses_by_name.items()}
        merged = {**pre, **crossed}
        out = {}
        for name in self._names():
            value = merged[name]
            encoder = self.one_hot_encoders.get(name)
            if encoder is not None:
                value = np.asarray(encoder(value), np.float32)
            elif self._dict_dtype(name) == "float32":
                value = value.astype(np.float32)
            out[name] = value
        if self.output_mode == "concat":
            result = np.concatenate([out[name] for name in self._names()], axis=-1)
            return result[0] if rebatched else result
        if rebatched:
            out = {k: v[0] if v.ndim == 2 and v.shape[0] == 1 else v for k, v in out.items()}
        return out

    def _graph_call(self, data: Mapping[str, Any]) -> Any:
        import tensorflow as tf  # only reached with tf graph tensors, so TF is installed

        if self.output_mode != "concat":
            raise errors.JnetValueError(
                "FeatureSpace: inside tf.data.Dataset.map (a TF graph) only "
                "output_mode='concat' runs; call the FeatureSpace on NumPy batches instead."
            )
        keys = list(self.features)

        def run(*values: Any) -> np.ndarray:
            return self._encode(dict(zip(keys, values, strict=True)))

        out = tf.numpy_function(run, [data[k] for k in keys], tf.float32)
        width = sum(self._widths.values())
        rank = len(data[keys[0]].shape)
        out.set_shape((width,) if rank == 0 else (None, width))
        return out

    def __repr__(self) -> str:
        return (f"FeatureSpace(features={sorted(self.features)}, crosses="
                f"{sorted(self.crosses_by_name)}, output_mode={self.output_mode!r})")


def _input_dtype(dtype: str) -> str:
    return "int32" if dtype == "string" else dtype


def _is_graph_tensor(value: Any) -> bool:
    return type(value).__name__ in ("SymbolicTensor", "Tensor") and not hasattr(value, "numpy")
