"""jnet's dataset: the ``tf.data.Dataset`` methods Keras programs call, in NumPy, for when
TensorFlow is not installed.

Keras's ``image_dataset_from_directory`` and its siblings return a ``tf.data.Dataset``; jnet
returns one too when TensorFlow is importable (:func:`tensorflow_module`), and otherwise a
:class:`Dataset`: a re-iterable pipeline of NumPy elements with ``batch``, ``unbatch``,
``padded_batch``, ``map``, ``filter``, ``shuffle``, ``cache``, ``prefetch``, ``take``,
``skip``, ``repeat``, ``zip``, ``concatenate``, ``enumerate``, ``as_numpy_iterator``,
``len()`` and ``cardinality()``, and the
``class_names``/``file_paths`` attributes the directory loaders set. ``fit``, ``evaluate``
and ``predict`` take it as they take a ``tf.data.Dataset``.

Each method returns a new dataset; nothing runs until the dataset is iterated, and each
iteration is a fresh pass (``shuffle`` draws a new order per pass unless
``reshuffle_each_iteration=False``; ``cache`` keeps the first full pass).

Example:
    >>> ds = Dataset.from_tensor_slices((np.arange(5), np.arange(5) * 10))
    >>> ds = ds.map(lambda x, y: (x + 1, y)).batch(2)
    >>> len(ds), [x.tolist() for x, _ in ds]
    (3, [[1, 2], [3, 4], [5]])
"""

from __future__ import annotations

import importlib
import importlib.util
import itertools
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np

from jnet import errors

__all__ = ["INFINITE", "UNKNOWN", "Dataset", "tensorflow_module"]

INFINITE = -1  # tf.data.INFINITE_CARDINALITY
UNKNOWN = -2  # tf.data.UNKNOWN_CARDINALITY

# Tests set this to True to take the path of a machine without TensorFlow.
FORCE_NO_TENSORFLOW = False


def tensorflow_module() -> Any:
    """TensorFlow, imported, when it is installed (and not switched off by
    ``FORCE_NO_TENSORFLOW``); ``None`` otherwise.

    Example:
        >>> import jnet.utils.dataset as dataset_module
        >>> dataset_module.FORCE_NO_TENSORFLOW = True
        >>> tensorflow_module() is None
        True
        >>> dataset_module.FORCE_NO_TENSORFLOW = False
    """
    if FORCE_NO_TENSORFLOW or importlib.util.find_spec("tensorflow") is None:
        return None
    return importlib.import_module("tensorflow")


def _map_structure(fn: Callable[..., Any], *trees: Any) -> Any:
    first = trees[0]
    if isinstance(first, tuple):
        return tuple(_map_structure(fn, *parts) for parts in zip(*trees, strict=True))
    if isinstance(first, Mapping):
        return {k: _map_structure(fn, *(t[k] for t in trees)) for k in first}
    return fn(*trees)


def _stack(elements: list[Any]) -> Any:
    def stack(*leaves: Any) -> np.ndarray:
        if isinstance(leaves[0], bytes | str):
            out = np.empty(len(leaves), dtype=object)
            out[:] = leaves
            return out
        return np.stack([np.asarray(leaf) for leaf in leaves])

    return _map_structure(stack, *elements)


def _pad_stack(elements: list[Any], padding_values: Any) -> Any:
    def pad(*leaves: Any) -> np.ndarray:
        arrays = [np.asarray(leaf) for leaf in leaves]
        shape = np.max([a.shape for a in arrays], axis=0) if arrays[0].ndim else ()
        out = np.full((len(arrays), *shape), 0 if padding_values is None else padding_values,
                      arrays[0].dtype)
        for i, a in enumerate(arrays):
            out[(i, *(slice(0, n) for n in a.shape))] = a
        return out

    return _map_structure(pad, *elements)


def _first_length(batch: Any) -> int:
    while isinstance(batch, tuple | Mapping):
        batch = batch[0] if isinstance(batch, tuple) else next(iter(batch.values()))
    return len(batch)


