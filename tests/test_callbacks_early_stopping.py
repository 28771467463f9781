"""EarlyStopping: the same stopping epoch and restored weights as Keras for the same logs."""

import numpy as np
import pytest

import jnet


class FakeModel:
    """What EarlyStopping touches: stop_training and get/set_weights (the epoch number)."""

    def __init__(self):
        self.stop_training = False
        self.current = None
        self.restored = None

    def get_weights(self):
        return [np.array(self.current)]

    def set_weights(self, weights):
        self.restored = int(weights[0])


def _drive(callback, values, key="val_loss"):
    model = FakeModel()
    callback.set_model(model)
    callback.on_train_begin()
    epochs = 0
    for epoch, value in enumerate(values):
        model.current = epoch
        callback.on_epoch_end(epoch, {"loss": 1.0, key: value})
        epochs += 1
        if model.stop_training:
            break
    callback.on_train_end()
    return epochs, callback.stopped_epoch, model.restored, callback.best


_SEQUENCES = {
    "noisy": [1.0, 0.8, 0.85, 0.7, 0.71, 0.72, 0.73, 0.69, 0.9, 0.95, 0.99, 1.1],
    "rising": [0.5, 0.6, 0.7, 0.8, 0.9, 1.0],
    "plateau": [1.0, 0.99995, 0.9999, 0.99985, 0.9998, 0.9, 0.9, 0.9, 0.9],
    "random": list(np.random.default_rng(3).uniform(0, 1, 15).astype(np.float32).tolist()),
}
_CONFIGS = [
    {},
    {"patience": 2},
    {"patience": 2, "restore_best_weights": True},
    {"patience": 1, "min_delta": 0.05, "restore_best_weights": True},
    {"patience": 3, "mode": "max", "restore_best_weights": True},
    {"patience": 2, "baseline": 0.75, "restore_best_weights": True},
    {"patience": 1, "start_from_epoch": 3, "restore_best_weights": True},
    {"patience": 0, "min_delta": 1e-4, "mode": "min"},
]


@pytest.mark.parametrize("config", _CONFIGS, ids=str)
@pytest.mark.parametrize("sequence", sorted(_SEQUENCES))
def test_same_stop_epoch_and_restored_weights_as_keras(keras, config, sequence):
    values = _SEQUENCES[sequence]
    expected = _drive(keras.callbacks.EarlyStopping(**config), values)
    got = _drive(jnet.callbacks.EarlyStopping(**config), values)
    assert got == expected


def test_auto_mode_maximises_accuracy_like_keras(keras):
    values = [0.5, 0.6, 0.55, 0.54, 0.53]
    k_model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    k_model.compile(loss="mse", metrics=["accuracy"])
    # Keras builds its compiled metrics (and so knows their direction) on the first step.
    k_model.fit(np.zeros((2, 2)), np.zeros((2, 1)), verbose=0)
    j_model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(2,))])
    j_model.compile(loss="mse", metrics=["accuracy"])
    results = []
    for cb, model in ((keras.callbacks.EarlyStopping("val_accuracy", patience=2), k_model),
                      (jnet.callbacks.EarlyStopping("val_accuracy", patience=2), j_model)):
        cb.set_model(model)
        cb.on_train_begin()
        for epoch, value in enumerate(values):
            cb.on_epoch_end(epoch, {"val_accuracy": value})
        results.append((cb.stopped_epoch, cb.best))
    assert results[0] == results[1] == (4, 0.6)  # no break: the last epoch counts


def test_auto_mode_unknown_metric_raises():
    cb = jnet.callbacks.EarlyStopping("val_something")
    cb.set_model(FakeModel())
    with pytest.raises(ValueError, match="mode='max'"):
        cb.on_epoch_end(0, {"val_something": 1.0})


def test_missing_monitor_warns_and_continues():
    cb = jnet.callbacks.EarlyStopping("val_loss")
    cb.set_model(FakeModel())
    cb.on_train_begin()
    with pytest.warns(UserWarning, match="Available metrics are: loss"):
        cb.on_epoch_end(0, {"loss": 1.0})


def test_real_fit_stops_and_restores_best_weights():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 2)).astype(np.float32)
    y = x.sum(axis=1, keepdims=True)
    model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(2,))])
    # A learning rate so large that the loss diverges after the first epochs.
    model.compile(optimizer=jnet.optimizers.SGD(1.2), loss="mse")
    weights_seen = []

    class Snapshot(jnet.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            weights_seen.append(self.model.get_weights())

    stop = jnet.callbacks.EarlyStopping("loss", patience=2, restore_best_weights=True)
    history = model.fit(x, y, epochs=30, batch_size=32, verbose=0, callbacks=[Snapshot(), stop])
    losses = history.history["loss"]
    best = int(np.argmin(losses))
    assert len(losses) == best + 3 and stop.stopped_epoch == best + 2 and stop.best_epoch == best
    for got, want in zip(model.get_weights(), weights_seen[best], strict=True):
        np.testing.assert_array_equal(got, want)


_KERAS_ARGS = {
    "SensitivityAtSpecificity": {"specificity": 0.5},
    "SpecificityAtSensitivity": {"sensitivity": 0.5},
    "PrecisionAtRecall": {"recall": 0.5},
    "RecallAtPrecision": {"precision": 0.5},
    "IoU": {"num_classes": 2, "target_class_ids": [0]},
    "OneHotIoU": {"num_classes": 2, "target_class_ids": [0]},
    "MeanIoU": {"num_classes": 2},
    "OneHotMeanIoU": {"num_classes": 2},
}


@pytest.mark.parametrize("name", sorted(jnet.callbacks._monitor.METRIC_DIRECTIONS))
def test_metric_direction_table_matches_keras(keras, name):
    """mode='auto' decides like Keras: the table agrees with Keras's Metric._direction."""
    direction = jnet.callbacks._monitor.METRIC_DIRECTIONS[name]
    if name in ("AccuracyByShape", "CrossentropyByShape"):  # jnet's 'accuracy'/'crossentropy'
        assert direction == {"AccuracyByShape": "up", "CrossentropyByShape": "down"}[name]
        return
    metric = getattr(keras.metrics, name)(**_KERAS_ARGS.get(name, {}))
    assert metric._direction == direction


@pytest.mark.parametrize("name", ["accuracy", "mae", "mse", "auc", "kl_divergence", "precision",
                                  "binary_crossentropy", "cosine_similarity", "r2_score"])
def test_compiled_metric_names_resolve_to_keras_direction(name):
    metric = jnet.metrics.resolve(name)
    expected = {"accuracy": "up", "auc": "up", "precision": "up", "cosine_similarity": "up",
                "r2_score": "up"}.get(name, "down")
    assert jnet.callbacks._monitor.metric_direction(metric) == expected
