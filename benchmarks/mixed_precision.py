"""Mixed precision's throughput: ``fit`` under float32, mixed_bfloat16 and mixed_float16.

Issue 23 asks what a Keras user gets from ``keras.mixed_precision.set_global_policy(...)``:
the benchmark MLP and CNN (``workloads``: the same data, batch 32, Adam(1e-3), sparse
categorical cross-entropy, accuracy) built once under each policy, all in this one process.
On CPUs without bfloat16/float16 arithmetic units XLA emulates the half types, so mixed
precision is expected to be *slower* there; on a GPU it is the point. The report says which
device ran it.

Method: each model's first epoch is its warm-up (compile time reported: that epoch minus the
median); then ``repeats`` rounds, each timing one epoch of every policy in turn (interleaved,
so load changes hit all alike), timed around ``fit`` (which returns host floats, so the work
is finished). Reported: median epoch, samples per second, the ratio to ``float32``, and the
final loss (the policies train alike, to the half type's precision).

Usage:
    python benchmarks/mixed_precision.py          # writes benchmarks/results/mixed_precision.md
    python benchmarks/mixed_precision.py --quick  # small data; prints the table only

Example:
    >>> POLICIES
    ('float32', 'mixed_bfloat16', 'mixed_float16')
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path
from typing import Any

import workloads

HERE = Path(__file__).resolve().parent
POLICIES = ("float32", "mixed_bfloat16", "mixed_float16")
WORKLOADS = ("mlp", "cnn")


def _model(workload: str, policy: str) -> Any:
    import jnet
    from jnet import layers as L

    jnet.mixed_precision.set_global_policy(policy)
    try:
        if workload == "mlp":
            body = [L.Dense(128, activation="relu"), L.Dense(10)]
            shape = (workloads.FEATURES,)
        else:
            body = [L.Conv2D(32, 3, activation="relu"), L.MaxPooling2D(),
                    L.Conv2D(64, 3, activation="relu"), L.MaxPooling2D(), L.Flatten(),
                    L.Dense(128, activation="relu"), L.Dense(10)]
            shape = workloads.IMAGE
        # the last layer's softmax in float32, as Keras's mixed-precision guide writes it
        model = jnet.Sequential([jnet.Input(shape), *body,
                                 L.Activation("softmax", dtype="float32")])
    finally:
        jnet.mixed_precision.set_global_policy("float32")
    model.set_weights(workloads.initial_weights(workload))
    model.compile(optimizer=jnet.optimizers.Adam(1e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def run(quick: bool = False) -> dict[str, Any]:
    """Times every policy on every workload; returns ``{'rows', 'devices'}``."""
    import jax

    rows = []
    for workload in WORKLOADS:
        data = workloads.make_data(workload, quick)
        repeats = 2 if quick else 5
        models = {policy: _model(workload, policy) for policy in POLICIES}

        def epoch(model, data=data):
            start = time.perf_counter()
            history = model.fit(data.x, data.y, batch_size=32, epochs=1, verbose=0)
            return time.perf_counter() - start, history.history["loss"][-1]

        first = {policy: epoch(model)[0] for policy, model in models.items()}
        times: dict[str, list[float]] = {policy: [] for policy in POLICIES}
        losses: dict[str, float] = {}
        for _ in range(repeats):
            for policy, model in models.items():
                seconds, losses[policy] = epoch(model)
                times[policy].append(seconds)
        base = statistics.median(times["float32"])
        for policy in POLICIES:
            median = statistics.median(times[policy])
            rows.append({
                "workload": workload, "policy": policy, "median_s": median,
                "compile_s": max(first[policy] - median, 0.0), "times_s": times[policy],
                "samples_per_s": len(data.x) / median, "ratio": median / base,
                "final_loss": losses[policy],
            })
    return {"rows": rows, "devices": [str(d) for d in jax.devices()]}


def table(report: dict[str, Any]) -> str:
    """The report as a Markdown table."""
    lines = [
        "| workload | policy | first epoch - median (compile) | median epoch | samples/s "
        "| time / float32 | final loss |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in report["rows"]:
        lines.append(
            f"| {r['workload']} | {r['policy']} | {r['compile_s']:.2f} s | {r['median_s']:.3f} s "
            f"| {r['samples_per_s']:,.0f} | {r['ratio']:.2f}x | {r['final_loss']:.4f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small data, print only")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    report = run(args.quick)
    text = table(report)
    print(text)
    if args.quick:
        return
    header = (
        "# Mixed precision: fit under float32, mixed_bfloat16, mixed_float16\n\n"
        f"Command: `python benchmarks/mixed_precision.py` ({time.strftime('%Y-%m-%dT%H:%M:%S')})"
        f"\n\n- Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs; "
        f"devices: {', '.join(report['devices'])}\n"
        f"- 1-minute load average: {load:.2f} before, {os.getloadavg()[0]:.2f} after\n"
        "- Same data, batch 32, Adam(1e-3), initial weights as benchmarks/workloads.py; "
        "medians of 5 interleaved epochs after a warm-up epoch\n\n"
    )
    (HERE / "results" / "mixed_precision.md").write_text(header + text + "\n")


if __name__ == "__main__":
    main()
