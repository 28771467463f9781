"""Data parallelism, Keras 3 style: ``DataParallel``.

With it set, ``fit``, ``evaluate`` and ``predict`` keep one copy of the weights on every
device of a ``jax.sharding.Mesh`` (``NamedSharding(mesh, P())``) and split each batch
along its leading axis over the mesh's batch axis (``NamedSharding(mesh, P('batch'))``, as a
sharding constraint on the batch gathered inside the compiled step). ``jax.jit`` (GSPMD)
partitions the step: the math is the global batch's, so losses, metrics and weights are one
device's numbers, and a batch that does not divide by the device count is padded by XLA,
not dropped. It is the :class:`Distribution` whose every weight is replicated.

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

from collections.abc import Sequence
from typing import Any

import jax
import numpy as np
from jax.sharding import Mesh

from jnet import errors
from jnet.distribution._distribution import Distribution

__all__ = ["DataParallel"]


class DataParallel(Distribution):
    """Replicates the weights and splits each batch over devices (Keras's ``DataParallel``).

    Args:
        devices: the devices; default every device of every process (``jax.devices()``).
        device_mesh: instead of ``devices``, a :class:`DeviceMesh` or ``jax.sharding.Mesh``;
            its first axis is the batch axis and the batch is replicated over the others.
        auto_shard_dataset: Keras's flag; jnet reads each process's arrays as its own shard
            (see :class:`Distribution`).

    Set it for every model with :func:`set_distribution`, or for a block with
    ``with dist.scope():``. (Keras's first positional argument is ``device_mesh``; pass the
    arguments by name to write code both accept.)

    Example:
        >>> dist = DataParallel(devices=jax.devices()[:1])
        >>> dist.batch_axis, dist.num_devices
        ('batch', 1)
    """

    def __init__(
        self,
        devices: Sequence[Any] | None = None,
        device_mesh: Any = None,
        auto_shard_dataset: bool = True,
    ):
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
            device_mesh = Mesh(np.array(devices, dtype=object), ("batch",))
        super().__init__(device_mesh, None, auto_shard_dataset)

    def __repr__(self) -> str:
        return (
            f"<DataParallel devices={self.mesh.devices.size} processes={self.num_processes}>"
        )
