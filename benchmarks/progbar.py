"""What ``verbose=1`` costs at a terminal: ``fit`` epochs timed with the progress bar and without.

Each workload runs in its own process whose stdout is a pseudo-terminal (``os.openpty``), so
the live bar's path (redraws in place) is the one measured, not the one-line-per-epoch path of
logs. The process times one-epoch ``fit`` calls with ``verbose=0`` and ``verbose=1``,
interleaved, after a warm-up of each, and reports the medians and their ratio. Goal (issue 25):
``verbose=1`` within 5% of ``verbose=0``. ``--pythonpath`` measures another checkout of jnet
(the engine before a change) in the same run.

Usage::

    python benchmarks/progbar.py                       # mlp and cnn, writes results/progbar.md
    python benchmarks/progbar.py --quick --no-write    # small data, prints only
    python benchmarks/progbar.py --pythonpath ../main  # another checkout's jnet too

Example:
    >>> ratio({"verbose_0_s": 2.0, "verbose_1_s": 2.1})
    1.05
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import sides
import workloads

HERE = Path(__file__).resolve().parent
WORKLOADS = ("mlp", "cnn")


def ratio(result: dict[str, float]) -> float:
    """``verbose=1`` epoch time over ``verbose=0``'s."""
    return round(result["verbose_1_s"] / result["verbose_0_s"], 4)


def worker(workload: str, quick: bool, repeats: int, out: str) -> None:
    """Times the epochs in this process (stdout is the pseudo-terminal) and writes JSON."""
    import jnet  # noqa: PLC0415 - the worker's own import, after PYTHONPATH is set

    jnet.utils.set_random_seed(workloads.SEED)
    data = workloads.make_data(workload, quick)
    model = sides._build_keras_like(jnet, workload, workloads.initial_weights(workload))
    times: dict[int, list[float]] = {0: [], 1: []}
    for verbose in (0, 1):  # warm-up: compile both paths
        model.fit(data.x, data.y, batch_size=sides.BATCH_SIZE, epochs=1, verbose=verbose)
    for _ in range(repeats):
        for verbose in (0, 1):
            start = time.perf_counter()
            model.fit(data.x, data.y, batch_size=sides.BATCH_SIZE, epochs=1, verbose=verbose)
            times[verbose].append(time.perf_counter() - start)
    result = {
        "workload": workload, "samples": len(data.x), "repeats": repeats,
        "verbose_0_s": statistics.median(times[0]), "verbose_1_s": statistics.median(times[1]),
        "tty": sys.stdout.isatty(), "jnet": os.path.dirname(jnet.__file__),
    }
    Path(out).write_text(json.dumps(result))


def measure(workload: str, quick: bool, repeats: int, pythonpath: str | None) -> dict[str, Any]:
    """Runs :func:`worker` in a child process on a pseudo-terminal; returns its result."""
    master, slave = os.openpty()
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join([pythonpath, env.get("PYTHONPATH", "")])
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        command = [sys.executable, str(Path(__file__)), "--worker", workload,
                   "--repeats", str(repeats), "--out", out.name] + (["--quick"] if quick else [])
        child = subprocess.Popen(command, stdout=slave, stderr=slave, env=env, cwd=HERE)
        os.close(slave)
        captured: list[bytes] = []

        def drain() -> None:  # a terminal that is never read would block the child
            while True:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                captured.append(chunk)

        reader = threading.Thread(target=drain, daemon=True)
        reader.start()
        code = child.wait()
        reader.join(timeout=5)
        os.close(master)
        if code != 0:
            tail = b"".join(captured)[-2000:].decode(errors="replace")
            raise RuntimeError(f"the {workload} worker failed ({code}):\n{tail}")
        result = json.loads(Path(out.name).read_text())
    result["ratio"] = ratio(result)
    result["carriage_returns"] = b"".join(captured).count(b"\r")
    return result


def table(rows: list[dict[str, Any]]) -> str:
    """The results as a Markdown table."""
    lines = ["| jnet | workload | samples | verbose=0 epoch s | verbose=1 epoch s | ratio |",
             "| --- | --- | ---: | ---: | ---: | ---: |"]
    lines += [f"| {r['jnet']} | {r['workload']} | {r['samples']} | {r['verbose_0_s']:.3f} "
              f"| {r['verbose_1_s']:.3f} | {r['ratio']:.3f} |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worker", choices=WORKLOADS, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="small data")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    parser.add_argument("--pythonpath", default=None,
                        help="also measure the jnet found on this path (another checkout)")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.quick, args.repeats, args.out)
        return 0
    paths = [None] + ([args.pythonpath] if args.pythonpath else [])
    rows = []
    for workload in args.workloads.split(","):
        for path in paths:  # the same run, one after the other
            rows.append(measure(workload, args.quick, args.repeats, path))
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    text = table(rows)
    print(text)
    if not args.no_write:
        (HERE / "results" / "progbar.md").write_text(
            "# verbose=1 at a terminal (benchmarks/progbar.py)\n\n"
            "One-epoch `fit` calls, median of interleaved repeats, stdout a pseudo-terminal; "
            "ratio = verbose=1 / verbose=0 (goal: at most 1.05).\n\n" + text + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
