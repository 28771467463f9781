"""Functional models in '.jnet' files: the graph as declarative JSON, rebuilt bit for bit.

A model with two inputs, a shared layer, merging layers and two outputs is saved and loaded:
predictions must be bit-identical and one more training epoch must give the same loss.
Crafted files with a malformed graph (dangling references, cycles) are refused.
"""

import json

import numpy as np
import pytest

import jnet
from jnet.saving._file import read_file, write_file

L = jnet.layers


def _model():
    a = jnet.Input(shape=(4,), name="a")
    b = jnet.Input(shape=(4,), name="b")
    shared = L.Dense(3, activation="relu")
    h = L.Add()([shared(a), shared(b)])
    h = L.BatchNormalization()(h)
    h2 = L.Concatenate()([h, L.Dense(2)(b)])
    out1 = L.Dense(1, name="out1")(L.Dropout(0.3)(h2))
    out2 = L.Dense(2, activation="softmax", name="out2")(h)
    return jnet.Model([a, b], [out1, out2], name="two_heads")


def _data(rng):
    x = [rng.normal(size=(16, 4)).astype(np.float32) for _ in range(2)]
    y = [rng.normal(size=(16, 1)).astype(np.float32), np.eye(2)[rng.integers(0, 2, 16)]]
    return x, y


def test_functional_round_trip_predicts_and_trains_identically(tmp_path, rng):
    jnet.utils.set_random_seed(1)
    model = _model()
    x, y = _data(rng)
    model.compile(optimizer="adam", loss=["mse", "categorical_crossentropy"])
    model.fit(x, y, epochs=1, batch_size=8, verbose=0, shuffle=False)
    model.save(tmp_path / "m.jnet")
    loaded = jnet.models.load_model(tmp_path / "m.jnet")
    assert type(loaded).__name__ == "Functional"
    assert loaded.name == "two_heads"
    assert [layer.name for layer in loaded.layers] == [layer.name for layer in model.layers]
    assert loaded.input_names == ["a", "b"] and loaded.output_names == ["out1", "out2"]
    for want, got in zip(model.predict(x, verbose=0), loaded.predict(x, verbose=0), strict=True):
        np.testing.assert_array_equal(got, want)
    assert int(loaded._train_state.step) == int(model._train_state.step) == 2
    want = model.fit(x, y, epochs=1, batch_size=8, verbose=0, shuffle=False).history
    got = loaded.fit(x, y, epochs=1, batch_size=8, verbose=0, shuffle=False).history
    assert got == want
    for a, b in zip(loaded.get_weights(), model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def _rewrite(path, change):
    tensors, meta = read_file(path, "jnet.model")
    config = json.loads(meta["model_config"])
    change(config["config"])
    meta["model_config"] = json.dumps(config)
    write_file(path, tensors, meta, "jnet.model")


def _layer(config, name):
    return next(entry for entry in config["layers"] if entry["name"] == name)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda c: _layer(c, "out1")["inbound_nodes"][0]["args"][0].update(
            {"__tensor__": ["nowhere", 0, 0]}), "reads the output of 'nowhere', no such layer"),
        (lambda c: _layer(c, "dense")["inbound_nodes"][0]["args"][0].update(
            {"__tensor__": ["add", 0, 0]}), "cannot be evaluated"),
        (lambda c: _layer(c, "out1")["inbound_nodes"][0]["args"][0].update(
            {"__tensor__": ["dense", 0, 7]}), "has 1 output"),
        (lambda c: _layer(c, "out1")["inbound_nodes"][0]["args"][0].update(
            {"__tensor__": "dense"}), r"\[layer_name, node_index, tensor_index\]"),
        (lambda c: c.update(output_layers=[]), "outputs must be tensor references"),
        (lambda c: _layer(c, "dense").update(class_name="os.system"), "'os.system'"),
    ],
    ids=["dangling", "cycle", "tensor index", "malformed ref", "no outputs", "class"],
)
def test_malformed_graphs_are_refused(tmp_path, change, match):
    path = tmp_path / "m.jnet"
    _model().save(path)
    _rewrite(path, change)
    with pytest.raises(jnet.errors.JnetValueError, match=match):
        jnet.models.load_model(path)


