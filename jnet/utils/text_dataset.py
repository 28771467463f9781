"""``text_dataset_from_directory``: a dataset of texts and labels from a folder of class
folders of ``.txt`` files, as Keras's (``keras/src/utils/text_dataset_utils.py``).

With TensorFlow installed the result is Keras's ``tf.data.Dataset`` of string tensors;
without it (or with ``format="grain"``) a :class:`jnet.utils.Dataset` whose batches hold the
texts as a NumPy object array of ``bytes`` (what ``as_numpy_iterator`` gives from Keras's).

The example is in :func:`text_dataset_from_directory`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from jnet import errors
from jnet.utils import _directory
from jnet.utils.dataset import Dataset, tensorflow_module

__all__ = ["text_dataset_from_directory"]

_OWNER = "text_dataset_from_directory"


def text_dataset_from_directory(
    directory: Any,
    labels: Any = "inferred",
    label_mode: str | None = "int",
    class_names: Sequence[str] | None = None,
    batch_size: int | None = 32,
    max_length: int | None = None,
    shuffle: bool = True,
    seed: int | None = None,
    validation_split: float | None = None,
    subset: str | None = None,
    follow_links: bool = False,
    format: str = "tf",
    verbose: bool = True,
) -> Any:
    """Generates a dataset from text files in a directory, as Keras's function.

    With ``main_directory/class_a/*.txt`` and ``main_directory/class_b/*.txt``,
    ``labels="inferred"`` gives the texts of ``class_a`` label 0 and those of ``class_b``
    label 1. Only ``.txt`` files are read.

    Args:
        directory: the folder (one subfolder per class with ``labels="inferred"``).
        labels: ``"inferred"``, ``None`` (no labels), or a list/tuple of integer labels, one
            per text file in the sorted order of their paths.
        label_mode: ``"int"``, ``"categorical"``, ``"binary"`` or ``None`` (no labels).
        class_names: with ``labels="inferred"``, the class folders to use, in label order.
        batch_size: texts per batch (default 32); ``None`` yields single texts.
        max_length: the most bytes kept of each text (default: all).
        shuffle: shuffle the files (default ``True``); ``False`` keeps alphanumeric order.
        seed: the seed of the shuffles and of the validation split.
        validation_split: the fraction of the files kept for validation.
        subset: ``"training"``, ``"validation"`` or ``"both"`` (a pair of datasets).
        follow_links: visit subfolders that are symbolic links. Default ``False``.
        format: ``"tf"`` (a ``tf.data.Dataset`` when TensorFlow is installed, else a
            :class:`jnet.utils.Dataset`) or ``"grain"`` (a :class:`jnet.utils.Dataset`).
        verbose: print the number of files and classes found. Default ``True``.

    Returns:
        A dataset yielding ``(texts, labels)`` batches (``texts`` alone without labels), with
        a ``class_names`` attribute; with ``subset="both"``, a ``[training, validation]``
        pair.

    Example:
        >>> import tempfile, os
        >>> root = tempfile.mkdtemp()
        >>> for name in ("neg", "pos"):
        ...     os.makedirs(os.path.join(root, name))
        ...     with open(os.path.join(root, name, "1.txt"), "w") as f:
        ...         _ = f.write(f"a {name} review")
        >>> ds = text_dataset_from_directory(root, shuffle=False, format="grain", max_length=5)
        Found 2 files belonging to 2 classes.
        >>> texts, labels = next(iter(ds))
        >>> texts.tolist(), labels.tolist()
        ([b'a neg', b'a pos'], [0, 1])
    """
    labels, label_mode = _directory.check_arguments(
        _OWNER, "text", labels, label_mode, class_names)
    _directory.check_format(_OWNER, format)
    if max_length is not None and (
            isinstance(max_length, bool) or not isinstance(max_length, int) or max_length < 0):
        raise errors.JnetValueError(
            f"{_OWNER}: `max_length` must be None or a non-negative integer, received "
            f"max_length={max_length!r}."
        )
    _directory.check_validation_split_arg(_OWNER, validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    file_paths, labels, class_names = _directory.index_directory(
        _OWNER, directory, labels, (".txt",), class_names=class_names, shuffle=shuffle,
        seed=seed, follow_links=follow_links, verbose=verbose)
    _directory.check_binary(_OWNER, label_mode, class_names)
    shuffle_buffer_size = batch_size * 8 if batch_size is not None else 1024
    tf = tensorflow_module() if format == "tf" else None
    num_classes = len(class_names) if class_names else 0
    datasets = []
    for paths, part_labels, training in _directory.split_files(
            _OWNER, "text files", directory, ".txt", file_paths, labels, validation_split,
            subset):
        build = _build_tf if tf is not None else _build_numpy
        dataset = build(tf, paths, part_labels, label_mode, num_classes, max_length,
                        shuffle and training, shuffle_buffer_size, seed, batch_size)
        dataset.class_names = class_names
        datasets.append(dataset)
    return datasets if subset == "both" else datasets[0]


def _build_tf(tf: Any, paths: list[str], labels: Any, label_mode: Any, num_classes: int,
              max_length: int | None, shuffle: bool, buffer_size: int, seed: int,
              batch_size: int | None) -> Any:
    ds = tf.data.Dataset.from_tensor_slices(paths)
    if label_mode:
        label_ds = _directory.labels_to_dataset_tf(tf, labels, label_mode, num_classes)
        ds = tf.data.Dataset.zip((ds, label_ds))
    if shuffle:
        ds = ds.shuffle(buffer_size=buffer_size, seed=seed)

    def read(path: Any) -> Any:
        text = tf.io.read_file(path)
        return text if max_length is None else tf.strings.substr(text, 0, max_length)

    if label_mode:
        ds = ds.map(lambda x, y: (read(x), y), num_parallel_calls=tf.data.AUTOTUNE)
    else:
        ds = ds.map(read, num_parallel_calls=tf.data.AUTOTUNE)
    if batch_size is not None:
        ds = ds.batch(batch_size)
    return ds.prefetch(tf.data.AUTOTUNE)


def read_text(path: str, max_length: int | None = None) -> bytes:
    """A text file's bytes (its first ``max_length`` bytes when given), as ``tf.io.read_file``
    and ``tf.strings.substr`` give them.

    Example:
        >>> import tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "a.txt")
        >>> with open(path, "w") as f:
        ...     _ = f.write("hello")
        >>> read_text(path, 4)
        b'hell'
    """
    with open(os.fsdecode(path), "rb") as f:
        return f.read() if max_length is None else f.read(max_length)


def _build_numpy(tf: Any, paths: list[str], labels: Any, label_mode: Any, num_classes: int,
                 max_length: int | None, shuffle: bool, buffer_size: int, seed: int,
                 batch_size: int | None) -> Dataset:
    if label_mode:
        ds = Dataset.from_tensor_slices(
            (list(paths), _directory.encode_labels(labels, label_mode, num_classes)))
    else:
        ds = Dataset.from_tensor_slices(list(paths))
    if shuffle:
        ds = ds.shuffle(buffer_size=buffer_size, seed=seed)
    if label_mode:
        ds = ds.map(lambda x, y: (read_text(x, max_length), y))
    else:
        ds = ds.map(lambda x: read_text(x, max_length))
    if batch_size is not None:
        ds = ds.batch(batch_size)
    return ds.prefetch()
