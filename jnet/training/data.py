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

from jnet import config, errors
from jnet.training import device_cache


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
    if not convert:
        return array
    return cast_checked(array, argument, integer_labels=integer_labels)


def cast_checked(array: np.ndarray, argument: str, *, integer_labels: bool = False) -> np.ndarray:
    """``array`` (checked by :func:`to_array` with ``convert=False``) cast to the model's
    dtype: integer labels checked to fit int32 first, in their own dtype, and the cast
    array checked finite.

    Args:
        array: a numeric numpy array.
        argument: the argument's name for error messages (``'x'``, ``"y['a']"``).
        integer_labels: integer data stays integer (int32), as labels; otherwise float32.

    Example:
        >>> cast_checked(np.array([1, 2], np.int64), "y", integer_labels=True).dtype
        dtype('int32')
    """
    if integer_labels:
        check_fits_int32(array, argument)
    with np.errstate(over="ignore"):  # an overflow to inf is reported by check_finite
        array = as_model_dtype(array, integer_labels=integer_labels)
    check_finite(array, argument)
    return array


_INT32 = np.iinfo(np.int32)


def check_fits_int32(array: np.ndarray, argument: str) -> None:
    """Raises when integer labels wider than int32 (int64, uint32, uint64) hold a value that
    the cast to int32 would wrap to another one (``2**32 + 1`` becomes 1: a silent wrong
    class). The range is read in ``array``'s own dtype: one min and max over the labels.

    Args:
        array: labels as given (any dtype: only wide integer dtypes are read).
        argument: the argument's name for error messages.

    Example:
        >>> try:
        ...     check_fits_int32(np.array([0, 2**32 + 1]), "y")
        ... except ValueError as e:
        ...     print(str(e)[:46])
        y holds the integer value 4294967297, which do
    """
    if not np.issubdtype(array.dtype, np.integer) or array.size == 0:
        return
    info = np.iinfo(array.dtype)
    if info.min >= _INT32.min and info.max <= _INT32.max:
        return
    low, high = array.min(), array.max()
    if low >= _INT32.min and high <= _INT32.max:
        return
    bad = int(high) if high > _INT32.max else int(low)
    raise errors.JnetValueError(
        f"{argument} holds the integer value {bad}, which does not fit int32 (labels are int32 "
        f"on the device; the cast would wrap it to {int(np.array(bad).astype(np.int32))}, "
        f"another value). Class labels must be in [0, number of classes); for regression "
        f"targets this large pass {argument}.astype('float32')."
    )


def check_finite(
    array: np.ndarray, argument: str, where: str = "", rows: np.ndarray | None = None
) -> None:
    """Raises when a float ``array`` holds NaN or infinity (unless switched off with
    :func:`jnet.config.set_check_finite`). Integer and bool arrays are always finite.

    ``array`` should already have the model's dtype: a float64 value too large for float32
    becomes infinite in the cast, and is caught here. ``where`` and ``rows`` place a chunk of
    a streamed array in the message (see :func:`jnet.errors.not_finite`).

    Example:
        >>> check_finite(np.array([1.0, 2.0]), "x")
        >>> try:
        ...     check_finite(np.array([1.0, np.nan]), "x")
        ... except ValueError as e:
        ...     print(str(e)[:44])
        x contains 1 NaN and 0 infinite value(s); th
    """
    device_cache.forget_verified(array)  # an earlier check's verdict does not carry over
    if not config.check_finite() or not np.issubdtype(array.dtype, np.floating):
        return
    if device_cache.unchanged_and_finite(array):  # checked before, bitwise the same since
        return
    # np.isfinite(array).all() allocates a bool array; a sum reduces without one and is not
    # finite exactly when a NaN or an infinity is present (or the sum overflows: checked again).
    if array.size and not np.isfinite(np.add.reduce(array, axis=None)):
        if not np.isfinite(array).all():
            raise errors.not_finite(argument, array, where, rows)
    device_cache.note_finite(array)


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
        raise errors.must_be_positive_int(argument, value)
    return int(value)


