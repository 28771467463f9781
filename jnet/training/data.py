"""Turning what users pass to ``fit``/``evaluate``/``predict`` into checked numpy arrays.

Every check runs at the public call, before anything is traced, and raises a jnet error
naming the argument, what was received and what was expected.

Example:
    >>> import numpy as np
    >>> to_array([1, 2, 3], "x").dtype
    dtype('float32')
    >>> split_validation((np.arange(10), np.arange(10)), 0.2)[1][0]
    array([8, 9])
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from jnet import errors


def to_array(
    value: Any, argument: str, *, integer_labels: bool = False, convert: bool = True
) -> np.ndarray:
    """Converts ``value`` to a numeric numpy array (float32, or int32 for integer data).

    Args:
        value: an array-like (numpy, JAX, list of numbers).
        argument: the argument's name for error messages (``'x'``, ``'y'``).
        integer_labels: keep integer data as int32 (labels); otherwise integers become float32.
        convert: cast to the model's dtype now. ``False`` checks ``value`` but returns a numpy
            array as it is (a ``np.memmap`` stays one, nothing is copied); the data is then cast
            chunk by chunk with :func:`as_model_dtype` when it is streamed.
    """
    if value is None:
        raise errors.JnetValueError(f"{argument} is None; expected an array.")
    try:
        array = value if isinstance(value, np.ndarray) and not convert else np.asarray(value)
    except (ValueError, TypeError) as e:
        raise errors.JnetValueError(
            f"{argument} could not be converted to an array ({e}). Nested lists must be "
            f"rectangular (pad sequences to one length, e.g. with jnet.utils.pad_sequences)."
        ) from None
    if array.dtype == object and array.size and isinstance(array.flat[0], str | bytes):
        raise errors.JnetTypeError(
            f"{argument} must be numeric, received text ({errors.describe(value)}). Convert "
            f"text to numbers first (e.g. a vocabulary lookup)."
        )
    if array.dtype == object:
        raise errors.JnetValueError(
            f"{argument} holds Python objects (ragged lists or mixed types), received "
            f"{errors.describe(value)}. Pass a rectangular numeric array."
        )
    if not (np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_):
        raise errors.JnetTypeError(
            f"{argument} must be numeric, received {errors.describe(array)}. Convert text to "
            f"numbers first (e.g. a vocabulary lookup)."
        )
    if np.issubdtype(array.dtype, np.complexfloating):
        raise errors.JnetTypeError(f"{argument} must be real-valued, received {array.dtype}.")
    if array.ndim == 0:
        raise errors.JnetValueError(
            f"{argument} must have a batch axis, received a scalar {array!r}. Wrap it: "
            f"np.array([{array.item()!r}])."
        )
    return as_model_dtype(array, integer_labels=integer_labels) if convert else array


def model_dtype(dtype: Any, *, integer_labels: bool = False) -> np.dtype:
    """The dtype the model sees for data of ``dtype``: int32 for integer labels, else float32."""
    if integer_labels and np.issubdtype(dtype, np.integer):
        return np.dtype(np.int32)
    return np.dtype(np.float32)


def as_model_dtype(array: np.ndarray, *, integer_labels: bool = False) -> np.ndarray:
    """``array`` cast to :func:`model_dtype` (no copy when it already has that dtype)."""
    return array.astype(model_dtype(array.dtype, integer_labels=integer_labels), copy=False)


def check_lengths(named: Mapping[str, np.ndarray | None]) -> int:
    """Checks that all arrays have the same first-axis length (> 0) and returns it."""
    present = {k: v for k, v in named.items() if v is not None}
    lengths = {k: int(v.shape[0]) for k, v in present.items()}
    if len(set(lengths.values())) > 1:
        detail = ", ".join(f"{k} has {n}" for k, n in lengths.items())
        raise errors.JnetValueError(
            f"Data cardinality is ambiguous: {detail} samples. Make sure all arrays contain "
            f"the same number of samples."
        )
    n = next(iter(lengths.values()))
    if n == 0:
        raise errors.JnetValueError(
            f"{next(iter(lengths))} is empty (0 samples); there is nothing to train on."
        )
    return n


def positive_int(argument: str, value: Any, *, allow_none: bool = False) -> int | None:
    """Checks a count argument (``batch_size``, ``epochs``) is a positive integer."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value <= 0:
        raise errors.JnetValueError(f"{argument} must be a positive integer, received {value!r}.")
    return int(value)


