"""Helpers for a hand-written ``jax.pmap`` loop: replicate a state, shard a batch, bring the
state back.

A pmapped function maps over a leading device axis: a state enters it as one copy per device
(:func:`replicate`) and a batch as ``(devices, batch / devices, ...)`` (:func:`shard_batch`).
jnet's :func:`jnet.training.train_step` with ``axis_name`` keeps every copy identical.

Example:
    >>> import jax, numpy as np, jnet
    >>> from jnet.distribution import replicate, shard_batch, unreplicate
    >>> model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(3,))])
    >>> state = jnet.training.TrainState.create(model, optimizer="sgd", loss="mse")
    >>> step = jax.pmap(lambda s, b: jnet.training.train_step(s, b, axis_name="batch"),
    ...                 axis_name="batch")
    >>> x, y = np.ones((8, 3), np.float32), np.zeros((8, 1), np.float32)
    >>> states, logs = step(replicate(state), shard_batch((x, y)))
    >>> int(unreplicate(states).step)
    1
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec

from jnet import errors

__all__ = ["replicate", "shard_batch", "unreplicate"]


def _devices(devices: Sequence[Any] | None) -> list[Any]:
    if devices is None:
        return jax.local_devices()
    devices = list(devices)
    if not devices:
        raise errors.JnetValueError("devices must name at least one device, received [].")
    return devices


def _stacked_sharding(devices: list[Any]) -> NamedSharding:
    return NamedSharding(Mesh(np.array(devices), ("devices",)), PartitionSpec("devices"))


def replicate(tree: Any, devices: Sequence[Any] | None = None) -> Any:
    """One copy of ``tree`` per device, stacked on a new leading axis (what ``pmap`` maps over).

    Args:
        tree: a pytree of arrays, e.g. a :class:`jnet.training.TrainState`.
        devices: the devices; default ``jax.local_devices()``.

    Returns:
        The tree with every leaf of shape ``(len(devices), *leaf.shape)``, one row per device.

    Example:
        >>> replicate({"w": np.ones(2)}, jax.devices()[:1])["w"].shape
        (1, 2)
    """
    devices = _devices(devices)
    sharding = _stacked_sharding(devices)

    def put(leaf):
        leaf = jnp.asarray(leaf)
        return jax.device_put(jnp.broadcast_to(leaf[None], (len(devices), *leaf.shape)), sharding)

    return jax.tree_util.tree_map(put, tree)


def shard_batch(batch: Any, devices: Sequence[Any] | None = None) -> Any:
    """Splits every array of ``batch`` along its leading axis into one shard per device.

    Args:
        batch: a pytree of arrays sharing their leading (batch) axis, e.g. ``(x, y)``; None
            leaves (no sample weights) stay None.
        devices: the devices; default ``jax.local_devices()``.

    Returns:
        The batch with every leaf reshaped to ``(len(devices), batch / len(devices), ...)``.

    Raises:
        JnetValueError: the batch size does not divide by the number of devices.

    Example:
        >>> shard_batch(np.zeros((6, 3)), jax.devices()[:1]).shape
        (1, 6, 3)
    """
    devices = _devices(devices)
    n = len(devices)
    leaves = jax.tree_util.tree_leaves(batch)
    if not leaves:
        raise errors.JnetValueError("shard_batch received a batch with no arrays.")
    size = int(np.shape(leaves[0])[0]) if np.ndim(leaves[0]) else 0
    for leaf in leaves:
        if np.ndim(leaf) == 0 or int(np.shape(leaf)[0]) != size:
            raise errors.JnetValueError(
                f"shard_batch expects arrays that share their leading (batch) axis, received "
                f"shapes {[tuple(np.shape(a)) for a in leaves]}."
            )
    if size % n:
        lower, upper = size // n * n, -(-size // n) * n
        raise errors.JnetValueError(
            f"shard_batch cannot split a batch of {size} rows evenly over {n} devices: pmap "
            f"needs equal shards. Use a batch size that is a multiple of {n} (e.g. {upper}"
            f"{f' or {lower}' if lower else ''}), drop the last partial batch, or train with "
            f"jnet.distribution.DataParallel, whose fit handles uneven batches."
        )
    sharding = _stacked_sharding(devices)

    def split(leaf):
        leaf = np.asarray(leaf) if not isinstance(leaf, jax.Array) else leaf
        return jax.device_put(leaf.reshape(n, size // n, *leaf.shape[1:]), sharding)

    return jax.tree_util.tree_map(split, batch)


def unreplicate(tree: Any) -> Any:
    """The first device's copy of a replicated tree (pmap keeps every copy identical).

    Example:
        >>> unreplicate({"w": np.ones((4, 2))})["w"].shape
        (2,)
    """
    return jax.tree_util.tree_map(lambda leaf: leaf[0], tree)
