"""Metric base (pure ``init``/``update``/``result`` state), Mean, Sum, MeanMetricWrapper and the
accuracy and cross-entropy metrics built on them.

See :mod:`jnet.metrics` for the overview.

Example:
    >>> import numpy as np
    >>> m = BinaryAccuracy()
    >>> m.update_state(np.array([[1], [1], [0], [0]]), np.array([[0.98], [1.0], [0.0], [0.6]]))
    >>> float(m.result())
    0.75
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp

from jnet import errors
from jnet import losses as losses_module
from jnet.metrics._utils import (
    _as_float,
    _broadcast_pair,
    _divide_no_nan,
    _snake_case,
    _standardize_dtype,
)

__all__ = [
    "MeanState",
    "SumState",
    "Metric",
    "Mean",
    "Sum",
    "MeanMetricWrapper",
    "MeanSquaredError",
    "MeanAbsoluteError",
    "Accuracy",
    "BinaryAccuracy",
    "CategoricalAccuracy",
    "SparseCategoricalAccuracy",
    "BinaryCrossentropy",
    "CategoricalCrossentropy",
    "SparseCategoricalCrossentropy",
    "AccuracyByShape",
    "CrossentropyByShape",
    "accuracy",
    "binary_accuracy",
    "categorical_accuracy",
    "sparse_categorical_accuracy",
]

Array = jax.Array


class MeanState(NamedTuple):
    """State of :class:`Mean` and every metric built on it."""

    total: Array
    count: Array


class SumState(NamedTuple):
    """State of :class:`Sum`."""

    total: Array


# --------------------------------------------------------------------------------------------
# Metric functions (keras/src/metrics/accuracy_metrics.py)
# --------------------------------------------------------------------------------------------


def _matches(a: Array, b: Array, what: str) -> Array:
    a, b = _broadcast_pair(a, b, what, "y_true", "y_pred")
    return (a == b).astype(jnp.float32)


def accuracy(y_true: Any, y_pred: Any) -> Array:
    """1.0 where ``y_pred`` equals ``y_true`` exactly, else 0.0 (elementwise).

    Args:
        y_true: labels.
        y_pred: predictions of the same shape (a trailing 1 is aligned).

    Returns:
        float32 matches, shaped like the aligned inputs.

    Example:
        >>> [float(v) for v in accuracy([1, 2, 3, 4], [0, 2, 3, 4])]
        [0.0, 1.0, 1.0, 1.0]
    """
    y_pred = jnp.asarray(y_pred)
    y_true = jnp.asarray(y_true).astype(y_pred.dtype)
    y_true, y_pred = losses_module.squeeze_or_expand_to_same_rank(y_true, y_pred)
    return _matches(y_true, y_pred, "accuracy")


def binary_accuracy(y_true: Any, y_pred: Any, threshold: float = 0.5) -> Array:
    """1.0 where ``(y_pred > threshold)`` equals ``y_true`` (strictly greater), elementwise.

    Args:
        y_true: 0/1 labels.
        y_pred: probabilities (or scores), same shape; ``(N,)`` against ``(N, 1)`` is aligned.
        threshold: the decision threshold. Defaults to 0.5.

    Returns:
        float32 matches, shaped like the aligned inputs.

    Example:
        >>> [float(v) for v in binary_accuracy([1, 1, 0, 0], [0.98, 0.5, 0.0, 0.6])]
        [1.0, 0.0, 1.0, 0.0]
    """
    y_pred = _as_float(y_pred)
    y_true = jnp.asarray(y_true)
    y_true, y_pred = losses_module.squeeze_or_expand_to_same_rank(y_true, y_pred)
    predicted = (y_pred > jnp.asarray(threshold, y_pred.dtype)).astype(y_true.dtype)
    return _matches(y_true, predicted, "binary_accuracy")


def categorical_accuracy(y_true: Any, y_pred: Any) -> Array:
    """1.0 where ``argmax(y_true) == argmax(y_pred)`` (first index on ties).

    Args:
        y_true: one-hot labels ``(N, ..., C)``.
        y_pred: probabilities or logits ``(N, ..., C)``.

    Returns:
        float32 matches of shape ``(N, ...)``.

    Example:
        >>> [float(v) for v in categorical_accuracy([[0, 0, 1], [0, 1, 0]],
        ...                                         [[0.1, 0.9, 0.8], [0.05, 0.95, 0.0]])]
        [0.0, 1.0]
    """
    y_true = jnp.argmax(jnp.asarray(y_true), axis=-1)
    y_pred = jnp.asarray(y_pred)
    original_shape = y_true.shape
    reshape = y_true.ndim == y_pred.ndim
    if reshape:
        y_true = _squeeze_last(y_true, "categorical_accuracy")
    matches = _matches(y_true, jnp.argmax(y_pred, axis=-1), "categorical_accuracy")
    if reshape:
        matches = matches.reshape(original_shape)
    return matches


def sparse_categorical_accuracy(y_true: Any, y_pred: Any) -> Array:
    """1.0 where the integer label equals ``argmax(y_pred)`` (first index on ties).

    Args:
        y_true: integer labels ``(N, ...)`` or ``(N, ..., 1)``.
        y_pred: probabilities or logits ``(N, ..., C)``.

    Returns:
        float32 matches of shape ``(N, ...)``.

    Example:
        >>> [float(v) for v in sparse_categorical_accuracy([2, 1], [[0.1, 0.6, 0.3],
        ...                                                        [0.05, 0.95, 0.0]])]
        [0.0, 1.0]
    """
    y_pred = _as_float(y_pred)
    y_true = jnp.asarray(y_true).astype(y_pred.dtype)
    original_shape = y_true.shape
    reshape = y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1
    if reshape:
        y_true = jnp.squeeze(y_true, -1)
    predicted = jnp.argmax(y_pred, axis=-1).astype(y_true.dtype)
    matches = _matches(y_true, predicted, "sparse_categorical_accuracy")
    if reshape:
        matches = matches.reshape(original_shape)
    if matches.ndim > 1 and matches.shape[-1] == 1:
        matches = jnp.squeeze(matches, -1)
    return matches


def _squeeze_last(x: Array, what: str) -> Array:
    if x.shape[-1] != 1:
        raise errors.JnetValueError(
            f"{what}: cannot squeeze the last dimension of shape {x.shape}; y_true must have "
            f"one more dimension (the classes) than the labels it encodes."
        )
    return jnp.squeeze(x, -1)


def _accuracy_by_shape(y_true: Any, y_pred: Any) -> Array:
    is_binary, is_sparse = losses_module.is_binary_or_sparse_categorical(y_true, y_pred)
    if is_binary:
        return binary_accuracy(y_true, y_pred)
    if is_sparse:
        return sparse_categorical_accuracy(y_true, y_pred)
    return categorical_accuracy(y_true, y_pred)


def _crossentropy_by_shape(y_true: Any, y_pred: Any, from_logits: bool = False) -> Array:
    fn = losses_module.crossentropy_for_shapes(y_true, y_pred)
    return fn(y_true, y_pred, from_logits=from_logits)


_LOGITS_ACTIVATION = {
    losses_module.binary_crossentropy: "sigmoid",
    losses_module.categorical_crossentropy: "softmax",
    losses_module.sparse_categorical_crossentropy: "softmax",
}


# --------------------------------------------------------------------------------------------
# Metric base and reductions (keras/src/metrics/metric.py, reduction_metrics.py)
# --------------------------------------------------------------------------------------------


class Metric:
    """Base class: configuration plus pure ``init``/``update``/``compute`` over a state pytree.

    Subclasses implement :meth:`init`, :meth:`update` and :meth:`compute`. The stateful
    Keras API (:meth:`update_state`, :meth:`result`, :meth:`reset_state`, ``__call__``) runs
    them on an internal state.

    Args:
        name: the metric's name (its key in the training logs). Defaults to the snake-cased
            class name.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> class Count(Metric):
        ...     def init(self):
        ...         return jnp.zeros((), jnp.float32)
        ...     def update(self, state, y_true, y_pred, sample_weight=None):
        ...         return state + jnp.float32(np.shape(y_true)[0])
        ...     def compute(self, state):
        ...         return state
        >>> m = Count()
        >>> m.update_state(np.zeros(3), np.zeros(3))
        >>> float(m.result())
        3.0
    """

    def __init__(self, name: str | None = None, dtype: Any = None):
        if name is not None and not isinstance(name, str):
            raise errors.JnetTypeError(
                f"Argument `name` must be a string; received {errors.describe(name)}."
            )
        self.name = name or _snake_case(type(self).__name__)
        self.dtype = _standardize_dtype(dtype)
        self._state = None

    # Pure API -----------------------------------------------------------------------------

    def init(self) -> Any:
        """A fresh state (a pytree of arrays); needs no shapes (see :meth:`init_for`)."""
        raise NotImplementedError(f"{type(self).__name__} must implement init().")

    def init_for(self, y_true: Any, y_pred: Any) -> Any:
        """A fresh state for batches shaped like these (static shapes only, never values).

        The same as :meth:`init` except for metrics whose state has one entry per class
        (:class:`R2Score`, :class:`FBetaScore`, multi-label :class:`AUC`) built without a
        class count; a training engine should call this with the first batch's shapes.
        """
        del y_true, y_pred
        return self.init()

    def update(self, state: Any, *args, **kwargs) -> Any:
        """The state after one batch. Pure and jit-able."""
        raise NotImplementedError(f"{type(self).__name__} must implement update(state, ...).")

    def compute(self, state: Any) -> Array:
        """The metric's value for ``state``."""
        raise NotImplementedError(f"{type(self).__name__} must implement compute(state).")

    def merge(self, state_a: Any, state_b: Any) -> Any:
        """Combines two states (e.g. from two devices): the sum of their accumulators."""
        return jax.tree_util.tree_map(jnp.add, state_a, state_b)

    def result(self, state: Any = None) -> Array:
        """The value for ``state``, or for the internal state when ``state`` is None."""
        return self.compute(self.state if state is None else state)

    # Stateful (Keras) API -----------------------------------------------------------------

    @property
    def state(self) -> Any:
        """The internal state used by :meth:`update_state` and :meth:`result`."""
        if self._state is None:
            self._state = self.init()
        return self._state

    @state.setter
    def state(self, value: Any) -> None:
        self._state = value

    def update_state(self, *args, **kwargs) -> None:
        """Accumulates one batch into the internal state (Keras's ``update_state``)."""
        if self._state is None and len(args) >= 2:
            self._state = self.init_for(args[0], args[1])
        self._state = self.update(self.state, *args, **kwargs)

    def reset_state(self) -> None:
        """Zeroes the internal state (keeping its shapes, as Keras keeps its variables)."""
        if self._state is None:
            return
        self._state = jax.tree_util.tree_map(jnp.zeros_like, self._state)

    def __call__(self, *args, **kwargs) -> Array:
        """Keras's ``metric(...)``: :meth:`update_state`, then :meth:`result`."""
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self) -> dict:
        """The constructor arguments, as Keras serialises them."""
        return {"name": self.name, "dtype": str(self.dtype)}

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        """Builds the metric from :meth:`get_config`'s output."""
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"


