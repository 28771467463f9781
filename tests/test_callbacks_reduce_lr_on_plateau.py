"""ReduceLROnPlateau: the learning rate falls at the same epochs, to the same values, as Keras."""

import numpy as np
import pytest

import jnet


class FakeModel:
    def __init__(self, optimizer):
        self.optimizer = optimizer
        self.stop_training = False


def _drive(callback, optimizer, values):
    callback.set_model(FakeModel(optimizer))
    callback.on_train_begin()
    rates = []
    for epoch, value in enumerate(values):
        logs = {"loss": 1.0, "val_loss": value}
        callback.on_epoch_end(epoch, logs)
        rates.append((logs["learning_rate"], float(np.asarray(optimizer.learning_rate))))
    return rates


_SEQUENCES = {
    "plateau": [1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8, 0.8],
    "tiny_gains": [1.0, 0.99995, 0.9999, 0.99985, 0.9998, 0.99975, 0.9997, 0.5, 0.5, 0.5],
    "random": np.random.default_rng(1).uniform(0, 1, 20).astype(np.float32).tolist(),
}
_CONFIGS = [
    {"patience": 2},
    {"patience": 1, "factor": 0.5, "cooldown": 2},
    {"patience": 1, "factor": 0.2, "min_lr": 0.005},
    {"patience": 2, "min_delta": 0.0, "mode": "min"},
    {"patience": 1, "mode": "max", "min_delta": 0.01},
]


@pytest.mark.parametrize("config", _CONFIGS, ids=str)
@pytest.mark.parametrize("sequence", sorted(_SEQUENCES))
def test_same_reductions_as_keras(keras, config, sequence):
    values = _SEQUENCES[sequence]
    expected = _drive(keras.callbacks.ReduceLROnPlateau(**config), keras.optimizers.SGD(0.1),
                      values)
    got = _drive(jnet.callbacks.ReduceLROnPlateau(**config), jnet.optimizers.SGD(0.1), values)
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    # the epochs at which the rate fell are the same
    assert [a[1] < b[1] for a, b in zip(got[1:], got[:-1], strict=True)] == [
        a[1] < b[1] for a, b in zip(expected[1:], expected[:-1], strict=True)
    ]


def test_factor_must_be_below_one():
    with pytest.raises(ValueError, match="factor >= 1.0"):
        jnet.callbacks.ReduceLROnPlateau(factor=1.0)


def test_real_fit_lowers_the_live_rate_and_logs_it():
    x = np.linspace(-1, 1, 64, dtype=np.float32).reshape(32, 2)
    y = x.sum(axis=1, keepdims=True)
    model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(2,))])
    model.compile(optimizer=jnet.optimizers.SGD(0.1), loss="mse")
    # min_delta larger than any change: every epoch after the first is a plateau.
    cb = jnet.callbacks.ReduceLROnPlateau("loss", factor=0.5, patience=1, min_delta=100.0)
    history = model.fit(x, y, epochs=4, verbose=0, callbacks=[cb])
    np.testing.assert_allclose(history.history["learning_rate"], [0.1, 0.1, 0.05, 0.025],
                               rtol=1e-6)
    live = jnet.optimizers.get_learning_rate(model._train_state.opt_state)
    assert float(live) == pytest.approx(0.0125)
    assert model.optimizer.learning_rate == pytest.approx(0.0125)
