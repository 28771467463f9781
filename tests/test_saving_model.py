"""model.save('m.jnet') / jnet.models.load_model: the same model, the same numbers, no code.

For each layer family a trained model is saved and loaded: predictions must be bit-identical,
the compile configuration the same, and one more epoch of ``fit`` must give exactly the loss
the original model gives (optimizer state, step count and dropout key restored).
"""

import json

import numpy as np
import pytest

import jnet
from jnet.saving import FileFormatError
from jnet.saving._file import read_file, write_file

L = jnet.layers


def _swish3(x):
    return x * jnet.activations.sigmoid(3.0 * x)


def _square(x):
    return x * x


def _conv():
    return jnet.Sequential([
        jnet.Input(shape=(8, 8, 2)),
        L.Conv2D(4, 3, padding="same", activation="relu"),
        L.MaxPooling2D(),
        L.SeparableConv2D(4, 2),
        L.DepthwiseConv2D(2),
        L.GlobalAveragePooling2D(),
        L.Dense(3, activation="softmax"),
    ]), (8, 8, 2), 3


def _core_and_normalization():
    return jnet.Sequential([
        L.Dense(8, activation="relu", input_shape=(6,)),
        L.BatchNormalization(),
        L.Dense(8, activation=_swish3),
        L.LayerNormalization(),
        L.Activation("tanh"),
        L.Identity(),
        L.Dropout(0.3),
        L.GaussianNoise(0.1),
        L.Dense(3, activation="softmax"),
    ]), (6,), 3


def _reshaping_and_augmentation():
    return jnet.Sequential([
        L.Rescaling(0.5, input_shape=(6, 6, 1)),
        L.RandomFlip(),
        L.Reshape((36,)),
        L.Dense(6),
        L.Reshape((3, 2)),
        L.Flatten(),
        L.Lambda(_square),
        L.Dense(3, activation="softmax"),
    ]), (6, 6, 1), 3


def _recurrent():
    return jnet.Sequential([
        L.Embedding(10, 4, input_shape=(5,)),
        L.Bidirectional(L.LSTM(3, return_sequences=True), backward_layer=L.GRU(
            3, return_sequences=True, go_backwards=True)),
        L.TimeDistributed(L.Dense(2)),
        L.GlobalAveragePooling1D(),
        L.Dense(3, activation="softmax"),
    ]), (5,), 3


FAMILIES = {
    "core": _core_and_normalization,
    "conv": _conv,
    "reshaping": _reshaping_and_augmentation,
    "recurrent": _recurrent,
}
CUSTOM = {"_swish3": _swish3, "_square": _square}


def _data(shape, classes, rng, recurrent=False):
    if recurrent:
        x = rng.integers(0, 10, size=(16, *shape)).astype(np.float32)
    else:
        x = rng.normal(size=(16, *shape)).astype(np.float32)
    return x, np.arange(16) % classes


