"""``audio_dataset_from_directory``: a dataset of ``.wav`` clips and labels from a folder of
class folders, as Keras's (``keras/src/utils/audio_dataset_utils.py``).

With TensorFlow installed the result is Keras's ``tf.data.Dataset`` (``tf.audio.decode_wav``);
without it a :class:`jnet.utils.Dataset` decoding 16-bit PCM with Python's ``wave`` module to
the same float32 ``(samples, channels)`` arrays (``sample / 32768``). Batches of clips of
different lengths are zero-padded to the longest (``padded_batch``), unless
``output_sequence_length`` pads or cuts every clip to one length.

The example is in :func:`audio_dataset_from_directory`.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import wave
from collections.abc import Sequence
from typing import Any

import numpy as np

from jnet import errors
from jnet.utils import _directory
from jnet.utils.dataset import Dataset, tensorflow_module

__all__ = ["ALLOWED_FORMATS", "audio_dataset_from_directory", "read_wav"]

ALLOWED_FORMATS = (".wav",)
_OWNER = "audio_dataset_from_directory"


def audio_dataset_from_directory(
    directory: Any,
    labels: Any = "inferred",
    label_mode: str | None = "int",
    class_names: Sequence[str] | None = None,
    batch_size: int | None = 32,
    sampling_rate: int | None = None,
    output_sequence_length: int | None = None,
    ragged: bool = False,
    shuffle: bool = True,
    seed: int | None = None,
    validation_split: float | None = None,
    subset: str | None = None,
    follow_links: bool = False,
    verbose: bool = True,
) -> Any:
    """Generates a dataset from ``.wav`` files in a directory, as Keras's function.

    Args:
        directory: the folder (one subfolder per class with ``labels="inferred"``).
        labels: ``"inferred"``, ``None`` (no labels), or a list/tuple of integer labels, one
            per audio file in the sorted order of their paths.
        label_mode: ``"int"``, ``"categorical"``, ``"binary"`` or ``None`` (no labels).
        class_names: with ``labels="inferred"``, the class folders to use, in label order.
        batch_size: clips per batch (default 32); ``None`` yields single clips.
        sampling_rate: resample every clip to this rate (needs ``tensorflow_io``, as in
            Keras). Default ``None``: the files' own rate.
        output_sequence_length: pad (with zeros) or cut every clip to this many samples.
            Default ``None``: clips of a batch are padded to its longest.
        ragged: yield ragged tensors of the clips' own lengths (TensorFlow only).
        shuffle: shuffle the files (default ``True``); ``False`` keeps alphanumeric order.
        seed: the seed of the shuffles and of the validation split.
        validation_split: the fraction of the files kept for validation.
        subset: ``"training"``, ``"validation"`` or ``"both"`` (a pair of datasets).
        follow_links: visit subfolders that are symbolic links. Default ``False``.
        verbose: print the number of files and classes found. Default ``True``.

    Returns:
        A dataset yielding ``(audio, labels)`` batches (``audio`` alone without labels):
        float32 audio of shape ``(batch, samples, channels)``, with a ``class_names``
        attribute; with ``subset="both"``, a ``(training, validation)`` pair.

    Example:
        >>> import tempfile, os, wave
        >>> root = tempfile.mkdtemp()
        >>> os.makedirs(os.path.join(root, "yes"))
        >>> with wave.open(os.path.join(root, "yes", "1.wav"), "wb") as w:
        ...     w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)
        ...     w.writeframes(np.array([0, 16384, -32768], "<i2").tobytes())
        >>> ds = audio_dataset_from_directory(root, output_sequence_length=4, verbose=False)
        >>> audio, labels = next(ds.as_numpy_iterator())
        >>> audio[0, :, 0].tolist(), labels.tolist()
        ([0.0, 0.5, -1.0, 0.0], [0])
    """
    labels, label_mode = _directory.check_arguments(
        _OWNER, "audio", labels, label_mode, class_names)
    if ragged and output_sequence_length is not None:
        raise errors.JnetValueError(
            f"{_OWNER}: cannot set both `ragged` and `output_sequence_length`.")
    if output_sequence_length is not None and (
            isinstance(output_sequence_length, bool)
            or not isinstance(output_sequence_length, int) or output_sequence_length < 1):
        raise errors.JnetValueError(
            f"{_OWNER}: `output_sequence_length` must be None or a positive integer, received "
            f"output_sequence_length={output_sequence_length!r}."
        )
    tf = tensorflow_module()
    if sampling_rate is not None:
        if isinstance(sampling_rate, bool) or not isinstance(sampling_rate, int):
            raise errors.JnetValueError(
                f"{_OWNER}: `sampling_rate` should have an integer value. Received: "
                f"sampling_rate={sampling_rate!r}"
            )
        if sampling_rate <= 0:
            raise errors.JnetValueError(
                f"{_OWNER}: `sampling_rate` should be higher than 0. Received: "
                f"sampling_rate={sampling_rate}"
            )
        if tf is None or importlib.util.find_spec("tensorflow_io") is None:
            raise ImportError(
                f"{_OWNER}: to use the argument `sampling_rate`, you should install "
                "tensorflow_io (and TensorFlow). You can install it via `pip install "
                "tensorflow-io`."
            )
    if ragged and tf is None:
        raise errors.JnetValueError(
            f"{_OWNER}: `ragged=True` yields tf.RaggedTensor batches and needs TensorFlow; "
            "without it, leave ragged=False (clips are padded per batch)."
        )
    _directory.check_validation_split_arg(_OWNER, validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    shuffle_buffer_size = batch_size * 8 if batch_size is not None else 1024
    file_paths, labels, class_names = _directory.index_directory(
        _OWNER, directory, labels, ALLOWED_FORMATS, class_names=class_names, shuffle=shuffle,
        seed=seed, follow_links=follow_links, verbose=verbose)
    _directory.check_binary(_OWNER, label_mode, class_names)
    num_classes = len(class_names) if class_names else 0
    datasets = []
    for paths, part_labels, training in _directory.split_files(
            _OWNER, "audio files", directory, str(ALLOWED_FORMATS), file_paths, labels,
            validation_split, subset):
        build = _build_tf if tf is not None else _build_numpy
        dataset = build(tf, paths, part_labels, label_mode, num_classes, sampling_rate,
                        output_sequence_length, ragged, shuffle and training,
                        shuffle_buffer_size, seed, batch_size)
        dataset.class_names = class_names
        datasets.append(dataset)
    return tuple(datasets) if subset == "both" else datasets[0]


def _build_tf(tf: Any, paths: list[str], labels: Any, label_mode: Any, num_classes: int,
              sampling_rate: int | None, output_sequence_length: int | None, ragged: bool,
              shuffle: bool, buffer_size: int, seed: int, batch_size: int | None) -> Any:
    ds = tf.data.Dataset.from_tensor_slices(paths)
    if label_mode:
        label_ds = _directory.labels_to_dataset_tf(tf, labels, label_mode, num_classes)
        ds = tf.data.Dataset.zip((ds, label_ds))
    if shuffle:
        ds = ds.shuffle(buffer_size=buffer_size, seed=seed)

    def read(path: Any) -> Any:
        audio, rate = tf.audio.decode_wav(
            contents=tf.io.read_file(path),
            desired_samples=-1 if output_sequence_length is None else output_sequence_length)
        if sampling_rate is not None:
            tfio = importlib.import_module("tensorflow_io")
            audio = tfio.audio.resample(input=audio, rate_in=tf.cast(rate, tf.int64),
                                        rate_out=sampling_rate)
        return tf.RaggedTensor.from_tensor(audio) if ragged else audio

    if label_mode:
        ds = ds.map(lambda x, y: (read(x), y), num_parallel_calls=tf.data.AUTOTUNE)
    else:
        ds = ds.map(read, num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.prefetch(tf.data.AUTOTUNE)
    if batch_size is not None:
        if output_sequence_length is None and not ragged:
            ds = ds.padded_batch(batch_size)
        else:
            ds = ds.batch(batch_size)
    return ds


def read_wav(path: str, output_sequence_length: int | None = None) -> np.ndarray:
    """A 16-bit PCM ``.wav`` file as ``tf.audio.decode_wav`` gives it: float32
    ``(samples, channels)`` in ``[-1, 1)``, padded with zeros or cut to
    ``output_sequence_length`` samples when given.

    Example:
        >>> import io
        >>> buffer = io.BytesIO()
        >>> with wave.open(buffer, "wb") as w:
        ...     w.setnchannels(2); w.setsampwidth(2); w.setframerate(8000)
        ...     w.writeframes(np.array([0, 8192, -16384, 32767], "<i2").tobytes())
        >>> _ = buffer.seek(0)
        >>> read_wav(buffer).tolist()
        [[0.0, 0.25], [-0.5, 0.999969482421875]]
    """
    try:
        with wave.open(path if hasattr(path, "read") else os.fsdecode(path), "rb") as w:
            channels, width = w.getnchannels(), w.getsampwidth()
            frames = w.readframes(w.getnframes())
    except (wave.Error, EOFError) as e:
        raise errors.JnetValueError(f"{_OWNER}: cannot decode the WAV file {path!r}: {e}.") from e
    if width != 2:
        raise errors.JnetValueError(
            f"{_OWNER}: the WAV file {path!r} holds {8 * width}-bit samples; only 16-bit PCM "
            "is read (as tf.audio.decode_wav)."
        )
    audio = np.frombuffer(frames, "<i2").reshape(-1, channels).astype(np.float32) / 32768.0
    if output_sequence_length is not None:
        out = np.zeros((output_sequence_length, channels), np.float32)
        keep = min(output_sequence_length, len(audio))
        out[:keep] = audio[:keep]
        audio = out
    return audio


def _build_numpy(tf: Any, paths: list[str], labels: Any, label_mode: Any, num_classes: int,
                 sampling_rate: int | None, output_sequence_length: int | None, ragged: bool,
                 shuffle: bool, buffer_size: int, seed: int, batch_size: int | None
                 ) -> Dataset:
    if label_mode:
        ds = Dataset.from_tensor_slices(
            (list(paths), _directory.encode_labels(labels, label_mode, num_classes)))
    else:
        ds = Dataset.from_tensor_slices(list(paths))
    if shuffle:
        ds = ds.shuffle(buffer_size=buffer_size, seed=seed)
    if label_mode:
        ds = ds.map(lambda x, y: (read_wav(x, output_sequence_length), y))
    else:
        ds = ds.map(lambda x: read_wav(x, output_sequence_length))
    if batch_size is not None:
        ds = ds.padded_batch(batch_size) if output_sequence_length is None else ds.batch(
            batch_size)
    return ds
