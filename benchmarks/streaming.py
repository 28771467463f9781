"""Training on a memory-mapped dataset bigger than memory budgets: peak RSS and throughput.

Writes a float32 ``np.memmap``-compatible file of ``N x 784`` features (4 GiB by default)
under ``/tmp`` with plain file writes (so this process never maps it), and integer labels
0..9. Then, each in a fresh process (so ``ru_maxrss`` is that run's own peak), it trains the
benchmark's MLP (784-128-10, Adam, batch 32) for two epochs on the memmap, once with
``shuffle=False`` and once with ``shuffle=True``, and reports:

* the resident-set peak (``resource.getrusage(RUSAGE_SELF).ru_maxrss``) and the baseline
  right before ``fit`` (after imports, the model and the labels);
* samples/s of the second epoch (steady state) and of the first (which includes the
  one-off compilation);
* for reference, the in-memory fast path's samples/s on 60,000 rows in the same process.

The file is deleted afterwards. When ``--dir`` has too little free space, a smaller file is
written and the report says so. The file is read from the page cache when memory allows
(it was just written); cold reads from disk would be slower.

Usage:
    .venv/bin/python benchmarks/streaming.py            # 4 GiB
    .venv/bin/python benchmarks/streaming.py --gib 1 --json benchmarks/results/streaming.json

Example (the child's report, as parsed by the parent):
    >>> _parse_report('noise\\nREPORT {"samples_per_s": 1.0}\\n')
    {'samples_per_s': 1.0}
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

FEATURES = 784
CLASSES = 10
BATCH = 32
EPOCHS = 2  # the first includes compilation; the second is the steady state
WRITE_ROWS = 65_536  # rows generated and written per step (~200 MB)


def _rows_for(gib: float) -> int:
    return int(gib * 2**30) // (FEATURES * 4)


def write_dataset(directory: str, gib: float, seed: int = 0) -> tuple[str, str, int]:
    """Writes ``x`` (raw float32, ``rows x 784``) and ``y`` (``.npy`` int32) into
    ``directory``; returns their paths and the row count."""
    import numpy as np

    rows = _rows_for(gib)
    rng = np.random.default_rng(seed)
    x_path = os.path.join(directory, "jnet_streaming_x.f32")
    y_path = os.path.join(directory, "jnet_streaming_y.npy")
    with open(x_path, "wb") as f:
        for start in range(0, rows, WRITE_ROWS):
            count = min(WRITE_ROWS, rows - start)
            f.write(rng.random((count, FEATURES), dtype=np.float32).tobytes())
    np.save(y_path, rng.integers(0, CLASSES, size=rows).astype(np.int32))
    return x_path, y_path, rows


def _peak_rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def _current_rss_mib() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def child(x_path: str, y_path: str, rows: int, shuffle: bool) -> dict:
    """One measurement in this process: two epochs on the memmap."""
    import numpy as np

    import jnet

    jnet.utils.set_random_seed(0)
    model = jnet.Sequential([
        jnet.layers.Dense(128, activation="relu", input_shape=(FEATURES,)),
        jnet.layers.Dense(CLASSES, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    x = np.memmap(x_path, dtype=np.float32, mode="r", shape=(rows, FEATURES))
    y = np.load(y_path)
    baseline = _current_rss_mib()
    timer = _EpochTimer(jnet.callbacks.Callback)()
    history = model.fit(x, y, batch_size=BATCH, epochs=EPOCHS, shuffle=shuffle, verbose=0,
                        callbacks=[timer])
    peak = _peak_rss_mib()
    first, steady = timer.seconds[0], timer.seconds[-1]

    # The in-memory fast path on 60,000 of the same rows, same process (machine load varies).
    ref_rows = min(rows, 60_000)
    x_ref, y_ref = np.array(x[:ref_rows]), y[:ref_rows]
    model.fit(x_ref, y_ref, batch_size=BATCH, epochs=1, shuffle=shuffle, verbose=0)
    t = time.perf_counter()
    model.fit(x_ref, y_ref, batch_size=BATCH, epochs=1, shuffle=shuffle, verbose=0)
    ref_rate = ref_rows / (time.perf_counter() - t)
    return {
        "shuffle": shuffle,
        "rows": rows,
        "dataset_gib": rows * FEATURES * 4 / 2**30,
        "first_epoch_seconds": first,
        "first_epoch_samples_per_s": rows / first,
        "epoch_seconds": steady,
        "samples_per_s": rows / steady,
        "baseline_rss_mib": baseline,
        "peak_rss_mib": peak,
        "loss": history.history["loss"][-1],
        "in_memory_samples_per_s": ref_rate,
    }


def _EpochTimer(base):  # noqa: N802 - builds the callback class once jnet is imported
    class EpochTimer(base):
        """Wall time of each epoch (epoch hooks only: no batch logs are fetched)."""

        def __init__(self):
            super().__init__()
            self.seconds: list[float] = []

        def on_epoch_begin(self, epoch, logs=None):
            self._start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self._start)

    return EpochTimer


def _parse_report(output: str) -> dict:
    for line in output.splitlines():
        if line.startswith("REPORT "):
            return json.loads(line[len("REPORT "):])
    raise RuntimeError(f"no report in the child's output:\n{output[-2000:]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gib", type=float, default=4.0, help="dataset size (default 4)")
    parser.add_argument("--dir", default="/tmp", help="where the file is written")
    parser.add_argument("--json", default=None, help="also write the results here")
    parser.add_argument("--child", nargs=4, metavar=("X", "Y", "ROWS", "SHUFFLE"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        x_path, y_path, rows, shuffle = args.child
        report = child(x_path, y_path, int(rows), shuffle == "1")
        print("REPORT " + json.dumps(report), flush=True)
        return 0

    gib = args.gib
    free_gib = shutil.disk_usage(args.dir).free / 2**30
    note = ""
    if free_gib < gib + 1.0:
        gib = max(0.25, free_gib - 1.0)
        note = f"only {free_gib:.1f} GiB free in {args.dir}: wrote {gib:.2f} GiB instead"
        print(note)
    directory = tempfile.mkdtemp(prefix="jnet_streaming_", dir=args.dir)
    results = []
    try:
        t = time.perf_counter()
        x_path, y_path, rows = write_dataset(directory, gib)
        print(f"wrote {rows:,} x {FEATURES} float32 ({rows * FEATURES * 4 / 2**30:.2f} GiB) "
              f"to {x_path} in {time.perf_counter() - t:.0f} s", flush=True)
        env = dict(os.environ, JNET_COMPILATION_CACHE="0")
        for shuffle in (False, True):
            proc = subprocess.run(
                [sys.executable, os.path.abspath(__file__), "--child", x_path, y_path,
                 str(rows), "1" if shuffle else "0"],
                capture_output=True, text=True, env=env, check=False,
            )
            if proc.returncode != 0:
                print(proc.stdout[-3000:], proc.stderr[-3000:])
                return proc.returncode
            results.append(_parse_report(proc.stdout))
    finally:
        shutil.rmtree(directory, ignore_errors=True)

    print(f"\nMLP 784-128-10, Adam, batch {BATCH}, {EPOCHS} epochs over a memmap "
          f"({results[0]['dataset_gib']:.2f} GiB, {results[0]['rows']:,} rows)")
    print(f"{'shuffle':>8} {'samples/s':>10} {'epoch 1 (compiles)':>19} {'baseline RSS':>13} "
          f"{'peak RSS':>9} {'in-memory samples/s':>20}")
    for r in results:
        print(f"{str(r['shuffle']):>8} {r['samples_per_s']:>10,.0f} "
              f"{r['first_epoch_samples_per_s']:>12,.0f} /s {r['baseline_rss_mib']:>10,.0f} MiB "
              f"{r['peak_rss_mib']:>5,.0f} MiB {r['in_memory_samples_per_s']:>20,.0f}")
    if note:
        print(note)
    if args.json:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump({"results": results, "note": note, "cpus": os.cpu_count()}, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
