"""Speed of ``jnet.ops``: each op against the jax function it wraps, and a layer written with it.

Two parts, each in its own worker process (``ops.py --worker NAME`` prints one JSON line);
``ops.py`` without ``--worker`` runs them all, prints a Markdown report and writes it to
``benchmarks/results/ops.md``, every number to ``benchmarks/results/ops.json`` (``--quick``:
``benchmarks/results/quick/``). Nothing is gated on the figures: they are reported.

1. **Ops** (worker ``ops``): for 20 ops across the families (:data:`CASES`), ``jnet.ops.X`` and
   the jax function it wraps, called on the same device arrays with the same arguments. Both
   are timed eagerly (each call timed alone with ``time.perf_counter`` around the call and
   ``jax.block_until_ready``; µs per call) and under ``jax.jit`` (the same), after warm-up calls
   that are not timed; the first jitted call of each side is reported as its compile time. The
   two sides run in one process, **interleaved**: ``rounds`` rounds of ``calls`` calls, the
   side that goes first alternating from round to round, and the median over every timed call.
   Interleaving puts both sides under the same load (this machine is shared: a separate
   process per side would time the two at different moments, and a load burst of a few
   seconds would decide a 20 µs ratio); nothing is shared between the sides that could favour
   one (each has its own jitted function, each warmed up). The report also says whether the
   two jitted programs are the same XLA program (optimized HLO compared with source locations
   stripped): where they are, the jitted ratio can only be noise.
2. **Training** (workers ``train-ops``, ``train-jnp``, ``train-dense``): an MLP 784-256-10
   (Adam(1e-3), sparse categorical cross-entropy, batch 32, 60,000 generated samples) in
   ``jnet.Sequential`` trained with ``fit``, its hidden layer written three ways: a
   ``jnet.layers.Layer`` subclass written Flax-style with its math in ``jnet.ops``
   (:class:`OpsDense`), the same layer in ``jax.numpy`` (:class:`JnpDense`), and jnet's own
   ``Dense(256, activation='relu')`` for reference. Each in its own processes (two per side,
   spawned in alternating order: ops, jnp, dense, dense, jnp, ops), from the same initial
   weights and the same shuffle seed; in each, a warm-up epoch (reported as the compile time),
   then ``repeats`` timed one-epoch ``fit`` calls, each timed around the call and the fetch of
   its loss; the median over a side's timed epochs gives samples/s. The final losses must
   agree (the same model). The ops worker also compiles the two hidden layers and says
   whether their XLA programs are the same.

Usage:
    python benchmarks/ops.py                       # what `make bench` runs (4-6 minutes)
    python benchmarks/ops.py --quick               # small: 1 timed epoch, few calls
    python benchmarks/ops.py --worker ops --quick  # one worker, one JSON line
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import flax.linen as nn
import jax
import jax.numpy as jnp
import jax.scipy.special as jss
import numpy as np
import workloads
from jax import lax

import jnet
from jnet import ops
from jnet.training import dispatch

HERE = Path(__file__).resolve().parent
TRAIN_SIDES = ("train-ops", "train-jnp", "train-dense")
WORKERS = ("ops", *TRAIN_SIDES)
HIDDEN = 256
BATCH_SIZE = 32
DEFAULT_TIMEOUT_S = 300


# -- part 1: the ops and the jax functions they wrap -------------------------------------------


@dataclass(frozen=True)
class Case:
    """One op: ``jnet`` and ``jax`` take the same arrays, made by ``inputs(rng)``."""

    name: str
    reference: str  # the jax function, as the report names it
    jnet: Callable[..., Any]
    jax: Callable[..., Any]
    inputs: Callable[[np.random.Generator], tuple[np.ndarray, ...]]


def _normal(*shape: int) -> Callable[[np.random.Generator], np.ndarray]:
    return lambda rng: rng.standard_normal(shape, dtype=np.float32)


def _args(*makers: Callable[[np.random.Generator], np.ndarray]):
    return lambda rng: tuple(make(rng) for make in makers)


_ROWS, _COLS = 128, 256  # a typical activation: batch 128 x 256 features
_X = _normal(_ROWS, _COLS)
_IMAGES = _normal(8, 32, 32, 16)
_LN_EPS = 1e-5


def _layer_norm(x, gamma, beta):
    mean = jnp.mean(x, axis=-1, keepdims=True)
    return (x - mean) * lax.rsqrt(jnp.var(x, axis=-1, keepdims=True) + _LN_EPS) * gamma + beta


CASES: tuple[Case, ...] = (
    Case("add", "jnp.add", ops.add, jnp.add, _args(_X, _X)),
    Case("multiply", "jnp.multiply", ops.multiply, jnp.multiply, _args(_X, _X)),
    Case("mean", "jnp.mean", lambda x: ops.mean(x, axis=-1), lambda x: jnp.mean(x, axis=-1),
         _args(_X)),
    Case("sum", "jnp.sum", lambda x: ops.sum(x, axis=-1), lambda x: jnp.sum(x, axis=-1),
         _args(_X)),
    Case("matmul", "jnp.matmul", ops.matmul, jnp.matmul, _args(_X, _normal(_COLS, _COLS))),
    Case("einsum", "jnp.einsum", lambda q, k: ops.einsum("bhqd,bhkd->bhqk", q, k),
         lambda q, k: jnp.einsum("bhqd,bhkd->bhqk", q, k),
         _args(_normal(8, 4, 32, 16), _normal(8, 4, 32, 16))),
    Case("softmax", "jax.nn.softmax", ops.softmax, jax.nn.softmax, _args(_X)),
    Case("relu", "jax.nn.relu", ops.relu, jax.nn.relu, _args(_X)),
    Case("conv", "lax.conv_general_dilated",
         lambda x, k: ops.conv(x, k, padding="same"),
         lambda x, k: lax.conv_general_dilated(x, k, (1, 1), "SAME",
                                               dimension_numbers=("NHWC", "HWIO", "NHWC")),
         _args(_IMAGES, _normal(3, 3, 16, 32))),
    Case("max_pool", "lax.reduce_window(max)", lambda x: ops.max_pool(x, 2),
         lambda x: lax.reduce_window(x, -jnp.inf, lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID"),
         _args(_IMAGES)),
    Case("logsumexp", "jax.scipy.special.logsumexp", lambda x: ops.logsumexp(x, axis=-1),
         lambda x: jss.logsumexp(x, axis=-1), _args(_X)),
    Case("top_k", "lax.top_k", lambda x: ops.top_k(x, 5), lambda x: lax.top_k(x, 5), _args(_X)),
    Case("sort", "jnp.sort", ops.sort, jnp.sort, _args(_X)),
    Case("concatenate", "jnp.concatenate", lambda a, b: ops.concatenate([a, b], axis=-1),
         lambda a, b: jnp.concatenate([a, b], axis=-1), _args(_X, _X)),
    Case("reshape", "jnp.reshape", lambda x: ops.reshape(x, (_COLS, _ROWS)),
         lambda x: jnp.reshape(x, (_COLS, _ROWS)), _args(_X)),
    Case("where", "jnp.where", lambda c, a, b: ops.where(c, a, b), jnp.where,
         lambda rng: (rng.random((_ROWS, _COLS)) > 0.5, *_args(_X, _X)(rng))),
    Case("one_hot", "jax.nn.one_hot", lambda x: ops.one_hot(x, 10),
         lambda x: jax.nn.one_hot(x, 10), lambda rng: (rng.integers(0, 10, 1024, np.int32),)),
    Case("layer_normalization", "jnp formula (mean, var, rsqrt)",
         lambda x, g, b: ops.layer_normalization(x, g, b, epsilon=_LN_EPS), _layer_norm,
         _args(_X, _normal(_COLS), _normal(_COLS))),
    Case("image.resize", "jax.image.resize",
         lambda x: ops.image.resize(x, (64, 64)),
         lambda x: jax.image.resize(x, (8, 64, 64, 3), "bilinear", antialias=False),
         _args(_normal(8, 32, 32, 3))),
    Case("linalg.solve", "jnp.linalg.solve", ops.linalg.solve, jnp.linalg.solve,
         lambda rng: (rng.standard_normal((64, 64), dtype=np.float32)
                      + 8 * np.eye(64, dtype=np.float32),
                      rng.standard_normal((64, 8), dtype=np.float32))),
)


def case_inputs(case: Case, seed: int = 0) -> tuple[jax.Array, ...]:
    """The case's inputs as device arrays (so neither side converts anything)."""
    return tuple(jnp.asarray(a) for a in case.inputs(np.random.default_rng(seed)))


