"""Weights that cannot be held are refused before they are allocated.

A layer's weights are created only after their shapes are known from ``jax.eval_shape``;
:func:`check_weights` then compares their bytes with the memory available on the device
they go to (host RAM plus free swap on CPU, ``memory_stats()`` on an accelerator), so a
``Dense(10**12)`` raises a catchable :class:`jnet.errors.JnetValueError` naming the layer and
the bytes asked for, instead of XLA aborting the process. A loader also opens a
:func:`weight_budget`: the bytes of weights its file carries. Inside it, the weights built
(counted layer by layer, before each is allocated) may not exceed the budget, so a small file
declaring large layers is refused before anything large exists.

Example:
    >>> import jax, jax.numpy as jnp
    >>> from jnet.utils._weight_memory import check_weights, weight_budget
    >>> shapes = {"kernel": jax.ShapeDtypeStruct((4, 8), jnp.float32)}
    >>> check_weights("dense", "Dense", shapes)
    128
    >>> with weight_budget(100, "the 100 bytes the file carries"):
    ...     try:
    ...         check_weights("dense", "Dense", shapes)
    ...     except ValueError as e:
    ...         print(str(e).split(" of ")[0])
    Layer 'dense' (Dense) declares 128 bytes
"""

from __future__ import annotations

import contextlib
import contextvars
import math
import os
from collections.abc import Iterator
from typing import Any

import jax
import numpy as np

from jnet import errors

__all__ = [
    "available_memory",
    "check_weights",
    "init_checked",
    "tree_bytes",
    "weight_budget",
]

#: Below this many bytes a layer's weights are not compared with the free memory.
_SMALL = 64 * 1024 * 1024


class _Budget:
    def __init__(self, limit: int, reason: str):
        self.limit = int(limit)
        self.reason = reason
        self.used = 0


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar(
    "jnet_weight_budget", default=None
)


@contextlib.contextmanager
def weight_budget(limit: int, reason: str) -> Iterator[None]:
    """Within the block, all weights built together may take at most ``limit`` bytes.

    Args:
        limit: the most bytes of weights the block may create.
        reason: where the limit comes from, for the error (``"the 1024 bytes 'm.jnet'
            carries"``).
    """
    token = _BUDGET.set(_Budget(limit, reason))
    try:
        yield
    finally:
        _BUDGET.reset(token)


def _leaf_bytes(leaf: Any) -> int:
    shape = getattr(leaf, "shape", np.shape(leaf))
    dtype = getattr(leaf, "dtype", None)
    try:
        itemsize = np.dtype(dtype).itemsize
    except TypeError:  # a PRNG key dtype
        itemsize = getattr(dtype, "itemsize", 8)
    return math.prod(shape) * itemsize


def tree_bytes(tree: Any) -> int:
    """The bytes of every array (or ``jax.ShapeDtypeStruct``) leaf of ``tree``."""
    return sum(_leaf_bytes(leaf) for leaf in jax.tree_util.tree_leaves(tree))


def _host_memory() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            fields = dict(line.split(":", 1) for line in f if ":" in line)
        kib = int(fields["MemAvailable"].split()[0]) + int(fields["SwapFree"].split()[0])
        return kib * 1024
    except (OSError, KeyError, ValueError, IndexError):
        pass
    try:
        import psutil

        return int(psutil.virtual_memory().available + psutil.swap_memory().free)
    except Exception:  # noqa: BLE001 - psutil missing or unable to read
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


def available_memory() -> tuple[int | None, str]:
    """``(bytes free, where)`` on the default device; ``None`` when it cannot be told."""
    device = jax.devices()[0]
    stats = None
    with contextlib.suppress(Exception):
        stats = device.memory_stats()
    if stats and "bytes_limit" in stats:
        return int(stats["bytes_limit"]) - int(stats.get("bytes_in_use", 0)), str(device)
    return _host_memory(), "this host (RAM and swap)"


def _human(size: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB"):
        if size < 1024 or unit == "TiB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError


def check_weights(name: str, class_name: str, shapes: Any) -> int:
    """Refuses weights of ``shapes`` (a pytree of arrays or ``ShapeDtypeStruct``) that do not
    fit the memory available or the open :func:`weight_budget`; returns their bytes.

    Args:
        name: the layer's name, for the error.
        class_name: the layer's class name, for the error.
        shapes: the layer's variables, or their shapes from ``jax.eval_shape``.

    Raises:
        JnetValueError: the weights would exceed the budget or the free memory.
    """
    size = tree_bytes(shapes)
    budget = _BUDGET.get()
    if budget is not None:
        budget.used += size
        if budget.used > budget.limit:
            raise errors.JnetValueError(
                f"Layer {name!r} ({class_name}) declares {size} bytes of weights "
                f"({_human(size)}), bringing the model to {budget.used} bytes, more than "
                f"{budget.reason} ({budget.limit} bytes). The file declares layers larger "
                f"than the weights it holds (corrupt or crafted); nothing large was allocated."
            )
    if size >= _SMALL:
        free, where = available_memory()
        if free is not None and size > free:
            raise errors.JnetValueError(
                f"Layer {name!r} ({class_name}) asks for {size} bytes of weights "
                f"({_human(size)}), more than the {free} bytes ({_human(free)}) free on "
                f"{where}. Make the layer smaller (units, filters, vocabulary size, input "
                f"size) or use a device with more memory."
            )
    return size


def init_checked(module: Any, rngs: Any, *args: Any, **kwargs: Any) -> Any:
    """``module.init(rngs, *args, **kwargs)`` (a Flax module) once :func:`check_weights` has
    accepted the shapes ``jax.eval_shape`` gives for it (nothing is allocated before)."""
    shapes = jax.eval_shape(lambda: module.init(rngs, *args, **kwargs))
    check_weights(getattr(module, "name", None) or "?", type(module).__name__, shapes)
    return module.init(rngs, *args, **kwargs)