def split_validation(arrays: Sequence[np.ndarray | None], validation_split: float):
    """Keras's ``validation_split``: the last fraction, taken before any shuffling.

    Returns ``(train_arrays, validation_arrays)``.
    """
    if isinstance(validation_split, bool) or not isinstance(
        validation_split, float | int | np.floating
    ) or not 0.0 <= validation_split < 1.0:
        raise errors.JnetValueError(
            f"validation_split must be a float in [0, 1), received {validation_split!r}."
        )
    n = next(a for a in arrays if a is not None).shape[0]
    split_at = int(math.floor(n * (1.0 - validation_split)))
    if split_at == 0 or split_at == n:
        raise errors.JnetValueError(
            f"validation_split={validation_split} leaves "
            f"{'no training' if split_at == 0 else 'no validation'} samples out of {n}. "
            f"Use a split that keeps at least one sample on each side."
        )
    train = tuple(None if a is None else a[:split_at] for a in arrays)
    val = tuple(None if a is None else a[split_at:] for a in arrays)
    return train, val


def class_weight_to_sample_weight(y: np.ndarray, class_weight: Mapping[int, float]) -> np.ndarray:
    """Per-sample weights from ``class_weight`` ({class index: weight}), as Keras maps them:
    the argmax of one-hot labels, otherwise the (rounded) label value."""
    if not isinstance(class_weight, Mapping):
        raise errors.JnetTypeError(
            f"class_weight must be a dict {{class_index: weight}}, received "
            f"{errors.describe(class_weight)}."
        )
    if y.ndim >= 2 and y.shape[-1] > 1:
        classes = np.argmax(y, axis=-1)
    else:
        classes = np.round(y.reshape(y.shape[0], -1)[:, 0]).astype(np.int64)
    table = {int(k): float(v) for k, v in class_weight.items()}
    missing = sorted(set(np.unique(classes).tolist()) - set(table))
    if missing:
        raise errors.JnetValueError(
            f"class_weight has no weight for classes {missing}; it covers {sorted(table)}. "
            f"Give every class present in y a weight."
        )
    return np.asarray([table[int(c)] for c in classes.reshape(-1)], np.float32).reshape(
        classes.shape
    )


def adjust_rank(x: np.ndarray, sample_shape: tuple[int | None, ...]) -> np.ndarray:
    """Keras 3's input rank adjustment: a missing trailing axis of size 1 is added, an extra
    one is removed (``model.predict(np.array([10.0]))`` on ``input_shape=[1]``)."""
    expected = len(sample_shape) + 1
    if x.ndim == expected - 1 and sample_shape and sample_shape[-1] == 1:
        return x[..., None]
    if x.ndim == expected + 1 and x.shape[-1] == 1:
        return x[..., 0]
    return x


def check_input_shape(x: np.ndarray, sample_shape: tuple[int | None, ...], layer: str) -> None:
    """Checks ``x``'s per-sample shape against the model's input shape."""
    expected = (None, *sample_shape)
    received = tuple(x.shape)
    ok = len(received) == len(expected) and all(
        e is None or e == r for e, r in zip(expected[1:], received[1:], strict=True)
    )
    if ok:
        return
    hint = ""
    if len(received) > len(expected) and int(np.prod(received[1:])) == int(
        np.prod([d for d in sample_shape if d is not None] or [0])
    ):
        hint = " Add jnet.layers.Flatten() as the first layer, or reshape x."
    elif len(received) > len(expected):
        hint = " Add Flatten() before it, or fix input_shape."
    else:
        hint = " Fix input_shape, or reshape x to match it."
    raise errors.JnetValueError(
        f"Input 0 of layer {layer!r} expects shape {_fmt(expected)}, got "
        f"{_fmt((received[0], *received[1:]))} from x.{hint}"
    )


def _fmt(shape) -> str:
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + (
        ",)" if len(shape) == 1 else ")"
    )


def check_sparse_labels(
    y: np.ndarray, num_classes: int, loss_name: str, ignore_class: int | None = None
) -> None:
    """Checks integer class labels for a sparse cross-entropy: JAX would silently clamp an
    out-of-range index and train on a wrong number."""
    if y.ndim >= 2 and y.shape[-1] == num_classes and num_classes > 1:
        raise errors.JnetValueError(
            f"{loss_name} expects integer class labels of shape (N,) or (N, 1), but y has shape "
            f"{tuple(y.shape)}, which looks one-hot. Use loss='categorical_crossentropy' for "
            f"one-hot labels, or pass y.argmax(axis=-1)."
        )
    labels = y if ignore_class is None else y[y != ignore_class]
    if labels.size == 0:
        return
    if not np.issubdtype(labels.dtype, np.integer) and not np.all(np.mod(labels, 1) == 0):
        bad = labels[np.mod(labels, 1) != 0].reshape(-1)[0]
        raise errors.JnetValueError(
            f"{loss_name} expects integer class labels, received a non-integer label "
            f"{float(bad):g}. For probabilities or one-hot targets use "
            f"'categorical_crossentropy' or 'binary_crossentropy'."
        )
    low, high = labels.min(), labels.max()
    if low < 0 or high >= num_classes:
        raise errors.JnetValueError(
            f"{loss_name}: labels must be in [0, {num_classes}) for a model with "
            f"{num_classes} outputs, received labels from {low:g} to {high:g}. Fix the labels "
            f"or give the last layer one unit per class."
        )
