"""``pad_sequences``: variable-length sequences to one padded 2-D array, as Keras does it.

Follows ``keras/src/utils/sequence_utils.py``: empty sequences become all padding, the sample
shape comes from the first non-empty sequence, ``truncating`` and ``padding`` pick the side.

Example:
    >>> from jnet.utils import pad_sequences
    >>> pad_sequences([[1], [2, 3], [4, 5, 6]], maxlen=2, padding="post")
    array([[1, 0],
           [2, 3],
           [5, 6]], dtype=int32)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from jnet import errors

__all__ = ["pad_sequences"]

_SIDES = ("pre", "post")


def pad_sequences(
    sequences: Sequence[Any],
    maxlen: int | None = None,
    dtype: Any = "int32",
    padding: str = "pre",
    truncating: str = "pre",
    value: Any = 0.0,
) -> np.ndarray:
    """Pads (and truncates) sequences to a common length, as ``keras.utils.pad_sequences``.

    Args:
        sequences: a list (or anything with ``len()``) of sequences; each is a list or array
            of numbers (or of equal-shape vectors, giving a 3-D result).
        maxlen: the length of every output row. Defaults to ``None``: the longest sequence.
        dtype: the output dtype. Defaults to ``"int32"``; use ``object`` (or a NumPy string
            dtype) to pad strings.
        padding: ``"pre"`` (default) pads at the start, ``"post"`` at the end.
        truncating: ``"pre"`` (default) drops values from the start of sequences longer than
            ``maxlen``, ``"post"`` from the end.
        value: the padding value. Defaults to ``0.0``.

    Returns:
        A NumPy array of shape ``(len(sequences), maxlen) + sample_shape`` and dtype ``dtype``.

    Example:
        >>> pad_sequences([[1], [2, 3], [4, 5, 6]])
        array([[0, 0, 1],
               [0, 2, 3],
               [4, 5, 6]], dtype=int32)
        >>> pad_sequences([[1.5], []], maxlen=3, dtype="float32", value=-1.0)
        array([[-1. , -1. ,  1.5],
               [-1. , -1. , -1. ]], dtype=float32)
    """
    if isinstance(sequences, str) or not hasattr(sequences, "__len__"):
        raise errors.JnetValueError(
            "pad_sequences: `sequences` must be a list of sequences (something with len()), "
            f"received {errors.describe(sequences)}. Wrap a generator in list()."
        )
    for name, side in (("padding", padding), ("truncating", truncating)):
        if side not in _SIDES:
            raise errors.JnetValueError(
                f"pad_sequences: `{name}` must be 'pre' or 'post', received {side!r}."
            )
    if maxlen is not None and (
        isinstance(maxlen, bool) or not isinstance(maxlen, int | np.integer) or maxlen < 0
    ):
        raise errors.JnetValueError(
            f"pad_sequences: `maxlen` must be a non-negative integer or None, received "
            f"{maxlen!r}."
        )

    lengths = []
    sample_shape: tuple[int, ...] = ()
    found_sample = False
    for x in sequences:
        try:
            length = len(x)
        except TypeError as e:
            raise errors.JnetValueError(
                "pad_sequences: `sequences` must be a list of iterables, found a non-iterable "
                f"element: {errors.describe(x)}."
            ) from e
        lengths.append(length)
        if not found_sample and length:
            sample_shape = np.asarray(x).shape[1:]
            found_sample = True
    if maxlen is None:
        maxlen = max(lengths, default=0)
    maxlen = int(maxlen)

    is_dtype_str = np.issubdtype(dtype, np.str_) or np.issubdtype(dtype, np.bytes_)
    if isinstance(value, str) and dtype is not object and not is_dtype_str:
        raise errors.JnetValueError(
            f"pad_sequences: `dtype` {dtype} is not compatible with the string padding "
            f"value {value!r}. Set dtype=object for variable-length strings."
        )

    out = np.full((len(sequences), maxlen) + tuple(sample_shape), value, dtype=dtype)
    if maxlen == 0:
        return out
    for idx, s in enumerate(sequences):
        if not len(s):
            continue
        trunc = s[-maxlen:] if truncating == "pre" else s[:maxlen]
        trunc = np.asarray(trunc, dtype=dtype)
        if trunc.shape[1:] != sample_shape:
            raise errors.JnetValueError(
                f"pad_sequences: the samples of sequence {idx} have shape {trunc.shape[1:]}, "
                f"expected {sample_shape} (the shape of the first non-empty sequence's samples)."
            )
        if padding == "post":
            out[idx, : len(trunc)] = trunc
        else:
            out[idx, -len(trunc) :] = trunc
    return out