def _samplewise(values, sample_weight, reduce_fn, dtype, mask=None):
    """Keras's ``reduce_to_samplewise_values``: weighted rank-<=1 values and their weights."""
    values = jnp.asarray(values).astype(dtype)
    if sample_weight is None:
        # Keras reads the values' mask only when sample weights are given.
        if values.ndim > 1:
            values = reduce_fn(values, axis=tuple(range(1, values.ndim)))
        return values, None
    sample_weight = jnp.asarray(sample_weight).astype(dtype)
    if mask is not None:
        float_mask = jnp.asarray(mask).astype(dtype)
        float_mask, sample_weight = losses_module.squeeze_or_expand_to_same_rank(
            float_mask, sample_weight
        )
        sample_weight, float_mask = _broadcast_pair(
            sample_weight, float_mask, "sample_weight", "sample_weight", "mask"
        )
        sample_weight = sample_weight * float_mask
    values, sample_weight = losses_module.squeeze_or_expand_to_same_rank(values, sample_weight)
    weight_ndim, values_ndim = sample_weight.ndim, values.ndim
    if values_ndim > weight_ndim:
        values = reduce_fn(values, axis=tuple(range(weight_ndim, values_ndim)))
    try:
        sample_weight = jnp.broadcast_to(sample_weight, values.shape)
    except ValueError:
        raise errors.JnetValueError(
            f"sample_weight of shape {sample_weight.shape} cannot be broadcast to the metric "
            f"values of shape {values.shape}: give one weight per sample, shape "
            f"{values.shape[:1]}."
        ) from None
    values = values * sample_weight
    if weight_ndim > 1:
        sample_weight = reduce_fn(sample_weight, axis=tuple(range(1, weight_ndim)))
    if values.ndim > 1:
        values = reduce_fn(values, axis=tuple(range(1, values.ndim)))
    return values, sample_weight


