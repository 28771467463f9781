"""Arrays that fit in memory: put on the device once, each dispatch a ``(k, batch)`` index array.

:class:`Chunk` is the one dispatch every adapter yields (the data, the row indices, the real
steps); :class:`ArrayAdapter` is the fast path of ``fit`` on arrays.

Example:
    >>> x = np.zeros((6, 2), np.float32)
    >>> [c.idx.tolist() for c in ArrayAdapter((x,), batch_size=4).epoch(k=1)]
    [[[0, 1, 2, 3]], [[0, 1]]]

The partial last batch (rows 4 and 5) comes with its own two rows, gathered on the host, so
its indices are 0 and 1.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jax
import numpy as np

from jnet.training import data as data_lib
from jnet.training import loop

__all__ = ["ArrayAdapter", "Chunk"]


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
        [((64, 4), 2), ((1, 2), 1)]
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
        """``steps_per_execution`` resolved: ``'auto'`` runs chunks of ``loop.CHUNK_STEPS``
        steps (whatever the epoch's length: the compiled chunk is reused by any length)."""
        if requested == "auto":
            return 1 if needs_batch_logs else loop.CHUNK_STEPS
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
        """The arrays on the device (copied there on first use, then kept), padded with zero
        rows to ``loop.padded_rows``: datasets of nearby lengths share compiled programs."""
        if self._device is None:
            rows = loop.padded_rows(self.num_samples)
            self._device = loop.to_device(self.arrays, keep=True, rows=rows)
        return self._device

    def epoch(self, k: int, rng: np.random.Generator | None = None) -> Iterator[Chunk]:
        """The epoch's dispatches: ``k`` batches each (a shorter last one padded to ``k``, its
        padding steps skipped: one compilation whatever the length), then the partial last
        batch alone."""
        self.device_data()
        plan = loop.plan_batches(
            self.num_samples, self.batch_size, k, self.shuffle, rng, self.steps
        )
        for idx in plan:
            steps, width = idx.shape
            if 1 < k != steps and width == self.batch_size:
                pad = np.broadcast_to(idx[:1], (k - steps, width))
                yield Chunk(self._device, np.concatenate([idx, pad]), steps, gated=True)
            elif (width != self.batch_size and self.num_samples > self.batch_size
                  and self._host_gather):  # a dataset of one batch keeps its device copy
                yield self._partial_batch(idx[0])
            else:
                yield Chunk(self._device, idx, steps)

    @property
    def _host_gather(self) -> bool:
        """Whether the partial last batch is gathered on the host: its compiled step then
        depends on its own rows only, not on the dataset's (padded) length."""
        return not loop.distributed() and all(
            isinstance(a, np.ndarray) for a in _leaves(self.arrays) if a is not None
        )

    def _partial_batch(self, rows: np.ndarray) -> Chunk:
        """The partial last batch's rows, gathered on the host and sent alone."""
        batch = data_lib.map_arrays(lambda a: a[rows], self.arrays)
        return Chunk(loop.to_device(batch), np.arange(len(rows), dtype=np.int32)[None], 1)

    def on_epoch_end(self) -> None:
        """Nothing to do for arrays."""

    def reset(self) -> None:
        """Nothing to do for arrays."""