def test_keras_functional_archive_predicts_like_keras(keras, tmp_path, rng):
    K = keras.layers
    a, b = keras.Input((4,), name="a"), keras.Input((4,), name="b")
    shared = K.Dense(3, activation="relu")
    h = K.Add()([shared(a), shared(b)])
    h2 = K.Concatenate()([h, K.Dense(2)(b)])
    kmodel = keras.Model(
        [a, b], [K.Dense(1, name="out1")(h2), K.Dense(2, activation="softmax", name="out2")(h)]
    )
    kmodel.save(tmp_path / "f.keras")
    model = jnet.models.load_model(tmp_path / "f.keras")
    assert [layer.name for layer in model.layers] == [layer.name for layer in kmodel.layers]
    x = [rng.normal(size=(5, 4)).astype(np.float32) for _ in range(2)]
    for got, want in zip(model.predict(x, verbose=0), kmodel.predict(x, verbose=0), strict=True):
        np.testing.assert_allclose(got, want, atol=1e-5, rtol=0)

    # Embedding(mask_zero=True) -> LSTM: Keras records its mask computation (NotEqual) as a
    # node feeding LSTM's mask=; jnet's layers compute the mask themselves.
    tokens = keras.Input((5,), dtype="int32")
    kmodel = keras.Model(tokens, K.LSTM(3)(K.Embedding(10, 4, mask_zero=True)(tokens)))
    kmodel.save(tmp_path / "m.keras")
    model = jnet.models.load_model(tmp_path / "m.keras")
    x = np.array([[1, 2, 0, 0, 0], [3, 4, 5, 6, 7]])
    np.testing.assert_allclose(
        model.predict(x, verbose=0), kmodel.predict(x, verbose=0), atol=1e-5, rtol=0
    )


def test_nested_models_round_trip(tmp_path, rng):
    jnet.utils.set_random_seed(2)
    base = jnet.Sequential(
        [L.Dense(4, activation="relu", input_shape=(3,)), L.BatchNormalization(), L.Dense(2)],
        name="base",
    )
    inner_in = jnet.Input(shape=(2,))
    inner = jnet.Model(inner_in, L.Dense(2, name="inner_dense")(inner_in), name="inner")
    x = jnet.Input(shape=(3,))
    model = jnet.Model(x, L.Dense(1)(inner(base(x))))
    data, target = rng.normal(size=(8, 3)), rng.normal(size=(8, 1))
    model.compile(optimizer="adam", loss="mse")
    model.fit(data, target, batch_size=4, verbose=0, shuffle=False)
    model.save(tmp_path / "m.jnet")
    loaded = jnet.models.load_model(tmp_path / "m.jnet")
    assert [type(layer).__name__ for layer in loaded.layers] == [
        "InputLayer", "Sequential", "Functional", "Dense"]
    np.testing.assert_array_equal(loaded.predict(data, verbose=0), model.predict(data, verbose=0))
    want = model.fit(data, target, batch_size=4, verbose=0, shuffle=False).history
    assert loaded.fit(data, target, batch_size=4, verbose=0, shuffle=False).history == want


def test_nested_keras_models_load(keras, tmp_path, rng):
    K = keras.layers
    base = keras.Sequential([keras.Input((3,)), K.Dense(2, activation="relu")], name="base")
    x = keras.Input((3,))
    kmodel = keras.Model(x, K.Dense(1)(base(x)))
    kmodel.save(tmp_path / "m.keras")
    model = jnet.models.load_model(tmp_path / "m.keras")
    assert [type(layer).__name__ for layer in model.layers] == ["InputLayer", "Sequential",
                                                                 "Dense"]
    data = rng.normal(size=(4, 3)).astype(np.float32)
    np.testing.assert_allclose(model.predict(data, verbose=0), kmodel(data), atol=1e-6, rtol=0)
    # two Sequentials inside a Sequential (Keras names them sequential_1, sequential_2)
    kseq = keras.Sequential([keras.Input((3,)), keras.Sequential([K.Dense(4)]),
                             keras.Sequential([K.Dense(2)]), K.Dense(1)])
    kseq.save(tmp_path / "s.keras")
    seq = jnet.models.load_model(tmp_path / "s.keras")
    assert [type(layer).__name__ for layer in seq.layers] == ["Sequential", "Sequential",
                                                              "Dense"]
    np.testing.assert_allclose(seq.predict(data, verbose=0), kseq(data), atol=1e-6, rtol=1e-6)


def test_a_sequential_holding_a_frozen_model_round_trips(tmp_path, rng):
    base = jnet.Sequential(
        [jnet.Input((6,)), jnet.layers.Dense(5, activation="relu"), jnet.layers.Dense(4)],
        name="base",
    )
    base.trainable = False
    model = jnet.Sequential([base, jnet.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    x = rng.normal(size=(16, 6)).astype(np.float32)
    y = rng.integers(0, 2, size=16)
    model.fit(x, y, epochs=1, verbose=0)
    model.save(tmp_path / "m.jnet")
    loaded = jnet.models.load_model(tmp_path / "m.jnet")
    assert [type(layer).__name__ for layer in loaded.layers] == ["Sequential", "Dense"]
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    for a, b in zip(loaded.get_weights(), model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert not any(layer.trainable for layer in loaded.layers[0].layers)
    after = model.fit(x, y, epochs=1, shuffle=False, verbose=0).history["loss"]
    resumed = loaded.fit(x, y, epochs=1, shuffle=False, verbose=0).history["loss"]
    assert resumed == after