def _call(fn: Callable[..., Any], element: Any) -> Any:
    return fn(*element) if isinstance(element, tuple) else fn(element)


def _check_count(value: Any, argument: str, owner: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise errors.JnetValueError(
            f"Dataset.{owner}: `{argument}` must be an integer >= {minimum}, received "
            f"{argument}={value!r}."
        )
    return int(value)


class Dataset:
    """A re-iterable pipeline of NumPy elements with ``tf.data.Dataset``'s methods.

    Build one with :meth:`from_tensor_slices` (or from a function that starts a pass); each
    method returns a new dataset.

    Args:
        make_iterator: a function of no argument that starts a new pass over the elements.
        cardinality: the number of elements, :data:`INFINITE` or :data:`UNKNOWN`.

    Example:
        >>> ds = Dataset(lambda: iter(range(4)), cardinality=4)
        >>> list(ds.skip(1).take(2).as_numpy_iterator())
        [1, 2]
        >>> ds.repeat().cardinality() == INFINITE
        True
    """

    def __init__(self, make_iterator: Callable[[], Iterator[Any]], cardinality: int = UNKNOWN):
        self._make_iterator = make_iterator
        self._cardinality = int(cardinality)
        self._batch_size: int | None = None

    # -- building -------------------------------------------------------------------------
    @staticmethod
    def from_tensor_slices(tensors: Any) -> Dataset:
        """A dataset of the slices of ``tensors`` (an array, or a tuple/dict of arrays of the
        same length) along their first axis; a list of strings gives ``bytes`` elements, as
        ``tf.data`` does.

        Example:
            >>> [x.tolist() for x in Dataset.from_tensor_slices(np.eye(2))]
            [[1.0, 0.0], [0.0, 1.0]]
        """
        def as_array(leaf: Any) -> np.ndarray:
            if isinstance(leaf, list) and leaf and isinstance(leaf[0], bytes | str):
                # strings become bytes, as tf.string elements read back from tf.data
                out = np.empty(len(leaf), dtype=object)
                out[:] = [v.encode() if isinstance(v, str) else v for v in leaf]
                return out
            return np.asarray(leaf)

        arrays = _map_structure(as_array, tensors)
        lengths: set[int] = set()
        _map_structure(lambda a: lengths.add(len(a)) if a.ndim else lengths.add(-1), arrays)
        if len(lengths) != 1 or -1 in lengths:
            raise errors.JnetValueError(
                "Dataset.from_tensor_slices: `tensors` must be arrays (or a tuple/dict of "
                f"arrays) with the same length on axis 0, received lengths {sorted(lengths)}."
            )
        n = lengths.pop()

        def iterate() -> Iterator[Any]:
            for i in range(n):
                yield _map_structure(lambda a, i=i: a[i], arrays)

        return Dataset(iterate, n)

    @staticmethod
    def zip(*datasets: Any, name: str | None = None) -> Dataset:
        """A dataset of tuples of the elements of ``datasets`` (a tuple of them, or several
        arguments), as long as the shortest.

        Example:
            >>> a = Dataset.from_tensor_slices(np.arange(3))
            >>> [(int(x), int(y)) for x, y in Dataset.zip((a, a.skip(1)))]
            [(0, 1), (1, 2)]
        """
        if len(datasets) == 1 and isinstance(datasets[0], tuple):
            datasets = datasets[0]
        sizes = [d.cardinality() for d in datasets]
        finite = [n for n in sizes if n >= 0]
        if UNKNOWN in sizes:
            n = UNKNOWN
        else:
            n = min(finite) if finite else INFINITE
        return Dataset(lambda: zip(*datasets, strict=False), n)  # the shortest ends it

    def concatenate(self, dataset: Dataset, name: str | None = None) -> Dataset:
        """This dataset's elements, then those of ``dataset``."""
        source = self
        a, b = self._cardinality, dataset.cardinality()
        if INFINITE in (a, b):
            n = INFINITE
        else:
            n = a + b if a >= 0 and b >= 0 else UNKNOWN
        return Dataset(lambda: itertools.chain(source, dataset), n)

    def enumerate(self, start: int = 0, name: str | None = None) -> Dataset:
        """``(index, element)`` pairs, the index counting from ``start``."""
        source = self
        return Dataset(lambda: ((np.int64(i), e) for i, e in enumerate(source, start)),
                       self._cardinality)

    # -- reading --------------------------------------------------------------------------
    def __iter__(self) -> Iterator[Any]:
        return iter(self._make_iterator())

    def as_numpy_iterator(self) -> Iterator[Any]:
        """Iterates over the elements (NumPy arrays, as ``tf.data``'s method returns)."""
        return iter(self)

    def cardinality(self) -> int:
        """The number of elements: an int, or :data:`INFINITE` (-1) / :data:`UNKNOWN` (-2)."""
        return self._cardinality

    def __len__(self) -> int:
        if self._cardinality == INFINITE:
            raise TypeError("The dataset is infinite.")
        if self._cardinality == UNKNOWN:
            raise TypeError("The dataset length is unknown.")
        return self._cardinality

    def __repr__(self) -> str:
        return f"<jnet.utils.Dataset cardinality={self._cardinality}>"

    # -- transformations ------------------------------------------------------------------
    def map(self, map_func: Callable[..., Any], num_parallel_calls: Any = None,
            deterministic: Any = None, name: str | None = None) -> Dataset:
        """Applies ``map_func`` to each element (a tuple element is passed as arguments)."""
        source = self

        def iterate() -> Iterator[Any]:
            for element in source:
                yield _call(map_func, element)

        return Dataset(iterate, self._cardinality)

    def filter(self, predicate: Callable[..., Any], name: str | None = None) -> Dataset:
        """Keeps the elements for which ``predicate`` is true."""
        source = self
        return Dataset(lambda: (e for e in source if bool(_call(predicate, e))), UNKNOWN)

    def batch(self, batch_size: int, drop_remainder: bool = False,
              num_parallel_calls: Any = None, deterministic: Any = None,
              name: str | None = None) -> Dataset:
        """Stacks ``batch_size`` consecutive elements (the last batch may be smaller unless
        ``drop_remainder``)."""
        batch_size = _check_count(batch_size, "batch_size", "batch", 1)
        return self._batched(batch_size, drop_remainder, _stack)

    def padded_batch(self, batch_size: int, padded_shapes: Any = None,
                     padding_values: Any = None, drop_remainder: bool = False,
                     name: str | None = None) -> Dataset:
        """Batches elements of different shapes, padding each to the batch's largest (with
        ``padding_values``, 0 by default)."""
        batch_size = _check_count(batch_size, "batch_size", "padded_batch", 1)
        if padded_shapes is not None:
            raise errors.JnetValueError(
                "Dataset.padded_batch: only padded_shapes=None (pad to the batch's largest "
                f"element) is supported, received padded_shapes={padded_shapes!r}."
            )
        return self._batched(batch_size, drop_remainder,
                             lambda elements: _pad_stack(elements, padding_values))

    def _batched(self, batch_size: int, drop_remainder: bool,
                 combine: Callable[[list[Any]], Any]) -> Dataset:
        source = self

        def iterate() -> Iterator[Any]:
            iterator = iter(source)
            while chunk := list(itertools.islice(iterator, batch_size)):
                if len(chunk) < batch_size and drop_remainder:
                    return
                yield combine(chunk)

        n = self._cardinality
        if n >= 0:
            n = n // batch_size if drop_remainder else -(-n // batch_size)
        batched = Dataset(iterate, n)
        batched._batch_size = batch_size  # split_dataset unbatches and rebatches, as Keras
        return batched

    def unbatch(self, name: str | None = None) -> Dataset:
        """Splits each batch into its elements."""
        source = self

        def iterate() -> Iterator[Any]:
            for batch in source:
                for i in range(_first_length(batch)):
                    yield _map_structure(lambda a, i=i: a[i], batch)

        return Dataset(iterate, INFINITE if self._cardinality == INFINITE else UNKNOWN)

    def shuffle(self, buffer_size: int, seed: int | None = None,
                reshuffle_each_iteration: bool = True, name: str | None = None) -> Dataset:
        """Shuffles with a buffer of ``buffer_size`` elements, as ``tf.data`` does: each
        element yielded is drawn at random from the buffer, which the next element refills.
        ``seed`` fixes the sequence of orders; each pass draws a new order unless
        ``reshuffle_each_iteration=False``."""
        buffer_size = _check_count(buffer_size, "buffer_size", "shuffle", 1)
        source = self
        seeds = np.random.RandomState(seed)
        fixed = int(seeds.randint(2**31 - 1))

        def iterate() -> Iterator[Any]:
            rng = np.random.RandomState(
                int(seeds.randint(2**31 - 1)) if reshuffle_each_iteration else fixed)
            buffer: list[Any] = []
            for element in source:
                buffer.append(element)
                if len(buffer) == buffer_size:
                    i = rng.randint(len(buffer))
                    buffer[i], buffer[-1] = buffer[-1], buffer[i]
                    yield buffer.pop()
            while buffer:
                i = rng.randint(len(buffer))
                buffer[i], buffer[-1] = buffer[-1], buffer[i]
                yield buffer.pop()

        return Dataset(iterate, self._cardinality)

    def cache(self, filename: str = "", name: str | None = None) -> Dataset:
        """Keeps the elements of the first complete pass in memory (``filename`` is not
        supported: the cache is in memory)."""
        if filename:
            raise errors.JnetValueError(
                "Dataset.cache: only the in-memory cache (filename='') is supported, received "
                f"filename={filename!r}."
            )
        source = self
        stored: list[Any] = []
        complete = [False]

        def iterate() -> Iterator[Any]:
            if complete[0]:
                yield from stored
                return
            seen: list[Any] = []
            for element in source:
                seen.append(element)
                yield element
            stored[:] = seen
            complete[0] = True

        return Dataset(iterate, self._cardinality)

    def prefetch(self, buffer_size: Any = None, name: str | None = None) -> Dataset:
        """The same elements (the pipeline runs in the calling thread)."""
        return Dataset(self._make_iterator, self._cardinality)

    def take(self, count: int, name: str | None = None) -> Dataset:
        """The first ``count`` elements (all of them for ``count=-1``)."""
        count = _check_count(count, "count", "take", -1)
        if count == -1:
            return Dataset(self._make_iterator, self._cardinality)
        source = self
        n = self._cardinality
        n = count if n == INFINITE else (min(n, count) if n >= 0 else UNKNOWN)
        return Dataset(lambda: itertools.islice(iter(source), count), n)

    def skip(self, count: int, name: str | None = None) -> Dataset:
        """All but the first ``count`` elements (none for ``count=-1``)."""
        count = _check_count(count, "count", "skip", -1)
        source = self
        n = self._cardinality
        if count == -1:
            return Dataset(lambda: iter(()), 0 if n != INFINITE else INFINITE)
        if n >= 0:
            n = max(n - count, 0)
        return Dataset(lambda: itertools.islice(iter(source), count, None), n)

    def repeat(self, count: int | None = None, name: str | None = None) -> Dataset:
        """The elements ``count`` times over (forever for ``None`` or -1)."""
        if count is not None:
            count = _check_count(count, "count", "repeat", -1)
        forever = count is None or count == -1
        source = self

        def iterate() -> Iterator[Any]:
            for _ in itertools.count() if forever else range(count):
                yield from source

        n = self._cardinality
        if n == 0 or count == 0:
            n = 0
        elif forever:
            n = INFINITE
        elif n >= 0:
            n = n * count
        return Dataset(iterate, n)