def _time_call(fn: Callable[..., Any], args: tuple) -> float:
    start = time.perf_counter()
    jax.block_until_ready(fn(*args))
    return time.perf_counter() - start


def time_pair(fns: dict[str, Callable[..., Any]], args: tuple, rounds: int,
              calls: int) -> dict[str, list[float]]:
    """Per-call seconds of each function in ``fns``, interleaved: ``rounds`` rounds of
    ``calls`` calls per function, the first function of a round alternating."""
    names = list(fns)
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        for name in names if r % 2 == 0 else names[::-1]:
            times[name] += [_time_call(fns[name], args) for _ in range(calls)]
    return times


def _program(fn: Callable[..., Any], args: tuple) -> str:
    """The optimized HLO of ``jax.jit(fn)`` on ``args``, without the module header, source
    locations and the numbering of instruction names (``%add.3`` -> ``%add``)."""
    text = jax.jit(fn).lower(*args).compile().as_text()
    body = text[text.find("\n%") if "\n%" in text else text.find("ENTRY"):]
    body = re.sub(r", metadata=\{[^}]*\}", "", body)
    return re.sub(r"(%[A-Za-z_][\w.-]*?)(\.\d+)+\b", r"\1", body)


def same_layer_programs() -> dict[str, bool]:
    """Whether :class:`OpsDense` and :class:`JnpDense` compile to the same XLA program, forward
    and forward + gradient, on a batch of 32 (the rest of the training model is identical)."""
    x = jnp.ones((BATCH_SIZE, workloads.FEATURES), jnp.float32)

    def programs(layer: nn.Module) -> tuple[str, str]:
        params = layer.init(jax.random.key(0), x)
        forward = _program(lambda p, x: layer.apply(p, x), (params, x))
        grad = _program(lambda p, x: jax.grad(lambda p: layer.apply(p, x).sum())(p), (params, x))
        return forward, grad

    ops_programs, jnp_programs = programs(OpsDense(HIDDEN)), programs(JnpDense(HIDDEN))
    return {"forward": ops_programs[0] == jnp_programs[0],
            "gradient": ops_programs[1] == jnp_programs[1]}


