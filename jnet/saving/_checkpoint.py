"""Training checkpoints: the live training state in one atomically written file.

:func:`save_checkpoint` writes what a training run needs to continue exactly — the variables
(params and, e.g., batch statistics), the optimizer state, the step count and the training
PRNG key — plus a JSON-able ``extra`` dict from the caller (the epoch, the shuffle generator's
``bit_generator.state``). :func:`load_checkpoint` puts it back into a compiled model of the same
architecture and returns ``extra``. Callbacks (``ModelCheckpoint``, ``BackupAndRestore``) are
built on these two functions.

Why one safetensors file and not orbax-checkpoint: a checkpoint must be all-or-nothing. Here
that is one ``os.replace`` of a fully written, fsynced file: a process killed at any instant
leaves either the old checkpoint or the new one, never a mixture. For the small and medium
models jnet trains, writing one file takes milliseconds and needs no background threads,
directories or commit markers to clean up; orbax's directory-per-step layout, asynchronous
writes and tensorstore backend pay off for sharded multi-host arrays, which jnet does not have.

Example:
    >>> import os, tempfile, numpy as np, jnet
    >>> from jnet.saving import load_checkpoint, save_checkpoint
    >>> model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(2,))])
    >>> model.compile(optimizer="adam", loss="mse")
    >>> _ = model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=1, verbose=0)
    >>> path = os.path.join(tempfile.mkdtemp(), "ckpt.safetensors")
    >>> save_checkpoint(path, model, {"epoch": 1})
    >>> load_checkpoint(path, model)
    {'epoch': 1}
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from jnet import errors
from jnet.saving._file import FileFormatError, json_loads, read_file, write_file
from jnet.saving._model_file import (
    _variables_from,
    _variables_tensors,
    restore_train_state,
    train_state_tensors,
)

__all__ = ["load_checkpoint", "save_checkpoint"]


def _live_state(model: Any, call: str) -> Any:
    if not getattr(model, "compiled", False):
        raise errors.NotCompiledError(
            f"{call} needs a compiled model (its optimizer state is part of the checkpoint): "
            f"call model.compile(...) first."
        )
    return model._state()


def save_checkpoint(
    path: str | os.PathLike, model: Any, extra: Mapping[str, Any] | None = None
) -> None:
    """Writes the model's full training state and ``extra`` to ``path``, atomically.

    Args:
        path: the checkpoint file (any name; ``.safetensors`` is conventional).
        model: a compiled jnet model.
        extra: JSON-serialisable data to store with it (epoch, generator state, ...).

    Raises:
        NotCompiledError: the model is not compiled.
        JnetTypeError: ``extra`` is not JSON-serialisable.
    """
    state = _live_state(model, "save_checkpoint")
    try:
        extra_json = json.dumps(dict(extra or {}))
    except (TypeError, ValueError) as e:
        raise errors.JnetTypeError(
            f"save_checkpoint: extra must be JSON-serialisable (numbers, strings, lists, "
            f"dicts), received {errors.describe(extra)}: {e}."
        ) from None
    tensors = _variables_tensors(state.variables)
    state_tensors, train = train_state_tensors(state)
    tensors.update(state_tensors)
    meta = {"extra": extra_json, "train_config": json.dumps(train), "model_name": model.name}
    write_file(path, tensors, meta, "jnet.checkpoint")


def load_checkpoint(path: str | os.PathLike, model: Any) -> dict[str, Any]:
    """Restores a checkpoint written by :func:`save_checkpoint` into ``model``.

    The model must have the same architecture and be compiled with the same optimizer;
    every array is checked by name, shape and dtype before anything changes.

    Args:
        path: the checkpoint file.
        model: the compiled jnet model to restore into.

    Returns:
        The ``extra`` dict saved with the checkpoint.

    Raises:
        FileFormatError: a corrupt, foreign or mismatching checkpoint.
        NotCompiledError: the model is not compiled.
    """
    path = os.fspath(path)
    tensors, meta = read_file(path, "jnet.checkpoint")
    extra = json_loads(meta.get("extra", "{}"), "extra data", path)
    if not isinstance(extra, dict):
        raise FileFormatError(f"{path!r}: the extra data is not a dict.")
    state = _live_state(model, "load_checkpoint")
    variables = _variables_from(model, tensors, path)
    params = variables.pop("params", {})
    state = restore_train_state(state.replace(params=params, model_state=variables), tensors, path)
    model.train_state = state
    return extra
