"""``Distribution``: where weights and batches live on a device mesh; the current one.

A distribution places the training state on a ``jax.sharding.Mesh``: every weight on the
``NamedSharding`` its :meth:`Distribution.variable_sharding` gives (replicated for
``DataParallel``; per the layout map for ``ModelParallel``), each optimizer slot like its
weight, everything else (step, metrics, PRNG key) replicated; each batch is split along its
leading axis over the batch axis. ``jax.jit`` (GSPMD) partitions the compiled step from these
placements. The training loop (:mod:`jnet.training.loop`) uses one code path for both.

Example:
    >>> import jax, jnet
    >>> dist = jnet.distribution.DataParallel(devices=jax.devices()[:1])
    >>> with dist.scope():
    ...     distribution() is dist
    True
    >>> distribution() is None
    True
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec

from jnet import errors
from jnet.distribution._mesh import DeviceMesh, TensorLayout

__all__ = ["Distribution", "distribution", "set_distribution"]

_current: list[Distribution | None] = [None]


def _keys(path: tuple[Any, ...]) -> tuple[str, ...]:
    """The dict keys along a pytree key path (namedtuple fields and list indices skipped)."""
    return tuple(str(k.key) for k in path if isinstance(k, jax.tree_util.DictKey))


class Distribution:
    """The base of :class:`DataParallel` and :class:`ModelParallel` (Keras's
    ``Distribution``): a mesh, its batch axis, and where each array goes.

    Args:
        device_mesh: a :class:`DeviceMesh` or a ``jax.sharding.Mesh``.
        batch_dim_name: the mesh axis the batch is split over; default the first.
        auto_shard_dataset: Keras's flag. jnet's ``fit`` always reads each process's arrays
            as that process's own shard of the data (what Keras does with False).

    Example:
        >>> mesh = DeviceMesh((1,), ["batch"], jax.devices()[:1])
        >>> Distribution(mesh).get_data_layout((4, 3)).axes
        ('batch', None)
    """

    def __init__(
        self, device_mesh: Any, batch_dim_name: str | None = None, auto_shard_dataset: bool = True
    ):
        owner = type(self).__name__
        if isinstance(device_mesh, DeviceMesh):
            mesh = device_mesh.jax_mesh
        elif isinstance(device_mesh, Mesh):
            mesh = device_mesh
            device_mesh = DeviceMesh(mesh.devices.shape, mesh.axis_names, mesh.devices)
        else:
            raise errors.JnetTypeError(
                f"{owner}: device_mesh must be a jnet.distribution.DeviceMesh or a "
                f"jax.sharding.Mesh, received {errors.describe(device_mesh)}."
            )
        batch_dim_name = mesh.axis_names[0] if batch_dim_name is None else batch_dim_name
        if batch_dim_name not in mesh.axis_names:
            raise errors.JnetValueError(
                f"{owner}: batch_dim_name must name an axis of the device mesh "
                f"{list(mesh.axis_names)}, received {batch_dim_name!r}."
            )
        self._device_mesh = device_mesh
        self.mesh = mesh
        self.batch_axis = batch_dim_name
        self.auto_shard_dataset = bool(auto_shard_dataset)
        self.replicated = NamedSharding(mesh, PartitionSpec())
        self.batch_sharding = NamedSharding(mesh, PartitionSpec(self.batch_axis))
        processes = sorted({d.process_index for d in mesh.devices.flat})
        self.num_processes = len(processes)
        self.multi_process = self.num_processes > 1
        self.process_position = (
            processes.index(jax.process_index()) if jax.process_index() in processes else 0
        )

    # -- Keras's properties ---------------------------------------------------------------

    @property
    def device_mesh(self) -> DeviceMesh:
        """The :class:`DeviceMesh`."""
        return self._device_mesh

    @property
    def batch_dim_name(self) -> str:
        """The mesh axis each batch is split over."""
        return self.batch_axis

    @property
    def devices(self) -> list[Any]:
        """The mesh's devices, in order."""
        return list(self.mesh.devices.flat)

    @property
    def num_devices(self) -> int:
        """How many devices share each batch (the batch axis's size)."""
        return int(self.mesh.shape[self.batch_axis])

    def get_data_layout(self, data_shape: tuple[int, ...]) -> TensorLayout:
        """The layout of a batch of this shape: split on its first dimension."""
        axes = [None] * len(data_shape)
        axes[0] = self.batch_axis
        return TensorLayout(axes, self._device_mesh)

    def get_tensor_layout(self, path: str) -> TensorLayout | None:
        """The layout of the intermediate tensor ``path``; None (GSPMD chooses)."""
        return None

    @contextlib.contextmanager
    def scope(self) -> Iterator[Distribution]:
        """Makes this the distribution for the ``with`` block, then restores the previous one."""
        previous = _current[0]
        _current[0] = self
        try:
            yield self
        finally:
            _current[0] = previous

    # -- placement: used by the training loop --------------------------------------------

    #: Whether every weight is replicated (no per-path lookup needed).
    replicates_weights = True

    def variable_sharding(self, path: str, shape: tuple[int, ...]) -> NamedSharding:
        """The sharding of the weight at ``path`` (Keras's ``variable.path``) of this shape."""
        return self.replicated

    def put_state(self, state: Any, prefix: str = "") -> Any:
        """A :class:`jnet.training.TrainState` placed on the mesh: each weight per
        :meth:`variable_sharding` (paths under ``prefix``), each optimizer slot like its weight,
        the rest replicated. Leaves already placed so are kept as they are."""
        if self.replicates_weights:
            return self.put_replicated(state)
        params = self.put_variables(state.params, prefix)
        table = {
            _keys(path): (leaf.shape, leaf.sharding)
            for path, leaf in jax.tree_util.tree_leaves_with_path(params)
        }

        def slot(path, leaf):  # the weight whose key path ends this slot's, of its shape
            keys = _keys(path)
            for start in range(len(keys)):
                entry = table.get(keys[start:])
                if entry is not None and entry[0] == np.shape(leaf):
                    return self._place(leaf, entry[1])
            return self._place(leaf, self.replicated)

        return state.replace(
            step=self.put_replicated(state.step),
            params=params,
            model_state=self.put_variables(state.model_state, prefix, skip=1),
            opt_state=jax.tree_util.tree_map_with_path(slot, state.opt_state),
            metric_states=self.put_replicated(state.metric_states),
            rng=self.put_replicated(state.rng),
        )

    def put_variables(self, tree: Any, prefix: str = "", skip: int = 0) -> Any:
        """``tree`` of weights (``{layer: {weight: array}}``; with ``skip=1``, under a
        collection key such as ``'params'``) placed per :meth:`variable_sharding`."""
        if self.replicates_weights:
            return self.put_replicated(tree)

        def place(path, leaf):
            name = prefix + "/".join(_keys(path)[skip:])
            return self._place(leaf, self.variable_sharding(name, tuple(np.shape(leaf))))

        return jax.tree_util.tree_map_with_path(place, tree)

    def put_replicated(self, tree: Any) -> Any:
        """``tree`` with one copy per device of the mesh (every process must pass the same
        values); leaves already placed that way are kept as they are."""
        return jax.tree_util.tree_map(lambda leaf: self._place(leaf, self.replicated), tree)

    def put_on_mesh(self, tree: Any) -> Any:
        """``tree`` with leaves already on this mesh kept where they are, the rest
        replicated."""
        if self.replicates_weights:
            return self.put_replicated(tree)

        def place(leaf):
            sharding = getattr(leaf, "sharding", None)
            if isinstance(sharding, NamedSharding) and sharding.mesh == self.mesh:
                return leaf
            return self._place(leaf, self.replicated)

        return jax.tree_util.tree_map(place, tree)

    def _place(self, leaf: Any, sharding: NamedSharding) -> Any:
        if isinstance(leaf, jax.Array) and leaf.sharding == sharding:
            return leaf
        if not self.multi_process:
            return jax.device_put(leaf, sharding)
        if isinstance(leaf, jax.Array) and jnp.issubdtype(leaf.dtype, jax.dtypes.prng_key):
            data = self._place(jax.random.key_data(leaf), sharding)
            return jax.random.wrap_key_data(data, impl=jax.random.key_impl(leaf))
        if isinstance(leaf, jax.Array) and not leaf.is_fully_addressable:
            return jax.device_put(leaf, sharding)  # a global array: resharded on the devices
        host = np.asarray(leaf)
        return jax.make_array_from_callback(host.shape, sharding, lambda i: host[i])

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
                f"{type(self).__name__} over {self.num_processes} processes: every process "
                f"must pass the same number of samples (its own shard of the data), received "
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

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} device_mesh={self._device_mesh} "
            f"batch_dim_name={self.batch_axis!r} processes={self.num_processes}>"
        )


def set_distribution(value: Distribution | None) -> None:
    """Sets the distribution every ``fit``/``evaluate``/``predict`` uses (None: one device).

    Args:
        value: a :class:`DataParallel` or :class:`ModelParallel`, or None.

    Example:
        >>> from jnet.distribution import DataParallel
        >>> set_distribution(DataParallel(devices=jax.devices()[:1]))
        >>> distribution().num_devices
        1
        >>> set_distribution(None)
    """
    if value is not None and not isinstance(value, Distribution):
        raise errors.JnetTypeError(
            f"set_distribution expects a jnet.distribution.DataParallel, ModelParallel or "
            f"None, received {errors.describe(value)}."
        )
    _current[0] = value


def distribution() -> Distribution | None:
    """The distribution set by :func:`set_distribution` or ``scope()``; None by default.

    Example:
        >>> distribution() is None
        True
    """
    return _current[0]
