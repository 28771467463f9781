"""Reading Keras's dataset files safely: npz (object arrays through a restricted unpickler),
gzipped idx, CIFAR's pickled batches; and the seeded train/test split Keras uses.

IMDB and Reuters store ragged sequences as ``dtype=object`` arrays, which numpy can only keep
as a pickle stream; CIFAR's batches are Python pickles. Unpickling can run arbitrary code, so
these are read by :class:`RestrictedUnpickler`, which resolves only the three globals that
rebuild a numpy array (``numpy.ndarray``, ``numpy.dtype``, ``multiarray._reconstruct``, in
numpy 1's and 2's spellings) and refuses every other (``os.system``, ``builtins.eval``...).
The remaining risk is memory: every stream read is capped at ``MAX_MEMBER_BYTES`` before it is
decoded, so a hostile file cannot make jnet read more than that.
"""

from __future__ import annotations

import gzip
import io
import os
import pickle
import zipfile
from typing import IO, Any

import numpy as np

from jnet import errors

#: The most bytes one array, pickle or decompressed file is allowed to take before decoding.
MAX_MEMBER_BYTES = 2 * 2**30

_ALLOWED_GLOBALS = frozenset({
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
})


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that rebuilds numpy arrays, builtin containers and scalars, and nothing else.

    Example:
        >>> import io, pickle
        >>> data = pickle.dumps({"x": np.arange(3)}, protocol=3)
        >>> RestrictedUnpickler(io.BytesIO(data)).load()["x"]
        array([0, 1, 2])
        >>> try:
        ...     RestrictedUnpickler(io.BytesIO(pickle.dumps(print))).load()
        ... except pickle.UnpicklingError as e:
        ...     print(str(e)[:40])
        Refusing to deserialize `builtins.print`
    """

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(
            f"Refusing to deserialize `{module}.{name}` while loading a Keras dataset. "
            "The file may be corrupted or malicious."
        )


def _read_capped(stream: IO[bytes], what: str) -> bytes:
    data = stream.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise errors.JnetValueError(
            f"{what} is larger than MAX_MEMBER_BYTES={MAX_MEMBER_BYTES} bytes: refusing to "
            "read it (a corrupted or malicious file?)."
        )
    return data


def _npy(buffer: io.BytesIO) -> np.ndarray:
    try:
        return np.lib.format.read_array(buffer, allow_pickle=False)
    except ValueError:  # an object array: its data is a pickle stream after the header
        buffer.seek(0)
        version = np.lib.format.read_magic(buffer)
        if version[0] == 1:
            np.lib.format.read_array_header_1_0(buffer)
        elif version[0] in (2, 3):  # 3.0 differs from 2.0 only in the header's encoding
            np.lib.format.read_array_header_2_0(buffer)
        else:
            raise errors.JnetValueError(f"Unsupported .npy format version {version}.") from None
        return RestrictedUnpickler(buffer).load()


def load_npz(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """Every array of an ``.npz`` file, object arrays included, without arbitrary unpickling.

    Args:
        path: the ``.npz`` file.

    Returns:
        A dict from member name (without ``.npy``) to array.

    Example:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "a.npz")
        >>> ragged = np.array([[1, 2], [3]], dtype=object)
        >>> np.savez(path, x=ragged, y=np.arange(2))
        >>> sorted(load_npz(path).items())
        [('x', array([list([1, 2]), list([3])], dtype=object)), ('y', array([0, 1]))]
    """
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if member.endswith(".npy"):
                with archive.open(member) as raw:
                    buffer = io.BytesIO(_read_capped(raw, f"{member} in {path}"))
                arrays[member[: -len(".npy")]] = _npy(buffer)
    return arrays


def load_arrays(path: str | os.PathLike, *names: str) -> tuple[np.ndarray, ...]:
    """The named arrays of an ``.npz`` file of plain (not object) arrays; no pickle at all."""
    with np.load(path, allow_pickle=False) as f:
        return tuple(f[name] for name in names)


def load_idx_gz(path: str | os.PathLike, header_bytes: int) -> np.ndarray:
    """The uint8 payload of a gzipped idx file (MNIST's format) after its header, writable."""
    with gzip.open(path, "rb") as f:
        data = _read_capped(f, f"the decompressed {path}")
    return np.frombuffer(data, np.uint8, offset=header_bytes).copy()


def load_cifar_batch(path: str | os.PathLike, label_key: str = "labels") -> tuple[np.ndarray, Any]:
    """``(data (N, 3, 32, 32) uint8, labels list)`` of one pickled CIFAR batch (Keras's
    ``cifar.load_batch``)."""
    with open(path, "rb") as f:
        data = _read_capped(f, str(path))
    batch = RestrictedUnpickler(io.BytesIO(data), encoding="bytes").load()
    if not isinstance(batch, dict):
        raise errors.JnetValueError(
            f"{path} is not a CIFAR batch: expected a pickled dict, found {type(batch).__name__}."
        )
    batch = {k.decode("utf8") if isinstance(k, bytes) else k: v for k, v in batch.items()}
    images = batch["data"]
    return images.reshape(images.shape[0], 3, 32, 32), batch[label_key]


def check_test_split(test_split: Any) -> None:
    """Keras's check of ``test_split``: a number in [0, 1)."""
    if isinstance(test_split, bool) or not isinstance(test_split, int | float | np.number) or \
            not 0 <= test_split < 1:
        raise errors.JnetValueError(
            f"Invalid `test_split` argument: {test_split!r}. It must be between 0 and 1 "
            "(exclusive of 1)."
        )


def shuffle_split(x: np.ndarray, y: np.ndarray, test_split: float, seed: int) -> tuple:
    """Keras's seeded shuffle (``np.random.RandomState(seed)``) and train/test split."""
    indices = np.arange(len(x))
    np.random.RandomState(seed).shuffle(indices)
    x, y = x[indices], y[indices]
    cut = int(len(x) * (1 - test_split))
    return (np.array(x[:cut]), np.array(y[:cut])), (np.array(x[cut:]), np.array(y[cut:]))


def encode_sequences(sequences: list, start_char: int | None, index_from: int) -> list[list]:
    """Keras's word-index shift: each review as a list, ``start_char`` first, indices shifted."""
    if start_char is not None:
        return [[start_char] + [w + index_from for w in x] for x in sequences]
    if index_from:
        return [[w + index_from for w in x] for x in sequences]
    return [list(x) for x in sequences]


def remove_long_seq(maxlen: int, seq: list, label: Any) -> tuple[list, list]:
    """The sequences shorter than ``maxlen`` and their labels (Keras's ``remove_long_seq``)."""
    kept = [(x, y) for x, y in zip(seq, label, strict=False) if len(x) < maxlen]
    return [x for x, _ in kept], [y for _, y in kept]


def limit_vocabulary(xs: list, num_words: int | None, skip_top: int,
                     oov_char: int | None) -> list[list]:
    """Keras's vocabulary cut: words outside ``[skip_top, num_words)`` become ``oov_char``
    (or are dropped when it is None); ``num_words`` None keeps every word."""
    if not num_words:
        num_words = max(max(x) for x in xs)
    if oov_char is not None:
        return [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    return [[w for w in x if skip_top <= w < num_words] for x in xs]