class Sum(Metric):
    """The (weighted) sum of the values given.

    Args:
        name: Defaults to ``'sum'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = Sum()
        >>> m.update_state(np.array([1.0, 3.0, 5.0, 7.0]), sample_weight=np.array([1, 1, 0, 0]))
        >>> float(m.result())
        4.0
    """

    def __init__(self, name: str = "sum", dtype: Any = None):
        super().__init__(name=name, dtype=dtype)

    def init(self) -> SumState:
        return SumState(total=jnp.zeros((), self.dtype))

    def update(self, state: SumState, values: Any, sample_weight: Any = None) -> SumState:
        """Adds ``sum(values * sample_weight)``."""
        values, _ = _samplewise(values, sample_weight, jnp.sum, self.dtype)
        return SumState(total=state.total + jnp.sum(values))

    def compute(self, state: SumState) -> Array:
        return state.total


class Mean(Metric):
    """The (weighted) mean of the values given: ``sum(values * w) / sum(w)``.

    Args:
        name: Defaults to ``'mean'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = Mean()
        >>> m.update_state(np.array([1.0, 3.0, 5.0, 7.0]), sample_weight=np.array([1, 1, 0, 0]))
        >>> float(m.result())
        2.0
    """

    def __init__(self, name: str = "mean", dtype: Any = None):
        super().__init__(name=name, dtype=dtype)

    def init(self) -> MeanState:
        return MeanState(total=jnp.zeros((), self.dtype), count=jnp.zeros((), self.dtype))

    def update(self, state: MeanState, values: Any, sample_weight: Any = None) -> MeanState:
        """Adds ``sum(values * w)`` to the total and ``sum(w)`` (or the sample count)."""
        return self._accumulate(state, values, sample_weight)

    def _accumulate(self, state, values, sample_weight, mask=None) -> MeanState:
        values, sample_weight = _samplewise(values, sample_weight, jnp.mean, self.dtype, mask)
        if sample_weight is not None:
            num_samples = jnp.sum(sample_weight)
        else:
            num_samples = jnp.asarray(values.shape[0] if values.ndim >= 1 else 1, self.dtype)
        return MeanState(total=state.total + jnp.sum(values), count=state.count + num_samples)

    def compute(self, state: MeanState) -> Array:
        return _divide_no_nan(state.total, state.count)


