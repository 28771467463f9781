"""Data adapters: every kind of input ``fit``/``evaluate``/``predict`` accept, as dispatches.

One class per input kind, one small interface:

* ``epoch(k, rng)`` yields one epoch's device dispatches as :class:`Chunk` s: the data, a
  ``(k, batch)`` array of row indices into it, and how many of the ``k`` steps are real;
* ``num_batches``: the batches per epoch, or None while unknown (a generator);
* ``on_epoch_end()``, ``reset()`` (before each evaluation pass), ``steps_per_dispatch``.

The kinds:

* :class:`ArrayAdapter`: numpy/JAX arrays that fit in memory. They go to the device once and
  every chunk is an index array (the fast path; ``fit`` on arrays is exactly this).
* :class:`StreamingArrayAdapter`: a ``np.memmap``, or arrays over
  :data:`STREAM_THRESHOLD_BYTES`. Each chunk's rows are gathered from host memory (sorted, for
  memmap locality; the device's gather puts them back in shuffled order), cast, and sent;
  peak memory is a few chunks, not the dataset.
* :class:`GeneratorAdapter`, :class:`IterableAdapter`, :class:`PyDatasetAdapter`,
  :class:`TFDatasetAdapter`: sources of whole host batches (``(x, y)``, ``(x, y,
  sample_weight)``, or ``x`` for ``predict``). Each batch is checked against the model (naming
  its index), runs of equal-shaped batches are stacked into ``(k * batch, ...)`` blocks, and
  each block runs as one scanned dispatch. A short block is padded to ``k`` batches and its
  padding steps are skipped on the device, so a whole epoch compiles at most twice (full
  batches, and a different-sized last batch).

Epochs over batch sources follow Keras's ``EpochIterator``: without ``steps_per_epoch`` an
epoch runs until the source is exhausted (a generator warns "Your input ran out of data"
when it is); with ``steps_per_epoch`` the iterator carries over from one epoch to the next
and is restarted once it runs dry. Like Keras, a generator is peeked for its first two batches
and a restarted generator replays them.

Example:
    >>> import numpy as np
    >>> batches = ((np.ones((4, 3), np.float32), np.zeros((4, 1), np.float32)) for _ in range(5))
    >>> is_batch_source(batches), is_batch_source(np.ones((4, 3)))
    (True, False)
"""

from __future__ import annotations

import itertools
import math
import mmap
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jax
import numpy as np

from jnet import errors
from jnet.training import data as data_lib
from jnet.training import loop
from jnet.utils.py_dataset import PyDataset

__all__ = [
    "MAX_AUTO_STEPS",
    "STREAM_CHUNK_BYTES",
    "STREAM_THRESHOLD_BYTES",
    "ArrayAdapter",
    "BatchAdapter",
    "BatchChecker",
    "Chunk",
    "GeneratorAdapter",
    "IterableAdapter",
    "PyDatasetAdapter",
    "StreamingArrayAdapter",
    "TFDatasetAdapter",
    "array_adapter",
    "batch_adapter",
    "is_batch_source",
    "should_stream",
]

#: Arrays bigger than this (all of x, y and sample_weight together) are streamed to the device
#: a chunk at a time instead of copied whole. A ``np.memmap`` is always streamed.
STREAM_THRESHOLD_BYTES = 512 * 2**20

#: With ``steps_per_execution='auto'``, a streamed chunk holds about this many bytes.
STREAM_CHUNK_BYTES = 32 * 2**20

#: With ``steps_per_execution='auto'``, at most this many batches from a batch source per
#: dispatch.
MAX_AUTO_STEPS = 64

_PEEKED_BATCHES = 2  # Keras's NUM_BATCHES_FOR_TENSOR_SPEC: a generator is peeked this far

_RAN_OUT = (
    "Your input ran out of data; interrupting training. Make sure that your dataset or "
    "generator can generate at least `steps_per_epoch * epochs` batches. You may need to use "
    "the `.repeat()` function when building your dataset."
)


@dataclass(frozen=True)
class Chunk:
    """One device dispatch.

    Attributes:
        data: ``(x, y, sample_weight)`` (``(x,)`` for ``predict``) arrays, on the device or host.
        idx: ``(k, batch)`` int32 row indices into ``data``: step ``i`` uses rows ``idx[i]``.
        steps: the real steps; ``idx`` rows from ``steps`` on are padding, skipped.
        gated: whether the chunk functions must be told ``steps`` (``valid_args``).
        streamed: ``data`` was sent for this dispatch alone (bound the queue: ``loop.InFlight``).
    """

    data: Any
    idx: np.ndarray
    steps: int
    gated: bool = False
    streamed: bool = False

    @property
    def valid_args(self) -> tuple[Any, ...]:
        """Extra arguments for ``loop.train_chunk``/``eval_chunk``: ``(valid,)`` or ``()``."""
        return (np.int32(self.steps),) if self.gated else ()


