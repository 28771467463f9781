"""Training speed of ``fit``: jnet against Keras 3 (TensorFlow and JAX backends) and Flax.

Each side runs in its own worker process (``run.py --worker SIDE WORKLOAD``), which prints one
JSON line; ``run.py`` without ``--worker`` runs every worker in turn, prints a Markdown report
and writes it to ``benchmarks/results/latest.md``, every number to
``benchmarks/results/WORKLOAD.json`` and a chart to ``benchmarks/results/chart.png``
(``--quick`` writes to ``benchmarks/results/quick/``).

Usage:
    python benchmarks/run.py                                  # what `make bench` runs
    python benchmarks/run.py --quick                          # every side, small data, < 3 min
    python benchmarks/run.py --quick --only jnet,flax-scan --workloads hello
    python benchmarks/run.py --worker jnet mlp --quick        # one worker, one JSON line

Method, per worker process: a warm-up fit on the freshly built model (one epoch, five for
``hello``), reported as the compile time; then ``repeats`` timed fit calls (one epoch each, 500
epochs each for ``hello``), each timed with ``time.perf_counter`` around the call and the
fetch of its final loss to the host, so asynchronous dispatch cannot hide work. The report
gives the median, every timed value, samples per second, the final loss, each side's time over
jnet's time and the process's peak resident memory. Then a fresh model is built from the same
initial weights and trained one epoch (100 for ``hello``) without shuffling: that loss must be
the same on every side, and the report shows its relative difference from TensorFlow's.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

import sides
import workloads

HERE = Path(__file__).resolve().parent
DEFAULT_TIMEOUT_S = 300


# -- worker ------------------------------------------------------------------------------------


def run_worker(side: str, workload: str, quick: bool, repeats: int | None) -> dict[str, Any]:
    """Times one side on one workload in this process; never raises."""
    plan = workloads.plan(workload, quick, repeats)
    result: dict[str, Any] = {
        "side": side, "workload": workload, "ok": False, "quick": quick,
        "samples": plan.samples, "batch_size": sides.BATCH_SIZE,
        "warmup_epochs": plan.warmup_epochs, "epochs_per_fit": plan.epochs_per_fit,
        "repeats": plan.repeats,
    }
    try:
        data = workloads.make_data(workload, quick)
        weights = workloads.initial_weights(workload)
        start = time.perf_counter()
        trainer = sides.make(side, workload, data, weights)  # imports + model build
        result["setup_s"] = time.perf_counter() - start

        start = time.perf_counter()
        trainer.fit(plan.warmup_epochs)
        result["compile_s"] = time.perf_counter() - start

        times = []
        loss = accuracy = None
        for _ in range(plan.repeats):
            start = time.perf_counter()
            loss, accuracy = trainer.fit(plan.epochs_per_fit)
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        result.update(
            ok=True,
            times_s=times,
            median_s=median,
            median_epoch_s=median / plan.epochs_per_fit,
            samples_per_s=plan.samples * plan.epochs_per_fit / median,
            final_loss=loss,
            final_accuracy=accuracy,
            info=sides.describe(side),
        )
        # The numbers, not just the speed: a fresh model from the same initial weights, trained
        # without shuffling, must end where every other side ends.
        fresh = sides.make(side, workload, data, weights)
        result["agreement_loss"], _ = fresh.fit(plan.agreement_epochs, shuffle=False)
        result["agreement_epochs"] = plan.agreement_epochs
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    except Exception as exc:  # a failing side is a row in the table, not a crash
        result["error"] = _one_line(f"{type(exc).__name__}: {exc}")
        result["traceback"] = traceback.format_exc()[-3000:]
    return result


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


# -- orchestrator ------------------------------------------------------------------------------


def spawn(side: str, workload: str, args: argparse.Namespace) -> dict[str, Any]:
    """Runs one worker in a fresh interpreter and returns its JSON (or the failure)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", side, workload]
    if args.quick:
        command.append("--quick")
    if args.repeats is not None:
        command += ["--repeats", str(args.repeats)]
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    # Cold starts on every side: jnet's persistent compilation cache (and its remembered
    # dispatch decisions) would hide compile time that the other sides pay.
    env["JNET_COMPILATION_CACHE"] = "0"
    if side in ("tf-keras", "keras-jax"):
        env["KERAS_BACKEND"] = "tensorflow" if side == "tf-keras" else "jax"
    start = time.perf_counter()
    failure: dict[str, Any] = {"side": side, "workload": workload, "ok": False}
    try:
        proc = subprocess.run(
            command, capture_output=True, text=True, timeout=args.timeout, env=env, cwd=HERE.parent
        )
    except subprocess.TimeoutExpired:
        return {**failure, "error": f"timed out after {args.timeout} s",
                "process_s": time.perf_counter() - start}
    result = _last_json_line(proc.stdout)
    if result is None:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        result = {**failure, "error": _one_line(f"worker exited {proc.returncode}: {tail[0]}")}
    result["process_s"] = time.perf_counter() - start  # interpreter start and imports included
    return result


