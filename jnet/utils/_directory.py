"""What Keras's ``*_dataset_from_directory`` functions share (``keras/src/utils/
dataset_utils.py``): the argument checks, the file index with its labels, Keras's shuffle of the
file list, the training/validation split, and the label encodings.

The index lists the same files in the same order as Keras's ``index_directory`` (sorted class
folders, ``os.walk`` order sorted by folder then file name, then one
``np.random.RandomState(seed)`` shuffle of the paths and another of the labels), so a seed
selects the same training and validation files as Keras. Only regular files are listed (a pipe
or device with an image's extension is skipped, so reading never blocks).

Example:
    >>> encode_labels([0, 1], "categorical", 2)
    array([[1., 0.],
           [0., 1.]], dtype=float32)
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from jnet import config, errors

__all__ = [
    "check_arguments",
    "check_validation_split_arg",
    "encode_labels",
    "index_directory",
    "labels_to_dataset_tf",
    "print_msg",
    "split_files",
]

LABEL_MODES = ("int", "categorical", "binary", None)


def print_msg(message: str) -> None:
    """Prints a progress message as Keras's ``io_utils.print_msg`` (only with interactive
    logging on)."""
    if config.is_interactive_logging_enabled():
        print(message)


def check_arguments(owner: str, what: str, labels: Any, label_mode: Any,
                    class_names: Any) -> tuple[Any, Any]:
    """Checks ``labels``/``label_mode``/``class_names`` as Keras does and returns
    ``(labels, label_mode)``, both ``None`` when either is ``None`` (no labels)."""
    if labels not in ("inferred", None):
        if not isinstance(labels, list | tuple):
            raise errors.JnetValueError(
                f"{owner}: the `labels` argument should be a list/tuple of integer labels, of "
                f"the same size as the number of {what} files in the target directory. If you "
                "wish to infer the labels from the subdirectory names in the target "
                'directory, pass `labels="inferred"`. If you wish to get a dataset that only '
                f"contains {what} samples (no labels), pass `labels=None`. Received: "
                f"labels={labels!r}"
            )
        if class_names:
            raise errors.JnetValueError(
                f'{owner}: you can only pass `class_names` if `labels="inferred"`. Received: '
                f"labels={labels!r}, and class_names={class_names!r}"
            )
    if label_mode not in LABEL_MODES:
        raise errors.JnetValueError(
            f'{owner}: the `label_mode` argument must be one of "int", "categorical", '
            f'"binary", or None. Received: label_mode={label_mode!r}'
        )
    if labels is None or label_mode is None:
        return None, None
    return labels, label_mode


def check_validation_split_arg(owner: str, validation_split: Any, subset: Any, shuffle: bool,
                               seed: Any) -> None:
    """Keras's checks of ``validation_split``, ``subset``, ``shuffle`` and ``seed``."""
    if validation_split and not 0 < validation_split < 1:
        raise errors.JnetValueError(
            f"{owner}: `validation_split` must be between 0 and 1, received: "
            f"validation_split={validation_split!r}"
        )
    if (validation_split or subset) and not (validation_split and subset):
        raise errors.JnetValueError(
            f"{owner}: if `subset` is set, `validation_split` must be set, and inversely. "
            f"Received: validation_split={validation_split!r}, subset={subset!r}"
        )
    if subset not in ("training", "validation", "both", None):
        raise errors.JnetValueError(
            f'{owner}: `subset` must be either "training", "validation" or "both", received: '
            f"subset={subset!r}"
        )
    if validation_split and shuffle and seed is None:
        raise errors.JnetValueError(
            f"{owner}: if using `validation_split` and shuffling the data, you must provide a "
            "`seed` argument, to make sure that there is no overlap between the training and "
            "validation subset."
        )


def _valid_files(directory: str, follow_links: bool, formats: tuple[str, ...]):
    walk = os.walk(directory, followlinks=follow_links)
    for root, _, files in sorted(walk, key=lambda x: x[0]):
        for fname in sorted(files):
            if fname.lower().endswith(formats) and os.path.isfile(os.path.join(root, fname)):
                yield root, fname