class MeanMetricWrapper(Mean):
    """The running mean of a per-sample function ``fn(y_true, y_pred, **kwargs)``.

    Args:
        fn: the function, e.g. a loss function or :func:`binary_accuracy`.
        name: the metric's name. Defaults to ``'mean_metric_wrapper'``.
        dtype: the state's dtype. Defaults to float32.
        **kwargs: passed to ``fn`` on every update.

    Attributes:
        logits_activation: ``'sigmoid'``/``'softmax'`` when ``fn`` is a crossentropy (see
            :mod:`jnet.losses` on the logits shortcut), else None.
        from_logits: the ``from_logits`` passed to ``fn`` (False when absent).

    Example:
        >>> m = MeanMetricWrapper(losses_module.mean_squared_error, name="mse")
        >>> m.update_state(np.array([[0.0, 1.0]]), np.array([[1.0, 1.0]]))
        >>> float(m.result())
        0.5
    """

    def __init__(self, fn: Callable, name: str | None = None, dtype: Any = None, **kwargs):
        if not callable(fn):
            raise errors.JnetTypeError(
                f"MeanMetricWrapper: argument `fn` must be a callable fn(y_true, y_pred); "
                f"received {errors.describe(fn)}."
            )
        super().__init__(name=name or "mean_metric_wrapper", dtype=dtype)
        self._fn = fn
        self._fn_kwargs = dict(kwargs)

    @property
    def fn(self) -> Callable:
        """The wrapped function."""
        return self._fn

    @property
    def logits_activation(self) -> str | None:
        try:
            return _LOGITS_ACTIVATION.get(self._fn)
        except TypeError:  # an unhashable callable
            return None

    @property
    def from_logits(self) -> bool:
        return bool(self._fn_kwargs.get("from_logits", False))

    def logits_activation_for(self, y_true: Any, y_pred: Any) -> str | None:
        """The logits activation for these shapes (see :class:`jnet.losses.Loss`)."""
        del y_true, y_pred
        return self.logits_activation

    def with_logits(self) -> MeanMetricWrapper:
        """The same metric with ``from_logits=True`` (crossentropies only)."""
        if self.logits_activation is None and not isinstance(self, CrossentropyByShape):
            raise errors.JnetValueError(
                f"Metric {self.name!r} ({type(self).__name__}) has no from_logits form; only "
                f"crossentropy metrics do."
            )
        if type(self) is MeanMetricWrapper:
            return MeanMetricWrapper(
                self._fn, name=self.name, dtype=self.dtype,
                **{**self._fn_kwargs, "from_logits": True},
            )
        return type(self).from_config({**self.get_config(), "from_logits": True})

    def update(
        self, state: MeanState, y_true: Any, y_pred: Any, sample_weight: Any = None
    ) -> MeanState:
        """Adds this batch's per-sample values of ``fn`` (weighted by ``sample_weight``)."""
        values, mask = losses_module.compute_with_mask(self._fn, y_true, y_pred, **self._fn_kwargs)
        return self._accumulate(state, values, sample_weight, mask)

    def get_config(self) -> dict:
        return {**super().get_config(), "fn": losses_module.serialize(self._fn), **self._fn_kwargs}

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        config = dict(config)
        if "fn" in config:
            fn = config.pop("fn")
            config["fn"] = fn if callable(fn) else losses_module.deserialize(fn)
        return cls(**config)


