"""Several processes (hosts): :func:`initialize` joins this process to the others.

Call it first, before any JAX computation, in every process. Then ``DataParallel()`` spans
every process's devices; each process passes ``fit`` its own shard of the data (the same
number of samples in each), and the global batch is the processes' batches of the same step
concatenated in process order. Training then equals one process training on all the data:
every process ends with the same weights.

Example (two processes on one machine, run once in each with ``process_id`` 0 and 1)::

    jnet.distribution.initialize("127.0.0.1:1234", num_processes=2, process_id=0)
    jnet.distribution.set_distribution(jnet.distribution.DataParallel())
    model.fit(x_shard, y_shard, batch_size=16)  # a global batch of 32
"""

from __future__ import annotations

from typing import Any

import jax

__all__ = ["initialize"]


def initialize(
    coordinator_address: str | None = None,
    num_processes: int | None = None,
    process_id: int | None = None,
    local_device_ids: Any = None,
    job_addresses: str | None = None,
    **kwargs: Any,
) -> None:
    """Starts JAX's multi-process runtime (``jax.distributed.initialize``).

    On CPU the cross-process collectives use gloo. Arguments left None are detected from the
    cluster environment (SLURM, Cloud TPU, ...) where JAX can.

    Args:
        coordinator_address: ``'host:port'`` of process 0, which coordinates.
        num_processes: how many processes take part.
        process_id: this process's index, ``0 <= process_id < num_processes``.
        local_device_ids: this process's devices (default all of its local devices).
        job_addresses: Keras's spelling: a comma-separated list of addresses whose first is
            the coordinator's (used when ``coordinator_address`` is None).
        **kwargs: passed on to ``jax.distributed.initialize`` (e.g. ``initialization_timeout``).

    Example:
        >>> callable(initialize)
        True
    """
    if coordinator_address is None and job_addresses:
        coordinator_address = str(job_addresses).split(",")[0].strip()
    jax.config.update("jax_cpu_collectives_implementation", "gloo")
    jax.distributed.initialize(
        coordinator_address=coordinator_address,
        num_processes=num_processes,
        process_id=process_id,
        local_device_ids=local_device_ids,
        **kwargs,
    )