def _last_json_line(stdout: str) -> dict[str, Any] | None:
    for line in reversed(stdout.strip().splitlines()):
        if line.startswith("{"):
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                return None
    return None


def machine_info() -> dict[str, Any]:
    """The machine and the installed versions (read without importing the frameworks)."""
    cpu_model = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for dist in ("jnet", "jax", "jaxlib", "flax", "optax", "keras", "tensorflow",
                 "tensorflow-cpu", "numpy"):
        try:
            versions[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "load_average_start": _load_average(),
        "cpu_count": os.cpu_count(),
        "usable_cpus": usable,
        "cpu_model": cpu_model,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
        "env": {k: os.environ[k] for k in ("TF_ENABLE_ONEDNN_OPTS", "XLA_FLAGS", "OMP_NUM_THREADS",
                                           "CUDA_VISIBLE_DEVICES") if k in os.environ},
    }


def _load_average() -> float | None:
    """The 1-minute load average: other processes on the machine inflate every timing."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else None


# -- report ------------------------------------------------------------------------------------


def _seconds(value: float | None) -> str:
    if value is None:
        return ""
    if value < 1e-2:
        return f"{value * 1e3:.3g} ms"
    return f"{value:.3g} s"


def _ratio(result: dict[str, Any], jnet: dict[str, Any] | None) -> str:
    if not result.get("ok") or not jnet or not jnet.get("ok"):
        return "n/a"
    return f"{result['median_s'] / jnet['median_s']:.2f}x"


def _agreement(result: dict[str, Any], reference: dict[str, Any] | None) -> str:
    """The unshuffled run's loss, and its relative difference from TensorFlow's."""
    loss = result.get("agreement_loss")
    if loss is None:
        return ""
    text = f"{loss:.6g}"
    ref = (reference or {}).get("agreement_loss")
    if ref is not None and result is not reference:
        text += f" ({abs(loss - ref) / max(abs(ref), 1e-12):.1e})"
    return text


def render_table(workload: str, results: list[dict[str, Any]]) -> list[str]:
    """The Markdown table of one workload's results (one row per side, errors included)."""
    jnet = next((r for r in results if r["side"] == "jnet"), None)
    tf = next((r for r in results if r["side"] == "tf-keras" and r.get("ok")), None)
    plan = next((r for r in results if "epochs_per_fit" in r), None)
    agree = (f"loss after {plan.get('agreement_epochs', 1)} unshuffled epoch(s) from the same "
             f"weights (rel. diff. from TF)") if plan else "agreement loss"
    if workload in workloads.CLASSIFIERS:
        header = ["side", "first epoch (compile)", "median epoch", "timed epochs",
                  "samples/s", "final loss", "final acc", agree, "peak RSS",
                  "side time / jnet time"]
    else:
        epochs = plan["epochs_per_fit"] if plan else "N"
        warm = plan["warmup_epochs"] if plan else "k"
        header = ["side", f"warm-up fit, {warm} epochs (compile)",
                  f"median fit, {epochs} epochs", "timed fits", "per epoch", "samples/s",
                  "final loss", agree, "peak RSS", "side time / jnet time"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in results:
        if not r.get("ok"):
            cells = [r["side"], f"**failed**: {r.get('error', 'unknown error')}"]
            cells += [""] * (len(header) - len(cells))
        else:
            timed = ", ".join(f"{t:.3g}" for t in r["times_s"]) + " s"
            samples_per_s = f"{r['samples_per_s']:,.0f}"
            loss = f"{r['final_loss']:.6g}"
            rss = f"{r['peak_rss_mb']:,.0f} MB" if "peak_rss_mb" in r else ""
            if workload in workloads.CLASSIFIERS:
                cells = [r["side"], _seconds(r["compile_s"]), _seconds(r["median_s"]), timed,
                         samples_per_s, loss, f"{r['final_accuracy']:.4f}", _agreement(r, tf),
                         rss, _ratio(r, jnet)]
            else:
                cells = [r["side"], _seconds(r["compile_s"]), _seconds(r["median_s"]), timed,
                         _seconds(r["median_epoch_s"]), samples_per_s, loss, _agreement(r, tf),
                         rss, _ratio(r, jnet)]
        lines.append("| " + " | ".join(str(c).replace("|", "/") for c in cells) + " |")
    return lines


def render_summary(results: list[dict[str, Any]], workload_names: list[str]) -> list[str]:
    """One line per workload: steady-state samples/s of every side, and jnet's ratios."""
    side_names = [s for s in sides.SIDES if any(r["side"] == s for r in results)]
    header = ["model", *side_names, "jnet / TF", "jnet / TF's fastest epoch",
              "jnet / best other"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for workload in workload_names:
        rows = {r["side"]: r for r in results if r["workload"] == workload}
        if not rows:
            continue
        speed = {s: r["samples_per_s"] for s, r in rows.items() if r.get("ok")}
        cells = [workload] + [f"{speed[s]:,.0f}" if s in speed else "failed"
                              for s in side_names]
        jnet = speed.get("jnet")
        others = [v for s, v in speed.items() if s not in ("jnet", "flax-scan")]
        cells.append(f"{jnet / speed['tf-keras']:.2f}x" if jnet and "tf-keras" in speed else "")
        tf_best = _fastest(rows.get("tf-keras"))
        cells.append(f"{jnet / tf_best:.2f}x" if jnet and tf_best else "")
        cells.append(f"{jnet / max(others):.2f}x" if jnet and others else "")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _fastest(result: dict[str, Any] | None) -> float | None:
    """Samples/s of a side's fastest timed fit (TensorFlow's epochs are bimodal on 2 cores:
    the same CNN epoch takes 2.6 s or 5.1 s; the ratio against its fastest is the
    conservative one)."""
    if not result or not result.get("ok") or not result.get("times_s"):
        return None
    return result["samples"] * result["epochs_per_fit"] / min(result["times_s"])


def write_chart(results: list[dict[str, Any]], path: Path) -> bool:
    """A bar chart of each side's speed relative to TensorFlow, per workload (log scale)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    workload_names = [w for w in workloads.WORKLOADS if any(r["workload"] == w for r in results)]
    side_names = [s for s in sides.SIDES if any(r["side"] == s for r in results)]
    fig, ax = plt.subplots(figsize=(1.8 * len(workload_names) + 2, 4.2))
    width = 0.8 / max(len(side_names), 1)
    for i, side in enumerate(side_names):
        heights = []
        for workload in workload_names:
            rows = {r["side"]: r for r in results if r["workload"] == workload and r.get("ok")}
            tf = rows.get("tf-keras")
            mine = rows.get(side)
            heights.append(mine["samples_per_s"] / tf["samples_per_s"] if mine and tf else 0.0)
        xs = [j + (i - (len(side_names) - 1) / 2) * width for j in range(len(workload_names))]
        ax.bar(xs, heights, width, label=side)
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_yscale("log")
    ax.set_xticks(range(len(workload_names)), workload_names)
    ax.set_ylabel("samples/s relative to TensorFlow Keras")
    ax.set_title("Training throughput of fit (higher is better)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    tmp = path.with_suffix(".tmp.png")
    fig.savefig(tmp, dpi=110)
    plt.close(fig)
    os.replace(tmp, path)
    return True


WORKLOAD_TITLES = {
    "mlp": "mlp: 784-128(relu)-10(softmax), Adam(1e-3), sparse categorical cross-entropy + "
           "accuracy, batch 32, {samples:,} samples",
    "cnn": "cnn: 28x28x1 Conv32(3x3, relu)-MaxPool-Conv64(3x3, relu)-MaxPool-Dense128(relu)-"
           "Dense10(softmax), Adam(1e-3), sparse categorical cross-entropy + accuracy, batch 32, "
           "{samples:,} samples",
    "lstm": "lstm: LSTM(64)-Dense(1) on 50x8 sequences, Adam(1e-3), mse, batch 32, "
            "{samples:,} samples",
    "gru": "gru: Embedding(1000, 32)-GRU(32)-Dense(1, sigmoid) on 80-token texts, Adam(1e-3), "
           "binary cross-entropy + accuracy, batch 32, {samples:,} samples",
    "hello": "hello: Dense(1) on y = 2x - 1 (6 samples), SGD(0.01), mse, batch 32",
}


def render(machine: dict[str, Any], results: list[dict[str, Any]], args, command: str) -> str:
    versions = ", ".join(f"{k} {v}" for k, v in machine["versions"].items())
    devices = sorted({f"{r['side']}: {r['info']['device']}" for r in results
                      if r.get("ok") and "device" in r.get("info", {})})
    lines = [
        "# Training speed of `fit`: jnet vs Keras 3 vs hand-written Flax",
        "",
        f"Command: `{command}` ({datetime.datetime.now().isoformat(timespec='seconds')})",
        "",
        f"- Machine: {machine['cpu_model']}, {machine['cpu_count']} CPUs "
        f"({machine['usable_cpus']} usable), {machine['platform']}, Python {machine['python']}",
        f"- Versions: {versions}",
        f"- Devices: {'; '.join(devices) or 'unknown'}",
    ]
    if machine["env"]:
        lines.append(f"- Environment: {machine['env']}")
    start, end = machine.get("load_average_start"), machine.get("load_average_end")
    if start is not None and end is not None:
        lines.append(f"- 1-minute load average: {start:.2f} before the run, {end:.2f} after")
        if start > 0.5 * (machine["usable_cpus"] or machine["cpu_count"] or 1):
            lines.append("- **Warning**: the machine was busy before the run; other processes "
                         "inflate the timings. Re-run on an idle machine for numbers to quote.")
    lines += ["", "## Summary: steady-state samples/s", ""]
    lines += render_summary(results, args.workloads)
    lines.append("")
    for workload in args.workloads:
        rows = [r for r in results if r["workload"] == workload]
        if not rows:
            continue
        samples = next((r["samples"] for r in rows if "samples" in r), 0)
        lines += [f"## {WORKLOAD_TITLES[workload].format(samples=samples)}", ""]
        lines += render_table(workload, rows)
        lines.append("")
    lines += [
        "Each side runs in its own process on the same data from the same initial weights. The "
        "compile column is the first fit on the fresh model (tracing and compilation included); "
        "the timed fits follow it in the same process, each timed with `time.perf_counter` around"
        " the fit call and the host fetch of its final loss. The median is over the timed fits; "
        "`side time / jnet time` above 1 means jnet is faster. `jnet`, `tf-keras` and `keras-jax`"
        " run the same `model.fit` code with each library's defaults (jnet: "
        "`steps_per_execution='auto'`, a whole epoch per dispatch or a step per dispatch, "
        "whichever its probe measured faster, the probe's compilations falling in the first "
        "epoch; Keras: one step per dispatch). `flax-loop` calls one jitted step per batch on "
        "batches sliced on the host from a numpy-shuffled copy; `flax-scan` runs each epoch as "
        "one jitted `lax.scan` over data placed on the device once (outside the timing). Final "
        "losses are epoch means and differ slightly because the shuffles differ; the unshuffled "
        "run's loss is the comparison of numbers.",
        "",
    ]
    return "\n".join(lines)


def orchestrate(args: argparse.Namespace) -> int:
    command = "python benchmarks/run.py" + "".join(f" {a}" for a in sys.argv[1:])
    machine = machine_info()
    results = []
    for workload in args.workloads:
        for side in args.only:
            print(f"[bench] {workload} / {side} ...", file=sys.stderr, flush=True)
            result = spawn(side, workload, args)
            status = (f"median {_seconds(result['median_s'])}" if result.get("ok")
                      else f"FAILED: {result.get('error')}")
            print(f"[bench] {workload} / {side}: {status} "
                  f"(process {result['process_s']:.1f} s)", file=sys.stderr, flush=True)
            results.append(result)
    machine["load_average_end"] = _load_average()
    report = render(machine, results, args, command)
    print(report)
    out = Path(args.output_dir or (HERE / "results" / ("quick" if args.quick else "")))
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.md").write_text(report)
    written = [out / "latest.md"]
    for workload in args.workloads:
        path = out / f"{workload}.json"
        rows = [r for r in results if r["workload"] == workload]
        path.write_text(json.dumps(
            {"command": command, "machine": machine, "results": rows}, indent=2) + "\n")
        written.append(path)
    if write_chart(results, out / "chart.png"):
        written.append(out / "chart.png")
    print(f"[bench] wrote {', '.join(str(p) for p in written)}", file=sys.stderr)
    return 0


def _names(kind: str, valid: tuple[str, ...]):
    def parse(text: str) -> list[str]:
        names = [n.strip() for n in text.split(",") if n.strip()]
        unknown = [n for n in names if n not in valid]
        if unknown or not names:
            raise argparse.ArgumentTypeError(
                f"unknown {kind} {unknown or text!r}; choose from {', '.join(valid)}"
            )
        return names

    return parse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worker", nargs=2, metavar=("SIDE", "WORKLOAD"),
                        help="run one side on one workload here and print one JSON line")
    parser.add_argument("--quick", action="store_true",
                        help="smaller runs for smoke tests (10k mlp samples, 2 repeats)")
    parser.add_argument("--only", type=_names("side", sides.SIDES), default=None,
                        help=f"comma-separated sides (default: all of {','.join(sides.SIDES)}; "
                             f"with --quick, all but flax-scan, whose CNN epoch takes 25 s)")
    parser.add_argument("--workloads", type=_names("workload", workloads.WORKLOADS),
                        default=list(workloads.WORKLOADS),
                        help=f"comma-separated: {','.join(workloads.WORKLOADS)}")
    parser.add_argument("--repeats", type=int, default=None,
                        help="timed fits per worker (default: 3, or 2 with --quick)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S,
                        help="seconds allowed per worker process")
    parser.add_argument("--output-dir", default=None,
                        help="where latest.md, WORKLOAD.json and chart.png go (default: "
                             "benchmarks/results/, or benchmarks/results/quick/ with --quick)")
    args = parser.parse_args(argv)
    if args.only is None:
        args.only = [s for s in sides.SIDES if not (args.quick and s == "flax-scan")]
    if args.repeats is not None and args.repeats < 1:
        parser.error("--repeats must be at least 1")
    if args.worker:
        side, workload = args.worker
        if side not in sides.SIDES or workload not in workloads.WORKLOADS:
            parser.error(f"--worker takes a side in {sides.SIDES} and a workload in "
                         f"{workloads.WORKLOADS}, received {side!r} {workload!r}")
        result = run_worker(side, workload, args.quick, args.repeats)
        print(json.dumps(result), flush=True)
        return 0 if result["ok"] else 1
    return orchestrate(args)


if __name__ == "__main__":
    sys.exit(main())