# -- arrays -------------------------------------------------------------------------------


def _leaves(arrays: Sequence[Any]) -> list[Any]:
    """The arrays of ``(x, y, sample_weight)``; each may be a list/tuple/dict of arrays (a
    model with several inputs or outputs)."""
    return data_lib.array_leaves(arrays)


def _structured_leaves(value: Any) -> list[Any]:
    """The arrays inside a list/tuple/dict of arrays (several inputs or outputs); anything
    else (an array, a Python list of numbers) is one leaf, not traversed."""
    if isinstance(value, Mapping):
        return [a for v in value.values() for a in _structured_leaves(v)]
    if isinstance(value, list | tuple) and value and isinstance(
        value[0], np.ndarray | jax.Array | Mapping
    ):
        return [a for v in value for a in _structured_leaves(v)]
    return [value]


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


def _num_batches(num_samples: int, batch_size: int, steps: int | None) -> int:
    n = -(-num_samples // batch_size)
    return min(n, steps) if steps is not None else n


class ArrayAdapter:
    """Arrays that fit in memory: copied to the device once; chunks are row-index arrays.

    Args:
        arrays: ``(x, y, sample_weight)`` or ``(x,)``, checked and cast (``None`` leaves allowed).
        batch_size: rows per batch; the last batch keeps the remainder, as Keras keeps it.
        steps: at most this many batches per epoch (``steps_per_epoch``/``steps``).
        shuffle: a fresh permutation of the rows every epoch.

    Example:
        >>> x = np.zeros((10, 3), np.float32)
        >>> data = ArrayAdapter((x, np.zeros(10, np.int32), None), batch_size=4)
        >>> [(c.idx.shape, c.steps) for c in data.epoch(k=data.steps_per_dispatch("auto", False))]
        [((2, 4), 2), ((1, 2), 1)]
    """

    kind = "arrays"

    def __init__(
        self,
        arrays: Sequence[Any],
        batch_size: int,
        steps: int | None = None,
        shuffle: bool = False,
    ):
        self.arrays = tuple(arrays)
        self.batch_size = batch_size
        self.steps = steps
        self.shuffle = shuffle
        self.num_samples = int(_leaves(self.arrays)[0].shape[0])
        self._device = None

    @property
    def num_batches(self) -> int:
        return _num_batches(self.num_samples, self.batch_size, self.steps)

    def steps_per_dispatch(self, requested: int | str, needs_batch_logs: bool) -> int:
        """``steps_per_execution`` resolved: ``'auto'`` runs the whole epoch in one dispatch."""
        if requested == "auto":
            return 1 if needs_batch_logs else max(self.num_batches, 1)
        return int(requested)

    def split(self, fraction: float, batch_size: int, steps: int | None):
        """Keras's ``validation_split``: ``(train, validation)`` adapters over the first and the
        last ``fraction`` of the rows, split before any shuffling."""
        train, val = data_lib.split_validation(self.arrays, fraction)
        kind = type(self)
        return (
            kind(train, self.batch_size, self.steps, self.shuffle),
            kind(val, batch_size, steps, False),
        )

    def device_data(self) -> Any:
        """The arrays on the device (copied there on first use, then kept)."""
        if self._device is None:
            self._device = loop.to_device(self.arrays, keep=True)
        return self._device

    def epoch(self, k: int, rng: np.random.Generator | None = None) -> Iterator[Chunk]:
        """The epoch's dispatches: ``k`` batches each, then the partial last batch alone."""
        self.device_data()
        plan = loop.plan_batches(
            self.num_samples, self.batch_size, k, self.shuffle, rng, self.steps
        )
        for idx in plan:
            yield Chunk(self._device, idx, idx.shape[0])

    def on_epoch_end(self) -> None:
        """Nothing to do for arrays."""

    def reset(self) -> None:
        """Nothing to do for arrays."""


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


def array_adapter(
    arrays: Sequence[Any],
    *,
    batch_size: int,
    steps: int | None = None,
    shuffle: bool = False,
    stream: bool = False,
) -> ArrayAdapter:
    """The adapter for checked arrays: streamed when ``stream``, else put on the device once."""
    if stream:
        return StreamingArrayAdapter(arrays, batch_size, steps, shuffle)
    return ArrayAdapter(arrays, batch_size, steps, shuffle)


# -- batch sources ------------------------------------------------------------------------


def _is_tf_dataset(x: Any) -> bool:
    # Detected by module name: TensorFlow is never imported here.
    return type(x).__module__.startswith("tensorflow") and hasattr(x, "as_numpy_iterator")


def _is_py_dataset(x: Any) -> bool:
    return isinstance(x, PyDataset) or any(
        c.__name__ == "PyDataset" for c in type(x).__mro__
    )


def is_batch_source(x: Any) -> bool:
    """Whether ``x`` yields whole batches (generator, iterator, iterable, ``PyDataset``,
    ``tf.data.Dataset``) rather than being array data.

    Example:
        >>> is_batch_source(iter([])), is_batch_source([1.0, 2.0])
        (True, False)
    """
    if x is None or isinstance(x, np.ndarray | jax.Array | list | tuple | str | bytes | Mapping):
        return False
    if _is_tf_dataset(x) or _is_py_dataset(x):
        return True
    if hasattr(x, "__array__") or hasattr(x, "__array_interface__"):
        return False  # array-likes (pandas, torch tensors) are arrays
    return hasattr(x, "__iter__") or hasattr(x, "__next__")


def _standardize(raw: Any, index: int, source: str) -> tuple[Any, ...]:
    if isinstance(raw, list | tuple):
        if not 1 <= len(raw) <= 3:
            raise errors.JnetValueError(
                f"Batch {index} from the {source} has {len(raw)} elements; expected (x,), "
                f"(x, y) or (x, y, sample_weight)."
            )
        return tuple(raw)
    if isinstance(raw, Mapping):
        raise errors.JnetTypeError(
            f"Batch {index} from the {source} is a dict with keys {sorted(map(str, raw))}; "
            f"jnet models take (x,), (x, y) or (x, y, sample_weight) tuples."
        )
    return (raw,)


class BatchChecker:
    """Checks and casts host batches for a model, naming the batch when one is wrong.

    Shapes are checked against the model's input (the first batch builds a model without an
    input shape); integer labels of sparse cross-entropies are range-checked a block at a
    time. ``class_weight`` becomes per-sample weights.

    Args:
        model: the jnet model (``_prepare_x``, ``_check_targets``).
        targets: batches must carry ``y`` (``fit``, ``evaluate``); ``False`` for ``predict``.
        class_weight: ``{class: weight}`` or None.
        source: the input kind, for messages (``'generator'``).

    Example:
        >>> import jnet
        >>> model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(3,))])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> check = BatchChecker(model, targets=True)
        >>> try:
        ...     check((np.ones((2, 4)), np.ones((2, 1))), 7)
        ... except ValueError as e:
        ...     print(str(e)[:44])
        Batch 7 from the generator: Input 0 of layer
    """

    def __init__(
        self,
        model: Any,
        *,
        targets: bool,
        class_weight: Mapping[int, float] | None = None,
        source: str = "generator",
    ):
        self.model = model
        self.targets = targets
        self.class_weight = class_weight
        self.source = source

    def _fail(self, index: int, error: Exception) -> Exception:
        return type(error)(f"Batch {index} from the {self.source}: {error}")

    def __call__(self, raw: Any, index: int) -> tuple[Any, ...]:
        """``(x, y, sample_weight)`` (``(x,)`` without targets) as checked numpy arrays."""
        batch = _standardize(raw, index, self.source)
        try:
            x = self.model._prepare_x(batch[0])
            if not self.targets:
                return (x,)
            if len(batch) < 2 or batch[1] is None:
                raise errors.JnetValueError(
                    "it has no targets. fit and evaluate need (x, y) or (x, y, sample_weight) "
                    "batches."
                )
            sample_weight = batch[2] if len(batch) > 2 else None
            if getattr(self.model, "_compiled_outputs", None) is not None:  # several outputs
                y, sample_weight = self.model._prepare_targets(
                    x, batch[1], sample_weight, self.class_weight
                )
                return (x, y, sample_weight)
            y = data_lib.to_array(batch[1], "y", integer_labels=True)
            if sample_weight is not None:
                sample_weight = data_lib.to_array(sample_weight, "sample_weight")
            if isinstance(x, np.ndarray):
                lengths = {"x": x}
            else:  # several inputs
                lengths = {f"x[{i}]": a for i, a in enumerate(data_lib.array_leaves(x))}
            data_lib.check_lengths({**lengths, "y": y, "sample_weight": sample_weight})
            if self.class_weight is not None:
                if sample_weight is not None:
                    raise errors.JnetValueError(
                        "it carries sample weights and class_weight was given too; use one."
                    )
                sample_weight = data_lib.class_weight_to_sample_weight(y, self.class_weight)
            return (x, y, sample_weight)
        except (errors.JnetValueError, errors.JnetTypeError) as e:
            raise self._fail(index, e) from None

    def check_block(self, batches: Sequence[tuple[Any, ...]], first_index: int) -> None:
        """Label checks over a block of equal-shaped batches (one pass over their labels)."""
        if not self.targets:
            return
        try:
            ys = [b[1] for b in batches]
            self.model._check_targets(
                ys[0] if len(ys) == 1 else jax.tree_util.tree_map(
                    lambda *a: np.concatenate(a), *ys
                )
            )
        except errors.JnetValueError:
            for offset, batch in enumerate(batches):
                try:
                    self.model._check_targets(batch[1])
                except errors.JnetValueError as e:
                    raise self._fail(first_index + offset, e) from None
            raise


def _signature(batch: tuple[Any, ...]) -> tuple[Any, ...]:
    if all(a is None or isinstance(a, np.ndarray) for a in batch):
        return tuple(None if a is None else (a.shape, a.dtype) for a in batch)
    leaves, treedef = jax.tree_util.tree_flatten(batch)  # several inputs or outputs
    return (treedef, *((a.shape, a.dtype) for a in leaves))


class BatchAdapter:
    """Base of the sources of whole host batches.

    A subclass provides ``_new_iterator()`` (a fresh pass over its batches), ``peek()`` (the
    first batch, for building the model) and, when it knows it, ``_source_num_batches()``.

    Args:
        source: the user's object.
        steps: ``steps_per_epoch`` (``steps``/``validation_steps``), or None.
        shuffle: shuffle the batch order where the source allows it (``PyDataset``).
        checker: the :class:`BatchChecker` batches go through.
    """

    kind = "dataset"

    def __init__(
        self,
        source: Any,
        *,
        steps: int | None = None,
        shuffle: bool = False,
        checker: BatchChecker | None = None,
    ):
        self.source = source
        self.steps = steps
        self.shuffle = shuffle
        self.checker = checker
        self._rng: np.random.Generator | None = None
        self._k: int | None = None  # steps per dispatch chosen by 'auto', kept across epochs
        self._main: tuple[Any, ...] | None = None  # the first batch's shapes: full batches
        self._idx: dict[tuple[int, int], np.ndarray] = {}
        self.reset()

    # what a source provides
    def _source_num_batches(self) -> int | None:
        return None

    def _new_iterator(self) -> Iterator[Any]:
        raise NotImplementedError

    def peek(self) -> Any:
        """The first batch, as the source gives it."""
        raise NotImplementedError

    def on_epoch_end(self) -> None:
        """Called once after each pass over the source."""

    # Keras's EpochIterator
    def reset(self) -> None:
        """Starts afresh (before every evaluation pass, as Keras does)."""
        self._iterator: Iterator[Any] | None = None
        self._seen = 0
        self._known = self._source_num_batches()

    @property
    def num_batches(self) -> int | None:
        """Batches per epoch: ``steps``, else the source's length once known."""
        return self.steps or self._known

    def _ran_out(self) -> None:
        if self._known is None:
            self._known = self._seen
        warnings.warn(_RAN_OUT, UserWarning, stacklevel=4)
        self._iterator = None

    def batches(self) -> Iterator[Any]:
        """One epoch of raw host batches, with Keras's rules for ``steps`` and exhaustion."""
        limit = self.steps or self._known or -1
        if limit <= 0:
            iterator = self._new_iterator()
            self._seen = 0
            while True:
                self._seen += 1
                try:
                    batch = next(iterator)
                except StopIteration:
                    self._ran_out()
                    return
                yield batch
        if self._iterator is None or self.steps is None:
            self._iterator = self._new_iterator()
            self._seen = 0
        for _ in range(limit):
            if self._known and self._seen >= self._known:
                if self.steps:
                    warnings.warn(_RAN_OUT, UserWarning, stacklevel=3)
                break
            self._seen += 1
            try:
                batch = next(self._iterator)
            except StopIteration:
                self._ran_out()
                return
            yield batch
        if self._known and self._seen >= self._known:
            self._iterator = self._new_iterator()
            self._seen = 0

    # dispatches
    def steps_per_dispatch(self, requested: int | str, needs_batch_logs: bool) -> int | None:
        """``steps_per_execution`` resolved; None: chosen from the first batch's size."""
        if requested == "auto":
            return 1 if needs_batch_logs else self._k
        return int(requested)

    def _auto_k(self, batch: tuple[Any, ...]) -> int:
        nbytes = sum(a.nbytes for a in _leaves(batch))
        cap = min(MAX_AUTO_STEPS, self.num_batches or MAX_AUTO_STEPS)
        return int(min(max(STREAM_CHUNK_BYTES // max(nbytes, 1), 1), max(cap, 1)))

    def epoch(self, k: int | None, rng: np.random.Generator | None = None) -> Iterator[Chunk]:
        """The epoch's dispatches: runs of up to ``k`` equal-shaped batches, stacked."""
        self._rng = rng
        begin = getattr(self.source, "on_epoch_begin", None)
        if callable(begin):
            begin()
        run: list[tuple[Any, ...]] = []
        first = 0
        for index, raw in enumerate(self.batches()):
            batch = self.checker(raw, index)
            signature = _signature(batch)
            if self._main is None:
                self._main = signature
            if k is None:
                k = self._k = self._k or self._auto_k(batch)
            if run and signature != _signature(run[0]):
                yield self._stack(run, first, k)
                run = []
            if not run:
                first = index
            run.append(batch)
            if len(run) == k:
                yield self._stack(run, first, k)
                run = []
        if run:
            yield self._stack(run, first, k)
        self.on_epoch_end()

    def _stack(self, run: list[tuple[Any, ...]], first: int, k: int) -> Chunk:
        self.checker.check_block(run, first)
        steps = len(run)
        rows = int(_leaves(run[0][:1])[0].shape[0])
        # Full-size batches always run as k-step blocks (padded when short); a lone batch of
        # another size (the last, partial one) runs alone: two compilations in all.
        width = k if k > 1 and (steps > 1 or _signature(run[0]) == self._main) else steps
        if width == 1:  # a copy: JAX on CPU would alias the source's (reusable) buffer
            data = tuple(data_lib.map_arrays(np.array, a) for a in run[0])
        else:
            data = tuple(
                None if run[0][p] is None else jax.tree_util.tree_map(
                    lambda *parts: _concat(list(parts), width * rows), *[b[p] for b in run]
                )
                for p in range(len(run[0]))
            )
        key = (width, rows)
        if key not in self._idx:
            self._idx[key] = np.arange(width * rows, dtype=np.int32).reshape(width, rows)
        return Chunk(loop.to_device(data), self._idx[key], steps, width > 1, True)


def _concat(arrays: list[np.ndarray], rows: int) -> np.ndarray:
    have = sum(a.shape[0] for a in arrays)
    if have < rows:  # padding rows: read by skipped steps only
        arrays = [*arrays, np.zeros((rows - have, *arrays[0].shape[1:]), arrays[0].dtype)]
    return np.concatenate(arrays, axis=0)


class GeneratorAdapter(BatchAdapter):
    """A Python generator (or any iterator) of batches: read once, as Keras reads it.

    The first two batches are peeked (Keras does, to learn the shapes) and replayed whenever
    the generator is restarted after running dry; give ``steps_per_epoch`` for an infinite
    generator.

    Example:
        >>> batches = ((np.full((2, 1), i, np.float32),) for i in range(3))
        >>> data = GeneratorAdapter(batches, steps=2)
        >>> [float(b[0][0, 0]) for b in data.batches()], data.num_batches
        ([0.0, 1.0], 2)
    """

    kind = "generator"

    def __init__(self, source: Iterator[Any], **kwargs: Any):
        self._peeked = list(itertools.islice(source, _PEEKED_BATCHES))
        if not self._peeked:
            raise errors.JnetValueError(
                "The generator given as x is empty; it must yield at least one batch."
            )
        super().__init__(source, **kwargs)

    def _new_iterator(self) -> Iterator[Any]:
        return itertools.chain(self._peeked, self.source)

    def peek(self) -> Any:
        return self._peeked[0]


class IterableAdapter(BatchAdapter):
    """A re-iterable object of batches (``iter()`` starts a new pass; ``len()`` if it has one)."""

    kind = "iterable"

    def _source_num_batches(self) -> int | None:
        try:
            return int(len(self.source))
        except TypeError:
            return None

    def _new_iterator(self) -> Iterator[Any]:
        return iter(self.source)

    def peek(self) -> Any:
        try:
            return next(iter(self.source))
        except StopIteration:
            raise errors.JnetValueError(
                f"The iterable given as x ({errors.describe(self.source)}) yields no batches."
            ) from None


class PyDatasetAdapter(BatchAdapter):
    """A :class:`jnet.utils.PyDataset` (or Keras's): ``dataset[i]`` for each batch index, the
    order shuffled per epoch with ``shuffle=True``; ``on_epoch_end`` runs after every pass."""

    kind = "PyDataset"

    def _source_num_batches(self) -> int | None:
        try:
            n = self.source.num_batches
        except NotImplementedError:
            return None
        return None if n is None else int(n)

    def _new_iterator(self) -> Iterator[Any]:
        dataset = self.source

        def batches():
            n = self._source_num_batches()
            if n is None:
                indices: Any = itertools.count()
            elif self.shuffle:
                rng = self._rng if self._rng is not None else np.random.default_rng()
                indices = rng.permutation(n)
            else:
                indices = range(n)
            for i in indices:
                yield dataset[int(i)]

        return batches()

    def peek(self) -> Any:
        return self.source[0]

    def on_epoch_end(self) -> None:
        self.source.on_epoch_end()


class TFDatasetAdapter(BatchAdapter):
    """A ``tf.data.Dataset`` of batches, read with ``as_numpy_iterator()`` (TensorFlow is used
    only through the object itself; jnet never imports it)."""

    kind = "tf.data.Dataset"

    def _cardinality(self) -> int:
        return int(self.source.cardinality())

    def _source_num_batches(self) -> int | None:
        n = self._cardinality()
        return n if n >= 0 else None

    def _new_iterator(self) -> Iterator[Any]:
        return iter(self.source.as_numpy_iterator())

    def peek(self) -> Any:
        return next(iter(self.source.take(1).as_numpy_iterator()))


def batch_adapter(
    x: Any,
    y: Any = None,
    sample_weight: Any = None,
    *,
    model: Any,
    targets: bool = True,
    class_weight: Mapping[int, float] | None = None,
    shuffle: bool = False,
    steps: int | None = None,
    steps_argument: str = "steps_per_epoch",
) -> BatchAdapter:
    """The adapter for a batch source ``x`` (see :func:`is_batch_source`), checked against
    ``model``; builds the model from the first batch when its input shape is unknown."""
    if _is_tf_dataset(x):
        kind: type[BatchAdapter] = TFDatasetAdapter
    elif _is_py_dataset(x):
        kind = PyDatasetAdapter
    elif hasattr(x, "__next__"):
        kind = GeneratorAdapter
    else:
        kind = IterableAdapter
    name = kind.kind
    for argument, value, what in (
        ("y", y, "targets"),
        ("sample_weight", sample_weight, "sample weights"),
    ):
        if value is not None:
            raise errors.JnetValueError(
                f"When x is a {name}, {argument} must not be given: the {what} come in its "
                f"batches, (x, y) or (x, y, sample_weight). Received {argument}="
                f"{errors.describe(value)}."
            )
    if class_weight is not None and kind in (GeneratorAdapter, IterableAdapter):
        raise errors.JnetValueError(
            f"class_weight is not supported when x is a {name}; yield (x, y, sample_weight) "
            f"batches instead."
        )
    if kind is TFDatasetAdapter and steps is None and int(x.cardinality()) == -1:
        raise errors.JnetValueError(
            f"x is an infinite tf.data.Dataset (built with .repeat()); pass {steps_argument} "
            f"so that an epoch ends."
        )
    if shuffle and kind is not PyDatasetAdapter:
        warnings.warn(
            f"`shuffle=True` was passed, but will be ignored since the data `x` was provided "
            f"as a {name}. The {name} is expected to yield already-shuffled data.",
            UserWarning,
            stacklevel=3,
        )
    checker = BatchChecker(model, targets=targets, class_weight=class_weight, source=name)
    # A PyDataset may say that it orders its own batches (jnet's timeseries datasets stand in for
    # Keras's tf.data ones, whose order fit never changes).
    reorder = kind is PyDatasetAdapter and getattr(x, "shuffle_batches", True)
    adapter = kind(x, steps=steps, shuffle=shuffle and reorder, checker=checker)
    if not model.built:
        checker(adapter.peek(), 0)
    return adapter