def _index_subdirectory(directory: str, class_indices: dict[str, int], follow_links: bool,
                        formats: tuple[str, ...]) -> tuple[list[str], list[int]]:
    dirname = os.path.basename(directory)
    filenames, labels = [], []
    for root, fname in _valid_files(directory, follow_links, formats):
        labels.append(class_indices[dirname])
        absolute = os.path.join(root, fname)
        filenames.append(os.path.join(dirname, os.path.relpath(absolute, directory)))
    return filenames, labels


def index_directory(
    owner: str,
    directory: Any,
    labels: Any,
    formats: tuple[str, ...],
    class_names: Sequence[str] | None = None,
    shuffle: bool = True,
    seed: int | None = None,
    follow_links: bool = False,
    verbose: bool = True,
) -> tuple[list[str], np.ndarray | Sequence[int] | None, list[str] | None]:
    """Lists the files of ``directory`` with their labels, as Keras's ``index_directory``.

    Args:
        owner: the public function named in errors.
        directory: the folder; with ``labels="inferred"``, one subfolder per class.
        labels: ``"inferred"``, ``None``, or a list of integer labels (one per file, in the
            sorted order of the file paths).
        formats: the file extensions listed (lower case, with the dot).
        class_names: with ``labels="inferred"``, the class folders to use, in this order.
        shuffle: shuffle the files (and labels) with ``np.random.RandomState(seed)``;
            otherwise they stay in alphanumeric order.
        seed: the shuffle's seed (``None``: drawn from NumPy's global generator).
        follow_links: visit folders that are symbolic links.
        verbose: print "Found N files belonging to K classes.".

    Returns:
        ``(file_paths, labels, class_names)``.
    """
    directory = os.fspath(directory)
    if not os.path.isdir(directory):
        raise errors.JnetValueError(
            f"{owner}: `directory` must be an existing folder, received "
            f"directory={directory!r}."
        )
    if labels == "inferred":
        subdirs = [
            subdir.rstrip("/") for subdir in sorted(os.listdir(directory))
            if os.path.isdir(os.path.join(directory, subdir)) and not subdir.startswith(".")
        ]
        if class_names is not None:
            if not set(class_names).issubset(set(subdirs)):
                raise errors.JnetValueError(
                    f"{owner}: the `class_names` passed did not match the names of the "
                    f"subdirectories of the target directory. Expected: {subdirs} (or a subset "
                    f"of it), but received: class_names={list(class_names)}"
                )
            subdirs = list(class_names)
    else:
        subdirs = [""]
        if class_names is not None:
            if labels is None:
                raise errors.JnetValueError(
                    f"{owner}: when `labels=None` (no labels), argument `class_names` cannot "
                    "be specified."
                )
            raise errors.JnetValueError(
                f"{owner}: when argument `labels` is specified, argument `class_names` cannot "
                "be specified (the `class_names` will be the sorted list of labels)."
            )
    class_indices = {name: i for i, name in enumerate(subdirs)}
    filenames: list[str] = []
    label_parts: list[list[int]] = []
    for subdir in subdirs:
        names, part = _index_subdirectory(
            os.path.join(directory, subdir), class_indices, follow_links, formats)
        filenames += names
        label_parts.append(part)
    names_out: list[str] | None = list(subdirs)
    if labels == "inferred":
        labels = np.concatenate([np.asarray(p, np.int32) for p in label_parts] or
                                [np.zeros((0,), np.int32)]).astype(np.int32)
    elif labels is None:
        names_out = None
    else:
        labels = list(labels)
        if len(labels) != len(filenames):
            raise errors.JnetValueError(
                f"{owner}: expected the lengths of `labels` to match the number of files in the "
                f"target directory. len(labels) is {len(labels)} while we found "
                f"{len(filenames)} files in directory {directory}."
            )
        names_out = [str(label) for label in sorted(set(labels))]
    if verbose:
        if labels is None:
            print_msg(f"Found {len(filenames)} files.")
        else:
            print_msg(
                f"Found {len(filenames)} files belonging to {len(names_out or ())} classes.")
    file_paths = [os.path.join(directory, fname) for fname in filenames]
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(file_paths)
        if labels is not None:
            np.random.RandomState(seed).shuffle(labels)
    return file_paths, labels, names_out


