"""Training across devices and hosts.

Three levels, as in the rest of jnet:

* **pmap, by hand.** :func:`jnet.training.train_step` and ``eval_step`` take ``axis_name``:
  under ``jax.pmap(..., axis_name=...)`` they combine gradients, batch statistics and metrics
  across devices. :func:`replicate`, :func:`shard_batch` and :func:`unreplicate` move the
  state and batches in and out.
* **Data and model parallelism in fit** (Keras 3's ``keras.distribution``).
  :class:`DataParallel` or :class:`ModelParallel` with :func:`set_distribution` (or
  ``dist.scope()``) makes ``fit``/``evaluate``/``predict`` place the weights on a
  :class:`DeviceMesh` (replicated, or sharded per a :class:`LayoutMap` of
  :class:`TensorLayout`) and split every batch over its batch axis, compiled with ``jax.jit``
  and ``NamedSharding``.
* **Several hosts.** :func:`initialize` joins the processes; each feeds its own data shard.

Example:
    >>> import jnet
    >>> jnet.distribution.distribution() is None
    True
"""

from jnet.distribution._data_parallel import DataParallel as DataParallel
from jnet.distribution._distribution import Distribution as Distribution
from jnet.distribution._distribution import distribution as distribution
from jnet.distribution._distribution import set_distribution as set_distribution
from jnet.distribution._layout_map import LayoutMap as LayoutMap
from jnet.distribution._mesh import DeviceMesh as DeviceMesh
from jnet.distribution._mesh import TensorLayout as TensorLayout
from jnet.distribution._mesh import distribute_tensor as distribute_tensor
from jnet.distribution._mesh import get_device_count as get_device_count
from jnet.distribution._mesh import list_devices as list_devices
from jnet.distribution._model_parallel import ModelParallel as ModelParallel
from jnet.distribution._multihost import initialize as initialize
from jnet.distribution._replication import replicate as replicate
from jnet.distribution._replication import shard_batch as shard_batch
from jnet.distribution._replication import unreplicate as unreplicate

__all__ = [
    "DataParallel",
    "DeviceMesh",
    "Distribution",
    "LayoutMap",
    "ModelParallel",
    "TensorLayout",
    "distribute_tensor",
    "distribution",
    "get_device_count",
    "initialize",
    "list_devices",
    "replicate",
    "set_distribution",
    "shard_batch",
    "unreplicate",
]
