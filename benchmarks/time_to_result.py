"""Time to result: whole-process wall time of small complete Keras programs, as a learner feels it.

A learner's program is small and runs once, so what counts is process start to last print:
imports, model building, compilation and training together. Each program below is written
once against ``keras`` and run in a fresh process for each side:

* ``jnet cold``: ``import jnet as keras`` with an empty compilation cache (a new directory);
* ``jnet warm``: the same program again on the cache the cold run filled (a second run of the
  same script, as a learner re-running a notebook cell or script);
* ``tf-keras``: Keras 3 on TensorFlow; ``keras-jax``: Keras 3 on JAX (neither keeps a
  persistent compilation cache by default, so each has one column).

Programs (issue 25), on generated data (no downloads): ``hello`` (y = 2x - 1, Dense(1), 500
epochs of 6 samples), ``fashion_mlp`` (Flatten -> Dense(128) -> Dense(10), 60,000 images of
28x28, 3 epochs with validation), ``mnist_convnet`` (Keras's example's CNN, 2 epochs on 600
images), ``conv1d_autoencoder`` (Keras's timeseries anomaly-detection autoencoder: Conv1D and
Conv1DTranspose on 3,745 windows of 288 steps, 10 epochs), ``lstm_text`` (Embedding -> LSTM(32)
-> Dense(1), 2,000 texts of 100 tokens, 3 epochs with validation). Every run prints its final
loss, reported beside the times (the sides train the same programs from different initial
weights, so losses agree only roughly).

Usage::

    python benchmarks/time_to_result.py                 # all programs and sides, 3 repeats
    python benchmarks/time_to_result.py --programs hello --sides jnet --repeats 1 --no-write

Writes ``benchmarks/results/time_to_result.md`` (medians of the repeats, seconds).

Example:
    >>> sorted(PROGRAMS)[:2]
    ['conv1d_autoencoder', 'fashion_mlp']
    >>> "import jnet as keras" in program_source("hello", "jnet")
    True
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

_HEADER = {
    "jnet": "import jnet as keras\nfrom jnet import layers\n",
    "tf-keras": "import keras\nfrom keras import layers\n",
    "keras-jax": "import keras\nfrom keras import layers\n",
}

PROGRAMS: dict[str, str] = {
    "hello": """
import numpy as np
xs = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0], dtype=float)
ys = np.array([-3.0, -1.0, 1.0, 3.0, 5.0, 7.0], dtype=float)
model = keras.Sequential([keras.Input(shape=(1,)), layers.Dense(units=1)])
model.compile(optimizer="sgd", loss="mean_squared_error")
history = model.fit(xs, ys, epochs=500, verbose=0)
print(model.predict(np.array([[10.0]]), verbose=0))
print("LOSS", history.history["loss"][-1])
""",
    "fashion_mlp": """