def _simple_config(metric: Metric, **extra) -> dict:
    return {"name": metric.name, "dtype": str(metric.dtype), **extra}


class MeanSquaredError(MeanMetricWrapper):
    """Running mean of :func:`jnet.losses.mean_squared_error`.

    Args:
        name: Defaults to ``'mean_squared_error'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = MeanSquaredError()
        >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
        >>> float(m.result())
        0.25
    """

    def __init__(self, name: str = "mean_squared_error", dtype: Any = None):
        super().__init__(losses_module.mean_squared_error, name=name, dtype=dtype)

    def get_config(self) -> dict:
        return _simple_config(self)

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        return cls(**config)


class MeanAbsoluteError(MeanMetricWrapper):
    """Running mean of :func:`jnet.losses.mean_absolute_error`.

    Args:
        name: Defaults to ``'mean_absolute_error'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = MeanAbsoluteError()
        >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
        >>> float(m.result())
        0.25
    """

    def __init__(self, name: str = "mean_absolute_error", dtype: Any = None):
        super().__init__(losses_module.mean_absolute_error, name=name, dtype=dtype)

    def get_config(self) -> dict:
        return _simple_config(self)

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        return cls(**config)


class Accuracy(MeanMetricWrapper):
    """How often predictions equal labels exactly; see :func:`accuracy`.

    Args:
        name: Defaults to ``'accuracy'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = Accuracy()
        >>> m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
        >>> float(m.result())
        0.75
    """

    def __init__(self, name: str = "accuracy", dtype: Any = None):
        super().__init__(accuracy, name=name, dtype=dtype)

    def get_config(self) -> dict:
        return _simple_config(self)

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        return cls(**config)