@pytest.mark.parametrize("family", list(FAMILIES))
def test_round_trip_predicts_and_trains_identically(family, tmp_path, rng):
    jnet.utils.set_random_seed(1)
    model, shape, classes = FAMILIES[family]()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["acc"])
    x, y = _data(shape, classes, rng, recurrent=family == "recurrent")
    model.fit(x, y, batch_size=8, epochs=1, verbose=0, shuffle=False)
    path = tmp_path / "m.jnet"
    model.save(path)

    loaded = jnet.models.load_model(path, custom_objects=CUSTOM)
    assert [type(a) for a in loaded.layers] == [type(b) for b in model.layers]
    assert [a.get_config() for a in loaded.layers] == [b.get_config() for b in model.layers]
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert loaded.metrics_names == model.metrics_names
    assert loaded.optimizer.get_config() == model.optimizer.get_config()
    assert int(loaded._train_state.step) == int(model._train_state.step) == 2

    expected = model.fit(x, y, batch_size=8, epochs=1, verbose=0, shuffle=False).history
    got = loaded.fit(x, y, batch_size=8, epochs=1, verbose=0, shuffle=False).history
    assert got == expected
    for a, b in zip(loaded.get_weights(), model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_compile_configuration_is_restored(tmp_path, rng):
    model = jnet.Sequential([L.Dense(2, input_shape=(3,))])
    model.compile(
        optimizer=jnet.optimizers.SGD(learning_rate=0.05, momentum=0.9, nesterov=True),
        loss=jnet.losses.Huber(delta=0.5),
        metrics=["mae", jnet.metrics.MeanSquaredError(name="my_mse"), "accuracy"],
    )
    model.save(tmp_path / "m.jnet")
    loaded = jnet.models.load_model(tmp_path / "m.jnet")
    assert type(loaded.optimizer) is jnet.optimizers.SGD
    assert loaded.optimizer.get_config() == model.optimizer.get_config()
    assert type(loaded._loss_obj) is jnet.losses.Huber
    assert loaded._loss_obj.get_config() == model._loss_obj.get_config()
    assert loaded.metrics_names == ["loss", "mae", "my_mse", "accuracy"]
    x = rng.normal(size=(8, 3)).astype(np.float32)
    y = rng.normal(size=(8, 2)).astype(np.float32)
    assert loaded.evaluate(x, y, verbose=0) == model.evaluate(x, y, verbose=0)


def test_custom_loss_and_metric_functions_come_from_custom_objects(tmp_path):
    def my_loss(y_true, y_pred):
        return jnet.losses.mean_squared_error(y_true, y_pred) * 2.0

    def my_metric(y_true, y_pred):
        return jnet.losses.mean_absolute_error(y_true, y_pred)

    model = jnet.Sequential([L.Dense(1, input_shape=(2,))])
    model.compile(optimizer="sgd", loss=my_loss, metrics=[my_metric])
    model.save(tmp_path / "m.jnet")
    with pytest.raises(jnet.errors.UnknownIdentifierError, match="custom_objects"):
        jnet.models.load_model(tmp_path / "m.jnet")
    loaded = jnet.models.load_model(
        tmp_path / "m.jnet", custom_objects={"my_loss": my_loss, "my_metric": my_metric}
    )
    assert loaded.metrics_names == model.metrics_names
    x, y = np.ones((4, 2), np.float32), np.zeros((4, 1), np.float32)
    assert loaded.evaluate(x, y, verbose=0) == model.evaluate(x, y, verbose=0)
    # compile=False skips the compile configuration entirely.
    assert not jnet.models.load_model(tmp_path / "m.jnet", compile=False).compiled


def test_uncompiled_and_unbuilt_models(tmp_path):
    model = jnet.Sequential([L.Dense(2, input_shape=(3,)), L.Dense(1)])
    model.save(tmp_path / "a.jnet")
    loaded = jnet.models.load_model(tmp_path / "a.jnet")
    assert not loaded.compiled
    for a, b in zip(loaded.get_weights(), model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    unbuilt = jnet.Sequential([L.Dense(2)])
    unbuilt.save(tmp_path / "b.jnet")
    assert jnet.models.load_model(tmp_path / "b.jnet").input_shape is None


def test_a_raw_optax_optimizer_is_saved_without_compile_config(tmp_path):
    import optax

    model = jnet.Sequential([L.Dense(1, input_shape=(2,))])
    model.compile(optimizer=optax.sgd(0.1), loss="mse")
    with pytest.warns(UserWarning, match="raw optax transformation"):
        model.save(tmp_path / "m.jnet")
    assert not jnet.models.load_model(tmp_path / "m.jnet").compiled


def test_lambda_without_custom_objects_is_refused(tmp_path):
    model = jnet.Sequential([L.Lambda(_square, input_shape=(2,))])
    model.save(tmp_path / "m.jnet")
    message = r"function '_square'.*not in the file.*custom_objects=\{'_square'"
    with pytest.raises(jnet.errors.JnetValueError, match=message):
        jnet.models.load_model(tmp_path / "m.jnet")
    with pytest.raises(jnet.errors.JnetValueError, match=message):  # nothing to unlock
        jnet.models.load_model(tmp_path / "m.jnet", safe_mode=False)
    loaded = jnet.models.load_model(tmp_path / "m.jnet", custom_objects={"_square": _square})
    assert loaded.layers[0].function is _square


def _rewrite(path, change_meta=None, change_tensors=None):
    """Rewrites a jnet file with edited content and a VALID checksum (a crafted file)."""
    tensors, meta = read_file(path, "jnet.model")
    if change_meta:
        change_meta(meta)
    if change_tensors:
        change_tensors(tensors)
    write_file(path, tensors, meta, "jnet.model")


def test_unknown_layer_class_in_a_file_is_named(tmp_path):
    path = tmp_path / "m.jnet"
    jnet.Sequential([L.Dense(2, input_shape=(3,))]).save(path)

    def rename(meta):
        config = json.loads(meta["model_config"])
        config["config"]["layers"][0]["class_name"] = "subprocess.Popen"
        meta["model_config"] = json.dumps(config)

    _rewrite(path, change_meta=rename)
    with pytest.raises(jnet.errors.UnknownIdentifierError, match=r"'subprocess\.Popen'"):
        jnet.models.load_model(path)


def test_weights_disagreeing_with_the_architecture_are_refused(tmp_path):
    path = tmp_path / "m.jnet"
    jnet.Sequential([L.Dense(2, input_shape=(3,))]).save(path)

    def reshape(tensors):
        tensors["params/dense/kernel"] = np.zeros((4, 2), np.float32)

    _rewrite(path, change_tensors=reshape)
    with pytest.raises(FileFormatError, match=r"params/dense/kernel has shape \(4, 2\)"):
        jnet.models.load_model(path)

    jnet.Sequential([L.Dense(2, input_shape=(3,))]).save(path)
    _rewrite(path, change_tensors=lambda t: t.update(
        {"params/dense/kernel": t["params/dense/kernel"].astype(np.float64)}))
    with pytest.raises(FileFormatError, match="dtype float64"):
        jnet.models.load_model(path)

    jnet.Sequential([L.Dense(2, input_shape=(3,))]).save(path)
    _rewrite(path, change_tensors=lambda t: t.pop("params/dense/bias"))
    with pytest.raises(FileFormatError, match="missing 'params/dense/bias'"):
        jnet.models.load_model(path)


def test_corrupt_files_are_refused(tmp_path):
    path = tmp_path / "m.jnet"
    model = jnet.Sequential([L.Dense(2, input_shape=(3,))])
    model.save(path)
    data = path.read_bytes()

    bad = tmp_path / "bad.jnet"
    for label, content in {
        "truncated": data[: len(data) - 5],
        "bit flip in the weights": data[:-3] + bytes([data[-3] ^ 0x01]) + data[-2:],
        "empty": b"",
        "random": bytes(range(256)) * 4,
        "oversized header": (2**62).to_bytes(8, "little") + data[8:],
        "pickle": b"\x80\x04\x95" + data[3:],
    }.items():
        bad.write_bytes(content)
        with pytest.raises(FileFormatError):
            jnet.models.load_model(bad)
        assert label
    # A weights file is not a model file.
    model.save_weights(tmp_path / "w.weights.safetensors")
    wrong = tmp_path / "w.jnet"
    wrong.write_bytes((tmp_path / "w.weights.safetensors").read_bytes())
    with pytest.raises(FileFormatError, match="'jnet.weights' file"):
        jnet.models.load_model(wrong)


def test_bad_file_names(tmp_path):
    model = jnet.Sequential([L.Dense(2, input_shape=(3,))])
    with pytest.raises(jnet.errors.JnetValueError, match=r"'\.jnet'.*save_weights"):
        model.save(tmp_path / "m.weights.h5")
    with pytest.raises(jnet.errors.JnetValueError, match=r"'\.jnet'.*Keras 2's legacy"):
        model.save(tmp_path / "m.h5")
    model.save(tmp_path / "m.jnet")
    with pytest.raises(jnet.errors.JnetValueError, match="overwrite"):
        model.save(tmp_path / "m.jnet", overwrite=False)


def test_fuzzed_files_fail_only_with_jnet_errors(tmp_path):
    """Any truncation or bit flip of a model file is refused with jnet's own error."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    path = tmp_path / "m.jnet"
    model = jnet.Sequential([L.Dense(2, input_shape=(3,)), L.BatchNormalization()])
    model.compile(optimizer="adam", loss="mse")
    model.fit(np.ones((4, 3)), np.ones((4, 2)), verbose=0)
    model.save(path)
    data = path.read_bytes()
    bad = tmp_path / "bad.jnet"

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        flips=st.lists(st.tuples(st.integers(0, len(data) - 1), st.integers(0, 7)), max_size=3),
        cut=st.one_of(st.none(), st.integers(0, len(data) - 1)),
    )
    def check(flips, cut):
        content = bytearray(data)
        for index, bit in flips:
            content[index] ^= 1 << bit
        if cut is not None:
            content = content[:cut]
        if bytes(content) == data:
            return
        bad.write_bytes(bytes(content))
        with pytest.raises(jnet.errors.JnetError):
            jnet.models.load_model(bad)

    check()
