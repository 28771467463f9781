"""Targets checked against the compiled loss and metrics, once per call on the host arrays.

Keras (on TensorFlow) accepts some targets that give a silently wrong result; jnet refuses
them at the public call, in the labels' own dtype (before any cast to int32 could wrap a
label to another class), with the fix in the message:

* integer labels of a sparse loss or metric (``sparse_categorical_crossentropy``,
  ``sparse_categorical_accuracy``, ``sparse_top_k_categorical_accuracy``) outside
  ``[0, number of classes)``, negative or fractional (TensorFlow raises for the loss;
  JAX would clamp the index);
* an elementwise loss (``mse``, ``mae``, ``binary_crossentropy``, ``hinge``, ...) whose
  target shape differs from the output's after Keras's trailing-1 rank alignment: it would
  broadcast, comparing every target with every output (Keras is silent);
* ``categorical_crossentropy`` on a one-unit output: the softmax of one unit is 1, the loss
  always 0 (Keras warns);
* ``binary_crossentropy`` on labels outside ``[0, 1]``: the loss is unbounded below.
  Integer-valued labels there (``{0, 2}``, ``{-1, 1}``) are certainly another coding: an
  error. Fractional ones (soft targets slightly out of range) may be intended: a warning
  (Keras is silent on both).

Each check is a shape comparison, or one min and max over the labels.

Example:
    >>> import numpy as np
    >>> from jnet import losses
    >>> check_target(np.ones((4, 1)), losses.resolve("mse"), (), (None, 1))
    >>> try:
    ...     check_target(np.ones((4, 5)), losses.resolve("mse"), (), (None, 1))
    ... except ValueError as e:
    ...     print(str(e)[:47])
    mse: y has shape (4, 5) but the model's output
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet import losses as losses_module
from jnet import metrics as metrics_module
from jnet.training import data as data_lib

__all__ = ["check_target"]

# Losses computed element by element of y_true and y_pred (then averaged over the last axis):
# their shapes must agree, or the loss broadcasts one against the other.
_ELEMENTWISE = frozenset({
    losses_module.mean_squared_error,
    losses_module.mean_absolute_error,
    losses_module.mean_absolute_percentage_error,
    losses_module.mean_squared_logarithmic_error,
    losses_module.huber,
    losses_module.log_cosh,
    losses_module.cosine_similarity,
    losses_module.binary_crossentropy,
    losses_module.binary_focal_crossentropy,
    losses_module.hinge,
    losses_module.squared_hinge,
    losses_module.kl_divergence,
    losses_module.poisson,
})
_BINARY = frozenset({losses_module.binary_crossentropy, losses_module.binary_focal_crossentropy})
_CATEGORICAL = frozenset({
    losses_module.categorical_crossentropy, losses_module.categorical_focal_crossentropy,
})
_SPARSE_METRICS = frozenset({
    metrics_module.sparse_categorical_accuracy,
    metrics_module.sparse_top_k_categorical_accuracy,
})


def check_target(y: np.ndarray, loss: Any, metrics: Sequence[Any], output_shape: Any) -> None:
    """Checks one output's targets ``y`` (in their own dtype) against its compiled ``loss``
    (None for none), its ``metrics`` and the model's ``output_shape`` (batch axis first).

    Args:
        y: the targets as given (numpy, not yet cast).
        loss: the compiled loss object of this output, or None.
        metrics: the compiled metric objects of this output.
        output_shape: the output's shape, ``(None, ...)``.

    Raises:
        JnetValueError: for targets that give a meaningless loss or metric (see the module
            docstring).
    """
    out_shape = (y.shape[0], *tuple(output_shape)[1:])
    fn, name = _function(loss, y, out_shape)
    if fn is losses_module.sparse_categorical_crossentropy:
        _check_sparse(y, out_shape, name, getattr(loss, "_fn_kwargs", {}).get("ignore_class"))
    elif fn in _CATEGORICAL and out_shape[-1] == 1 and len(out_shape) > 1:
        raise errors.JnetValueError(
            f"{name} on an output of 1 unit is always 0 (the softmax of one unit is 1), so "
            f"nothing is learned. For two classes use loss='binary_crossentropy' with a "
            f"sigmoid output; for more, give the last layer one unit per class "
            f"(Dense(num_classes, activation='softmax'))."
        )
    if fn in _ELEMENTWISE:
        _check_same_shape(y.shape, out_shape, name)
    if fn in _BINARY:
        _check_binary_labels(y, name)
    for metric in metrics:
        metric_fn, metric_name = _function(metric, y, out_shape)
        sorted_ids = getattr(metric, "_fn_kwargs", {}).get("from_sorted_ids", False)
        if metric_fn in _SPARSE_METRICS and not sorted_ids and fn is not metric_fn:
            _check_sparse(y, out_shape, metric_name, None)


def _function(obj: Any, y: np.ndarray, out_shape: tuple) -> tuple[Any, str]:
    """The function a compiled loss or metric applies to targets like ``y``, and its name."""
    if obj is None:
        return None, ""
    fn = getattr(obj, "fn", None)
    if hasattr(obj, "function_for"):
        fn = obj.function_for(
            jax.ShapeDtypeStruct(y.shape, data_lib.model_dtype(y.dtype, integer_labels=True)),
            jax.ShapeDtypeStruct(out_shape, jnp.float32),
        )
    name = getattr(obj, "name", None) or getattr(fn, "__name__", "the loss")
    return fn, name


def _check_sparse(y: np.ndarray, out_shape: tuple, name: str, ignore_class: Any) -> None:
    if out_shape[-1] is not None:
        data_lib.check_sparse_labels(y, int(out_shape[-1]), name, ignore_class)


def _check_same_shape(y_shape: tuple, out_shape: tuple, name: str) -> None:
    """Keras aligns ranks that differ by a trailing 1; any other difference broadcasts."""
    a, b = tuple(y_shape), tuple(out_shape)
    if len(a) == len(b) + 1 and a[-1] == 1:
        a = a[:-1] if len(b) > 1 else a
        b = b if len(b) > 1 else (*b, 1)
    elif len(b) == len(a) + 1 and b[-1] == 1:
        b = b[:-1] if len(a) > 1 else b
        a = a if len(a) > 1 else (*a, 1)
    if len(a) == len(b) and all(p is None or p == q for p, q in zip(b, a, strict=True)):
        return
    per_sample = tuple(out_shape[1:])
    units = ""
    if len(a) == len(b):
        units = f", or give the last layer {a[-1]} unit{'s' if a[-1] != 1 else ''} to match y"
    raise errors.JnetValueError(
        f"{name}: y has shape {tuple(y_shape)} but the model's output has shape "
        f"{data_lib.shape_text((None, *per_sample))}; the loss would broadcast one against "
        f"the other and compare every target with every output, a silently wrong result. "
        f"Pass targets of shape {data_lib.shape_text(('N', *per_sample))}{units}."
    )


def _check_binary_labels(y: np.ndarray, name: str) -> None:
    """Labels outside [0, 1] make the binary cross-entropy unbounded below."""
    if y.size == 0 or not (np.issubdtype(y.dtype, np.number) or y.dtype == np.bool_):
        return
    low, high = y.min(), y.max()
    if low >= 0 and high <= 1:
        return
    outside = y[(y < 0) | (y > 1)]
    if np.issubdtype(y.dtype, np.integer) or np.all(np.mod(outside, 1) == 0):
        values = np.unique(y) if y.size <= 1_000_000 else np.array([low, high])
        shown = ", ".join(_number(v) for v in values[:6])
        raise errors.JnetValueError(
            f"{name} takes labels in [0, 1], received labels {{{shown}"
            f"{', ...' if values.size > 6 else ''}}}: the loss is unbounded below and "
            f"training diverges. Map the labels to 0 and 1 (e.g. y = (y > 0) for -1/1 "
            f"labels), or for more than two classes use 'sparse_categorical_crossentropy' "
            f"with one unit per class."
        )
    warnings.warn(
        f"{name} takes labels in [0, 1], received labels from {_number(low)} to "
        f"{_number(high)}: outside [0, 1] the loss is unbounded below. Clip the "
        f"targets to [0, 1] unless this is intended.",
        stacklevel=2,
    )


def _number(value: Any) -> str:
    if isinstance(value, int | np.integer):
        return str(int(value))
    return f"{float(value):g}"
