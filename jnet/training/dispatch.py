"""``steps_per_execution='auto'``: scan the epoch's steps in chunks, or dispatch each step?

Which is faster depends on the model and the platform: on 2 CPU cores a scanned epoch trains
an MLP 1.5x faster than a loop of jitted steps, while a CNN whose convolution gradients XLA:CPU
compiles poorly inside a loop was 7x slower. So jnet measures instead of assuming. The first
time a model trains on data of a given shape, :func:`choose` times ``PROBE_STEPS`` train
steps both ways on copies of the state (the real state is untouched; the compilations are the
ones training will use, except the probe's scan), and keeps the faster. The decision is
remembered per process and, when the persistent compilation cache is on, in
``<cache dir>/dispatch.json``, so later runs of the same script skip the probe.

Epochs of fewer than ``MIN_BATCHES`` batches are always scanned: the probe would cost
more than it could save.

Example:
    >>> decision_key(["dense", "dense_1"], ((32, 4),), "cpu")[:8] == decision_key(
    ...     ["dense", "dense_1"], ((32, 4),), "cpu")[:8]
    True
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

__all__ = [
    "MIN_BATCHES",
    "PROBE_STEPS",
    "STEP_MARGIN",
    "choose",
    "decision_key",
    "decisions",
    "describe_batches",
    "forget",
]

PROBE_STEPS = 16
MIN_BATCHES = 4 * PROBE_STEPS
#: Single dispatches must beat the scan by this factor to be chosen: a probe of a few
#: milliseconds is noisy, and a wrong "step" costs far more (an MLP epoch 1.4x slower) than a
#: wrong "scan" does on the models where dispatching per step wins.
STEP_MARGIN = 0.8

_decisions: dict[str, str] = {}


def decision_key(model_description: Any, batch_shapes: Any, platform: str) -> str:
    """A stable key for a model, its batch shapes and the platform (a hex digest)."""
    text = json.dumps([model_description, batch_shapes, platform, jax.__version__],
                      default=str, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _store() -> Path | None:
    directory = jax.config.jax_compilation_cache_dir
    return Path(directory) / "dispatch.json" if directory else None


def _load_persisted(key: str) -> str | None:
    path = _store()
    if path is None or not path.exists():
        return None
    try:
        return json.loads(path.read_text()).get(key)
    except (OSError, ValueError):
        return None


def _persist(key: str, decision: str) -> None:
    path = _store()
    if path is None:
        return
    try:
        table = json.loads(path.read_text()) if path.exists() else {}
        table[key] = decision
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(table))
        os.replace(tmp, path)
    except (OSError, ValueError):
        pass  # a read-only or corrupt cache only costs a probe next time


def decisions() -> dict[str, str]:
    """This process's decisions so far, ``{key: 'scan' or 'step'}`` (a copy)."""
    return dict(_decisions)


def forget() -> None:
    """Drops this process's remembered decisions (the persisted ones stay)."""
    _decisions.clear()


def _timed(run: Callable[[Any], Any], state: Any) -> float:
    jax.block_until_ready(state)
    start = time.perf_counter()
    jax.block_until_ready(run(state))
    return time.perf_counter() - start


def choose(
    key: str,
    num_batches: int,
    chunk_fn: Callable,
    state: Any,
    data: Any,
    batch_size: int,
) -> int:
    """Steps per dispatch for an epoch of ``num_batches`` full batches: ``num_batches``
    (scan: ``fit`` then runs chunks of ``loop.CHUNK_STEPS`` steps) or 1 (a dispatch per
    step), whichever the probe found faster.

    Args:
        key: :func:`decision_key` of the model, batch shapes and platform.
        num_batches: batches in the epoch.
        chunk_fn: ``(state, data, idx) -> (state, logs)``, donating ``state``
            (``loop.train_chunk``).
        state: the current train state; only copies of it are used.
        data: the on-device arrays the batches are gathered from.
        batch_size: rows per batch.
    """
    if num_batches < MIN_BATCHES:
        return num_batches
    decision = _decisions.get(key) or _load_persisted(key)
    if decision is None:
        decision = _probe(chunk_fn, state, data, batch_size)
        _persist(key, decision)
    _decisions[key] = decision
    return num_batches if decision == "scan" else 1


def _probe(chunk_fn: Callable, state: Any, data: Any, batch_size: int) -> str:
    rows = jnp.arange(PROBE_STEPS * batch_size, dtype=jnp.int32).reshape(PROBE_STEPS, -1)
    singles = [rows[i : i + 1] for i in range(PROBE_STEPS)]

    def copy():
        return jax.tree_util.tree_map(lambda a: a.copy() if hasattr(a, "copy") else a, state)

    def loop_steps(s):
        for idx in singles:
            s, _ = chunk_fn(s, data, idx)
        return s

    def scan_steps(s):
        return chunk_fn(s, data, rows)[0]

    jax.block_until_ready(loop_steps(copy()))  # compile (training reuses this executable)
    jax.block_until_ready(scan_steps(copy()))  # compile
    loop_s, scan_s = [], []
    for _ in range(3):  # interleaved, so that a burst of load hits both sides
        loop_s.append(_timed(loop_steps, copy()))
        scan_s.append(_timed(scan_steps, copy()))
    return "step" if min(loop_s) < STEP_MARGIN * min(scan_s) else "scan"


def describe_batches(arrays: Any, batch_size: int) -> list[Any]:
    """Per-batch shapes and dtypes of ``arrays`` (for :func:`decision_key`)."""
    return [None if a is None else [batch_size, *np.shape(a)[1:], str(a.dtype)]
            for a in arrays]