def run_ops_worker(quick: bool, names: list[str] | None = None) -> dict[str, Any]:
    """Times every case (or those in ``names``) in this process; a failing case is a row."""
    rounds, calls = (4, 10) if quick else (10, 40)
    warmup = 5
    jax.block_until_ready(jax.jit(lambda x: x + 1)(jnp.ones(3)))  # jit's one-time costs
    rows = []
    for i, case in enumerate(CASES):
        if names and case.name not in names:
            continue
        row: dict[str, Any] = {"op": case.name, "reference": case.reference, "ok": False}
        try:
            args = case_inputs(case)
            row["shapes"] = [list(a.shape) for a in args]
            eager = {"jnet": lambda *a, f=case.jnet: f(*a), "jax": lambda *a, f=case.jax: f(*a)}
            jitted = {"jnet": jax.jit(eager["jnet"]), "jax": jax.jit(eager["jax"])}
            order = ["jnet", "jax"] if i % 2 == 0 else ["jax", "jnet"]
            for side in order:  # the first jitted call: trace + compile + run
                row[f"{side}_compile_ms"] = _time_call(jitted[side], args) * 1e3
            for fns in (eager, jitted):
                for side in order:
                    for _ in range(warmup):
                        _time_call(fns[side], args)
            for mode, fns in (("eager", eager), ("jit", jitted)):
                times = time_pair({s: fns[s] for s in order}, args, rounds, calls)
                for side in order:
                    row[f"{side}_{mode}_us"] = statistics.median(times[side]) * 1e6
                row[f"{mode}_ratio"] = row[f"jnet_{mode}_us"] / row[f"jax_{mode}_us"]
            row["same_program"] = _program(eager["jnet"], args) == _program(eager["jax"], args)
            row["ok"] = True
        except Exception as exc:  # noqa: BLE001 - a failing op is a row in the table
            row["error"] = f"{type(exc).__name__}: {exc}"[:300]
        rows.append(row)
    return {"worker": "ops", "ok": all(r["ok"] for r in rows), "quick": quick,
            "rounds": rounds, "calls_per_round": calls, "warmup_calls": warmup,
            "device": _device(), "rows": rows, "layer_same_program": same_layer_programs()}


