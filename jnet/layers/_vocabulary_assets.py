"""The vocabulary asset of ``StringLookup``, ``IntegerLookup`` and ``TextVectorization``, in
Keras's format: ``vocabulary.txt`` in the layer's asset folder, one token a line, special
tokens included (what ``get_vocabulary()`` returns), written only when the vocabulary was
learned (a vocabulary given as an argument lives in the layer's config).

Keras's ``save_assets(dir_path)`` / ``load_assets(dir_path)`` write and read this file inside
a ``.keras`` archive (``assets/<layer path>/vocabulary.txt``); jnet's layers read a folder
Keras's wrote and write one Keras's read. The file is read bounded: a regular file of at most
``MAX_VOCABULARY_BYTES``.

Example:
    >>> import tempfile, numpy as np
    >>> from jnet.layers.lookup import StringLookup
    >>> folder = tempfile.mkdtemp()
    >>> layer = StringLookup()
    >>> layer.adapt(np.array(["b", "a", "b"]))
    >>> layer.save_assets(folder)
    >>> again = StringLookup()
    >>> again.load_assets(folder)
    >>> again.get_vocabulary()
    ['[UNK]', 'b', 'a']
"""

from __future__ import annotations

import os
import stat
from typing import Any

from jnet import errors

__all__ = ["MAX_VOCABULARY_BYTES", "load_vocabulary", "save_vocabulary"]

#: The largest vocabulary file read.
MAX_VOCABULARY_BYTES = 1024**3
_FILE = "vocabulary.txt"


def save_vocabulary(layer: Any, dir_path: str | os.PathLike) -> None:
    """Writes ``layer``'s learned vocabulary as ``dir_path/vocabulary.txt`` (Keras's
    ``save_assets``); nothing for a vocabulary given as an argument."""
    if layer._has_input_vocabulary:
        return
    vocabulary = layer.get_vocabulary(include_special_tokens=True)
    with open(os.path.join(dir_path, _FILE), "w", encoding="utf-8") as f:
        f.write("\n".join(str(w) for w in vocabulary))


def load_vocabulary(layer: Any, dir_path: str | os.PathLike, integers: bool) -> None:
    """Sets ``layer``'s vocabulary from ``dir_path/vocabulary.txt`` (Keras's
    ``load_assets``); nothing for a vocabulary given as an argument."""
    if layer._has_input_vocabulary:
        return
    owner = type(layer).__name__
    path = os.path.join(dir_path, _FILE)
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_VOCABULARY_BYTES:
        raise errors.JnetValueError(
            f"{owner}.load_assets: {path!r} must be a regular file of at most "
            f"{MAX_VOCABULARY_BYTES} bytes (it is {info.st_size} bytes, mode {info.st_mode:o})."
        )
    if layer.output_mode == "tf_idf":
        raise errors.JnetValueError(
            f"{owner}.load_assets: output_mode='tf_idf' needs its IDF weights with the "
            "vocabulary; call set_vocabulary(vocabulary, idf_weights=...)."
        )
    with open(path, encoding="utf-8") as f:
        lines = f.read(MAX_VOCABULARY_BYTES + 1).splitlines()
    while lines and lines[-1] == "":
        lines.pop()
    try:
        values = [int(line) for line in lines] if integers else lines
    except ValueError:
        raise errors.JnetValueError(
            f"{owner}.load_assets: {path!r} must hold one integer a line."
        ) from None
    layer.set_vocabulary(values)
    layer._has_input_vocabulary = False  # still a learned vocabulary: saved as an asset
