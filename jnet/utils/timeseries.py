"""``timeseries_dataset_from_array``: sliding windows over an array, as Keras's function.

Keras (``keras/src/utils/timeseries_dataset_utils.py``) returns a ``tf.data.Dataset``; so does
jnet when TensorFlow is installed (built as Keras builds it, so ``.take()``, ``.map()`` and the
batches, shuffled ones included, are Keras's). Without TensorFlow (or with ``format="grain"``)
it returns a :class:`jnet.utils.Dataset` over a :class:`TimeseriesDataset`: the windows are
gathered in NumPy batch by batch (memory stays at one batch), in the same order as Keras's
when not shuffled, and each pass of a shuffled one draws a new order from the seed.
:func:`timeseries_windows` gives the :class:`TimeseriesDataset` itself (a
:class:`~jnet.utils.PyDataset`, indexable by batch).

Example:
    >>> from jnet.utils.timeseries import timeseries_windows
    >>> series = np.arange(10)
    >>> ds = timeseries_windows(series[:-3], series[3:], sequence_length=3, batch_size=4)
    >>> len(ds)
    2
    >>> x, y = ds[0]
    >>> x
    array([[0, 1, 2],
           [1, 2, 3],
           [2, 3, 4],
           [3, 4, 5]])
    >>> y
    array([3, 4, 5, 6])
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from jnet import errors
from jnet.utils.dataset import Dataset, tensorflow_module
from jnet.utils.py_dataset import PyDataset

__all__ = ["TimeseriesDataset", "timeseries_dataset_from_array", "timeseries_windows"]


def timeseries_dataset_from_array(
    data: Any,
    targets: Any,
    sequence_length: int,
    sequence_stride: int = 1,
    sampling_rate: int = 1,
    batch_size: int | None = 128,
    shuffle: bool = False,
    seed: int | None = None,
    start_index: int | None = None,
    end_index: int | None = None,
    format: str = "tf",
) -> Any:
    """Creates a dataset of sliding windows over a time series, as Keras's function does.

    Window ``k`` starts at ``p_k = start_index + k * sequence_stride`` and holds
    ``data[p_k], data[p_k + sampling_rate], ...`` (``sequence_length`` steps); its target is
    ``targets[p_k]``. Windows must end before ``end_index``.

    Args:
        data: an array (or list) of time steps; axis 0 is time.
        targets: ``targets[i]`` is the target of the window starting at ``i``, or ``None`` to
            yield inputs only.
        sequence_length: the number of time steps in each window.
        sequence_stride: the step between successive window starts. Defaults to ``1``.
        sampling_rate: the step between time steps within a window. Defaults to ``1``.
        batch_size: windows per batch (the last batch may be smaller). Defaults to ``128``;
            ``None`` yields single windows.
        shuffle: whether to shuffle the windows. Defaults to ``False`` (chronological).
        seed: the shuffling seed. Defaults to ``None``: drawn from NumPy's global generator,
            as Keras does (so ``jnet.utils.set_random_seed`` fixes it).
        start_index: data before this index is not used. Defaults to ``None`` (``0``).
        end_index: data from this index on is not used. Defaults to ``None`` (``len(data)``).
        format: ``"tf"`` (default: a ``tf.data.Dataset`` when TensorFlow is installed, else a
            :class:`jnet.utils.Dataset`) or ``"grain"`` (a :class:`jnet.utils.Dataset`).

    Returns:
        A dataset yielding ``(x, y)`` batches (``x`` alone when ``targets`` is ``None``),
        ``x`` of shape ``(batch, sequence_length) + data.shape[1:]``.

    Example:
        >>> ds = timeseries_dataset_from_array(np.arange(20.0), None, sequence_length=4,
        ...                                    sequence_stride=5, sampling_rate=2,
        ...                                    format="grain")  # no TensorFlow needed
        >>> next(ds.as_numpy_iterator())
        array([[ 0.,  2.,  4.,  6.],
               [ 5.,  7.,  9., 11.],
               [10., 12., 14., 16.]])
    """
    if format not in ("tf", "grain"):
        raise errors.JnetValueError(
            'timeseries_dataset_from_array: `format` should be either "tf" or "grain". '
            f"Received: format={format!r}"
        )
    if shuffle and seed is None:
        seed = np.random.randint(1e6)
    windows = timeseries_windows(data, targets, sequence_length, sequence_stride,
                                 sampling_rate, batch_size, shuffle, seed, start_index,
                                 end_index)
    tf = tensorflow_module() if format == "tf" else None
    if tf is not None:
        return _timeseries_tf(tf, windows, shuffle, seed)

    def passes():
        yield from windows
        windows.on_epoch_end()

    return Dataset(passes, len(windows))


def _timeseries_tf(tf: Any, windows: TimeseriesDataset, shuffle: bool, seed: Any) -> Any:
    # Keras's _timeseries_dataset_tf, step for step, on the checked arrays and positions.
    positions = windows.positions
    index_dtype = "int32" if len(positions) < 2147483647 else "int64"
    positions = positions.astype(index_dtype)
    start = windows.start_index
    end = windows.end_index
    length = tf.cast(windows.sequence_length, dtype=index_dtype)
    rate = tf.cast(windows.sampling_rate, dtype=index_dtype)
    positions_ds = tf.data.Dataset.from_tensors(positions).repeat()
    count = tf.data.Dataset.range(len(positions))

    def sequences(array: np.ndarray, indices: Any) -> Any:
        steps = tf.data.Dataset.from_tensors(array[start:end]).repeat()
        return tf.data.Dataset.zip((steps, indices)).map(
            lambda s, i: tf.gather(s, i), num_parallel_calls=tf.data.AUTOTUNE)

    indices = tf.data.Dataset.zip((count, positions_ds)).map(
        lambda i, p: tf.range(p[i], p[i] + length * rate, rate),
        num_parallel_calls=tf.data.AUTOTUNE)
    dataset = sequences(windows.data, indices)
    if windows.targets is not None:
        indices = tf.data.Dataset.zip((count, positions_ds)).map(
            lambda i, p: p[i], num_parallel_calls=tf.data.AUTOTUNE)
        dataset = tf.data.Dataset.zip((dataset, sequences(windows.targets, indices)))
    dataset = dataset.prefetch(tf.data.AUTOTUNE)
    batch_size = windows.batch_size
    if batch_size is not None:
        if shuffle:
            dataset = dataset.shuffle(buffer_size=batch_size * 8, seed=seed)
        return dataset.batch(batch_size)
    if shuffle:
        dataset = dataset.shuffle(buffer_size=1024, seed=seed)
    return dataset


def timeseries_windows(
    data: Any,
    targets: Any,
    sequence_length: int,
    sequence_stride: int = 1,
    sampling_rate: int = 1,
    batch_size: int | None = 128,
    shuffle: bool = False,
    seed: int | None = None,
    start_index: int | None = None,
    end_index: int | None = None,
) -> TimeseriesDataset:
    """The windows of :func:`timeseries_dataset_from_array` as a :class:`TimeseriesDataset`
    (a :class:`~jnet.utils.PyDataset`: ``ds[i]`` is batch ``i``), with the same arguments
    (``format`` aside).

    Window ``k`` starts at ``p_k = start_index + k * sequence_stride`` and holds
    ``data[p_k], data[p_k + sampling_rate], ...`` (``sequence_length`` steps); its target is
    ``targets[p_k]``. Windows must end before ``end_index``.

    Args:
        data: an array (or list) of time steps; axis 0 is time.
        targets: ``targets[i]`` is the target of the window starting at ``i``, or ``None`` to
            yield inputs only.
        sequence_length: the number of time steps in each window.
        sequence_stride: the step between successive window starts. Defaults to ``1``.
        sampling_rate: the step between time steps within a window. Defaults to ``1``.
        batch_size: windows per batch (the last batch may be smaller). Defaults to ``128``;
            ``None`` yields single windows.
        shuffle: whether to shuffle the windows. Defaults to ``False`` (chronological).
        seed: the shuffling seed. Defaults to ``None``: drawn from NumPy's global generator,
            as Keras does (so ``jnet.utils.set_random_seed`` fixes it).
        start_index: data before this index is not used. Defaults to ``None`` (``0``).
        end_index: data from this index on is not used. Defaults to ``None`` (``len(data)``).

    Returns:
        A :class:`TimeseriesDataset` yielding ``(x, y)`` batches of NumPy arrays (``x`` alone
        when ``targets`` is ``None``), ``x`` of shape
        ``(batch, sequence_length) + data.shape[1:]``.

    Example:
        >>> ds = timeseries_windows(np.arange(20.0), None, sequence_length=4,
        ...                         sequence_stride=5, sampling_rate=2)
        >>> ds[0]
        array([[ 0.,  2.,  4.,  6.],
               [ 5.,  7.,  9., 11.],
               [10., 12., 14., 16.]])
    """
    data = _as_array(data, "data")
    if targets is not None:
        targets = _as_array(targets, "targets")
    n = len(data)
    _check_int(sequence_length, "sequence_length", minimum=1)
    _check_int(sequence_stride, "sequence_stride", minimum=1)
    _check_int(sampling_rate, "sampling_rate", minimum=1)
    if batch_size is not None:
        _check_int(batch_size, "batch_size", minimum=1)
    if start_index is not None:
        _check_int(start_index, "start_index", minimum=0)
        if start_index >= n:
            raise errors.JnetValueError(
                "timeseries_dataset_from_array: `start_index` must be lower than the length "
                f"of the data, received start_index={start_index} for data of length {n}."
            )
    if end_index is not None:
        _check_int(end_index, "end_index", minimum=1)
        if start_index and end_index <= start_index:
            raise errors.JnetValueError(
                "timeseries_dataset_from_array: `end_index` must be higher than "
                f"`start_index`, received start_index={start_index}, end_index={end_index}."
            )
        if end_index >= n:
            raise errors.JnetValueError(
                "timeseries_dataset_from_array: `end_index` must be lower than the length of "
                f"the data, received end_index={end_index} for data of length {n}. Leave it "
                "None to use all the data."
            )
    for name, value in (("sampling_rate", sampling_rate), ("sequence_stride", sequence_stride)):
        if value >= n:
            raise errors.JnetValueError(
                f"timeseries_dataset_from_array: `{name}` must be lower than the length of "
                f"the data, received {name}={value} for data of length {n}."
            )

    start = 0 if start_index is None else int(start_index)
    end = n if end_index is None else int(end_index)
    num_seqs = end - start - (sequence_length - 1) * sampling_rate
    if targets is not None:
        # Keras clips to len(targets) and then gathers from targets[start:end]; clipping to
        # that slice's length keeps every target index valid (Keras would fail on them).
        num_seqs = min(num_seqs, len(targets[start:end]))
    positions = np.arange(0, max(num_seqs, 0), sequence_stride, dtype=np.int64)
    rng = None
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        rng = np.random.RandomState(seed)
        rng.shuffle(positions)
    return TimeseriesDataset(
        data=data,
        targets=targets,
        positions=positions,
        sequence_length=int(sequence_length),
        sampling_rate=int(sampling_rate),
        batch_size=None if batch_size is None else int(batch_size),
        start_index=start,
        rng=rng,
        end_index=end,
    )


class TimeseriesDataset(PyDataset):
    """The windows ``timeseries_dataset_from_array`` returns: a sequence of NumPy batches.

    ``ds[i]`` is batch ``i`` (``(x, y)``, or ``x`` without targets), ``len(ds)`` the number of
    batches, and iterating yields them in order. With ``shuffle=True`` the window order is
    reshuffled (from the seed's generator) at each ``on_epoch_end``. Like the ``tf.data``
    dataset Keras returns, its batch order is its own: ``fit(shuffle=True)`` leaves it alone.

    Args:
        data: the time steps (axis 0 is time).
        targets: the per-start-position targets, or ``None``.
        positions: the window start offsets (relative to ``start_index``), in yield order.
        sequence_length: the number of steps per window.
        sampling_rate: the step between a window's time steps.
        batch_size: windows per batch, or ``None`` for single windows.
        start_index: the offset of position 0 in ``data`` and ``targets``.
        rng: the ``RandomState`` that reshuffles ``positions`` at each epoch end, or ``None``.
        end_index: the end of the data used (default ``len(data)``).

    Example:
        >>> ds = TimeseriesDataset(np.arange(6), None, positions=np.array([0, 2]),
        ...                        sequence_length=3, sampling_rate=1, batch_size=None)
        >>> [w.tolist() for w in ds]
        [[0, 1, 2], [2, 3, 4]]
    """

    shuffle_batches = False  # fit never reorders Keras's tf.data windows either

    def __init__(
        self,
        data: np.ndarray,
        targets: np.ndarray | None,
        positions: np.ndarray,
        sequence_length: int,
        sampling_rate: int,
        batch_size: int | None,
        start_index: int = 0,
        rng: np.random.RandomState | None = None,
        end_index: int | None = None,
    ):
        super().__init__()
        self.data = data
        self.targets = targets
        self.positions = np.asarray(positions, dtype=np.int64)
        self.sequence_length = sequence_length
        self.sampling_rate = sampling_rate
        self.batch_size = batch_size
        self.start_index = start_index
        self.end_index = len(data) if end_index is None else end_index
        self._rng = rng
        self._offsets = np.arange(sequence_length, dtype=np.int64) * sampling_rate

    def __len__(self) -> int:
        windows = len(self.positions)
        if self.batch_size is None:
            return windows
        return -(-windows // self.batch_size)

    def __getitem__(self, index: int) -> Any:
        count = len(self)
        if isinstance(index, bool) or not isinstance(index, int | np.integer):
            raise errors.JnetTypeError(
                f"{type(self).__name__} index must be an integer, received {index!r}."
            )
        if not -count <= index < count:
            raise IndexError(
                f"{type(self).__name__} index {index} out of range for {count} batches."
            )
        index = int(index) % count
        if self.batch_size is None:
            starts = self.positions[index] + self.start_index
        else:
            starts = self.positions[index * self.batch_size : (index + 1) * self.batch_size]
            starts = starts + self.start_index
        x = self.data[np.expand_dims(starts, -1) + self._offsets]
        if self.targets is None:
            return x
        return x, self.targets[starts]

    def __iter__(self) -> Iterator[Any]:
        for index in range(len(self)):
            yield self[index]

    def on_epoch_end(self) -> None:
        """Reshuffles the windows when the dataset was made with ``shuffle=True``."""
        if self._rng is not None:
            self._rng.shuffle(self.positions)


def _as_array(value: Any, name: str) -> np.ndarray:
    if isinstance(value, np.ndarray):
        return value
    if not hasattr(value, "__len__"):
        raise errors.JnetTypeError(
            f"timeseries_dataset_from_array: `{name}` must be an array with time on axis 0, "
            f"received {errors.describe(value)}."
        )
    array = np.asarray(value)
    if not hasattr(value, "dtype"):
        # Python lists become tensors as TensorFlow converts them: float32 and int32.
        if array.dtype == np.float64:
            array = array.astype(np.float32)
        elif array.dtype == np.int64:
            array = array.astype(np.int32)
    if array.ndim == 0:
        raise errors.JnetValueError(
            f"timeseries_dataset_from_array: `{name}` must have a time axis, received a scalar."
        )
    return array


def _check_int(value: Any, name: str, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise errors.JnetValueError(
            f"timeseries_dataset_from_array: `{name}` must be an integer >= {minimum}, "
            f"received {name}={value!r}."
        )
