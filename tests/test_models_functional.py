"""The functional API: jnet.Input, layers called on KerasTensors, jnet.Model(inputs, outputs)."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jnet

L = jnet.layers


def _summary_text(model):
    lines = []
    model.summary(print_fn=lambda line, *a, **k: lines.append(line))
    return "\n".join(lines).rstrip()


# -- symbolic tensors -----------------------------------------------------------------------


def test_a_layer_called_on_an_input_returns_a_keras_tensor_with_its_history():
    x = jnet.Input(shape=(None, 3), name="seq")
    conv = L.Conv1D(5, 2)
    y = conv(x)
    assert isinstance(y, L.KerasTensor)
    assert y.shape == (None, None, 5) and y.dtype == "float32"
    assert y._keras_history.layer is conv and y._keras_history.node_index == 0
    assert conv.output is y and conv.input is x
    assert x.name == "seq" and type(x._keras_history.layer).__name__ == "InputLayer"


def test_int_inputs_keep_their_dtype_and_a_fixed_batch_size_is_kept():
    x = jnet.Input(shape=(7,), dtype="int32", batch_size=4)
    y = L.Embedding(10, 3)(x)
    assert x.dtype == "int32" and y.shape == (4, 7, 3)


def test_a_layer_returning_several_outputs_gives_several_tensors():
    x = jnet.Input(shape=(5, 2))
    out, h, c = L.LSTM(3, return_state=True)(x)
    assert out.shape == h.shape == c.shape == (None, 3)
    assert [t._keras_history.tensor_index for t in (out, h, c)] == [0, 1, 2]


def test_weights_that_depend_on_a_free_axis_are_an_error():
    x = jnet.Input(shape=(None, 3))
    with pytest.raises(jnet.errors.JnetValueError, match="not defined"):
        L.Dense(2)(L.Flatten()(x))


# -- a chain --------------------------------------------------------------------------------


def _mlp():
    inputs = jnet.Input(shape=(4,))
    x = L.Dense(8, activation="relu")(inputs)
    outputs = L.Dense(3, activation="softmax")(x)
    return jnet.Model(inputs, outputs)


def test_model_of_inputs_and_outputs_is_a_functional_model():
    model = _mlp()
    assert isinstance(model, jnet.models.Functional) and isinstance(model, jnet.Model)
    assert [layer.name for layer in model.layers] == ["input_layer", "dense", "dense_1"]
    assert model.name == "functional"
    assert model.input_shape == (None, 4) and model.output_shape == (None, 3)
    assert model.input_names == ["input_layer"] and model.output_names == ["dense_1"]
    assert model.get_layer("dense_1") is model.layers[2]
    assert model.count_params() == 4 * 8 + 8 + 8 * 3 + 3
    assert model.logits_activation() == "softmax"
    keyword = jnet.Model(inputs=model.inputs, outputs=model.outputs, name="again")
    assert keyword.name == "again" and keyword.layers[1] is model.layers[1]


def test_a_chain_trains_through_fit_and_matches_the_same_sequential(rng):
    model = _mlp()
    seq = jnet.Sequential([jnet.Input((4,)), L.Dense(8, activation="relu"), L.Dense(3, "softmax")])
    seq.set_weights(model.get_weights())
    x = rng.normal(size=(40, 4)).astype(np.float32)
    y = rng.integers(0, 3, 40)
    np.testing.assert_allclose(model.predict(x, verbose=0), seq.predict(x, verbose=0), rtol=1e-6)
    losses = []
    for m in (model, seq):
        m.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        losses.append(m.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0).history)
    assert losses[0] == losses[1]


def test_init_and_apply_are_pure():
    model = _mlp()
    variables = model.init(jax.random.key(1))
    assert jax.tree_util.tree_map(jnp.shape, variables) == jax.tree_util.tree_map(
        jnp.shape, model.variables
    )
    y = jax.jit(lambda v, x: model.apply(v, x))(variables, jnp.ones((2, 4)))
    assert y.shape == (2, 3)


def test_summary_of_a_chain_has_no_connected_to_column():
    text = _summary_text(_mlp())
    assert "Connected to" not in text and "input_layer (InputLayer)" in text


# -- graphs ---------------------------------------------------------------------------------


def _residual_keras(keras):
    i = keras.Input((8, 8, 3))
    a = keras.layers.Conv2D(4, 3, padding="same")(i)
    b = keras.layers.Conv2D(4, 1)(i)
    c = keras.layers.Add()([a, b])
    d = keras.layers.GlobalAveragePooling2D()(c)
    return keras.Model(i, keras.layers.Dense(3, activation="softmax")(d))


def _residual_jnet():
    i = jnet.Input(shape=(8, 8, 3))
    a = L.Conv2D(4, 3, padding="same")(i)
    b = L.Conv2D(4, 1)(i)
    c = L.Add()([a, b])
    d = L.GlobalAveragePooling2D()(c)
    return jnet.Model(i, L.Dense(3, activation="softmax")(d))


def test_summary_of_a_graph_is_keras_summary_with_connected_to(keras):
    keras.backend.clear_session()  # Keras's names restart at conv2d, as jnet's do per model
    ktext, jtext = _summary_text(_residual_keras(keras)), _summary_text(_residual_jnet())
    assert "Connected to" in ktext and "conv2d[0][0]," in ktext
    assert jtext == ktext


def test_layers_are_ordered_as_keras_orders_them(keras):
    keras.backend.clear_session()
    kmodel, jmodel = _residual_keras(keras), _residual_jnet()
    assert [lay.name for lay in jmodel.layers] == [lay.name for lay in kmodel.layers]
    assert [type(lay).__name__ for lay in jmodel.layers] == [
        type(lay).__name__ for lay in kmodel.layers
    ]


def _two_in_two_out(lib, concatenate):
    a = lib.Input(shape=(4,), name="a")
    b = lib.Input(shape=(5,), name="b")
    shared = lib.layers.Dense(3, activation="tanh", name="shared")
    first = lib.layers.Dense(1, activation="sigmoid", name="first")(shared(a))
    mixed = concatenate()([shared(a), b])
    second = lib.layers.Dense(2, activation="softmax", name="second")(mixed)
    return [a, b], [first, second]


def test_two_inputs_two_outputs_with_a_shared_layer_give_keras_outputs(keras, rng):
    kmodel = keras.Model(*_two_in_two_out(keras, keras.layers.Concatenate))
    jmodel = jnet.Model(*_two_in_two_out(jnet, L.Concatenate))
    assert [lay.name for lay in jmodel.layers] == [lay.name for lay in kmodel.layers]
    assert [w.shape for w in jmodel.get_weights()] == [w.shape for w in kmodel.get_weights()]
    jmodel.set_weights(kmodel.get_weights())
    assert jmodel.count_params() == kmodel.count_params()
    assert jmodel.output_names == kmodel.output_names == ["first", "second"]
    assert jmodel.input_names == ["a", "b"]
    assert jmodel.input_shape == [(None, 4), (None, 5)]
    assert jmodel.output_shape == kmodel.output_shape
    assert jmodel.logits_activation() == ["sigmoid", "softmax"]
    xa = rng.normal(size=(6, 4)).astype(np.float32)
    xb = rng.normal(size=(6, 5)).astype(np.float32)
    kout = kmodel.predict([xa, xb], verbose=0)
    for x in ([xa, xb], (xa, xb), {"a": xa, "b": xb}):
        jout = jmodel.apply(jmodel.variables, x)
        assert isinstance(jout, list) and len(jout) == 2
        for j, k in zip(jout, kout, strict=True):
            np.testing.assert_allclose(j, k, rtol=1e-5, atol=1e-6)
    # logits come back per output, in the same structure
    _, logits, _ = jmodel.forward(
        jmodel.variables["params"], {}, [xa, xb], training=False
    )
    np.testing.assert_allclose(jax.nn.sigmoid(logits[0]), kout[0], rtol=1e-5, atol=1e-6)


def test_dict_outputs_come_back_as_a_dict():
    inputs, (first, second) = _two_in_two_out(jnet, L.Concatenate)
    model = jnet.Model(inputs, {"y1": first, "y2": second})
    out = model.apply(model.variables, [np.zeros((2, 4)), np.zeros((2, 5))])
    assert set(out) == {"y1", "y2"} and out["y2"].shape == (2, 2)
    assert model.output_names == ["y1", "y2"]  # the keys that y_pred and losses use


def test_the_shared_layer_has_one_set_of_weights_used_at_both_calls():
    inputs, outputs = _two_in_two_out(jnet, L.Concatenate)
    model = jnet.Model(inputs, outputs)
    shared = model.get_layer("shared")
    assert len(shared._inbound_nodes) == 2
    assert list(model.variables["params"]) == ["shared", "first", "second"]
    assert "shared[1][0]" in _summary_text(model)


def test_bad_graphs_and_inputs_are_errors():
    a, b = jnet.Input(shape=(3,)), jnet.Input(shape=(3,))
    y = L.Dense(1)(b)
    with pytest.raises(jnet.errors.JnetValueError, match="Graph disconnected"):
        jnet.Model(a, y)
    with pytest.raises(jnet.errors.JnetValueError, match="KerasTensors"):
        jnet.Model(a, np.zeros(3))
    model = jnet.Model(b, y)
    with pytest.raises(jnet.errors.JnetValueError, match="expects 1 input"):
        model.apply(model.variables, [np.zeros((1, 3)), np.zeros((1, 3))])
    c = jnet.Input(shape=(3,))
    d1, d2 = L.Dense(1, name="same"), L.Dense(1, name="same")
    with pytest.raises(jnet.errors.JnetValueError, match="unique names"):
        jnet.Model(c, [d1(c), d2(c)])
    with pytest.raises(jnet.errors.JnetValueError, match="never been called"):
        _ = L.Dense(2).output


def test_an_explicit_training_argument_wins_over_the_models():
    x = jnet.Input(shape=(50,))
    always = L.Dropout(0.5)(x, training=True)
    model = jnet.Model(x, always)
    y = model.apply(model.variables, np.ones((2, 50)), training=False, rng=jax.random.key(0))
    assert np.any(np.asarray(y) == 0.0)


def test_masks_flow_along_graph_edges_as_in_sequential(rng):
    x = jnet.Input(shape=(6,), dtype="int32")
    y = L.LSTM(4)(L.Embedding(10, 3, mask_zero=True)(x))
    model = jnet.Model(x, y)
    seq = jnet.Sequential([jnet.Input((6,)), L.Embedding(10, 3, mask_zero=True), L.LSTM(4)])
    seq.set_weights(model.get_weights())
    tokens = np.array([[1, 2, 3, 0, 0, 0], [4, 5, 6, 7, 8, 9]], np.int32)
    np.testing.assert_allclose(model.predict(tokens, verbose=0), seq.predict(tokens, verbose=0))
    unmasked = jnet.Model(x, L.LSTM(4)(L.Embedding(10, 3)(x)))
    unmasked.set_weights(model.get_weights())
    first = model.predict(tokens, verbose=0)[0]
    assert not np.allclose(unmasked.predict(tokens, verbose=0)[0], first)


def test_batch_norm_statistics_update_in_fit(rng):
    x = jnet.Input(shape=(3,))
    model = jnet.Model(x, L.Dense(1)(L.BatchNormalization()(x)))
    model.compile(optimizer="sgd", loss="mse")
    before = np.asarray(model.variables["batch_stats"]["batch_normalization"]["moving_mean"])
    data = rng.normal(loc=3.0, size=(32, 3)).astype(np.float32)
    model.fit(data, np.zeros((32, 1)), epochs=1, verbose=0)
    after = np.asarray(model.variables["batch_stats"]["batch_normalization"]["moving_mean"])
    assert np.all(after > before)


# -- intermediate activations and Sequential graphs -----------------------------------------


def test_a_sequential_has_inputs_and_layer_outputs():
    seq = jnet.Sequential([jnet.Input((5,)), L.Dense(3), L.Dense(2)])
    assert [t.shape for t in seq.inputs] == [(None, 5)]
    assert seq.layers[0].output.shape == (None, 3) and seq.outputs[0] is seq.layers[1].output


def test_intermediate_activations_use_the_trained_weights(rng):
    seq = jnet.Sequential([jnet.Input((5,)), L.Dense(3, activation="relu"), L.Dense(2)])
    seq.compile(optimizer="adam", loss="mse")
    x = rng.normal(size=(16, 5)).astype(np.float32)
    seq.fit(x, rng.normal(size=(16, 2)), epochs=2, verbose=0)
    probe = jnet.Model(inputs=seq.inputs, outputs=[layer.output for layer in seq.layers])
    hidden, out = probe.predict(x, verbose=0)
    np.testing.assert_allclose(out, seq.predict(x, verbose=0), rtol=1e-6)
    assert hidden.shape == (16, 3) and np.all(hidden >= 0)
    assert probe.get_layer(seq.layers[0].name) is seq.layers[0]


# -- a model used as a layer ----------------------------------------------------------------


def test_a_frozen_pretrained_model_used_as_a_layer(rng):
    base = jnet.Sequential([jnet.Input((4,)), L.Dense(6, activation="relu"), L.Dense(5)])
    base.compile(optimizer="adam", loss="mse")
    x = rng.normal(size=(32, 4)).astype(np.float32)
    base.fit(x, rng.normal(size=(32, 5)), epochs=1, verbose=0)
    pretrained = base.get_weights()
    base.trainable = False
    assert not any(layer.trainable for layer in base.layers)
    inputs = jnet.Input(shape=(4,))
    features = base(inputs, training=False)
    assert features.shape == (None, 5)
    model = jnet.Model(inputs, L.Dense(1)(features))
    assert [type(lay).__name__ for lay in model.layers] == ["InputLayer", "Sequential", "Dense"]
    assert list(model.variables["params"]["sequential"]) == ["dense", "dense_1"]
    assert len(model.get_weights()) == 6
    np.testing.assert_allclose(
        model.predict(x, verbose=0),
        base.predict(x, verbose=0) @ model.get_weights()[4] + model.get_weights()[5],
        rtol=1e-5,
        atol=1e-6,
    )
    text = _summary_text(model)
    assert "sequential (Sequential)" in text and "Trainable params: 6 " in text
    model.compile(optimizer="adam", loss="mse")
    head_before = model.get_weights()[4:]
    model.fit(x, rng.normal(size=(32, 1)), epochs=2, verbose=0)
    for w, p in zip(model.get_weights()[:4], pretrained, strict=True):
        np.testing.assert_array_equal(w, p)
    assert not np.allclose(model.get_weights()[4], head_before[0])
    # set_weights goes through the nested model too
    model.set_weights([w * 0 for w in model.get_weights()])
    assert not np.any(model.predict(x, verbose=0))


def test_a_functional_model_nested_in_another():
    inner_in = jnet.Input(shape=(3,))
    inner = jnet.Model(inner_in, L.Dense(2, name="proj")(inner_in), name="encoder")
    x = jnet.Input(shape=(3,))
    outer = jnet.Model(x, L.Dense(1)(inner(x)))
    assert [lay.name for lay in outer.layers] == ["input_layer", "encoder", "dense"]
    assert list(outer.variables["params"]["encoder"]) == ["proj"]
    data = np.ones((2, 3), np.float32)
    w, b = outer.get_weights()[2:]
    np.testing.assert_allclose(
        outer.predict(data, verbose=0), inner.predict(data, verbose=0) @ w + b, rtol=1e-6
    )


def test_dict_inputs_are_matched_by_name():
    a, b = jnet.Input(shape=(2,), name="a"), jnet.Input(shape=(3,), name="b")
    y = L.Concatenate()([a, b])
    model = jnet.Model({"b": b, "a": a}, y)
    assert model.input_names == ["a", "b"]
    out = model.apply(model.variables, {"a": np.zeros((1, 2)), "b": np.ones((1, 3))})
    np.testing.assert_array_equal(out, [[0, 0, 1, 1, 1]])
    with pytest.raises(jnet.errors.JnetValueError, match="lacks"):
        model.apply(model.variables, {"a": np.zeros((1, 2))})
