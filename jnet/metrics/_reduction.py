"""The reductions (``keras/src/metrics/reduction_metrics.py``): Sum, Mean, MeanMetricWrapper.

Aggregation is Keras's: per-sample values, ``total += sum(values * w)``, ``count += sum(w)``
(or the number of values), ``result = total / count``. :class:`MeanMetricWrapper` reads the
logits form and mask of the function it wraps off the function itself (the losses' marks,
:mod:`jnet.losses._logits`), so it knows no particular metric.

Example:
    >>> m = Mean()
    >>> m.update_state(np.array([1.0, 3.0, 5.0, 7.0]), sample_weight=np.array([1, 1, 0, 0]))
    >>> float(m.result())
    2.0
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp

from jnet import errors
from jnet import losses as losses_module
from jnet.metrics._base import Metric
from jnet.metrics._utils import _broadcast_pair, _divide_no_nan

__all__ = ["MeanState", "SumState", "Sum", "Mean", "MeanMetricWrapper"]

Array = jax.Array


class MeanState(NamedTuple):
    """State of :class:`Mean` and every metric built on it."""

    total: Array
    count: Array


class SumState(NamedTuple):
    """State of :class:`Sum`."""

    total: Array


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
        # The activation only where fn's from_logits=True form *is* Keras's logits shortcut
        # (binary, categorical and sparse crossentropy): with_logits() switches a metric to
        # that form. Binary focal crossentropy's from_logits form differs from the shortcut
        # (its p_t), so its metric stays on the probabilities; categorical focal has none.
        return losses_module.logits_activation_of(self._fn, from_logits=True)

    @property
    def from_logits(self) -> bool:
        return bool(self._fn_kwargs.get("from_logits", False))

    def logits_activation_for(self, y_true: Any, y_pred: Any) -> str | None:
        """The logits activation for these shapes (see :class:`jnet.losses.Loss`)."""
        del y_true, y_pred
        return self.logits_activation

    def _has_logits_form(self) -> bool:
        """Whether :meth:`with_logits` applies; a metric choosing its function by shape
        overrides this."""
        return self.logits_activation is not None

    def with_logits(self) -> MeanMetricWrapper:
        """The same metric with ``from_logits=True`` (crossentropies only)."""
        if not self._has_logits_form():
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


def _wrapper_class(fn, class_name: str, default_name: str, doc: str, module: str = __name__):
    """A :class:`MeanMetricWrapper` subclass over ``fn`` taking only ``name``/``dtype``."""

    def __init__(self, name: str = default_name, dtype: Any = None):
        MeanMetricWrapper.__init__(self, fn, name=name, dtype=dtype)

    def get_config(self) -> dict:
        return _simple_config(self)

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        return cls(**config)

    for method in (__init__, get_config, from_config.__func__):  # for help() and mkdocstrings
        method.__qualname__ = f"{class_name}.{method.__name__}"
        method.__module__ = module

    return type(
        class_name,
        (MeanMetricWrapper,),
        {
            "__init__": __init__,
            "get_config": get_config,
            "from_config": from_config,
            "__doc__": doc,
            "__module__": module,
        },
    )
