"""Data parallelism, Keras 3 style: ``DataParallel``, ``set_distribution``, ``distribution``.

With a distribution set, ``fit``, ``evaluate`` and ``predict`` keep one copy of the weights
on every device of a ``jax.sharding.Mesh`` (``NamedSharding(mesh, P())``) and split each batch
along its leading axis over the mesh's batch axis (``NamedSharding(mesh, P('batch'))``, as a
sharding constraint on the batch gathered inside the compiled step). ``jax.jit`` (GSPMD)
partitions the step: the math is the global batch's, so losses, metrics and weights are one
device's numbers, and a batch that does not divide by the device count is padded by XLA,
not dropped.

Across several processes (:func:`jnet.distribution.initialize`), the mesh holds every
process's devices and each process passes ``fit`` its own part of the data: the global batch
is the processes' batches of the same step, concatenated in process order.

Example:
    >>> import numpy as np, jnet
    >>> dist = jnet.distribution.DataParallel()
    >>> model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(3,))])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> with dist.scope():
    ...     h = model.fit(np.ones((10, 3)), np.zeros((10, 1)), batch_size=4, verbose=0)
    >>> len(h.history["loss"])
    1
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec

from jnet import errors

__all__ = [
    "DataParallel",
    "DeviceMesh",
    "distribution",
    "list_devices",
    "set_distribution",
]

_current: list[DataParallel | None] = [None]


def list_devices(device_type: str | None = None) -> list[Any]:
    """All devices of every process (``jax.devices(device_type)``), as Keras's ``list_devices``.

    Example:
        >>> len(list_devices()) >= 1
        True
    """
    return list(jax.devices(device_type) if device_type else jax.devices())


class DeviceMesh:
    """A named grid of devices (Keras's ``DeviceMesh``): a ``jax.sharding.Mesh``.

    Args:
        shape: the grid's shape, e.g. ``(8,)``.
        axis_names: one name per axis, e.g. ``['batch']``.
        devices: the devices, as many as the grid holds; default all (``jax.devices()``).

    Example:
        >>> mesh = DeviceMesh((1,), ["batch"], jax.devices()[:1])
        >>> mesh.axis_names
        ('batch',)
    """

    def __init__(
        self, shape: Sequence[int], axis_names: Sequence[str], devices: Sequence[Any] | None = None
    ):
        shape = tuple(int(s) for s in shape)
        axis_names = tuple(str(a) for a in axis_names)
        if len(shape) != len(axis_names) or not shape:
            raise errors.JnetValueError(
                f"DeviceMesh: shape and axis_names must have the same (non-zero) length, "
                f"received shape={shape} and axis_names={list(axis_names)}."
            )
        devices = list(jax.devices() if devices is None else devices)
        if int(np.prod(shape)) != len(devices):
            raise errors.JnetValueError(
                f"DeviceMesh: shape {shape} holds {int(np.prod(shape))} devices, received "
                f"{len(devices)} devices."
            )
        self.shape = shape
        self.axis_names = axis_names
        self.devices = np.array(devices, dtype=object).reshape(shape)
        self.jax_mesh = Mesh(self.devices, axis_names)

    def __repr__(self) -> str:
        return f"<DeviceMesh shape={self.shape} axis_names={list(self.axis_names)}>"


class DataParallel:
    """Replicates the weights and splits each batch over devices (Keras's ``DataParallel``).

    Args:
        devices: the devices; default every device of every process (``jax.devices()``).
        device_mesh: instead of ``devices``, a :class:`DeviceMesh` or ``jax.sharding.Mesh``;
            its first axis is the batch axis and the batch is replicated over the others.

    Set it for every model with :func:`set_distribution`, or for a block with
    ``with dist.scope():``.

    Example:
        >>> dist = DataParallel(devices=jax.devices()[:1])
        >>> dist.batch_axis, dist.num_devices
        ('batch', 1)
    """

    def __init__(self, devices: Sequence[Any] | None = None, device_mesh: Any = None):
        if devices is not None and device_mesh is not None:
            raise errors.JnetValueError(
                "DataParallel takes devices or device_mesh, not both."
            )
        if device_mesh is None:
            devices = list(jax.devices() if devices is None else devices)
            if not devices:
                raise errors.JnetValueError(
                    "DataParallel: devices must name at least one device, received []."
                )
            if len({id(d) for d in devices}) != len(devices):
                raise errors.JnetValueError(
                    f"DataParallel: devices must be distinct, received {devices}."
                )
            mesh = Mesh(np.array(devices, dtype=object), ("batch",))
        elif isinstance(device_mesh, DeviceMesh):
            mesh = device_mesh.jax_mesh
        elif isinstance(device_mesh, Mesh):
            mesh = device_mesh
        else:
            raise errors.JnetTypeError(
                f"DataParallel: device_mesh must be a jnet.distribution.DeviceMesh or a "
                f"jax.sharding.Mesh, received {errors.describe(device_mesh)}."
            )
        self.mesh = mesh
        self.batch_axis = mesh.axis_names[0]
        self.replicated = NamedSharding(mesh, PartitionSpec())
        self.batch_sharding = NamedSharding(mesh, PartitionSpec(self.batch_axis))
        processes = sorted({d.process_index for d in mesh.devices.flat})
        self.num_processes = len(processes)
        self.multi_process = self.num_processes > 1
        self.process_position = (
            processes.index(jax.process_index()) if jax.process_index() in processes else 0
        )

    @property
    def devices(self) -> list[Any]:
        """The mesh's devices, in order."""
        return list(self.mesh.devices.flat)

    @property
    def num_devices(self) -> int:
        """How many devices share each batch."""
        return int(self.mesh.shape[self.batch_axis])

    def __repr__(self) -> str:
        return (
            f"<DataParallel devices={self.mesh.devices.size} processes={self.num_processes}>"
        )

    @contextlib.contextmanager
    def scope(self) -> Iterator[DataParallel]:
        """Makes this the distribution for the ``with`` block, then restores the previous one."""
        previous = _current[0]
        _current[0] = self
        try:
            yield self
        finally:
            _current[0] = previous

    # -- placement: used by the training loop --------------------------------------------

    def put_replicated(self, tree: Any) -> Any:
        """``tree`` with one copy per device of the mesh (every process must pass the same
        values); leaves already placed that way are kept as they are."""
        return jax.tree_util.tree_map(self._replicate_leaf, tree)

    def _replicate_leaf(self, leaf: Any) -> Any:
        if isinstance(leaf, jax.Array) and leaf.sharding == self.replicated:
            return leaf
        if not self.multi_process:
            return jax.device_put(leaf, self.replicated)
        if isinstance(leaf, jax.Array) and jnp.issubdtype(leaf.dtype, jax.dtypes.prng_key):
            data = self._replicate_leaf(jax.random.key_data(leaf))
            return jax.random.wrap_key_data(data, impl=jax.random.key_impl(leaf))
        host = np.asarray(leaf)
        return jax.make_array_from_callback(host.shape, self.replicated, lambda i: host[i])

    def put_data(self, tree: Any) -> Any:
        """A dataset (a tree of arrays sharing their leading axis), replicated on the mesh.

        With several processes each passes its own rows; the result is every process's rows
        concatenated in process order (the same row count is required of each).
        """
        if not self.multi_process:
            return jax.tree_util.tree_map(lambda a: jax.device_put(a, self.replicated), tree)
        from jax.experimental import multihost_utils

        leaves = jax.tree_util.tree_leaves(tree)
        rows = int(np.shape(leaves[0])[0]) if leaves else 0
        counts = np.asarray(multihost_utils.process_allgather(np.array([rows], np.int64)))
        if len(set(counts.reshape(-1).tolist())) != 1:
            raise errors.JnetValueError(
                f"DataParallel over {self.num_processes} processes: every process must pass "
                f"the same number of samples (its own shard of the data), received "
                f"{counts.reshape(-1).tolist()} (this is process {jax.process_index()})."
            )

        def gather(leaf):
            host = np.asarray(multihost_utils.process_allgather(np.asarray(leaf), tiled=True))
            return jax.make_array_from_callback(host.shape, self.replicated, lambda i: host[i])

        return jax.tree_util.tree_map(gather, tree)

    def global_rows(self, idx: Any, data: Any) -> Any:
        """Row indices of this process's batches into the dataset :meth:`put_data` built.

        ``idx`` ``(k, rows)`` indexes this process's own rows; the global step ``i`` takes
        rows ``idx[i]`` of every process (each process's own order), in process order:
        ``(k, processes * rows)``, the same on every process.
        """
        if not self.multi_process:
            return idx
        from jax.experimental import multihost_utils

        leaves = jax.tree_util.tree_leaves(data)
        local_rows = int(leaves[0].shape[0]) // self.num_processes
        idx = np.asarray(idx)
        mine = idx + np.asarray(self.process_position * local_rows, idx.dtype)
        every = np.asarray(multihost_utils.process_allgather(mine))  # (processes, k, rows)
        return self.put_replicated(np.concatenate(list(every), axis=-1))


def set_distribution(value: DataParallel | None) -> None:
    """Sets the distribution every ``fit``/``evaluate``/``predict`` uses (None: one device).

    Example:
        >>> set_distribution(DataParallel(devices=jax.devices()[:1]))
        >>> distribution().num_devices
        1
        >>> set_distribution(None)
    """
    if value is not None and not isinstance(value, DataParallel):
        raise errors.JnetTypeError(
            f"set_distribution expects a jnet.distribution.DataParallel or None, received "
            f"{errors.describe(value)}."
        )
    _current[0] = value


def distribution() -> DataParallel | None:
    """The distribution set by :func:`set_distribution` or ``scope()``; None by default.

    Example:
        >>> distribution() is None
        True
    """
    return _current[0]
