"""Sources of whole host batches: checked one by one, stacked into blocks of equal shapes.

:class:`BatchChecker` checks and casts each batch (naming its index when one is wrong);
:class:`BatchAdapter` is the base of the source kinds in :mod:`.sources`: Keras's
``EpochIterator`` rules for ``steps`` and exhaustion, and runs of equal-shaped batches stacked
into ``(k * batch, ...)`` blocks, each one scanned dispatch (a short block padded to ``k``).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import jax
import numpy as np

from jnet import errors
from jnet.training import data as data_lib
from jnet.training import inputs, loop
from jnet.training.data_adapters.array import Chunk, _leaves
from jnet.training.data_adapters.streaming import STREAM_CHUNK_BYTES
from jnet.training.inputs import InputSpec

__all__ = ["MAX_AUTO_STEPS", "OPTIONAL", "BatchAdapter", "BatchChecker"]

#: With ``steps_per_execution='auto'``, at most this many batches from a batch source per
#: dispatch.
MAX_AUTO_STEPS = 64

_PEEKED_BATCHES = 2  # Keras's NUM_BATCHES_FOR_TENSOR_SPEC: a generator is peeked this far

_RAN_OUT = (
    "Your input ran out of data; interrupting training. Make sure that your dataset or "
    "generator can generate at least `steps_per_epoch * epochs` batches. You may need to use "
    "the `.repeat()` function when building your dataset."
)



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


#: ``targets=OPTIONAL``: ``y`` read when a batch has one (a model's own ``train_step``).
OPTIONAL = "optional"


class BatchChecker:
    """Checks and casts host batches against a model's input spec, naming the batch when one
    is wrong.

    Shapes are checked against the model's input (the first batch builds a model without an
    input shape, through the spec's ``build`` hook); integer labels of sparse cross-entropies
    are range-checked a block at a time. ``class_weight`` becomes per-sample weights.

    Args:
        spec: the model's :class:`jnet.training.inputs.InputSpec`.
        targets: batches must carry ``y`` (``fit``, ``evaluate``); ``False`` for ``predict``;
            :data:`OPTIONAL` for a model whose own step reads the batch (``(x,)`` or ``x``
            alone is then passed on as it is).
        class_weight: ``{class: weight}`` or None.
        source: the input kind, for messages (``'generator'``).

    Example:
        >>> import jnet
        >>> spec = InputSpec(input_shapes=(None, 3), layer_name="dense", built=True,
        ...                  loss=jnet.losses.get("mse"), output_shape=(None, 1))
        >>> check = BatchChecker(spec, targets=True)
        >>> try:
        ...     check((np.ones((2, 4)), np.ones((2, 1))), 7)
        ... except ValueError as e:
        ...     print(str(e)[:44])
        Batch 7 from the generator: Input 0 of layer
    """

    def __init__(
        self,
        spec: InputSpec,
        *,
        targets: bool | str,
        class_weight: Mapping[int, float] | None = None,
        source: str = "generator",
    ):
        self.spec = spec
        self.targets = targets
        self.class_weight = class_weight
        self.source = source

    def _fail(self, index: int, error: Exception) -> Exception:
        return type(error)(f"Batch {index} from the {self.source}: {error}")

    def __call__(self, raw: Any, index: int) -> tuple[Any, ...]:
        """``(x, y, sample_weight)`` (``(x,)`` without targets) as checked numpy arrays."""
        batch = _standardize(raw, index, self.source)
        try:
            x, self.spec = inputs.prepare_x(batch[0], self.spec)
            if not self.targets:
                return (x,)
            if self.targets == OPTIONAL and (len(batch) < 2 or batch[1] is None) and (
                len(batch) < 3 or batch[2] is None
            ):
                return (x,)
            if len(batch) < 2 or batch[1] is None:
                raise errors.JnetValueError(
                    "it has no targets. fit and evaluate need (x, y) or (x, y, sample_weight) "
                    "batches."
                )
            sample_weight = batch[2] if len(batch) > 2 else None
            if self.spec.outputs is not None:  # several outputs
                y, sample_weight = inputs.prepare_targets(
                    x, batch[1], sample_weight, self.class_weight, self.spec
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
        if not self.targets or any(len(b) < 2 for b in batches):
            return
        self.spec = self.spec.complete()
        try:
            ys = [b[1] for b in batches]
            inputs.check_targets(
                ys[0] if len(ys) == 1 else jax.tree_util.tree_map(
                    lambda *a: np.concatenate(a), *ys
                ),
                self.spec,
            )
        except errors.JnetValueError:
            for offset, batch in enumerate(batches):
                try:
                    inputs.check_targets(batch[1], self.spec)
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
