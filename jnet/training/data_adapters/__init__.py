"""Data adapters: every kind of input ``fit``/``evaluate``/``predict`` accept, as dispatches.

As Keras's ``trainers/data_adapters/``, one module per kind of input: ``array`` (in memory),
``streaming`` (memmaps and arrays too big to copy), ``batches`` (the checks and stacking of
host batches) and ``sources`` (generator, iterable, ``PyDataset``, ``tf.data``). This module is
the factory: :func:`get_data_adapter` and its parts (:func:`array_adapter`,
:func:`batch_adapter`, :func:`is_batch_source`, :func:`should_stream`). The adapters never see
the model: they check data against the input spec of :mod:`jnet.training.inputs`.

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
  :class:`TFDatasetAdapter`, :class:`DatasetAdapter` (a :class:`jnet.utils.Dataset`):
  sources of whole host batches (``(x, y)``, ``(x, y, sample_weight)``, or ``x`` for
  ``predict``). Each batch is checked against the model (naming
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

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import jax
import numpy as np

from jnet import errors
from jnet.training import inputs
from jnet.training.data_adapters.array import ArrayAdapter, Chunk
from jnet.training.data_adapters.batches import (
    MAX_AUTO_STEPS,
    OPTIONAL,
    BatchAdapter,
    BatchChecker,
)
from jnet.training.data_adapters.sources import (
    DatasetAdapter,
    GeneratorAdapter,
    IterableAdapter,
    PyDatasetAdapter,
    TFDatasetAdapter,
    _is_jnet_dataset,
    _is_py_dataset,
    _is_tf_dataset,
)
from jnet.training.data_adapters.streaming import (
    STREAM_CHUNK_BYTES,
    STREAM_THRESHOLD_BYTES,
    StreamingArrayAdapter,
    should_stream,
)
from jnet.training.inputs import InputSpec

__all__ = [
    "MAX_AUTO_STEPS",
    "OPTIONAL",
    "STREAM_CHUNK_BYTES",
    "STREAM_THRESHOLD_BYTES",
    "ArrayAdapter",
    "BatchAdapter",
    "BatchChecker",
    "Chunk",
    "DatasetAdapter",
    "GeneratorAdapter",
    "IterableAdapter",
    "PyDatasetAdapter",
    "StreamingArrayAdapter",
    "TFDatasetAdapter",
    "array_adapter",
    "batch_adapter",
    "get_data_adapter",
    "is_batch_source",
    "should_stream",
    "unpack_validation",
]


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


def is_batch_source(x: Any) -> bool:
    """Whether ``x`` yields whole batches (generator, iterator, iterable, ``PyDataset``,
    ``tf.data.Dataset``) rather than being array data.

    Example:
        >>> is_batch_source(iter([])), is_batch_source([1.0, 2.0])
        (True, False)
    """
    if x is None or isinstance(x, np.ndarray | jax.Array | list | tuple | str | bytes | Mapping):
        return False
    if _is_tf_dataset(x) or _is_py_dataset(x) or _is_jnet_dataset(x):
        return True
    if hasattr(x, "__array__") or hasattr(x, "__array_interface__"):
        return False  # array-likes (pandas, torch tensors) are arrays
    return hasattr(x, "__iter__") or hasattr(x, "__next__")


def batch_adapter(
    x: Any,
    y: Any = None,
    sample_weight: Any = None,
    *,
    spec: InputSpec,
    targets: bool | str = True,
    class_weight: Mapping[int, float] | None = None,
    shuffle: bool = False,
    steps: int | None = None,
    steps_argument: str = "steps_per_epoch",
) -> BatchAdapter:
    """The adapter for a batch source ``x`` (see :func:`is_batch_source`), checked against
    the model's input ``spec``; the first batch builds a model whose input shape is unknown
    (the spec's ``build`` hook)."""
    if _is_tf_dataset(x):
        kind: type[BatchAdapter] = TFDatasetAdapter
    elif _is_jnet_dataset(x):
        kind = DatasetAdapter
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
    if kind in (TFDatasetAdapter, DatasetAdapter) and steps is None and int(
            x.cardinality()) == -1:
        raise errors.JnetValueError(
            f"x is an infinite {name} (built with .repeat()); pass {steps_argument} "
            f"so that an epoch ends."
        )
    if shuffle and kind is not PyDatasetAdapter:
        warnings.warn(
            f"`shuffle=True` was passed, but will be ignored since the data `x` was provided "
            f"as a {name}. The {name} is expected to yield already-shuffled data.",
            UserWarning,
            stacklevel=4,
        )
    checker = BatchChecker(spec, targets=targets, class_weight=class_weight, source=name)
    # A PyDataset may say that it orders its own batches (jnet's timeseries datasets stand in for
    # Keras's tf.data ones, whose order fit never changes).
    reorder = kind is PyDatasetAdapter and getattr(x, "shuffle_batches", True)
    adapter = kind(x, steps=steps, shuffle=shuffle and reorder, checker=checker)
    if not spec.built:
        checker(adapter.peek(), 0)
    return adapter


def get_data_adapter(
    x: Any,
    y: Any = None,
    sample_weight: Any = None,
    *,
    spec: InputSpec,
    batch_size: int,
    steps: int | None = None,
    shuffle: bool = False,
    class_weight: Mapping[int, float] | None = None,
    targets: bool | str = True,
    steps_argument: str = "steps_per_epoch",
) -> ArrayAdapter | BatchAdapter:
    """The adapter for what was passed to fit/evaluate/predict (Keras's ``get_data_adapter``):
    arrays are checked here against the model's input ``spec`` (see
    :mod:`jnet.training.inputs`), the batches of a batch source as they arrive.

    Args:
        x, y, sample_weight: as given to ``fit`` (``y`` and ``sample_weight`` None for a batch
            source, which carries them in its batches).
        spec: the model's input spec.
        batch_size: rows per batch of arrays.
        steps: ``steps_per_epoch`` / ``steps`` / ``validation_steps`` (named by
            ``steps_argument`` in messages).
        shuffle: reshuffle the rows (or a ``PyDataset``'s batches) every epoch.
        class_weight: ``{class: weight}``, or None.
        targets: ``False`` for ``predict``: only ``x`` is read; ``'optional'`` for a model
            whose own ``train_step``/``test_step`` reads the batch (Keras's GAN and VAE
            examples call ``fit(x)``): ``y`` is read when given, else batches are ``(x,)``.
    """
    if is_batch_source(x):
        return batch_adapter(
            x, y, sample_weight, spec=spec, targets=targets, class_weight=class_weight,
            shuffle=shuffle, steps=steps, steps_argument=steps_argument,
        )
    stream = should_stream(x, y, sample_weight)
    if targets == OPTIONAL and y is None and sample_weight is None and class_weight is None:
        targets = False
    if targets:
        arrays = inputs.prepare(x, y, sample_weight, class_weight, spec, convert=not stream)
    else:
        arrays = (inputs.prepare_x(x, spec, convert=not stream)[0],)
    return array_adapter(
        arrays, batch_size=batch_size, steps=steps, shuffle=shuffle, stream=stream
    )


def unpack_validation(validation_data: Any) -> tuple[Any, ...]:
    """``fit``'s ``validation_data`` as the arguments of :func:`get_data_adapter`: ``(x_val,
    y_val[, sample_weight_val])``, or ``(source,)`` for a batch source.

    Example:
        >>> len(unpack_validation((np.ones(2), np.ones(2))))
        2
    """
    if isinstance(validation_data, tuple | list) and len(validation_data) in (2, 3):
        return tuple(validation_data)
    if is_batch_source(validation_data):
        return (validation_data,)
    raise errors.JnetValueError(
        "validation_data must be a tuple (x_val, y_val) or (x_val, y_val, sample_weight_val), "
        "or a generator, PyDataset or tf.data.Dataset of such batches, received "
        f"{errors.describe(validation_data)}."
    )

