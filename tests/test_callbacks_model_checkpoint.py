"""ModelCheckpoint: the same files as Keras for the same logs, and real saves."""

import os

import numpy as np
import pytest

import jnet


class FakeModel:
    """Records saves by writing an empty file, as a real save would create one."""

    def __init__(self):
        self.stop_training = False

    def save(self, filepath, overwrite=True):
        open(filepath, "w").close()

    save_weights = save


_LOGS = [0.9, 0.7, 0.8, 0.6, 0.6, 0.65, 0.5]


def _drive(callback, batches=0):
    callback.set_model(FakeModel())
    callback.on_train_begin()
    for epoch, value in enumerate(_LOGS):
        callback.on_epoch_begin(epoch)
        for batch in range(batches):
            callback.on_train_batch_begin(batch)
            callback.on_train_batch_end(batch, {"loss": value + batch / 100})
        callback.on_epoch_end(epoch, {"loss": value + 0.1, "val_loss": value})
    callback.on_train_end()


_CASES = [
    ("m-{epoch:02d}", {}),
    ("m-{epoch:02d}-{val_loss:.2f}", {"save_best_only": True}),
    ("m-{epoch}-{loss:.3f}", {"save_best_only": True, "monitor": "loss", "mode": "min"}),
    ("m-{epoch}", {"save_best_only": True, "mode": "max"}),
    ("m-{epoch}", {"save_best_only": True, "initial_value_threshold": 0.65}),
    ("m-{epoch}-{batch}", {"save_freq": 3}),
]


@pytest.mark.parametrize("weights_only", [False, True])
@pytest.mark.parametrize(("pattern", "config"), _CASES, ids=str)
def test_same_files_as_keras(keras, tmp_path, pattern, config, weights_only):
    batches = 4 if config.get("save_freq", "epoch") != "epoch" else 0
    suffixes = {"keras": ".weights.h5" if weights_only else ".keras",
                "jnet": ".weights.safetensors" if weights_only else ".jnet"}
    names = {}
    for side, module in (("keras", keras), ("jnet", jnet)):
        folder = tmp_path / side
        cb = module.callbacks.ModelCheckpoint(
            str(folder / (pattern + suffixes[side])), save_weights_only=weights_only, **config
        )
        _drive(cb, batches)
        names[side] = sorted(f.removesuffix(suffixes[side]) for f in os.listdir(folder))
    assert names["jnet"] == names["keras"] and names["jnet"]


def test_batch_level_best_only_works_before_the_first_epoch_ends(tmp_path):
    # Keras 3.15 raises TypeError here (its monitor_op is set only at the first epoch end).
    cb = jnet.callbacks.ModelCheckpoint(
        str(tmp_path / "m-{epoch}-{batch}.jnet"), save_freq=2, save_best_only=True,
        monitor="loss",
    )
    _drive(cb, batches=4)
    # batch losses per epoch rise within an epoch (value + batch/100): only improvements save
    assert sorted(os.listdir(tmp_path)) == ["m-1-2.jnet", "m-2-2.jnet", "m-4-2.jnet",
                                            "m-7-2.jnet"]


def test_other_suffixes_are_refused_with_a_hint():
    jnet.callbacks.ModelCheckpoint("best.keras")  # a Keras 3 archive (test_saving_keras_write)
    with pytest.raises(ValueError, match=r"end in `\.keras`.*`\.jnet`.*best\.h5"):
        jnet.callbacks.ModelCheckpoint("best.h5")
    with pytest.raises(ValueError, match=r"\.weights\.safetensors"):
        jnet.callbacks.ModelCheckpoint("w.h5", save_weights_only=True)
    with pytest.raises(ValueError, match="save_freq"):
        jnet.callbacks.ModelCheckpoint("m.jnet", save_freq="often")


def test_epoch_checkpoint_does_not_need_batch_logs():
    assert not jnet.callbacks.ModelCheckpoint("m.jnet").needs_batch_logs()
    assert jnet.callbacks.ModelCheckpoint("m.jnet", save_freq=5).needs_batch_logs()


def _fit_with(callback, epochs=3):
    x = np.linspace(-1, 1, 64, dtype=np.float32).reshape(32, 2)
    y = x.sum(axis=1, keepdims=True)
    model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(2,))])
    model.compile(optimizer=jnet.optimizers.SGD(0.1), loss="mse")
    history = model.fit(x, y, epochs=epochs, batch_size=8, validation_split=0.25, verbose=0,
                        callbacks=[callback])
    return model, history


def test_real_fit_saves_best_model_that_loads_back(tmp_path):
    path = str(tmp_path / "best.jnet")
    cb = jnet.callbacks.ModelCheckpoint(path, save_best_only=True)
    model, history = _fit_with(cb)
    assert history.history["val_loss"][-1] == min(history.history["val_loss"])
    loaded = jnet.saving.load_model(path)
    for a, b in zip(loaded.get_weights(), model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_real_fit_saves_weights_per_epoch(tmp_path):
    cb = jnet.callbacks.ModelCheckpoint(
        str(tmp_path / "w-{epoch:02d}-{val_loss:.3f}.weights.safetensors"), save_weights_only=True
    )
    model, history = _fit_with(cb)
    expected = [f"w-{e + 1:02d}-{v:.3f}.weights.safetensors"
                for e, v in enumerate(history.history["val_loss"])]
    assert sorted(os.listdir(tmp_path)) == expected
    other = jnet.Sequential([jnet.layers.Dense(1, input_shape=(2,))])
    other.load_weights(str(tmp_path / expected[-1]))
    for a, b in zip(other.get_weights(), model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
