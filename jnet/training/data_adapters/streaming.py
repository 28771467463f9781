"""Arrays streamed to the device a chunk at a time: a ``np.memmap``, or arrays too big to copy.

Each chunk's rows are gathered from host memory in increasing row order, cast, checked for
NaN/inf and sent; a memmap's pages are released after each read, so resident memory stays at
a few chunks whatever the file's size.

Example:
    >>> should_stream(np.zeros((100, 3)), np.zeros(100))
    False
"""

from __future__ import annotations

import math
import mmap
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from jnet.training import data as data_lib
from jnet.training import loop
from jnet.training.data_adapters.array import ArrayAdapter, Chunk, _leaves, _structured_leaves

__all__ = [
    "STREAM_CHUNK_BYTES",
    "STREAM_THRESHOLD_BYTES",
    "StreamingArrayAdapter",
    "should_stream",
]

#: Arrays bigger than this (all of x, y and sample_weight together) are streamed to the device
#: a chunk at a time instead of copied whole. A ``np.memmap`` is always streamed.
STREAM_THRESHOLD_BYTES = 512 * 2**20

#: With ``steps_per_execution='auto'``, a streamed chunk holds about this many bytes.
STREAM_CHUNK_BYTES = 32 * 2**20


def _is_memmap(array: Any) -> bool:
    while isinstance(array, np.ndarray):
        if isinstance(array, np.memmap):
            return True
        array = array.base
    return isinstance(array, mmap.mmap)


def should_stream(*arrays: Any) -> bool:
    """Whether arrays given to ``fit`` are streamed rather than put on the device whole: any is
    a ``np.memmap`` (or a view of one), or together they exceed :data:`STREAM_THRESHOLD_BYTES`.

    Example:
        >>> should_stream(np.zeros((100, 3)), np.zeros(100))
        False
    """
    present = [
        a for value in arrays for a in _structured_leaves(value) if isinstance(a, np.ndarray)
    ]
    if any(_is_memmap(a) for a in present):
        return True
    return sum(a.nbytes for a in present) > STREAM_THRESHOLD_BYTES


class StreamingArrayAdapter(ArrayAdapter):
    """Arrays too big for the device (or memory-mapped): streamed a chunk at a time.

    Each chunk's rows are gathered from host memory in increasing order (contiguous rows are
    sliced), cast to the model's dtypes, and sent to the device; the device's gather then takes
    them in the epoch's (possibly shuffled) order. A memmap's pages are released after each
    gather, so resident memory stays at a few chunks whatever the file's size. The epoch's
    permutation is global, as in Keras.

    Args:
        arrays: ``(x, y, sample_weight)`` or ``(x,)``: checked, not yet cast (memmaps allowed).
        batch_size, steps, shuffle: as :class:`ArrayAdapter`.
        integer_labels: per array, whether integer data stays int32 (labels); defaults to
            ``(False, True, False)``.

    Example:
        >>> x = np.arange(20, dtype=np.float64).reshape(10, 2)
        >>> data = StreamingArrayAdapter((x, np.arange(10), None), batch_size=4)
        >>> chunk = next(data.epoch(k=2))
        >>> chunk.data[0].dtype, chunk.data[0].shape, chunk.idx.tolist()
        (dtype('float32'), (8, 2), [[0, 1, 2, 3], [4, 5, 6, 7]])
    """

    kind = "streamed arrays"

    def __init__(
        self,
        arrays: Sequence[Any],
        batch_size: int,
        steps: int | None = None,
        shuffle: bool = False,
        integer_labels: Sequence[bool] = (False, True, False),
    ):
        super().__init__(arrays, batch_size, steps, shuffle)
        self.integer_labels = tuple(integer_labels)[: len(self.arrays)]

    def split(self, fraction: float, batch_size: int, steps: int | None):
        train, val = data_lib.split_validation(self.arrays, fraction)
        labels = self.integer_labels
        return (
            StreamingArrayAdapter(train, self.batch_size, self.steps, self.shuffle, labels),
            StreamingArrayAdapter(val, batch_size, steps, False, labels),
        )

    def _full_batches(self) -> int:
        full = self.num_samples // self.batch_size
        return min(full, self.steps) if self.steps is not None else full

    def steps_per_dispatch(self, requested: int | str, needs_batch_logs: bool) -> int:
        """``'auto'``: as many batches as fill :data:`STREAM_CHUNK_BYTES`."""
        if requested != "auto":
            return int(requested)
        if needs_batch_logs:
            return 1
        row_bytes = sum(4 * math.prod(a.shape[1:]) for a in _leaves(self.arrays))
        fit = STREAM_CHUNK_BYTES // max(row_bytes * self.batch_size, 1)
        return int(min(max(fit, 1), max(self._full_batches(), 1)))

    def epoch(self, k: int, rng: np.random.Generator | None = None) -> Iterator[Chunk]:
        plan = loop.plan_batches(
            self.num_samples, self.batch_size, k, self.shuffle, rng, self.steps
        )
        for idx in plan:
            steps, width = idx.shape
            rows = idx.reshape(-1)
            gated = k > 1 and width == self.batch_size
            if gated and steps < k:  # pad a short block to k batches: one compilation
                rows = np.concatenate([rows, np.full((k - steps) * width, rows[0], rows.dtype)])
            block, local = self._gather(rows)
            block = loop.to_device(block)
            yield Chunk(block, local.reshape(-1, width), steps, gated, True)

    def _gather(self, rows: np.ndarray) -> tuple[tuple[Any, ...], np.ndarray]:
        """The rows ``rows`` of every array, read in increasing row order, and the positions
        that put them back in the order of ``rows``."""
        count = rows.size
        first = int(rows[0])
        if int(rows[-1]) - first == count - 1 and np.all(np.diff(rows) == 1):
            selection: slice | np.ndarray = slice(first, first + count)
            local = np.arange(count, dtype=np.int32)
        else:
            order = np.argsort(rows, kind="stable")
            selection = rows[order]
            local = np.empty(count, np.int32)
            local[order] = np.arange(count, dtype=np.int32)
        block = tuple(
            data_lib.map_arrays(
                lambda array, label=label: _read_rows(
                    array, selection, count,
                    data_lib.model_dtype(array.dtype, integer_labels=label),
                ),
                arrays,
            )
            for arrays, label in zip(self.arrays, self.integer_labels, strict=True)
        )
        # NaN/inf checked here, as each chunk is read: a memmap is never read a second time.
        global_rows = np.arange(selection.start, selection.stop) if isinstance(
            selection, slice
        ) else selection
        for name, part in zip(("x", "y", "sample_weight"), block, strict=False):
            for leaf in data_lib.array_leaves(part):
                data_lib.check_finite(leaf, name, " (streamed)", global_rows)
        return block, local


