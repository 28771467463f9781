"""Data- and model-parallel throughput: ``fit`` under ``DataParallel`` on 1, 2, 4 and 8
devices, and under ``ModelParallel`` on a 2x4 (data x model) mesh of 8.

Each device count runs in its own worker process (the device count is fixed when JAX
starts). On CPU the devices are simulated (``--xla_force_host_platform_device_count``) and
share the same cores, so the figure shows the overhead of partitioning, not a speed-up; on a
machine with GPUs the workers use the real devices (counts above the number present are
skipped). The baseline row is a plain ``fit`` without a distribution. The ``ModelParallel``
row splits the two hidden Dense layers over the 'model' axis (the first by its output
columns, the second by its input rows, Megatron-style) and each batch over 'data': its ratio
against ``DataParallel(8)`` is the overhead of sharding the weights (on simulated CPU devices
the collectives are memory copies; the figure is not a GPU's).

Method, per worker: an MLP (64 -> 512 -> 512 -> 10, adam, sparse categorical cross-entropy)
on synthetic data; one warm-up epoch (the compile), then ``repeats`` timed one-epoch ``fit``
calls, each timed around the call and the fetch of its loss. Reported: the median epoch time,
samples per second, and that over the baseline's.

Usage:
    python benchmarks/distribution.py            # writes benchmarks/results/distribution.json
    python benchmarks/distribution.py --quick    # tiny; writes benchmarks/results/quick/
    python benchmarks/distribution.py --worker 4 # one worker, one JSON line
    python benchmarks/distribution.py --worker 8 --model-parallel  # the ModelParallel row
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
COUNTS = (1, 2, 4, 8)


def _plan(quick: bool) -> dict[str, int]:
    if quick:
        return {"samples": 2048, "batch_size": 256, "repeats": 2}
    return {"samples": 65536, "batch_size": 1024, "repeats": 5}


def _distribution(count: int, model_parallel: bool, devices: list[Any]) -> Any:
    import jnet

    D = jnet.distribution
    if not count:
        return None
    if not model_parallel:
        return D.DataParallel(devices=devices[:count])
    mesh = D.DeviceMesh((2, count // 2), ["data", "model"], devices[:count])
    layout_map = D.LayoutMap(mesh)
    layout_map[".*/hidden_1/kernel"] = (None, "model")
    layout_map[".*/hidden_1/bias"] = ("model",)
    layout_map[".*/hidden_2/kernel"] = ("model", None)
    return D.ModelParallel(layout_map=layout_map)


def run_worker(count: int, quick: bool, model_parallel: bool = False) -> dict[str, Any]:
    """Times ``fit`` with ``count`` devices (0: no distribution) in this process; with
    ``model_parallel``, on a ``(2, count / 2)`` data x model mesh."""
    import jax
    import numpy as np

    import jnet

    plan = _plan(quick)
    devices = jax.devices()
    result: dict[str, Any] = {
        "devices": count, "platform": devices[0].platform, "available": len(devices), **plan,
        "model_parallel": model_parallel,
    }
    if count > len(devices):
        return {**result, "ok": False, "skipped": f"only {len(devices)} devices"}
    rng = np.random.default_rng(0)
    x = rng.normal(size=(plan["samples"], 64)).astype(np.float32)
    y = rng.integers(0, 10, size=plan["samples"]).astype(np.int32)
    jnet.utils.set_random_seed(0)
    model = jnet.Sequential([
        jnet.Input(shape=(64,)),
        jnet.layers.Dense(512, activation="relu", name="hidden_1"),
        jnet.layers.Dense(512, activation="relu", name="hidden_2"),
        jnet.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    dist = _distribution(count, model_parallel, devices)
    if dist is not None:
        jnet.distribution.set_distribution(dist)

    def epoch() -> float:
        start = time.perf_counter()
        history = model.fit(x, y, batch_size=plan["batch_size"], epochs=1, verbose=0)
        loss = float(history.history["loss"][-1])
        result["loss"] = loss
        return time.perf_counter() - start

    result["compile_s"] = epoch()
    times = [epoch() for _ in range(plan["repeats"])]
    median = statistics.median(times)
    return {**result, "ok": True, "times_s": times, "median_s": median,
            "samples_per_s": plan["samples"] / median}


def _run_one(
    count: int, quick: bool, timeout: float, model_parallel: bool = False
) -> dict[str, Any]:
    env = dict(os.environ)
    env["XLA_FLAGS"] = f"--xla_force_host_platform_device_count={max(count, 1)}"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", str(count)]
    if quick:
        cmd.append("--quick")
    if model_parallel:
        cmd.append("--model-parallel")
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"devices": count, "ok": False, "error": f"timed out after {timeout} s"}
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            return json.loads(line)
    return {"devices": count, "ok": False, "error": proc.stderr[-2000:]}


def report(results: list[dict[str, Any]]) -> str:
    """A Markdown table of the workers' results."""
    base = next((r for r in results if r.get("devices") == 0 and r.get("ok")), None)
    lines = [
        "| devices | platform | epoch (median s) | samples/s | vs plain fit | final loss |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        name = "plain fit" if r["devices"] == 0 else f"DataParallel({r['devices']})"
        if r.get("model_parallel"):
            name = f"ModelParallel(2x{r['devices'] // 2})"
        if not r.get("ok"):
            lines.append(f"| {name} | {r.get('platform', '?')} | "
                         f"{r.get('skipped') or 'failed'} | | | |")
            continue
        ratio = f"{r['samples_per_s'] / base['samples_per_s']:.2f}x" if base else ""
        lines.append(
            f"| {name} | {r['platform']} | {r['median_s']:.3f} | {r['samples_per_s']:.0f} | "
            f"{ratio} | {r['loss']:.4f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny data, two repeats")
    parser.add_argument("--worker", type=int, help="run one worker with this many devices")
    parser.add_argument("--counts", default=",".join(map(str, COUNTS)),
                        help="device counts, comma-separated (default 1,2,4,8)")
    parser.add_argument("--output-dir", type=Path, help="where distribution.json goes")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per worker")
    parser.add_argument("--model-parallel", action="store_true",
                        help="with --worker: ModelParallel on a (2, N/2) data x model mesh")
    args = parser.parse_args()
    if args.worker is not None:
        print(json.dumps(run_worker(args.worker, args.quick, args.model_parallel)))
        return
    counts = [0, *(int(c) for c in args.counts.split(","))]
    results = []
    for count in counts:
        result = _run_one(count, args.quick, args.timeout)
        results.append(result)
        print(f"devices={count}: {'ok' if result.get('ok') else result}", file=sys.stderr)
    if max(counts) >= 8:  # the ModelParallel row, against DataParallel(8)
        result = _run_one(8, args.quick, args.timeout, model_parallel=True)
        results.append(result)
        print(f"ModelParallel(2x4): {'ok' if result.get('ok') else result}", file=sys.stderr)
    table = report(results)
    print(table)
    out = args.output_dir or (HERE / "results" / ("quick" if args.quick else ""))
    out.mkdir(parents=True, exist_ok=True)
    path = out / "distribution.json"
    path.write_text(json.dumps({
        "machine": {"platform": platform.platform(), "processor": platform.processor(),
                    "cpus": os.cpu_count()},
        "quick": args.quick, "results": results, "table": table,
    }, indent=2) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