class BinaryAccuracy(MeanMetricWrapper):
    """How often ``(y_pred > threshold)`` matches binary labels; see :func:`binary_accuracy`.

    Args:
        name: Defaults to ``'binary_accuracy'``.
        dtype: the state's dtype. Defaults to float32.
        threshold: the decision threshold (strictly greater is 1). Defaults to 0.5.

    Example:
        >>> m = BinaryAccuracy()
        >>> m.update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])
        >>> float(m.result())
        0.75
    """

    def __init__(self, name: str = "binary_accuracy", dtype: Any = None, threshold: float = 0.5):
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold

    def get_config(self) -> dict:
        return _simple_config(self, threshold=self.threshold)

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        return cls(**config)


class CategoricalAccuracy(MeanMetricWrapper):
    """How often ``argmax(y_pred)`` matches one-hot labels; see :func:`categorical_accuracy`.

    Args:
        name: Defaults to ``'categorical_accuracy'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = CategoricalAccuracy()
        >>> m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
        >>> float(m.result())
        0.5
    """

    def __init__(self, name: str = "categorical_accuracy", dtype: Any = None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)

    def get_config(self) -> dict:
        return _simple_config(self)

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        return cls(**config)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often ``argmax(y_pred)`` matches integer labels.

    See :func:`sparse_categorical_accuracy`.

    Args:
        name: Defaults to ``'sparse_categorical_accuracy'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = SparseCategoricalAccuracy()
        >>> m.update_state([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]])
        >>> float(m.result())
        0.5
    """

    def __init__(self, name: str = "sparse_categorical_accuracy", dtype: Any = None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)

    def get_config(self) -> dict:
        return _simple_config(self)

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        return cls(**config)


class BinaryCrossentropy(MeanMetricWrapper):
    """Running mean of :func:`jnet.losses.binary_crossentropy`.

    Args:
        name: Defaults to ``'binary_crossentropy'``.
        dtype: the state's dtype. Defaults to float32.
        from_logits: whether ``y_pred`` holds logits. Defaults to False.
        label_smoothing: in ``[0, 1]``. Defaults to 0.

    Example:
        >>> m = BinaryCrossentropy()
        >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
        >>> round(float(m.result()), 4)
        0.8149
    """

    def __init__(
        self,
        name: str = "binary_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        label_smoothing: float = 0,
    ):
        super().__init__(
            losses_module.binary_crossentropy, name=name, dtype=dtype,
            from_logits=from_logits, label_smoothing=label_smoothing,
        )
        self.label_smoothing = label_smoothing

    def get_config(self) -> dict:
        return _simple_config(
            self, from_logits=self.from_logits, label_smoothing=self.label_smoothing
        )

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        return cls(**config)


class CategoricalCrossentropy(MeanMetricWrapper):
    """Running mean of :func:`jnet.losses.categorical_crossentropy`.

    Args:
        name: Defaults to ``'categorical_crossentropy'``.
        dtype: the state's dtype. Defaults to float32.
        from_logits: whether ``y_pred`` holds logits. Defaults to False.
        label_smoothing: in ``[0, 1]``. Defaults to 0.
        axis: the class axis. Defaults to -1.

    Example:
        >>> m = CategoricalCrossentropy()
        >>> m.update_state([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
        >>> round(float(m.result()), 4)
        1.1769
    """

    def __init__(
        self,
        name: str = "categorical_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        label_smoothing: float = 0,
        axis: int = -1,
    ):
        super().__init__(
            losses_module.categorical_crossentropy, name=name, dtype=dtype,
            from_logits=from_logits, label_smoothing=label_smoothing, axis=axis,
        )
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self) -> dict:
        return _simple_config(
            self, from_logits=self.from_logits, label_smoothing=self.label_smoothing,
            axis=self.axis,
        )

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        return cls(**config)


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """Running mean of :func:`jnet.losses.sparse_categorical_crossentropy`.

    With ``ignore_class`` the ignored entries add 0 to the total; as in Keras they are left out
    of the count only when a ``sample_weight`` is given.

    Args:
        name: Defaults to ``'sparse_categorical_crossentropy'``.
        dtype: the state's dtype. Defaults to float32.
        from_logits: whether ``y_pred`` holds logits. Defaults to False.
        ignore_class: a label to ignore. Defaults to None.
        axis: the class axis; only -1. Defaults to -1.

    Example:
        >>> m = SparseCategoricalCrossentropy()
        >>> m.update_state([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
        >>> round(float(m.result()), 4)
        1.1769
    """

    def __init__(
        self,
        name: str = "sparse_categorical_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        ignore_class: int | None = None,
        axis: int = -1,
    ):
        super().__init__(
            losses_module.sparse_categorical_crossentropy, name=name, dtype=dtype,
            from_logits=from_logits, ignore_class=ignore_class, axis=axis,
        )
        self.ignore_class = ignore_class
        self.axis = axis

    def get_config(self) -> dict:
        return _simple_config(
            self, from_logits=self.from_logits, ignore_class=self.ignore_class, axis=self.axis
        )

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        return cls(**config)


class AccuracyByShape(MeanMetricWrapper):
    """The metric behind ``compile(metrics=['accuracy'])``: accuracy chosen by shape.

    At trace time, from the static shapes (Keras's ``compile_utils.get_metric``):
    :func:`binary_accuracy` when ``y_pred``'s last dimension is 1,
    :func:`sparse_categorical_accuracy` for integer labels, :func:`categorical_accuracy` for
    one-hot labels. All three share :class:`MeanState`, so :meth:`init` needs no shapes.

    Args:
        name: Defaults to ``'accuracy'`` (resolve names it as the string given).
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = AccuracyByShape()
        >>> m.update_state(np.array([2, 1]), np.array([[0.1, 0.6, 0.3], [0.05, 0.95, 0.0]]))
        >>> float(m.result())
        0.5
    """

    def __init__(self, name: str = "accuracy", dtype: Any = None):
        super().__init__(_accuracy_by_shape, name=name, dtype=dtype)

    def function_for(self, y_true: Any, y_pred: Any) -> Callable:
        """The accuracy function these shapes select."""
        is_binary, is_sparse = losses_module.is_binary_or_sparse_categorical(y_true, y_pred)
        if is_binary:
            return binary_accuracy
        return sparse_categorical_accuracy if is_sparse else categorical_accuracy

    def get_config(self) -> dict:
        return _simple_config(self)

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        return cls(**config)


class CrossentropyByShape(MeanMetricWrapper):
    """Running mean of the crossentropy chosen by shape (``'crossentropy'``/``'ce'``).

    See :func:`jnet.losses.crossentropy_for_shapes`. Keras 3 does not accept these strings as
    metrics (Keras 2 did); jnet does, with the loss's shape rule.

    Args:
        name: Defaults to ``'crossentropy'``.
        dtype: the state's dtype. Defaults to float32.
        from_logits: whether ``y_pred`` holds logits. Defaults to False.

    Example:
        >>> m = CrossentropyByShape()
        >>> m.update_state([1, 2], [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])
        >>> round(float(m.result()), 4)
        1.1769
    """

    def __init__(self, name: str = "crossentropy", dtype: Any = None, from_logits: bool = False):
        super().__init__(_crossentropy_by_shape, name=name, dtype=dtype, from_logits=from_logits)

    def function_for(self, y_true: Any, y_pred: Any) -> Callable:
        """The crossentropy function these shapes select."""
        return losses_module.crossentropy_for_shapes(y_true, y_pred)

    def logits_activation_for(self, y_true: Any, y_pred: Any) -> str | None:
        return _LOGITS_ACTIVATION[self.function_for(y_true, y_pred)]

    def get_config(self) -> dict:
        return _simple_config(self, from_logits=self.from_logits)

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        return cls(**config)


