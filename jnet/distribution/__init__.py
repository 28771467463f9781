"""Training across devices and hosts.

Two levels, as in the rest of jnet:

* **pmap, by hand.** :func:`jnet.training.train_step` and ``eval_step`` take ``axis_name``:
  under ``jax.pmap(..., axis_name=...)`` they combine gradients, batch statistics and metrics
  across devices. :func:`replicate`, :func:`shard_batch` and :func:`unreplicate` move the
  state and batches in and out.
* **Data parallelism in fit.** :class:`DataParallel` with :func:`set_distribution` (or
  ``dist.scope()``) makes ``fit``/``evaluate``/``predict`` replicate the weights and split every
  batch over a device mesh, compiled with ``jax.jit`` and ``NamedSharding``.
* **Several hosts.** :func:`initialize` joins the processes; each feeds its own data shard.

Example:
    >>> import jnet
    >>> jnet.distribution.distribution() is None
    True
"""

from jnet.distribution._data_parallel import DataParallel as DataParallel
from jnet.distribution._data_parallel import DeviceMesh as DeviceMesh
from jnet.distribution._data_parallel import distribution as distribution
from jnet.distribution._data_parallel import list_devices as list_devices
from jnet.distribution._data_parallel import set_distribution as set_distribution
from jnet.distribution._multihost import initialize as initialize
from jnet.distribution._replication import replicate as replicate
from jnet.distribution._replication import shard_batch as shard_batch
from jnet.distribution._replication import unreplicate as unreplicate

__all__ = [
    "DataParallel",
    "DeviceMesh",
    "distribution",
    "initialize",
    "list_devices",
    "replicate",
    "set_distribution",
    "shard_batch",
    "unreplicate",
]