# -- part 2: a layer written with jnet.ops, trained with fit ------------------------------------


class OpsDense(jnet.layers.Layer):
    """``relu(inputs @ kernel + bias)`` written Flax-style, its math in ``jnet.ops``.

    Example:
        >>> import jax, jax.numpy as jnp
        >>> layer = OpsDense(3)
        >>> variables = layer.init(jax.random.key(0), jnp.ones((2, 4)))
        >>> layer.apply(variables, jnp.ones((2, 4))).shape
        (2, 3)
    """

    units: int
    KERAS_WEIGHTS: ClassVar[tuple[tuple[str, ...], ...]] = (("params", "kernel"),
                                                            ("params", "bias"))

    @nn.compact
    def __call__(self, inputs, training: bool = False):
        kernel = self.param("kernel", nn.initializers.glorot_uniform(),
                            (inputs.shape[-1], self.units), jnp.float32)
        bias = self.param("bias", nn.initializers.zeros, (self.units,), jnp.float32)
        return ops.relu(ops.add(ops.matmul(inputs, kernel), bias))


class JnpDense(jnet.layers.Layer):
    """The same layer as :class:`OpsDense`, its math in ``jax.numpy``.

    Example:
        >>> import jax, jax.numpy as jnp
        >>> layer = JnpDense(3)
        >>> variables = layer.init(jax.random.key(0), jnp.ones((2, 4)))
        >>> layer.apply(variables, jnp.ones((2, 4))).shape
        (2, 3)
    """

    units: int
    KERAS_WEIGHTS: ClassVar[tuple[tuple[str, ...], ...]] = (("params", "kernel"),
                                                            ("params", "bias"))

    @nn.compact
    def __call__(self, inputs, training: bool = False):
        kernel = self.param("kernel", nn.initializers.glorot_uniform(),
                            (inputs.shape[-1], self.units), jnp.float32)
        bias = self.param("bias", nn.initializers.zeros, (self.units,), jnp.float32)
        return jnp.maximum(jnp.dot(inputs, kernel) + bias, 0.0)


