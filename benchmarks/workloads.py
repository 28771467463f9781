"""The benchmark's workloads: data, initial weights and how much to time, from fixed seeds.

Every worker process rebuilds the same arrays from the same seeds, so all sides train on
identical data from identical initial weights.

* ``mlp``: 60,000 samples (10,000 with ``quick``) of 784 features ``x ~ U[0, 1)`` float32,
  integer labels 0..9; one warm-up epoch, then ``repeats`` timed epochs of one ``fit`` call each.
* ``cnn``: 10,000 samples (2,000 with ``quick``) of 28x28x1 images ``x ~ U[0, 1)``, labels 0..9;
  Conv32-Pool-Conv64-Pool-Dense128-Dense10; one warm-up epoch, then ``repeats`` timed epochs.
* ``hello``: ``y = 2x - 1`` on 6 samples; a warm-up fit of 5 epochs, then ``repeats`` timed
  fit calls of 500 epochs each.

Example:
    >>> data = make_data("hello", quick=True)
    >>> data.x.shape, data.y.dtype
    ((6, 1), dtype('float32'))
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SEED = 0
FEATURES = 784
CLASSES = 10
HIDDEN = 128
WORKLOADS = ("mlp", "cnn", "hello")
IMAGE = (28, 28, 1)
CLASSIFIERS = ("mlp", "cnn")  # workloads reporting accuracy


@dataclass(frozen=True)
class Data:
    x: np.ndarray
    y: np.ndarray


@dataclass(frozen=True)
class Plan:
    """How a workload is timed: a warm-up fit, then ``repeats`` timed fits."""

    samples: int
    warmup_epochs: int  # the first fit on the fresh model: its time includes compilation
    epochs_per_fit: int  # epochs in each timed fit call
    repeats: int


def plan(workload: str, quick: bool = False, repeats: int | None = None) -> Plan:
    """The timing plan of ``workload``; ``repeats`` overrides the default count."""
    if workload == "mlp":
        default = Plan(samples=10_000 if quick else 60_000, warmup_epochs=1, epochs_per_fit=1,
                       repeats=2 if quick else 3)
    elif workload == "cnn":
        default = Plan(samples=2_000 if quick else 10_000, warmup_epochs=1, epochs_per_fit=1,
                       repeats=2 if quick else 3)
    elif workload == "hello":
        default = Plan(samples=6, warmup_epochs=5, epochs_per_fit=100 if quick else 500,
                       repeats=2 if quick else 3)
    else:
        raise ValueError(f"unknown workload {workload!r}; expected one of {WORKLOADS}")
    if repeats is None:
        return default
    return Plan(default.samples, default.warmup_epochs, default.epochs_per_fit, repeats)


def make_data(workload: str, quick: bool = False) -> Data:
    """The workload's ``(x, y)`` as numpy arrays."""
    if workload == "hello":
        x = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0], np.float32)[:, None]
        return Data(x, (2.0 * x[:, 0] - 1.0).astype(np.float32))
    n = plan(workload, quick).samples
    rng = np.random.default_rng(SEED)
    shape = IMAGE if workload == "cnn" else (FEATURES,)
    x = rng.random((n, *shape), dtype=np.float32)
    y = rng.integers(0, CLASSES, size=n).astype(np.int32)
    return Data(x, y)


def initial_weights(workload: str) -> list[np.ndarray]:
    """Glorot-uniform kernels and zero biases, in Keras's order ``[kernel, bias, ...]``."""
    rng = np.random.default_rng(SEED + 1)
    if workload == "mlp":
        shapes = [(FEATURES, HIDDEN), (HIDDEN, CLASSES)]
    elif workload == "cnn":  # 28 -conv3-> 26 -pool-> 13 -conv3-> 11 -pool-> 5
        shapes = [(3, 3, 1, 32), (3, 3, 32, 64), (5 * 5 * 64, HIDDEN), (HIDDEN, CLASSES)]
    else:
        shapes = [(1, 1)]
    weights = []
    for shape in shapes:
        receptive = int(np.prod(shape[:-2]))
        fan_in, fan_out = receptive * shape[-2], receptive * shape[-1]
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        weights.append(rng.uniform(-limit, limit, shape).astype(np.float32))
        weights.append(np.zeros(shape[-1], np.float32))
    return weights
