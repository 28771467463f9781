"""Two processes on 127.0.0.1 (``jax.distributed``, gloo collectives on CPU), each with two
CPU devices and half of the data, train as one process on all of it.

Each process feeds ``fit`` its own interleaved half (global batch ``b`` = process 0's batch
``b`` then process 1's = the single process's batch ``b``) under ``DataParallel()`` over all
four devices, then under ``ModelParallel`` on a 2x2 mesh (one process per 'batch' row, every
kernel split over the 'model' axis of its two devices); both end with the single process's
weights and per-epoch losses and metrics within 1e-5, and the kernels are sharded.
"""

import socket
import subprocess
import sys

from _distribution import ROOT, WORKER, assert_same_numbers, parse, run_worker, worker_env

TIMEOUT = 180


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_two_processes_equal_one_process():
    port = _free_port()
    env = worker_env(XLA_FLAGS="--xla_force_host_platform_device_count=2")
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), "multihost", str(pid), str(port), "2"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
        )
        for pid in range(2)
    ]
    outputs = []
    try:
        for proc in procs:
            out, err = proc.communicate(timeout=TIMEOUT)
            assert proc.returncode == 0, err[-4000:]
            outputs.append(parse(out))
    finally:
        for proc in procs:  # a failed or hung process must not keep the other waiting
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    reference = run_worker("reference")
    for result in outputs:
        assert result["devices"] == 4
        for kind in ("data_parallel", "model_parallel"):
            assert_same_numbers(result[kind], reference, f"process {result['process']} {kind}")
        specs = result["model_parallel"]["specs"]
        kernels = [k for k in specs if k.startswith("params") and k.endswith("['kernel']")]
        assert len(kernels) == 2, sorted(specs)
        assert all(specs[k] == "P('model',)" for k in kernels), specs  # ('model', None)