def non_negative_int(argument: str, value: Any) -> int:
    """Checks an index or a count that may be 0 (``initial_epoch``, ``epochs``)."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
        raise errors.must_be_non_negative_int(argument, value)
    return int(value)


def flag(argument: str, value: Any) -> bool:
    """Checks a ``True``/``False`` argument; numpy bools are accepted."""
    if not isinstance(value, bool | np.bool_):
        raise errors.must_be_bool(argument, value)
    return bool(value)


def shuffle_mode(value: Any) -> bool | str:
    """``fit``'s ``shuffle``: True/False, or Keras's ``'batch'`` (the rows are shuffled
    within each batch, the batches keep their order).

    Example:
        >>> shuffle_mode("batch"), shuffle_mode(np.bool_(False))
        ('batch', False)
    """
    if value == "batch" and isinstance(value, str):
        return "batch"
    if not isinstance(value, bool | np.bool_):
        raise errors.JnetTypeError(
            f"shuffle must be True, False or 'batch', received {errors.describe(value)}."
        )
    return bool(value)


def validation_frequency(value: Any) -> int | tuple[int, ...]:
    """``fit``'s ``validation_freq``: validate every ``value`` epochs (an integer), or after
    the (1-based) epochs a list names, as Keras's ``_should_eval``.

    Example:
        >>> validation_frequency(2), validation_frequency([1, 5])
        (2, (1, 5))
    """
    if isinstance(value, list | tuple):
        return tuple(positive_int("validation_freq", v) for v in value)
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value <= 0:
        raise errors.JnetValueError(
            f"validation_freq must be a positive integer or a list of epochs (1-based), "
            f"received {errors.describe(value)}."
        )
    return int(value)


def should_validate(epoch: int, validation_freq: int | tuple[int, ...]) -> bool:
    """Whether 0-based ``epoch`` validates under :func:`validation_frequency`'s value.

    Example:
        >>> [should_validate(e, 2) for e in range(4)], should_validate(4, (1, 5))
        ([False, True, False, True], True)
    """
    if isinstance(validation_freq, tuple):
        return epoch + 1 in validation_freq
    return (epoch + 1) % validation_freq == 0


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
    n = next(a for a in array_leaves(arrays) if a is not None).shape[0]
    split_at = int(math.floor(n * (1.0 - validation_split)))
    if split_at == 0 or split_at == n:
        raise errors.JnetValueError(
            f"validation_split={validation_split} leaves "
            f"{'no training' if split_at == 0 else 'no validation'} samples out of {n}. "
            f"Use a split that keeps at least one sample on each side."
        )
    train = tuple(map_arrays(lambda a: a[:split_at], a) for a in arrays)
    val = tuple(map_arrays(lambda a: a[split_at:], a) for a in arrays)
    return train, val


def map_arrays(fn: Any, tree: Any) -> Any:
    """``fn`` applied to every array of ``tree`` (an array, None, or lists/tuples/dicts of
    them: the inputs or targets of a model with several), keeping the structure.

    Example:
        >>> map_arrays(lambda a: a[:1], {"a": np.arange(3), "b": None})
        {'a': array([0]), 'b': None}
    """
    if tree is None:
        return None
    if isinstance(tree, Mapping):
        return {k: map_arrays(fn, v) for k, v in tree.items()}
    if isinstance(tree, list | tuple):
        return type(tree)(map_arrays(fn, v) for v in tree)
    return fn(tree)


def array_leaves(tree: Any) -> list[Any]:
    """The arrays of ``tree`` (see :func:`map_arrays`), in order, Nones left out.

    Example:
        >>> [a.shape for a in array_leaves((np.zeros(2), [np.zeros(3), None]))]
        [(2,), (3,)]
    """
    if tree is None:
        return []
    if isinstance(tree, Mapping):
        return [a for v in tree.values() for a in array_leaves(v)]
    if isinstance(tree, list | tuple):
        return [a for v in tree for a in array_leaves(v)]
    return [tree]


def class_weight_to_sample_weight(y: np.ndarray, class_weight: Mapping[int, float]) -> np.ndarray:
    """Per-sample weights from ``class_weight`` ({class index: weight}), as Keras maps them:
    the argmax of one-hot labels, otherwise the (rounded) label value."""
    if not isinstance(class_weight, Mapping):
        raise errors.JnetTypeError(
            f"class_weight must be a dict {{class_index: weight}}, received "
            f"{errors.describe(class_weight)}."
        )
    table = {_class_index(k, class_weight): _class_weight(k, v) for k, v in class_weight.items()}
    if y.ndim >= 2 and y.shape[-1] > 1:
        classes = np.argmax(y, axis=-1)
    else:
        classes = np.round(y.reshape(y.shape[0], -1)[:, 0]).astype(np.int64)
    missing = sorted(set(np.unique(classes).tolist()) - set(table))
    if missing:
        raise errors.JnetValueError(
            f"class_weight has no weight for classes {missing}; it covers {sorted(table)}. "
            f"Give every class present in y a weight."
        )
    return np.asarray([table[int(c)] for c in classes.reshape(-1)], np.float32).reshape(
        classes.shape
    )


def _class_index(key: Any, class_weight: Mapping) -> int:
    """A ``class_weight`` key: a class index (an int, or a float holding a whole number)."""
    whole = isinstance(key, int | np.integer) or (
        isinstance(key, float | np.floating) and math.isfinite(key) and float(key).is_integer()
    )
    if isinstance(key, bool | np.bool_) or not whole or key < 0:
        raise errors.JnetValueError(
            f"class_weight keys must be class indices (integers >= 0), received the key "
            f"{key!r} in class_weight={dict(class_weight)!r}. Map class names to their "
            f"indices first, e.g. {{0: 1.0, 1: 5.0}}."
        )
    return int(key)


def _class_weight(key: Any, value: Any) -> float:
    """A ``class_weight`` value: a finite number >= 0."""
    if isinstance(value, bool | np.bool_) or not isinstance(
        value, int | float | np.integer | np.floating
    ):
        raise errors.JnetTypeError(
            f"class_weight[{key!r}] must be a number, received {errors.describe(value)}."
        )
    if not math.isfinite(value) or value < 0:
        raise errors.JnetValueError(
            f"class_weight[{key!r}] must be a finite number >= 0, received {value!r}: a "
            f"negative weight trains away from the class, a NaN or infinite one makes the "
            f"loss NaN. Use 0 to ignore a class."
        )
    return float(value)


def adjust_rank(x: np.ndarray, sample_shape: tuple[int | None, ...]) -> np.ndarray:
    """Keras 3's input rank adjustment: a missing trailing axis of size 1 is added, an extra
    one is removed (``model.predict(np.array([10.0]))`` on ``input_shape=[1]``)."""
    expected = len(sample_shape) + 1
    if x.ndim == expected - 1 and sample_shape and sample_shape[-1] == 1:
        return x[..., None]
    if x.ndim == expected + 1 and x.shape[-1] == 1:
        return x[..., 0]
    return x


def check_input_shape(
    x: np.ndarray,
    sample_shape: tuple[int | None, ...],
    layer: str,
    index: int = 0,
    source: str = "x",
) -> None:
    """Checks ``x``'s per-sample shape against the model's input shape (input ``index`` of a
    model with several, read from ``source``, e.g. ``"x['a']"``)."""
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
        f"Input {index} of layer {layer!r} expects shape {_fmt(expected)}, got "
        f"{_fmt((received[0], *received[1:]))} from {source}.{hint}"
    )


def shape_text(shape: Sequence[Any]) -> str:
    """A shape as Keras prints it, ``None`` for an unknown size.

    Example:
        >>> shape_text((None, 3)), shape_text(("N",))
        ('(None, 3)', '(N,)')
    """
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + (
        ",)" if len(shape) == 1 else ")"
    )


_fmt = shape_text


def check_indices(x: np.ndarray, input_dim: int, layer: str) -> None:
    """Checks token indices for an ``Embedding`` layer, in their own dtype: in
    ``[0, input_dim)`` (JAX would clamp an out-of-range index silently), and whole numbers
    when stored as floats (Keras truncates ``1.5`` to 1 silently; jnet refuses it).

    Example:
        >>> check_indices(np.array([[0.0, 4.0]]), 5, "embedding")
        >>> try:
        ...     check_indices(np.array([[0, 5]]), 5, "embedding")
        ... except ValueError as e:
        ...     print(str(e)[:58])
        Layer 'embedding' takes token indices in [0, 5) (input_dim
    """
    if x.size == 0 or not (np.issubdtype(x.dtype, np.number) or x.dtype == np.bool_):
        return
    if np.issubdtype(x.dtype, np.floating) and not np.array_equal(np.trunc(x), x):
        bad = x[np.trunc(x) != x].reshape(-1)[0]
        raise errors.JnetValueError(
            f"Layer {layer!r} takes whole token indices, but x holds the fractional index "
            f"{float(bad):g} (Keras would truncate it to {int(np.trunc(bad))} silently). "
            f"Pass integer indices, e.g. x.round().astype('int32') if rounding is meant."
        )
    low, high = np.min(x), np.max(x)
    if low >= 0 and high < input_dim:
        return
    raise errors.JnetValueError(
        f"Layer {layer!r} takes token indices in [0, {input_dim}) (input_dim={input_dim}), "
        f"but x holds indices from {_number(low)} to {_number(high)}. Set input_dim to the "
        f"vocabulary size (the largest index + 1 = {_number(max(high, 0) + 1)}), or map "
        f"unknown tokens to an "
        f"index below {input_dim}."
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
    low, high = labels.min(), labels.max()  # in the labels' own dtype: nothing wrapped yet
    if low < 0 or high >= num_classes:
        raise errors.JnetValueError(
            f"{loss_name}: labels must be in [0, {num_classes}) for a model with "
            f"{num_classes} outputs, received labels from {_number(low)} to {_number(high)}. "
            f"Fix the labels or give the last layer one unit per class."
        )


def _number(value: Any) -> str:
    """An integer exactly (``18446744073709551615``, not ``1.84467e+19``), a float short."""
    if isinstance(value, int | np.integer):
        return str(int(value))
    return f"{float(value):g}"
