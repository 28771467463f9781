"""Subclassing costs nothing: a custom ``Layer`` and a custom JAX ``train_step`` vs the built-ins.

Three ways to train the same MLP (784 -> 128 (relu) -> 10 logits, Adam(1e-3), sparse
categorical cross-entropy from logits, batch 32, the same synthetic data and the same initial
weights), all with ``fit`` in this one process:

* ``dense``: a functional model of ``Dense`` layers, jnet's built-in step (the baseline);
* ``custom-layer``: the same MLP written as one Keras-style ``jnet.layers.Layer`` subclass
  (``build`` with ``add_weight``, ``call`` with ``jnet.ops``), built-in step; goal: within 5%
  of ``dense``;
* ``custom-step``: the ``dense`` model in a ``jnet.Model`` subclass overriding ``train_step`` in
  Keras's JAX form (``stateless_call``, ``compute_loss``, ``jax.value_and_grad``,
  ``optimizer.stateless_apply``, the loss tracker's ``stateless_update_state``); goal: within
  10% of ``dense``.

Method: each variant's first epoch is its warm-up (compile time reported: that epoch minus the
median); then ``repeats`` rounds, each timing one epoch of every variant in turn (interleaved,
so load changes hit all three alike), each timed around ``fit`` (which returns the epoch's
loss as a Python float, so the device work is finished). Reported: the median epoch time,
samples per second and the ratio to ``dense``.

Usage:
    python benchmarks/subclassing.py          # writes benchmarks/results/subclassing.md
    python benchmarks/subclassing.py --quick  # tiny; prints the table only
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
GOALS = {"dense": None, "custom-layer": 0.05, "custom-step": 0.10}


def _plan(quick: bool) -> dict[str, int]:
    if quick:
        return {"samples": 512, "batch_size": 32, "repeats": 2, "features": 16, "hidden": 8}
    return {"samples": 60000, "batch_size": 32, "repeats": 7, "features": 784, "hidden": 128}


def _models(features: int, hidden: int) -> dict[str, Any]:
    import jax

    import jnet

    class MLPLayer(jnet.layers.Layer):
        """The MLP as one Keras-style layer."""

        def __init__(self, hidden, classes, **kwargs):
            super().__init__(**kwargs)
            self.hidden, self.classes = hidden, classes

        def build(self, input_shape):
            self.w1 = self.add_weight(shape=(input_shape[-1], self.hidden),
                                      initializer="glorot_uniform", name="w1")
            self.b1 = self.add_weight(shape=(self.hidden,), initializer="zeros", name="b1")
            self.w2 = self.add_weight(shape=(self.hidden, self.classes),
                                      initializer="glorot_uniform", name="w2")
            self.b2 = self.add_weight(shape=(self.classes,), initializer="zeros", name="b2")

        def call(self, inputs):
            # bias[None] broadcasts explicitly (tests run with rank promotion 'raise')
            x = jnet.ops.relu(jnet.ops.matmul(inputs, self.w1) + self.b1[None])
            return jnet.ops.matmul(x, self.w2) + self.b2[None]

    class CustomStep(jnet.Model):
        """Keras's JAX ``train_step`` (the 'customizing fit() with JAX' guide's form)."""

        def train_step(self, state, data):
            trainable, non_trainable, optimizer_variables, metrics_variables = state
            x, y = data

            def loss_fn(trainable, non_trainable):
                y_pred, non_trainable = self.stateless_call(trainable, non_trainable, x,
                                                            training=True)
                return self.compute_loss(x, y, y_pred), (y_pred, non_trainable)

            (loss, (y_pred, non_trainable)), grads = jax.value_and_grad(
                loss_fn, has_aux=True)(trainable, non_trainable)
            trainable, optimizer_variables = self.optimizer.stateless_apply(
                optimizer_variables, grads, trainable)
            new_metrics, logs = [], {}
            for metric in self.metrics:
                own = metrics_variables[len(new_metrics):len(new_metrics) + len(metric.variables)]
                if metric.name == "loss":
                    own = metric.stateless_update_state(own, loss)
                else:
                    own = metric.stateless_update_state(own, y, y_pred)
                logs[metric.name] = metric.stateless_result(own)
                new_metrics += list(own)
            return logs, (trainable, non_trainable, optimizer_variables, new_metrics)

    def dense_graph():
        inputs = jnet.Input(shape=(features,))
        hidden_out = jnet.layers.Dense(hidden, activation="relu")(inputs)
        return inputs, jnet.layers.Dense(10)(hidden_out)

    dense = jnet.Model(*dense_graph())
    inputs = jnet.Input(shape=(features,))
    layer = jnet.Model(inputs, MLPLayer(hidden, 10)(inputs))
    step = CustomStep(*dense_graph())
    weights = dense.get_weights()
    for model in (layer, step):
        model.set_weights(weights)
    return {"dense": dense, "custom-layer": layer, "custom-step": step}


def run(quick: bool = False) -> dict[str, Any]:
    """Times the three variants; returns ``{'plan', 'rows'}``."""
    import jax
    import numpy as np

    import jnet

    plan = _plan(quick)
    jnet.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.random((plan["samples"], plan["features"]), dtype=np.float32)
    y = rng.integers(0, 10, plan["samples"]).astype("int32")
    models = _models(plan["features"], plan["hidden"])
    for model in models.values():
        model.compile(optimizer=jnet.optimizers.Adam(1e-3),
                      loss=jnet.losses.SparseCategoricalCrossentropy(from_logits=True))

    def epoch(model):
        start = time.perf_counter()
        history = model.fit(x, y, batch_size=plan["batch_size"], epochs=1, shuffle=False,
                            verbose=0)
        return time.perf_counter() - start, history.history["loss"][-1]

    first = {name: epoch(model)[0] for name, model in models.items()}
    times: dict[str, list[float]] = {name: [] for name in models}
    losses: dict[str, float] = {}
    for _ in range(plan["repeats"]):
        for name, model in models.items():
            seconds, losses[name] = epoch(model)
            times[name].append(seconds)
    base = statistics.median(times["dense"])
    rows = []
    for name in models:
        median = statistics.median(times[name])
        goal = GOALS[name]
        rows.append({
            "variant": name,
            "compile_s": max(first[name] - median, 0.0),
            "median_s": median,
            "times_s": times[name],
            "samples_per_s": plan["samples"] / median,
            "ratio": median / base,
            "goal": goal,
            "met": None if goal is None else median / base <= 1.0 + goal,
            "final_loss": losses[name],
        })
    return {"plan": plan, "rows": rows, "devices": [str(d) for d in jax.devices()]}


def table(report: dict[str, Any]) -> str:
    """The report as a Markdown table."""
    lines = [
        "| variant | first epoch - median (compile) | median epoch | timed epochs | samples/s "
        "| time / dense | goal | met | final loss |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in report["rows"]:
        goal = "baseline" if r["goal"] is None else f"<= {1 + r['goal']:.2f}x"
        met = "" if r["met"] is None else ("yes" if r["met"] else "**no**")
        timed = ", ".join(f"{t:.3g}" for t in r["times_s"])
        lines.append(
            f"| {r['variant']} | {r['compile_s']:.2f} s | {r['median_s']:.3f} s | {timed} s "
            f"| {r['samples_per_s']:,.0f} | {r['ratio']:.3f}x | {goal} | {met} "
            f"| {r['final_loss']:.5f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, print only")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    report = run(args.quick)
    text = table(report)
    print(text)
    if args.quick:
        return
    plan = report["plan"]
    header = (
        "# Subclassing: custom Layer and custom JAX train_step vs the built-ins\n\n"
        f"Command: `python benchmarks/subclassing.py` ({time.strftime('%Y-%m-%dT%H:%M:%S')})"
        "\n\n"
        f"- Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; devices: {', '.join(report['devices'])}\n"
        f"- 1-minute load average: {load:.2f} before the run, {os.getloadavg()[0]:.2f} after\n"
        f"- MLP {plan['features']}-{plan['hidden']}(relu)-10 logits, Adam(1e-3), sparse "
        f"categorical cross-entropy from logits, batch {plan['batch_size']}, "
        f"{plan['samples']:,} samples, same initial weights; medians over {plan['repeats']} "
        "interleaved epochs after one warm-up epoch each\n\n"
    )
    (HERE / "results" / "subclassing.md").write_text(header + text + "\n")


if __name__ == "__main__":
    main()
