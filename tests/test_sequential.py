"""Sequential: naming, building, weights in Keras's order, summary, init/apply."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jnet
from jnet.layers import Dense


def _mlp():
    return jnet.Sequential([
        Dense(64, activation="relu", input_shape=(10,)),
        Dense(1, activation="sigmoid"),
    ])


def test_keras_names_and_count_params():
    model = _mlp()
    assert [layer.name for layer in model.layers] == ["dense", "dense_1"]
    assert model.count_params() == 10 * 64 + 64 + 64 + 1
    assert model.input_shape == (None, 10)
    assert model.output_shape == (None, 1)


def test_duplicate_names_are_rejected():
    with pytest.raises(ValueError, match="unique names"):
        jnet.Sequential([Dense(2, name="a", input_shape=(3,)), Dense(2, name="a")])


def test_input_first_and_add():
    model = jnet.Sequential()
    model.add(jnet.Input(shape=(5,)))
    model.add(Dense(3))
    model.add(Dense(2))
    assert model.output_shape == (None, 2)
    first = model.get_weights()[0]
    model.add(Dense(4))  # existing weights are kept when a layer is added
    np.testing.assert_array_equal(model.get_weights()[0], first)
    assert model.output_shape == (None, 4)
    with pytest.raises(ValueError, match="must come first"):
        model.add(jnet.Input(shape=(5,)))


def test_unbuilt_model_explains_how_to_build():
    model = jnet.Sequential([Dense(3)])
    assert not model.built
    with pytest.raises(jnet.errors.NotBuiltError, match="input_shape"):
        model.get_weights()
    model.build((None, 4))
    assert [w.shape for w in model.get_weights()] == [(4, 3), (3,)]


def test_weights_round_trip_with_keras(keras, rng):
    kmodel = keras.Sequential([keras.Input((10,)), keras.layers.Dense(64, activation="relu"),
                               keras.layers.Dense(1, activation="sigmoid")])
    model = _mlp()
    model.set_weights(kmodel.get_weights())
    for a, b in zip(model.get_weights(), kmodel.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    x = rng.normal(size=(33, 10)).astype(np.float32)
    np.testing.assert_allclose(model.predict(x, verbose=0), kmodel.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(np.asarray(model(x)), np.asarray(kmodel(x)), rtol=1e-5, atol=1e-7)
    kmodel.set_weights(model.get_weights())  # and back


def test_set_weights_rejects_wrong_count():
    with pytest.raises(ValueError, match="list of 4 arrays"):
        _mlp().set_weights([np.zeros((10, 64))])


def test_layer_get_weights_reads_its_model():
    layer = Dense(units=1, input_shape=[1])
    model = jnet.Sequential([layer])
    model.set_weights([np.array([[2.0]]), np.array([-1.0])])
    kernel, bias = layer.get_weights()
    assert kernel[0, 0] == 2.0 and bias[0] == -1.0
    layer.set_weights([np.array([[3.0]]), np.array([0.5])])
    assert model.predict(np.array([1.0]), verbose=0)[0, 0] == pytest.approx(3.5)


def test_summary_matches_keras_counts(keras, capsys):
    kmodel = keras.Sequential([keras.Input((10,)), keras.layers.Dense(64, activation="relu"),
                               keras.layers.Dense(1, activation="sigmoid")])
    _mlp().summary()
    text = capsys.readouterr().out
    assert 'Model: "sequential"' in text
    assert "dense (Dense)" in text and "(None, 64)" in text and "704" in text
    assert "dense_1 (Dense)" in text and "(None, 1)" in text
    assert f"Total params: {kmodel.count_params():,} (3.00 KB)" in text
    assert "Trainable params: 769" in text and "Non-trainable params: 0 (0.00 B)" in text


def test_init_and_apply_are_pure():
    model = _mlp()
    v1 = model.init(jax.random.key(1))
    v2 = model.init(jax.random.key(1))
    for a, b in zip(jax.tree_util.tree_leaves(v1), jax.tree_util.tree_leaves(v2), strict=True):
        np.testing.assert_array_equal(a, b)
    x = jnp.ones((4, 10))
    y = jax.jit(lambda v, x: model.apply(v, x))(v1, x)
    assert y.shape == (4, 1)
    grads = jax.grad(lambda v: model.apply(v, x).sum())(v1)
    assert set(grads["params"]) == {"dense", "dense_1"}


def test_seed_gives_same_weights():
    jnet.utils.set_random_seed(3)
    a = _mlp().get_weights()
    jnet.utils.set_random_seed(3)
    b = _mlp().get_weights()
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x, y)


def test_predict_adds_missing_unit_axis():
    model = jnet.Sequential([Dense(units=1, input_shape=[1])])
    assert model.predict(np.array([10.0, 2.0]), verbose=0).shape == (2, 1)


def test_only_layers_can_be_added():
    with pytest.raises(TypeError, match="Only jnet layers"):
        jnet.Sequential([lambda x: x])


def test_free_spatial_axes_stay_none_as_in_keras(keras):
    def stack(lib):
        return [
            lib.layers.Conv2D(4, 3), lib.layers.MaxPooling2D(),
            lib.layers.GlobalAveragePooling2D(), lib.layers.Dense(2),
        ]

    kmodel = keras.Sequential([keras.Input((None, None, 3)), *stack(keras)])
    jmodel = jnet.Sequential([jnet.Input(shape=(None, None, 3)), *stack(jnet)])
    jmodel.set_weights(kmodel.get_weights())
    assert jmodel._output_shapes == [tuple(lay.output.shape) for lay in kmodel.layers]
    x = np.random.default_rng(0).normal(size=(2, 11, 7, 3)).astype(np.float32)
    np.testing.assert_allclose(
        jmodel.predict(x, verbose=0), kmodel.predict(x, verbose=0), rtol=1e-5, atol=1e-6
    )


def test_weights_that_depend_on_a_free_axis_are_an_error():
    model = jnet.Sequential([
        jnet.Input(shape=(None, 3)), jnet.layers.Flatten(), jnet.layers.Dense(2)
    ])
    with pytest.raises(jnet.errors.JnetValueError, match="'dense'.*not defined.*GlobalAverage"):
        model.build()
