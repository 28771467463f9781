"""``split_dataset``: a small in-memory dataset cut into a left and a right part, as Keras's
(``keras/src/utils/dataset_utils.py``).

The samples are listed (a batched dataset is unbatched first), shuffled with Python's
``random`` seeded by ``seed`` when ``shuffle``, the first ``left_size`` go left and the last
``right_size`` right. Both parts are ``tf.data.Dataset`` s when TensorFlow is installed (as
Keras returns), :class:`jnet.utils.Dataset` s otherwise, batched again when the input was.

Example:
    >>> data = np.arange(10.0).reshape(5, 2)
    >>> left, right = split_dataset(data, left_size=0.8)
    >>> len(left), len(right)
    (4, 1)
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np

from jnet import errors
from jnet.utils.dataset import Dataset, tensorflow_module

__all__ = ["split_dataset"]

_OWNER = "split_dataset"


def split_dataset(
    dataset: Any,
    left_size: int | float | None = None,
    right_size: int | float | None = None,
    shuffle: bool = False,
    seed: int | None = None,
    preferred_backend: str | None = None,
) -> tuple[Any, Any]:
    """Splits a dataset into a left half and a right half (e.g. train / test).

    Args:
        dataset: a ``tf.data.Dataset``, a :class:`jnet.utils.Dataset`, a NumPy array, or a
            list/tuple of arrays of the same length.
        left_size: a float in ``(0, 1)`` (the fraction of the samples that go left) or an int
            (their number). ``None``: the complement of ``right_size``.
        right_size: the same for the right part. ``None``: the complement of ``left_size``.
        shuffle: shuffle the samples before splitting. Default ``False``.
        seed: the shuffle's seed.
        preferred_backend: ``None``, ``"tensorflow"`` or ``"jax"`` (jnet has no torch
            datasets).

    Returns:
        ``(left, right)``: ``tf.data.Dataset`` s when TensorFlow is installed, else
        :class:`jnet.utils.Dataset` s.

    Example:
        >>> left, right = split_dataset((np.arange(4), np.arange(4) * 2), right_size=1)
        >>> [tuple(int(v) for v in s) for s in right.as_numpy_iterator()]
        [(3, 6)]
    """
    if preferred_backend not in (None, "tensorflow", "jax"):
        raise errors.JnetValueError(
            f"{_OWNER}: `preferred_backend` must be None, 'tensorflow' or 'jax', received "
            f"preferred_backend={preferred_backend!r}."
        )
    if right_size is None and left_size is None:
        raise errors.JnetValueError(
            f"{_OWNER}: at least one of the `left_size` or `right_size` must be specified. "
            "Received: left_size=None and right_size=None"
        )
    samples, structure, batch_size = _samples(dataset)
    if shuffle:
        if seed is None:
            seed = random.randint(0, int(1e6))
        random.Random(seed).shuffle(samples)
    total = len(samples)
    left_size, right_size = _split_sizes(left_size, right_size, total)
    parts = (_restore(samples[:left_size], structure),
             _restore(samples[-right_size:], structure))
    tf = tensorflow_module()
    out = []
    for part in parts:
        if tf is not None:
            ds = tf.data.Dataset.from_tensor_slices(part)
            if batch_size is not None:
                ds = ds.batch(batch_size)
            out.append(ds.prefetch(tf.data.AUTOTUNE))
        else:
            ds = Dataset.from_tensor_slices(part)
            out.append(ds.batch(batch_size) if batch_size is not None else ds)
    return out[0], out[1]


def _is_tf_dataset(x: Any) -> bool:
    return any(c.__name__ in ("DatasetV2", "Dataset") and "tensorflow" in c.__module__
               for c in type(x).__mro__)


def _samples(dataset: Any) -> tuple[list[Any], str, int | None]:
    """The samples, the kind of structure to rebuild, and the batch size to restore."""
    if isinstance(dataset, list | tuple):
        if len(dataset) == 0:
            raise errors.JnetValueError(
                f"{_OWNER}: received an empty {type(dataset).__name__} dataset. Please provide "
                "a non-empty list/tuple of arrays.")
        length = None
        for i, element in enumerate(dataset):
            if not isinstance(element, np.ndarray):
                raise errors.JnetValueError(
                    f"{_OWNER}: expected a {type(dataset).__name__} of `numpy.ndarray` objects, "
                    f"received {errors.describe(element)} at index {i}.")
            if length is None:
                length = element.shape[0]
            elif element.shape[0] != length:
                raise errors.JnetValueError(
                    f"{_OWNER}: received a {type(dataset).__name__} of NumPy arrays with "
                    f"different lengths: index {i} has shape {element.shape}, expected length "
                    f"{length}. Please provide arrays of the same length.")
        return list(zip(*dataset, strict=True)), "tuple", None
    if isinstance(dataset, np.ndarray):
        samples, kind, batch_size = list(dataset), "array", None
    elif isinstance(dataset, Dataset):
        batch_size = dataset._batch_size
        source = dataset.unbatch() if batch_size is not None else dataset
        samples, kind = list(source.as_numpy_iterator()), "element"
    elif _is_tf_dataset(dataset):
        batch_size = getattr(dataset, "_batch_size", None)
        batch_size = None if batch_size is None else int(batch_size)
        source = dataset.unbatch() if batch_size is not None else dataset
        samples, kind = list(source.as_numpy_iterator()), "element"
    else:
        raise errors.JnetTypeError(
            f"{_OWNER}: the `dataset` argument must be a tf.data.Dataset, a jnet.utils.Dataset, "
            f"a NumPy array or a list/tuple of arrays, received {errors.describe(dataset)}.")
    if not samples:
        raise errors.JnetValueError(
            f"{_OWNER}: received an empty dataset. Argument `dataset` must be a non-empty "
            "list/tuple of `numpy.ndarray` objects or a non-empty dataset.")
    if kind == "array" or isinstance(samples[0], np.ndarray):
        shape = np.shape(samples[0])
        for i, sample in enumerate(samples):
            if np.shape(sample) != shape:
                raise errors.JnetValueError(
                    f"{_OWNER}: all `dataset` samples must have same shape, expected shape: "
                    f"{shape}, received shape: {np.shape(sample)} at index {i}.")
    return samples, kind, batch_size


def _restore(samples: list[Any], kind: str) -> Any:
    first = samples[0]
    if kind == "array" or not isinstance(first, tuple | dict):
        return np.stack([np.asarray(s) for s in samples])
    if isinstance(first, dict):
        return {k: np.stack([np.asarray(s[k]) for s in samples]) for k in first}
    return tuple(np.stack([np.asarray(s[i]) for s in samples]) for i in range(len(first)))


def _is_int(x: Any) -> bool:
    return isinstance(x, int | np.integer) and not isinstance(x, bool)


def _is_float(x: Any) -> bool:
    return isinstance(x, float | np.floating)


def _split_sizes(left_size: Any, right_size: Any, total: int) -> tuple[int, int]:
    """Keras's ``_rescale_dataset_split_sizes``: the two sizes as counts."""
    for name, size in (("left_size", left_size), ("right_size", right_size)):
        if size is not None and not (_is_int(size) or _is_float(size)):
            raise errors.JnetTypeError(
                f"{_OWNER}: invalid `{name}` type. Expected: int or float or None, received: "
                f"{name}={errors.describe(size)}.")
    if left_size == 0 and right_size == 0:
        raise errors.JnetValueError(
            f"{_OWNER}: both `left_size` and `right_size` are zero. At least one of the split "
            "sizes must be non-zero.")
    for name, size in (("left_size", left_size), ("right_size", right_size)):
        if (_is_int(size) and not 0 < size < total) or (_is_float(size) and not 0 < size < 1):
            raise errors.JnetValueError(
                f"{_OWNER}: `{name}` should be either a positive integer smaller than {total}, "
                f"or a float within the range `[0, 1]`. Received: {name}={size}")
    if _is_float(left_size) and _is_float(right_size) and left_size + right_size > 1:
        raise errors.JnetValueError(
            f"{_OWNER}: the sum of `left_size` and `right_size` is greater than 1. It must be "
            "less than or equal to 1.")
    left = round(left_size * total) if _is_float(left_size) else left_size
    right = round(right_size * total) if _is_float(right_size) else right_size
    if left is None:
        left = total - right
    elif right is None:
        right = total - left
    if left + right > total:
        raise errors.JnetValueError(
            f"{_OWNER}: the sum of `left_size` and `right_size` should be smaller than the "
            f"{total}. Received: left_size + right_size = {left + right} and total_length = "
            f"{total}")
    for split, side in ((left, "left"), (right, "right")):
        if split == 0:
            raise errors.JnetValueError(
                f"{_OWNER}: with `dataset` of length={total}, `left_size`={left} and "
                f"`right_size`={right}, the resulting {side} side dataset split will be empty. "
                "Adjust any of the aforementioned parameters.")
    return int(left), int(right)
