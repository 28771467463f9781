"""The benchmark's models written by hand in Flax linen + optax, as a Flax user would.

``build(workload, weights)`` returns ``(net, params, loss_and_correct, tx)``: the linen module,
its parameters set from Keras-layout ``weights`` (so every side starts from the same numbers),
the loss on the pre-activation output (what Keras on TensorFlow computes for sigmoid/softmax
outputs), and the optax optimizer with Keras's epsilon.

Example:
    >>> import workloads
    >>> net, params, loss_fn, tx = build("hello", workloads.initial_weights("hello"))
    >>> sorted(params)
    ['layer_0']
"""

from __future__ import annotations

from typing import Any

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np
import optax
import workloads


def _sparse_ce(logits, y):
    loss = optax.softmax_cross_entropy_with_integer_labels(logits, y).mean()
    correct = jnp.sum(jnp.argmax(logits, axis=-1) == y).astype(jnp.float32)
    return loss, correct


def _binary_ce(logits, y):
    logits = logits[:, 0]
    loss = optax.sigmoid_binary_cross_entropy(logits, y).mean()
    correct = jnp.sum((logits > 0).astype(jnp.float32) == y).astype(jnp.float32)
    return loss, correct


def _mse(pred, y):
    return jnp.mean(jnp.square(pred[:, 0] - y)), jnp.float32(0.0)


class MLP(nn.Module):
    @nn.compact
    def __call__(self, x):
        hidden = nn.relu(nn.Dense(workloads.HIDDEN, name="layer_0")(x))
        return nn.Dense(workloads.CLASSES, name="layer_1")(hidden)


class CNN(nn.Module):
    @nn.compact
    def __call__(self, x):
        def pool(h):
            return nn.max_pool(h, (2, 2), strides=(2, 2), padding="VALID")

        x = pool(nn.relu(nn.Conv(32, (3, 3), padding="VALID", name="layer_0")(x)))
        x = pool(nn.relu(nn.Conv(64, (3, 3), padding="VALID", name="layer_1")(x)))
        x = nn.relu(nn.Dense(workloads.HIDDEN, name="layer_2")(x.reshape(x.shape[0], -1)))
        return nn.Dense(workloads.CLASSES, name="layer_3")(x)


class LSTMRegressor(nn.Module):
    @nn.compact
    def __call__(self, x):
        cell = nn.OptimizedLSTMCell(workloads.LSTM_UNITS, name="cell")
        h = nn.RNN(cell, name="rnn")(x)[:, -1]
        return nn.Dense(1, name="head")(h)


class GRUClassifier(nn.Module):
    @nn.compact
    def __call__(self, x):
        e = nn.Embed(workloads.VOCABULARY, workloads.EMBEDDING, name="embed")(x)
        cell = nn.GRUCell(workloads.GRU_UNITS, name="cell")
        h = nn.RNN(cell, name="rnn")(e)[:, -1]
        return nn.Dense(1, name="head")(h)


def _dense_params(weights):
    return {f"layer_{i}": {"kernel": jnp.asarray(k), "bias": jnp.asarray(b)}
            for i, (k, b) in enumerate(zip(weights[::2], weights[1::2], strict=True))}


def _lstm_params(weights):
    kernel, recurrent, bias, head_k, head_b = weights
    units = workloads.LSTM_UNITS
    cell: dict[str, Any] = {}
    for i, gate in enumerate("ifgo"):  # Keras's [i, f, c, o] = Flax's [i, f, g, o]
        cols = slice(i * units, (i + 1) * units)
        cell[f"i{gate}"] = {"kernel": jnp.asarray(kernel[:, cols])}
        cell[f"h{gate}"] = {"kernel": jnp.asarray(recurrent[:, cols]),
                            "bias": jnp.asarray(bias[cols])}
    return {"cell": cell,
            "head": {"kernel": jnp.asarray(head_k), "bias": jnp.asarray(head_b)}}


def _gru_params(weights):
    embeddings, kernel, recurrent, bias, head_k, head_b = weights
    units = workloads.GRU_UNITS
    z, r, h = (slice(i * units, (i + 1) * units) for i in range(3))  # Keras's [z, r, h]
    input_bias, recurrent_bias = bias
    cell = {
        "iz": {"kernel": kernel[:, z], "bias": input_bias[z] + recurrent_bias[z]},
        "ir": {"kernel": kernel[:, r], "bias": input_bias[r] + recurrent_bias[r]},
        "in": {"kernel": kernel[:, h], "bias": input_bias[h]},
        "hz": {"kernel": recurrent[:, z]},
        "hr": {"kernel": recurrent[:, r]},
        "hn": {"kernel": recurrent[:, h], "bias": recurrent_bias[h]},
    }
    return {"embed": {"embedding": jnp.asarray(embeddings)},
            "cell": jax.tree_util.tree_map(jnp.asarray, cell),
            "head": {"kernel": jnp.asarray(head_k), "bias": jnp.asarray(head_b)}}


def build(workload: str, weights: list[np.ndarray]):
    """``(net, params, loss_and_correct, tx)`` for ``workload``, from Keras-layout weights."""
    adam = optax.adam(1e-3, eps=1e-7)  # Keras's epsilon
    if workload == "mlp":
        return MLP(), _dense_params(weights), _sparse_ce, adam
    if workload == "cnn":
        return CNN(), _dense_params(weights), _sparse_ce, adam
    if workload == "lstm":
        return LSTMRegressor(), _lstm_params(weights), _mse, adam
    if workload == "gru":
        return GRUClassifier(), _gru_params(weights), _binary_ce, adam

    class Line(nn.Module):
        @nn.compact
        def __call__(self, x):
            return nn.Dense(1, name="layer_0")(x)

    return Line(), _dense_params(weights), _mse, optax.sgd(0.01)
