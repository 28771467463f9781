"""The shapes of the TensorFlow Developer course programs that failed on small things (issue 22):
each program is the course's Keras code, kept as text and run with ``keras`` bound to jnet (the
import swapped), on tiny generated data, for one or two epochs.

What each one exercises: ``verbose=False``; a custom callback stopping training on
``logs.get('accuracy')``; two unnamed ``Sequential``s (preprocessing, augmentation) nested in
a ``Sequential``; ``keras.backend.clear_session()`` between models; ``metrics=['mae']`` beside
the ``keras.metrics.mse`` function; ``model.predict(x, verbose=0)``;
``history.history['val_loss']``; ``keras.losses.MSE`` as a loss. (The course's
``keras.metrics.mse(a, b).numpy()`` is written ``np.asarray(...)``: JAX arrays have no
``.numpy()``.)
"""

import textwrap

import numpy as np
import pytest

import jnet

HELLO_WORLD = """
model = keras.Sequential([keras.layers.Dense(units=1, input_shape=[1])])
model.compile(optimizer='sgd', loss='mean_squared_error')
xs = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0], dtype=float)
ys = np.array([-3.0, -1.0, 1.0, 3.0, 5.0, 7.0], dtype=float)
history = model.fit(xs, ys, epochs=3, verbose=False)
result = model.predict(np.array([10.0]), verbose=0)
"""

CALLBACK = """
class myCallback(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs={}):
        if logs.get('accuracy') is not None and logs.get('accuracy') >= 0.0:
            print("\\nReached the accuracy so cancelling training!")
            self.model.stop_training = True

callbacks = myCallback()
(training_images, training_labels) = (rng.random((32, 8, 8)), rng.integers(0, 10, 32))
training_images = training_images / 255.0
model = keras.models.Sequential([
    keras.layers.Flatten(),
    keras.layers.Dense(16, activation=keras.activations.relu),
    keras.layers.Dense(10, activation=keras.activations.softmax),
])
model.compile(optimizer=keras.optimizers.Adam(), loss='sparse_categorical_crossentropy',
              metrics=['accuracy'])
history = model.fit(training_images, training_labels, epochs=10, callbacks=[callbacks])
"""

NESTED = """
x_train, y_train = rng.random((16, 12, 12, 3)) * 255, rng.integers(0, 2, (16, 1))
x_val, y_val = rng.random((8, 12, 12, 3)) * 255, rng.integers(0, 2, (8, 1))
preprocessing = keras.Sequential([keras.layers.Rescaling(1. / 255)])
data_augmentation = keras.Sequential([
    keras.layers.RandomFlip("horizontal"),
    keras.layers.RandomRotation(0.2),
])
model = keras.Sequential([
    keras.Input(shape=(12, 12, 3)),
    preprocessing,
    data_augmentation,
    keras.layers.Conv2D(4, (3, 3), activation='relu'),
    keras.layers.MaxPooling2D(2, 2),
    keras.layers.Flatten(),
    keras.layers.Dense(1, activation='sigmoid'),
])
model.compile(loss='binary_crossentropy',
              optimizer=keras.optimizers.RMSprop(learning_rate=1e-4), metrics=['accuracy'])
history = model.fit(x_train, y_train, epochs=2, validation_data=(x_val, y_val), verbose=False)
acc, val_loss = history.history['accuracy'], history.history['val_loss']
"""

TIME_SERIES = """
series = np.sin(np.arange(64) / 4.0).astype("float32")
window_size = 8
windows = np.stack([series[i:i + window_size] for i in range(len(series) - window_size)])
targets = series[window_size:]

keras.backend.clear_session()
model = keras.models.Sequential([
    keras.layers.Dense(10, input_shape=[window_size], activation="relu"),
    keras.layers.Dense(1),
])
lr_schedule = keras.callbacks.LearningRateScheduler(lambda epoch: 1e-8 * 10 ** (epoch / 20))
model.compile(loss=keras.losses.Huber(), optimizer=keras.optimizers.SGD(momentum=0.9),
              metrics=["mae"])
history = model.fit(windows, targets, epochs=2, callbacks=[lr_schedule], verbose=0)
lrs = 1e-8 * (10 ** (np.arange(2) / 20))

keras.backend.clear_session()
model = keras.models.Sequential([
    keras.layers.Dense(10, input_shape=[window_size], activation="relu"),
    keras.layers.Dense(1),
])
model.compile(loss=keras.losses.MSE, metrics=["mae", keras.metrics.mse],
              optimizer=keras.optimizers.SGD(learning_rate=1e-6, momentum=0.9))
history = model.fit(windows[:40], targets[:40], epochs=2,
                    validation_data=(windows[40:], targets[40:]), verbose=0)
forecast = model.predict(windows[40:], verbose=0)[:, 0]
mse = np.asarray(keras.metrics.mse(targets[40:], forecast))
mae = np.asarray(keras.metrics.mae(targets[40:], forecast))
"""


def run_course_program(source: str) -> dict:
    """Runs a course program with ``keras`` bound to jnet; returns its variables."""
    scope = {"keras": jnet, "np": np, "rng": np.random.default_rng(0)}
    exec(compile(textwrap.dedent(source), "<course program>", "exec"), scope)  # noqa: S102
    return scope


def test_hello_world_with_verbose_false(capsys):
    scope = run_course_program(HELLO_WORLD)
    assert capsys.readouterr().out == ""
    assert len(scope["history"].history["loss"]) == 3
    assert scope["result"].shape == (1, 1)


def test_callback_stops_training_on_accuracy(capsys):
    scope = run_course_program(CALLBACK)
    assert scope["history"].epoch == [0]  # stopped after the first of 10 epochs
    assert "Reached the accuracy so cancelling training!" in capsys.readouterr().out


def test_nested_sequentials_train():
    scope = run_course_program(NESTED)
    model = scope["model"]
    assert [layer.name for layer in model.layers[:2]] == ["sequential", "sequential_1"]
    assert model.name == "sequential_2"
    assert len(scope["acc"]) == 2 and len(scope["val_loss"]) == 2


def test_time_series_between_clear_sessions(monkeypatch):
    # clear_session() also drops JAX's compiled programs; keep them for the tests that follow
    monkeypatch.setattr(jnet.backend.jax, "clear_caches", lambda: None)
    scope = run_course_program(TIME_SERIES)
    model, history = scope["model"], scope["history"]
    assert model.name == "sequential"  # clear_session started the names again
    assert set(history.history) == {"loss", "mae", "mean_squared_error", "val_loss", "val_mae",
                                    "val_mean_squared_error"}
    assert scope["forecast"].shape == (16,)
    targets, forecast = scope["targets"][40:], scope["forecast"]
    assert float(scope["mse"]) == pytest.approx(float(np.mean((targets - forecast) ** 2)),
                                                rel=1e-5)
    assert float(scope["mae"]) == pytest.approx(float(np.mean(np.abs(targets - forecast))),
                                                rel=1e-5)
