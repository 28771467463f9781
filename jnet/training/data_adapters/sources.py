"""The kinds of batch source: generator, re-iterable, ``PyDataset``, ``tf.data.Dataset`` and
jnet's own :class:`jnet.utils.Dataset`.

Each is a :class:`jnet.training.data_adapters.batches.BatchAdapter` that says how to start a
fresh pass over its batches, how to peek at the first one and, when it knows, how many there are.

Example:
    >>> data = IterableAdapter([(np.ones((2, 1), np.float32),)] * 3)
    >>> data.num_batches
    3
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import numpy as np

from jnet import errors
from jnet.training.data_adapters.batches import BatchAdapter
from jnet.utils.dataset import Dataset
from jnet.utils.py_dataset import PyDataset

__all__ = [
    "DatasetAdapter",
    "GeneratorAdapter",
    "IterableAdapter",
    "PyDatasetAdapter",
    "TFDatasetAdapter",
]

_PEEKED_BATCHES = 2  # Keras's NUM_BATCHES_FOR_TENSOR_SPEC: a generator is peeked this far

def _is_tf_dataset(x: Any) -> bool:
    # Detected by module name: TensorFlow is never imported here.
    return type(x).__module__.startswith("tensorflow") and hasattr(x, "as_numpy_iterator")


def _is_jnet_dataset(x: Any) -> bool:
    return isinstance(x, Dataset)


def _is_py_dataset(x: Any) -> bool:
    return isinstance(x, PyDataset) or any(
        c.__name__ == "PyDataset" for c in type(x).__mro__
    )


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



class DatasetAdapter(IterableAdapter):
    """A :class:`jnet.utils.Dataset` of batches (what the ``*_dataset_from_directory``
    functions return without TensorFlow): each pass is ``iter(dataset)``, its length the
    dataset's cardinality when known."""

    kind = "jnet.utils.Dataset"

    def _source_num_batches(self) -> int | None:
        n = int(self.source.cardinality())
        return n if n >= 0 else None