_READ_BYTES = 8 * 2**20  # a memmap is read this much at a time, its pages released after each
_FAULT_AROUND_BYTES = 64 * 2**10  # Linux maps this much around each page fault on a file


def _read_rows(array: np.ndarray, selection: slice | np.ndarray, count: int, dtype) -> np.ndarray:
    """``array[selection]`` cast to ``dtype``, into a fresh array (JAX on CPU aliases host
    buffers: nothing sent may share memory with the user's data). A memmap is read a few MB
    at a time and each piece's pages are dropped from this process afterwards, so resident
    memory does not grow with the file."""
    out = np.empty((count, *array.shape[1:]), dtype)
    pages = _Pages(array)
    row_bytes = max(array.itemsize * math.prod(array.shape[1:]), 1)
    if isinstance(selection, np.ndarray):
        row_bytes += _FAULT_AROUND_BYTES  # a scattered row maps its neighbourhood too
    step = count if pages.mapped is None else max(1, _READ_BYTES // row_bytes)
    for i in range(0, count, step):
        j = min(i + step, count)
        if isinstance(selection, slice):
            lo, hi = selection.start + i, selection.start + j - 1
            out[i:j] = array[lo : hi + 1]
        else:
            lo, hi = int(selection[i]), int(selection[j - 1])
            out[i:j] = array[selection[i:j]]
        pages.release(lo, hi)
    return out


class _Pages:
    """Drops the pages of rows of a memmap-backed array from this process (they stay in the
    OS page cache): reading a file much bigger than memory keeps the resident set small."""

    def __init__(self, array: np.ndarray):
        self.mapped = _backing_mmap(array)
        if self.mapped is None:
            return
        try:
            view = np.frombuffer(self.mapped, np.uint8)
            base = view.__array_interface__["data"][0]
            del view
        except (ValueError, TypeError, BufferError):  # closed, or not a plain buffer
            self.mapped = None
            return
        self.offset = array.__array_interface__["data"][0] - base
        self.stride = array.strides[0]

    def release(self, first_row: int, last_row: int) -> None:
        if self.mapped is None or self.stride <= 0:
            return
        start = self.offset + first_row * self.stride
        end = min(self.offset + (last_row + 1) * self.stride, len(self.mapped))
        start -= start % mmap.PAGESIZE
        if end <= start:
            return
        try:
            self.mapped.madvise(mmap.MADV_DONTNEED, start, end - start)
        except (OSError, ValueError, AttributeError):  # a platform without it
            self.mapped = None


def _backing_mmap(array: Any) -> mmap.mmap | None:
    """The ``mmap`` under a ``np.memmap`` (or a view of one) whose pages may be dropped."""
    while isinstance(array, np.ndarray):
        mapped = getattr(array, "_mmap", None)
        if isinstance(mapped, mmap.mmap):
            # Copy-on-write maps hold private changes that dropping the pages would discard.
            return None if getattr(array, "mode", "r") == "c" else mapped
        array = array.base
    return None

