"""Callback hook order and logs keys against real Keras, plus custom callbacks."""

import numpy as np
import pytest

import jnet

HOOKS = (
    "on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end",
    "on_train_batch_begin", "on_train_batch_end", "on_batch_begin", "on_batch_end",
    "on_test_begin", "on_test_end", "on_test_batch_begin", "on_test_batch_end",
)


def _recorder(base):
    """A callback class (subclass of ``base``) recording (hook, index, logs keys) per call."""

    class Recorder(base):
        def __init__(self):
            super().__init__()
            self.calls = []

    for hook in HOOKS:

        def method(self, *args, _hook=hook, **kwargs):
            logs = kwargs["logs"] if "logs" in kwargs else args[-1]
            index = [a for a in args if isinstance(a, int)]
            keys = None if logs is None else sorted(logs)
            self.calls.append((_hook, *index, keys))

        setattr(Recorder, hook, method)
    return Recorder


def _data():
    x = np.linspace(-1, 1, 40, dtype=np.float32).reshape(20, 2)
    return x, x.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("validation", ["data", "split", None])
def test_hook_sequence_and_logs_keys_match_keras(keras, validation):
    x, y = _data()
    kwargs = {"batch_size": 8, "epochs": 2, "verbose": 0}
    if validation == "data":
        kwargs["validation_data"] = (x[:6], y[:6])
    elif validation == "split":
        kwargs["validation_split"] = 0.25

    k_model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    k_model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    k_rec = _recorder(keras.callbacks.Callback)()
    k_model.fit(x, y, callbacks=[k_rec], **kwargs)

    j_model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(2,))])
    j_model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    j_rec = _recorder(jnet.callbacks.Callback)()
    j_model.fit(x, y, callbacks=[j_rec], **kwargs)

    assert j_rec.calls == k_rec.calls
    assert ("on_test_begin", []) in j_rec.calls or validation is None


def test_epoch_hooks_only_when_no_batch_hook_is_overridden():
    calls = []

    class EpochOnly(jnet.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            calls.append(epoch)

    cb = EpochOnly()
    assert not cb.needs_batch_logs()
    model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(2,))])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(*_data(), epochs=2, verbose=0, callbacks=[cb])
    assert calls == [0, 1]


def test_custom_callback_stops_once_accuracy_passes_threshold():
    class StopAtAccuracy(jnet.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if logs["accuracy"] > 0.9:
                self.model.stop_training = True

    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 2)).astype(np.float32)
    y = (x[:, :1] + x[:, 1:] > 0).astype(np.float32)
    jnet.utils.set_random_seed(0)
    model = jnet.Sequential([jnet.layers.Dense(1, activation="sigmoid", input_shape=(2,))])
    model.compile(optimizer=jnet.optimizers.SGD(0.5), loss="binary_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(x, y, epochs=50, verbose=0, callbacks=[StopAtAccuracy()])
    accuracy = history.history["accuracy"]
    assert len(accuracy) < 50
    assert accuracy[-1] > 0.9 and all(a <= 0.9 for a in accuracy[:-1])


def test_callback_list_accepts_keras_keyword_params_and_orders_defaults_like_keras():
    user = jnet.callbacks.Callback()
    cbs = jnet.callbacks.CallbackList(
        [user], add_history=True, add_progbar=True, epochs=3, steps=5, verbose=2
    )
    assert [type(c).__name__ for c in cbs.callbacks] == ["Callback", "History", "ProgbarLogger"]
    assert user.params == {"epochs": 3, "steps": 5, "verbose": 2}


def test_optimizer_learning_rate_assignment_in_a_callback_reaches_the_step():
    class Halve(jnet.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            if epoch == 1:
                lr = float(self.model.optimizer.learning_rate)
                self.model.optimizer.learning_rate = lr / 2

    model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(2,))])
    model.compile(optimizer=jnet.optimizers.SGD(0.1), loss="mse")
    model.fit(*_data(), epochs=2, verbose=0, callbacks=[Halve()])
    live = jnet.optimizers.get_learning_rate(model._train_state.opt_state)
    assert float(live) == pytest.approx(0.05)
    assert model.optimizer.learning_rate == pytest.approx(0.05)


def test_optimizer_learning_rate_set_between_fits_applies_to_the_next_fit():
    model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(2,))])
    model.compile(optimizer=jnet.optimizers.SGD(0.1), loss="mse")
    model.fit(*_data(), epochs=1, verbose=0)
    model.optimizer.learning_rate = 0.02
    model.fit(*_data(), epochs=1, verbose=0)
    live = jnet.optimizers.get_learning_rate(model._train_state.opt_state)
    assert float(live) == pytest.approx(0.02)
