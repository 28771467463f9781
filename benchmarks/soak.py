"""Soak: many ``fit`` calls on datasets of varying lengths; do compilations and memory settle?

Fits one small MLP ``--fits`` times (default 200), each on a fresh dataset whose length is
drawn at random (seeded) between 100 and 3000 rows, with a validation split, then evaluates
and predicts on it. Counts JAX compilations (XLA backend compiles, through
``jax.monitoring``) and the process's resident memory (RSS) per window of fits. Goal (issue
24): compilations stop growing after the first fits, RSS flat within 10% over the run.

Usage::

    python benchmarks/soak.py                 # 200 fits, prints a table, writes
                                              # benchmarks/results/soak.md
    python benchmarks/soak.py --fits 40 --no-write

Example:
    >>> rss_mb() > 0
    True
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import jax
import numpy as np

HERE = Path(__file__).resolve().parent
EVENT = "/jax/core/compile/backend_compile_duration"


def rss_mb() -> float:
    """This process's resident memory now, in MB (Linux ``/proc``; 0 elsewhere)."""
    try:
        with open(f"/proc/{os.getpid()}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return 0.0


def soak(fits: int, window: int, seed: int = 0) -> list[dict[str, float]]:
    """Runs the soak; one row per window of ``window`` fits."""
    import jnet  # noqa: PLC0415 - imported here so that --help is fast

    compiles = [0]

    def listener(event, duration, **kwargs):
        if event == EVENT:
            compiles[0] += 1

    jax.monitoring.register_event_duration_secs_listener(listener)
    rng = np.random.default_rng(seed)
    model = jnet.Sequential([
        jnet.layers.Dense(32, activation="relu", input_shape=(20,)),
        jnet.layers.Dense(4, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    rows = []
    start_compiles, start_time = 0, time.perf_counter()
    for i in range(fits):
        n = int(rng.integers(100, 3000))
        x = rng.normal(size=(n, 20)).astype(np.float32)
        y = rng.integers(0, 4, size=n)
        model.fit(x, y, batch_size=32, epochs=2, validation_split=0.2, verbose=0)
        model.evaluate(x, y, batch_size=32, verbose=0)
        model.predict(x, batch_size=32, verbose=0)
        if (i + 1) % window == 0:
            rows.append({
                "fits": i + 1, "compiles": compiles[0] - start_compiles,
                "total_compiles": compiles[0], "rss_mb": rss_mb(),
                "seconds": time.perf_counter() - start_time,
            })
            start_compiles, start_time = compiles[0], time.perf_counter()
            print(rows[-1], file=sys.stderr, flush=True)
    jax.monitoring.unregister_event_duration_listener(listener)
    return rows


def table(rows: list[dict[str, float]]) -> str:
    """The rows as a Markdown table."""
    lines = ["| fits | compiles in window | compiles so far | RSS MB | window s |",
             "| ---: | ---: | ---: | ---: | ---: |"]
    lines += [f"| {r['fits']} | {r['compiles']} | {r['total_compiles']} | {r['rss_mb']:.0f} "
              f"| {r['seconds']:.1f} |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fits", type=int, default=200)
    parser.add_argument("--window", type=int, default=25)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    rows = soak(args.fits, args.window)
    text = table(rows)
    print(text)
    if not args.no_write:
        (HERE / "results" / "soak.md").write_text(
            "# Soak: fit on varying lengths (benchmarks/soak.py)\n\n" + text + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