def build_model(side: str) -> Any:
    """The compiled MLP whose hidden layer is written as ``side`` says."""
    hidden = {
        "train-ops": lambda: OpsDense(HIDDEN),
        "train-jnp": lambda: JnpDense(HIDDEN),
        "train-dense": lambda: jnet.layers.Dense(HIDDEN, activation="relu"),
    }
    if side not in hidden:
        raise ValueError(f"unknown training side {side!r}; expected one of {TRAIN_SIDES}")
    model = jnet.Sequential([
        jnet.Input(shape=(workloads.FEATURES,)),
        hidden[side](),
        jnet.layers.Dense(workloads.CLASSES, activation="softmax"),
    ])
    model.compile(optimizer=jnet.optimizers.Adam(learning_rate=1e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def initial_weights() -> list[np.ndarray]:
    """Glorot-uniform kernels and zero biases drawn with numpy, the same for every side."""
    rng = np.random.default_rng(workloads.SEED + 1)
    weights = []
    for fan_in, fan_out in ((workloads.FEATURES, HIDDEN), (HIDDEN, workloads.CLASSES)):
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        weights += [rng.uniform(-limit, limit, (fan_in, fan_out)).astype(np.float32),
                    np.zeros(fan_out, np.float32)]
    return weights


def run_train_worker(side: str, quick: bool, repeats: int | None) -> dict[str, Any]:
    """Trains ``side``'s model: a warm-up epoch, then ``repeats`` timed one-epoch fits."""
    repeats = repeats or (1 if quick else 3)
    data = workloads.make_data("mlp", quick)
    result: dict[str, Any] = {"worker": side, "ok": False, "quick": quick,
                              "samples": len(data.x), "batch_size": BATCH_SIZE,
                              "repeats": repeats}
    try:
        jnet.utils.set_random_seed(workloads.SEED)
        model = build_model(side)
        model.set_weights(initial_weights())

        def epoch() -> float:
            history = model.fit(data.x, data.y, batch_size=BATCH_SIZE, epochs=1, verbose=0)
            return float(np.asarray(history.history["loss"][-1]))

        start = time.perf_counter()
        epoch()
        result["compile_s"] = time.perf_counter() - start
        times, loss = [], None
        for _ in range(repeats):
            start = time.perf_counter()
            loss = epoch()
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        result.update(ok=True, times_s=times, median_s=median,
                      samples_per_s=len(data.x) / median, final_loss=loss, device=_device(),
                      # what steps_per_execution='auto' measured: an epoch or a step per dispatch
                      dispatch=sorted(set(dispatch.decisions().values())) or ["scan"])
    except Exception as exc:  # noqa: BLE001 - a failing side is a row in the table
        result["error"] = f"{type(exc).__name__}: {exc}"[:300]
        result["traceback"] = traceback.format_exc()[-3000:]
    return result


def _device() -> str:
    return f"{jax.default_backend()}: {jax.devices()[0].device_kind}"


# -- orchestrator and report -------------------------------------------------------------------


def spawn(worker: str, args: argparse.Namespace) -> dict[str, Any]:
    """Runs one worker in a fresh interpreter and returns its JSON (or the failure)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", worker]
    if args.quick:
        command.append("--quick")
    if args.repeats is not None:
        command += ["--repeats", str(args.repeats)]
    if args.ops:
        command += ["--ops", ",".join(args.ops)]
    # Cold compiles on both sides: jnet's persistent cache would serve one side from disk.
    env = {**os.environ, "JNET_COMPILATION_CACHE": "0"}
    start = time.perf_counter()
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=args.timeout,
                              env=env, cwd=HERE.parent)
    except subprocess.TimeoutExpired:
        return {"worker": worker, "ok": False, "error": f"timed out after {args.timeout} s"}
    result = None
    for line in reversed(proc.stdout.strip().splitlines()):
        if line.startswith("{"):
            result = json.loads(line)
            break
    if result is None:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        result = {"worker": worker, "ok": False,
                  "error": f"worker exited {proc.returncode}: {tail[0]}"}
    result["process_s"] = time.perf_counter() - start
    return result


def training_order(rounds: int) -> list[str]:
    """The training workers to spawn: ``rounds`` rounds, every other round in reverse order,
    so a burst of load on the machine falls on every side alike."""
    order: list[str] = []
    for r in range(rounds):
        order += TRAIN_SIDES if r % 2 == 0 else TRAIN_SIDES[::-1]
    return order


def merge_runs(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One training side's processes as one result: every timed epoch, their median."""
    first = runs[0]
    failed = [r for r in runs if not r.get("ok")]
    if failed:
        return {**failed[0], "processes": len(runs)}
    times = [t for r in runs for t in r["times_s"]]
    median = statistics.median(times)
    return {**first, "processes": len(runs), "times_s": times, "median_s": median,
            "samples_per_s": first["samples"] / median,
            "compile_s": statistics.median(r["compile_s"] for r in runs),
            "final_losses": [r["final_loss"] for r in runs],
            "dispatch": sorted({d for r in runs for d in r.get("dispatch", [])}),
            "process_s": sum(r.get("process_s", 0.0) for r in runs)}


def _us(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def render_ops(result: dict[str, Any]) -> list[str]:
    """The Markdown table of the ops worker's rows."""
    header = ["op", "jax function", "inputs", "eager jnet µs", "eager jax µs", "eager ratio",
              "jit jnet µs", "jit jax µs", "jit ratio", "same XLA program",
              "compile jnet / jax ms"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in result.get("rows", []):
        if not r.get("ok"):
            cells = [r["op"], r["reference"], f"**failed**: {r.get('error', '')}"]
            cells += [""] * (len(header) - len(cells))
        else:
            shapes = ", ".join("x".join(map(str, s)) or "scalar" for s in r["shapes"])
            cells = [f"`{r['op']}`", f"`{r['reference']}`", shapes, _us(r["jnet_eager_us"]),
                     _us(r["jax_eager_us"]), f"{r['eager_ratio']:.2f}x", _us(r["jnet_jit_us"]),
                     _us(r["jax_jit_us"]), f"{r['jit_ratio']:.2f}x",
                     "yes" if r["same_program"] else "no",
                     f"{r['jnet_compile_ms']:.1f} / {r['jax_compile_ms']:.1f}"]
        lines.append("| " + " | ".join(str(c).replace("|", "/") for c in cells) + " |")
    return lines


def summarize_ops(result: dict[str, Any]) -> dict[str, Any]:
    """Medians of the ratios over the ops that ran, and the ops jnet is slowest on."""
    rows = [r for r in result.get("rows", []) if r.get("ok")]
    if not rows:
        return {}
    same = [r["jit_ratio"] for r in rows if r["same_program"]]
    return {
        "ops": len(rows),
        # identical XLA programs: their jitted ratios are this run's noise, nothing else
        "same_program_jit_ratio_range": [min(same), max(same)] if same else None,
        "median_eager_ratio": statistics.median(r["eager_ratio"] for r in rows),
        "median_jit_ratio": statistics.median(r["jit_ratio"] for r in rows),
        "median_eager_overhead_us": statistics.median(
            r["jnet_eager_us"] - r["jax_eager_us"] for r in rows),
        "same_program": sum(bool(r["same_program"]) for r in rows),
        "slowest_eager": max(rows, key=lambda r: r["eager_ratio"])["op"],
    }


def render_training(results: list[dict[str, Any]]) -> list[str]:
    """The Markdown table of the training workers, ratios against the ``jax.numpy`` layer."""
    header = ["hidden layer", "first epoch (compile), median", "timed epochs", "median epoch",
              "samples/s", "final loss", "dispatch", "time / jax.numpy layer's time"]
    names = {"train-ops": "`OpsDense`: jnet.ops (matmul, add, relu)",
             "train-jnp": "`JnpDense`: jax.numpy (dot, +, maximum)",
             "train-dense": "`jnet.layers.Dense(256, activation='relu')`"}
    jnp_row = next((r for r in results if r["worker"] == "train-jnp" and r.get("ok")), None)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in results:
        name = names.get(r["worker"], r["worker"])
        if not r.get("ok"):
            cells = [name, f"**failed**: {r.get('error', '')}"] + [""] * (len(header) - 2)
        else:
            ratio = f"{r['median_s'] / jnp_row['median_s']:.3f}x" if jnp_row else "n/a"
            cells = [name, f"{r['compile_s']:.2f} s",
                     ", ".join(f"{t:.3f}" for t in r["times_s"]) + " s", f"{r['median_s']:.3f} s",
                     f"{r['samples_per_s']:,.0f}", f"{r['final_loss']:.6g}",
                     ", ".join(r.get("dispatch", [])), ratio]
        lines.append("| " + " | ".join(str(c).replace("|", "/") for c in cells) + " |")
    return lines


def render(report: dict[str, Any]) -> str:
    """The whole Markdown report."""
    machine = report["machine"]
    ops_result = next((r for r in report["results"] if r["worker"] == "ops"), None)
    training = [r for r in report["results"] if r["worker"] in TRAIN_SIDES]
    lines = [
        "# Speed of `jnet.ops`: each op against the jax function it wraps",
        "",
        f"Command: `{report['command']}` ({report['date']})",
        "",
        f"- Machine: {machine['cpu_model']}, {machine['cpu_count']} CPUs, {machine['platform']},"
        f" Python {machine['python']}, jax {machine['jax']}",
        f"- 1-minute load average: {machine['load_average_start']:.2f} before the run, "
        f"{machine['load_average_end']:.2f} after (other processes inflate timings)",
        "",
    ]
    if ops_result is not None:
        summary = summarize_ops(ops_result)
        lines += [
            "## Ops: `jnet.ops.X` against the jax function it wraps, same device arrays", "",
            f"Interleaved in one process: {ops_result.get('rounds')} rounds of "
            f"{ops_result.get('calls_per_round')} calls per side and mode, the side going first "
            "alternating; each call timed alone (call + `block_until_ready`), median µs per "
            "call; warm-up calls and the first jitted call (the compile column: trace + compile"
            " + run) excluded. Ratio = jnet / jax (below 1: jnet faster). Device: "
            f"{ops_result.get('device', 'unknown')}.", "",
        ]
        if summary:
            lines += [
                f"Over {summary['ops']} ops: median eager ratio "
                f"{summary['median_eager_ratio']:.2f}x (jnet's argument checks and Keras's "
                f"dtype rules cost a median {summary['median_eager_overhead_us']:.1f} µs per "
                f"eager call; slowest: `{summary['slowest_eager']}`), median jitted ratio "
                f"{summary['median_jit_ratio']:.2f}x; {summary['same_program']} of "
                f"{summary['ops']} compile to the same XLA program as the jax function.", "",
            ]
            spread = summary["same_program_jit_ratio_range"]
            if spread:
                lines += [
                    f"The noise floor of this run: the jitted ratios of identical programs range"
                    f" from {spread[0]:.2f}x to {spread[1]:.2f}x; a ratio inside that range is "
                    "no difference.", "",
                ]
        if ops_result.get("error"):
            lines += [f"**ops worker failed**: {ops_result['error']}", ""]
        lines += render_ops(ops_result) + [""]
    if training:
        first = next((r for r in training if "samples" in r), {})
        lines += [
            "## Training: a custom layer written with `jnet.ops` against the same layer in "
            "`jax.numpy`", "",
            f"MLP 784-256(relu)-10(softmax) in `jnet.Sequential`, Adam(1e-3), sparse "
            f"categorical cross-entropy + accuracy, batch {BATCH_SIZE}, "
            f"{first.get('samples', 0):,} generated samples, `fit` with its defaults; each side"
            f" in its own processes ({first.get('processes', 1)} per side, spawned in "
            "alternating order so that load bursts fall on every side alike), from the same "
            "initial weights and shuffle seed; in each, a warm-up epoch (the compile), then "
            f"{first.get('repeats', 0)} one-epoch `fit` calls timed around the call and the "
            "fetch of the loss; median over all timed epochs of a side.", "",
        ]
        same = (ops_result or {}).get("layer_same_program")
        if same:
            lines += [
                "Compiled on a batch of 32, `OpsDense` and `JnpDense` give "
                f"{'the same' if same['forward'] else 'different'} XLA forward programs and "
                f"{'the same' if same['gradient'] else 'different'} forward + gradient programs"
                + ("" if same["gradient"] else
                   " (`jnp.maximum(x, 0)` splits its gradient at ties, `jax.nn.relu`, which "
                   "`ops.relu` calls, does not: a few more elementwise ops in `JnpDense`'s "
                   "backward pass)") + ".", "",
            ]
        lines += render_training(training) + [""]
    return "\n".join(lines)


def machine_info() -> dict[str, Any]:
    """The machine, the versions and the load before the run."""
    cpu_model = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu_model": cpu_model, "cpu_count": os.cpu_count(), "platform": platform.platform(),
            "python": platform.python_version(), "jax": jax.__version__,
            "jnet": jnet.__version__, "load_average_start": os.getloadavg()[0]}


def orchestrate(args: argparse.Namespace) -> int:
    command = "python benchmarks/ops.py" + "".join(f" {a}" for a in sys.argv[1:])
    machine = machine_info()
    rounds = args.train_rounds or (1 if args.quick else 2)
    queue = ["ops"] if "ops" in args.workers else []
    queue += [w for w in training_order(rounds) if w in args.workers]
    runs: dict[str, list[dict[str, Any]]] = {}
    for worker in queue:
        print(f"[ops-bench] {worker} ...", file=sys.stderr, flush=True)
        result = spawn(worker, args)
        status = "ok" if result.get("ok") else f"FAILED: {result.get('error', 'see rows')}"
        print(f"[ops-bench] {worker}: {status} ({result.get('process_s', 0):.1f} s)",
              file=sys.stderr, flush=True)
        runs.setdefault(worker, []).append(result)
    results = [runs["ops"][0]] if "ops" in runs else []
    results += [merge_runs(runs[w]) for w in TRAIN_SIDES if w in runs]
    machine["load_average_end"] = os.getloadavg()[0]
    report = {"command": command, "date": datetime.datetime.now().isoformat(timespec="seconds"),
              "machine": machine, "results": results}
    ops_result = next((r for r in results if r["worker"] == "ops"), None)
    if ops_result is not None:
        report["ops_summary"] = summarize_ops(ops_result)
    text = render(report)
    print(text)
    out = Path(args.output_dir or (HERE / "results" / ("quick" if args.quick else "")))
    out.mkdir(parents=True, exist_ok=True)
    (out / "ops.md").write_text(text)
    (out / "ops.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"[ops-bench] wrote {out / 'ops.md'}, {out / 'ops.json'}", file=sys.stderr)
    return 0 if all(r.get("ok") for r in results) else 1


def _names(kind: str, valid: tuple[str, ...]):
    def parse(text: str) -> list[str]:
        names = [n.strip() for n in text.split(",") if n.strip()]
        unknown = [n for n in names if n not in valid]
        if unknown or not names:
            raise argparse.ArgumentTypeError(
                f"unknown {kind} {unknown or text!r}; choose from {', '.join(valid)}")
        return names

    return parse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worker", choices=WORKERS,
                        help="run one worker here and print one JSON line")
    parser.add_argument("--workers", type=_names("worker", WORKERS), default=list(WORKERS),
                        help=f"comma-separated workers to run (default: {','.join(WORKERS)})")
    parser.add_argument("--ops", type=_names("op", tuple(c.name for c in CASES)), default=None,
                        help="comma-separated ops to time (default: all)")
    parser.add_argument("--quick", action="store_true",
                        help="small runs for smoke tests (10k samples, 1 timed epoch, few calls)")
    parser.add_argument("--repeats", type=int, default=None,
                        help="timed epochs per training worker (default: 3, or 1 with --quick)")
    parser.add_argument("--train-rounds", type=int, default=None,
                        help="processes per training side, spawned in alternating order "
                             "(default: 2, or 1 with --quick)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S,
                        help="seconds allowed per worker process")
    parser.add_argument("--output-dir", default=None,
                        help="where ops.md and ops.json go (default: benchmarks/results/, or "
                             "benchmarks/results/quick/ with --quick)")
    args = parser.parse_args(argv)
    if args.repeats is not None and args.repeats < 1:
        parser.error("--repeats must be at least 1")
    if args.train_rounds is not None and args.train_rounds < 1:
        parser.error("--train-rounds must be at least 1")
    if args.worker == "ops":
        result = run_ops_worker(args.quick, args.ops)
    elif args.worker:
        result = run_train_worker(args.worker, args.quick, args.repeats)
    else:
        return orchestrate(args)
    print(json.dumps(result), flush=True)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
