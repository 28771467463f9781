"""The benchmark's workloads: data, initial weights and how much to time, from fixed seeds.

Every worker process rebuilds the same arrays from the same seeds, so all sides train on
identical data from identical initial weights.

* ``mlp``: 60,000 samples (10,000 with ``quick``) of 784 features ``x ~ U[0, 1)`` float32,
  integer labels 0..9; one warm-up epoch, then ``repeats`` timed epochs of one ``fit`` call each.
* ``cnn``: 10,000 samples (2,000 with ``quick``) of 28x28x1 images ``x ~ U[0, 1)``, labels 0..9;
  Conv32-Pool-Conv64-Pool-Dense128-Dense10; one warm-up epoch, then ``repeats`` timed epochs.
* ``lstm``: 10,000 sequences (2,000 with ``quick``) of 50 steps x 8 features ``x ~ N(0, 1)``,
  a regression target (a smooth function of the sequence); LSTM(64) -> Dense(1), mse.
* ``gru``: a text classifier: 10,000 token sequences (2,000 with ``quick``) of length 80 from a
  1,000-word vocabulary, binary labels; Embedding(1000, 32) -> GRU(32) -> Dense(1, sigmoid).
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
WORKLOADS = ("mlp", "cnn", "lstm", "gru", "hello")
IMAGE = (28, 28, 1)
SEQUENCE = (50, 8)  # lstm: steps, features
LSTM_UNITS = 64
VOCABULARY, TEXT_LENGTH, EMBEDDING, GRU_UNITS = 1000, 80, 32, 32
CLASSIFIERS = ("mlp", "cnn", "gru")  # workloads reporting accuracy


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

    @property
    def agreement_epochs(self) -> int:
        """Epochs of the unshuffled run from the initial weights whose loss all sides report."""
        return 1 if self.samples > 6 else 100


def plan(workload: str, quick: bool = False, repeats: int | None = None) -> Plan:
    """The timing plan of ``workload``; ``repeats`` overrides the default count."""
    # Five timed epochs: the median then holds when one or two fall in a burst of load on
    # this shared machine (three gave 10-15% swings in the ratios between runs).
    if workload == "mlp":
        default = Plan(samples=10_000 if quick else 60_000, warmup_epochs=1, epochs_per_fit=1,
                       repeats=2 if quick else 5)
    elif workload == "cnn":
        default = Plan(samples=2_000 if quick else 10_000, warmup_epochs=1, epochs_per_fit=1,
                       repeats=2 if quick else 5)
    elif workload in ("lstm", "gru"):
        default = Plan(samples=2_000 if quick else 10_000, warmup_epochs=1, epochs_per_fit=1,
                       repeats=2 if quick else 5)
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
    if workload == "lstm":
        x = rng.standard_normal((n, *SEQUENCE), dtype=np.float32)
        weights = np.linspace(0.0, 1.0, SEQUENCE[0], dtype=np.float32)[None, :]
        y = np.tanh((x[:, :, 0] * weights).mean(1) + 0.5 * x[:, -1, 1]).astype(np.float32)
        return Data(x, y)
    if workload == "gru":
        x = rng.integers(1, VOCABULARY, size=(n, TEXT_LENGTH)).astype(np.int32)
        y = (np.isin(x, np.arange(1, 50)).sum(1) > TEXT_LENGTH * 49 / 999).astype(np.float32)
        return Data(x, y)
    shape = IMAGE if workload == "cnn" else (FEATURES,)
    x = rng.random((n, *shape), dtype=np.float32)
    y = rng.integers(0, CLASSES, size=n).astype(np.int32)
    return Data(x, y)


def _glorot(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    receptive = int(np.prod(shape[:-2]))
    fan_in, fan_out = receptive * shape[-2], receptive * shape[-1]
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, shape).astype(np.float32)


def _orthogonal(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    q, r = np.linalg.qr(rng.standard_normal((shape[1], shape[0])))
    return (q * np.sign(np.diag(r))).T.astype(np.float32)


def initial_weights(workload: str) -> list[np.ndarray]:
    """Keras's initial weights drawn with numpy, in Keras's order ``[kernel, bias, ...]``:
    glorot-uniform kernels, orthogonal recurrent kernels, zero biases (LSTM forget gate: 1)."""
    rng = np.random.default_rng(SEED + 1)
    if workload == "lstm":
        units = LSTM_UNITS
        bias = np.zeros(4 * units, np.float32)
        bias[units : 2 * units] = 1.0  # unit_forget_bias
        return [_glorot(rng, (SEQUENCE[1], 4 * units)), _orthogonal(rng, (units, 4 * units)),
                bias, _glorot(rng, (units, 1)), np.zeros(1, np.float32)]
    if workload == "gru":
        units = GRU_UNITS
        embeddings = rng.uniform(-0.05, 0.05, (VOCABULARY, EMBEDDING)).astype(np.float32)
        return [embeddings, _glorot(rng, (EMBEDDING, 3 * units)),
                _orthogonal(rng, (units, 3 * units)), np.zeros((2, 3 * units), np.float32),
                _glorot(rng, (units, 1)), np.zeros(1, np.float32)]
    if workload == "mlp":
        shapes = [(FEATURES, HIDDEN), (HIDDEN, CLASSES)]
    elif workload == "cnn":  # 28 -conv3-> 26 -pool-> 13 -conv3-> 11 -pool-> 5
        shapes = [(3, 3, 1, 32), (3, 3, 32, 64), (5 * 5 * 64, HIDDEN), (HIDDEN, CLASSES)]
    else:
        shapes = [(1, 1)]
    weights = []
    for shape in shapes:
        weights.append(_glorot(rng, shape))
        weights.append(np.zeros(shape[-1], np.float32))
    return weights