import numpy as np
rng = np.random.default_rng(0)
x_train = rng.integers(0, 256, (60000, 28, 28)).astype("float32") / 255.0
y_train = rng.integers(0, 10, 60000)
x_test = rng.integers(0, 256, (10000, 28, 28)).astype("float32") / 255.0
y_test = rng.integers(0, 10, 10000)
model = keras.Sequential([
    keras.Input(shape=(28, 28)),
    layers.Flatten(),
    layers.Dense(128, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(x_train, y_train, epochs=3, validation_data=(x_test, y_test), verbose=0)
print(model.evaluate(x_test, y_test, verbose=0))
print("LOSS", history.history["loss"][-1])
""",
    "mnist_convnet": """
import numpy as np
rng = np.random.default_rng(0)
x_train = rng.uniform(0, 1, (600, 28, 28, 1)).astype("float32")
y_train = keras.utils.to_categorical(rng.integers(0, 10, 600), 10)
model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Flatten(),
    layers.Dropout(0.5),
    layers.Dense(10, activation="softmax"),
])
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
history = model.fit(x_train, y_train, batch_size=128, epochs=2, validation_split=0.1,
                    verbose=0)
print("LOSS", history.history["loss"][-1])
""",
    "conv1d_autoencoder": """
import numpy as np
rng = np.random.default_rng(0)
series = np.sin(np.arange(3745 + 288) / 10.0) + 0.1 * rng.normal(size=3745 + 288)
x_train = np.stack([series[i:i + 288] for i in range(3745)])[..., None].astype("float32")
model = keras.Sequential([
    layers.Input(shape=(x_train.shape[1], x_train.shape[2])),
    layers.Conv1D(filters=32, kernel_size=7, padding="same", strides=2, activation="relu"),
    layers.Dropout(rate=0.2),
    layers.Conv1D(filters=16, kernel_size=7, padding="same", strides=2, activation="relu"),
    layers.Conv1DTranspose(filters=16, kernel_size=7, padding="same", strides=2,
                           activation="relu"),
    layers.Dropout(rate=0.2),
    layers.Conv1DTranspose(filters=32, kernel_size=7, padding="same", strides=2,
                           activation="relu"),
    layers.Conv1DTranspose(filters=1, kernel_size=7, padding="same"),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss="mse")
history = model.fit(
    x_train, x_train, epochs=10, batch_size=128, validation_split=0.1, verbose=0,
    callbacks=[keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, mode="min")],
)
print("LOSS", history.history["loss"][-1])
""",
    "lstm_text": """
import numpy as np
rng = np.random.default_rng(0)
x_train = rng.integers(1, 10000, (2000, 100))
y_train = rng.integers(0, 2, 2000)
model = keras.Sequential([
    keras.Input(shape=(100,)),
    layers.Embedding(10000, 16),
    layers.LSTM(32),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
history = model.fit(x_train, y_train, epochs=3, validation_split=0.2, verbose=0)
print("LOSS", history.history["loss"][-1])
""",
}

SIDES = ("jnet cold", "jnet warm", "tf-keras", "keras-jax")


def program_source(program: str, library: str) -> str:
    """The program's whole source for ``library`` (``'jnet'``, ``'tf-keras'``, ``'keras-jax'``)."""
    return _HEADER[library] + PROGRAMS[program]


def _run(program: str, side: str, cache: Path) -> tuple[float, str]:
    """One fresh process: its wall time (spawn to exit) and its printed final loss."""
    library = "jnet" if side.startswith("jnet") else side
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"}
    if library == "jnet":
        env["JNET_COMPILATION_CACHE_DIR"] = str(cache)
        env.pop("JNET_COMPILATION_CACHE", None)
    else:
        env["KERAS_BACKEND"] = "tensorflow" if library == "tf-keras" else "jax"
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", program_source(program, library)],
        env=env, capture_output=True, text=True, timeout=1800,
    )
    wall = time.perf_counter() - start
    if done.returncode:
        raise RuntimeError(f"{program} on {side} failed:\n{done.stderr[-3000:]}")
    loss = next((line.split()[1] for line in done.stdout.splitlines()
                 if line.startswith("LOSS")), "?")
    return wall, loss


def measure(programs: list[str], sides: list[str], repeats: int) -> dict:
    """``{program: {side: (median seconds, last loss)}}``; each jnet repeat gets a new empty
    cache for its cold run, which its warm run then reads."""
    results: dict = {}
    for program in programs:
        times: dict[str, list[float]] = {side: [] for side in sides}
        losses: dict[str, str] = {}
        for _ in range(repeats):
            with tempfile.TemporaryDirectory() as tmp:
                cache = Path(tmp) / "xla"
                for side in sides:
                    if side == "jnet warm" and "jnet cold" not in sides and not times[side]:
                        _run(program, "jnet cold", cache)  # fill the cache first
                    wall, losses[side] = _run(program, side, cache)
                    times[side].append(wall)
                    print(f"{program:20s} {side:10s} {wall:7.2f} s  loss {losses[side]}",
                          flush=True)
        results[program] = {s: (statistics.median(times[s]), losses[s]) for s in sides}
    return results


def table(results: dict, sides: list[str], repeats: int) -> str:
    """The Markdown report: one row per program, seconds per side, and jnet's ratio to the
    fastest other side."""
    others = [s for s in sides if not s.startswith("jnet")]
    lines = [
        "# Time to result: process start to last print (seconds, median of "
        f"{repeats})", "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
        f"load average at the end {os.getloadavg()[0]:.2f}. Command: "
        "`python benchmarks/time_to_result.py`.", "",
        "| program | " + " | ".join(sides) + " | cold / fastest other | warm / fastest other |",
        "|---|" + "---|" * (len(sides) + 2),
    ]
    for program, row in results.items():
        cells = [f"{row[s][0]:.1f}" for s in sides]
        best = min((row[s][0] for s in others), default=None)
        ratios = [f"{row[s][0] / best:.2f}" if best and s in row else "-"
                  for s in ("jnet cold", "jnet warm")]
        lines.append(f"| {program} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
    lines += ["", "Final training loss per side: " + "; ".join(
        f"{p}: " + ", ".join(f"{s} {row[s][1]}" for s in sides) for p, row in results.items())]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--programs", nargs="*", default=sorted(PROGRAMS), choices=PROGRAMS)
    parser.add_argument("--sides", nargs="*", default=list(SIDES), choices=SIDES)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    results = measure(args.programs, args.sides, args.repeats)
    report = table(results, args.sides, args.repeats)
    print(report)
    if not args.no_write:
        (HERE / "results" / "time_to_result.md").write_text(report)


if __name__ == "__main__":
    main()