def training_or_validation_split(samples: list[str], labels: Any, validation_split: Any,
                                 subset: str | None) -> tuple[list[str], Any]:
    """The training (all but the last ``int(validation_split * n)``) or validation (those
    last) files and labels, as Keras's ``get_training_or_validation_split``."""
    if not validation_split:
        return samples, labels
    num_val_samples = int(validation_split * len(samples))
    if subset == "training":
        print_msg(f"Using {len(samples) - num_val_samples} files for training.")
        samples = samples[:-num_val_samples]
        if labels is not None:
            labels = labels[:-num_val_samples]
    else:
        print_msg(f"Using {num_val_samples} files for validation.")
        samples = samples[-num_val_samples:]
        if labels is not None:
            labels = labels[-num_val_samples:]
    return samples, labels


def split_files(owner: str, what: str, directory: Any, allowed: str, file_paths: list[str],
                labels: Any, validation_split: Any, subset: str | None,
                ) -> list[tuple[list[str], Any, bool]]:
    """The subsets to build: ``[(paths, labels, is_training)]``, two for ``subset="both"``;
    raises Keras's error when one is empty."""
    if subset == "both":
        parts = []
        for name in ("training", "validation"):
            paths, part_labels = training_or_validation_split(
                file_paths, labels, validation_split, name)
            if not paths:
                raise errors.JnetValueError(
                    f"{owner}: no {name} {what} found in directory {directory}. Allowed "
                    f"formats: {allowed}"
                )
            parts.append((paths, part_labels, name == "training"))
        return parts
    paths, part_labels = training_or_validation_split(
        file_paths, labels, validation_split, subset)
    if not paths:
        raise errors.JnetValueError(
            f"{owner}: no {what} found in directory {directory}. Allowed formats: {allowed}")
    return [(paths, part_labels, True)]


def encode_labels(labels: Any, label_mode: str, num_classes: int) -> np.ndarray:
    """The labels as Keras's datasets yield them: ``int`` int32 ``(n,)``, ``binary`` float32
    ``(n, 1)``, ``categorical`` one-hot float32 ``(n, num_classes)``."""
    labels = np.asarray(labels, np.int32)
    if label_mode == "binary":
        return labels.astype(np.float32)[:, None]
    if label_mode == "categorical":
        return np.eye(num_classes, dtype=np.float32)[labels]
    return labels


def labels_to_dataset_tf(tf: Any, labels: Any, label_mode: str, num_classes: int) -> Any:
    """Keras's ``labels_to_dataset_tf``: the labels as a ``tf.data.Dataset``."""
    label_ds = tf.data.Dataset.from_tensor_slices(labels)
    if label_mode == "binary":
        return label_ds.map(lambda x: tf.expand_dims(tf.cast(x, "float32"), axis=-1),
                            num_parallel_calls=tf.data.AUTOTUNE)
    if label_mode == "categorical":
        return label_ds.map(lambda x: tf.one_hot(x, num_classes),
                            num_parallel_calls=tf.data.AUTOTUNE)
    return label_ds


def check_binary(owner: str, label_mode: Any, class_names: Any) -> None:
    """Keras's check that ``label_mode="binary"`` has exactly two classes."""
    if label_mode == "binary" and len(class_names) != 2:
        raise errors.JnetValueError(
            f'{owner}: when passing `label_mode="binary"`, there must be exactly 2 '
            f"class_names. Received: class_names={class_names}"
        )


def check_format(owner: str, format: Any) -> None:
    """Keras 3.15's ``format`` argument: ``"tf"`` or ``"grain"``."""
    if format not in ("tf", "grain"):
        raise errors.JnetValueError(
            f'{owner}: `format` should be either "tf" or "grain". Received: format={format!r}')
