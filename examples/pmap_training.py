"""A hand-written data-parallel loop: ``jax.pmap`` over jnet's pure ``train_step``.

scikit-learn's digits (bundled, no download), Dense(64, relu) -> Dense(10, softmax), adam.
Each batch of 64 is split over the devices; ``train_step(..., axis_name='batch')`` combines
the gradients and metrics across them, so every device keeps the same weights.

On CPU this script simulates 4 devices (``XLA_FLAGS`` must be set before JAX starts); on a
machine with accelerators, drop that line to use the real ones.
Run: .venv/bin/python examples/pmap_training.py
"""

import os

os.environ.setdefault("XLA_FLAGS", "--xla_force_host_platform_device_count=4")

import jax  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

import jnet  # noqa: E402
from jnet.distribution import replicate, shard_batch, unreplicate  # noqa: E402
from jnet.training import TrainState, eval_step, train_step  # noqa: E402

jnet.utils.set_random_seed(0)
digits = load_digits()
x = (digits.data / 16.0).astype(np.float32)
y = digits.target.astype(np.int32)
x_train, x_test, y_train, y_test = train_test_split(
    x, y, test_size=0.2, random_state=0, stratify=y
)

model = jnet.Sequential([
    jnet.Input(shape=(64,)),
    jnet.layers.Dense(64, activation="relu"),
    jnet.layers.Dense(10, activation="softmax"),
])
state = TrainState.create(
    model, optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
)

devices = jax.local_devices()
batch_size = 16 * len(devices)  # pmap needs equal shards: a multiple of the device count
p_train = jax.pmap(lambda s, b: train_step(s, b, axis_name="batch"), axis_name="batch")
p_eval = jax.pmap(lambda s, b: eval_step(s, b, axis_name="batch"), axis_name="batch")
print(f"{len(devices)} devices, global batch {batch_size}")

states = replicate(state)
rng = np.random.default_rng(0)
full = len(x_train) // batch_size * batch_size  # the last partial batch is dropped here
for epoch in range(10):
    states = states.replace(metric_states=replicate(state.reset_metrics().metric_states))
    order = rng.permutation(len(x_train))[:full].reshape(-1, batch_size)
    for rows in order:
        states, logs = p_train(states, shard_batch((x_train[rows], y_train[rows])))
    print(f"epoch {epoch + 1}: loss {float(logs['loss'][0]):.4f}  "
          f"accuracy {float(logs['accuracy'][0]):.4f}")

# Evaluation over the test set, batches of batch_size (the remainder evaluated on one device).
trained = unreplicate(states)
evaluated = states.replace(metric_states=replicate(trained.reset_metrics().metric_states))
cut = len(x_test) // batch_size * batch_size
for start in range(0, cut, batch_size):
    batch = (x_test[start:start + batch_size], y_test[start:start + batch_size])
    evaluated, logs = p_eval(evaluated, shard_batch(batch))
_, logs = eval_step(unreplicate(evaluated), (x_test[cut:], y_test[cut:]))
print(f"test loss {float(logs['loss']):.4f}  test accuracy {float(logs['accuracy']):.4f}")
assert float(logs["accuracy"]) > 0.9, logs

probabilities = model.apply(trained.variables, x_test[:5])  # the model as a pure function
print("predictions:", np.asarray(probabilities).argmax(-1), "labels:", y_test[:5])
