"""Issue 21's simple layer families against Keras (TF backend): reshaping (UpSampling,
ZeroPadding, Cropping, RepeatVector, Permute), activation layers (ReLU, LeakyReLU, PReLU, ELU,
Softmax), 3D and adaptive pooling, ActivityRegularization, AlphaDropout, UnitNormalization.

One table drives the parity test (outputs, output shapes, ``compute_output_shape``,
``get_config``), the .jnet round trip, and the registry check; PReLU also trains against Keras.
"""

import numpy as np
import pytest

import jnet
from jnet.layers.base import collect_activity

# (class name, keyword arguments, input shape). Shapes are tiny; every data_format is covered.
CASES = [
    ("UpSampling1D", {"size": 3}, (2, 4, 3)),
    ("UpSampling2D", {"size": (2, 3)}, (2, 3, 4, 2)),
    ("UpSampling2D", {"size": 2, "interpolation": "bilinear"}, (2, 3, 4, 2)),
    ("UpSampling2D", {"size": (2, 3), "interpolation": "bicubic",
                      "data_format": "channels_first"}, (2, 2, 3, 4)),
    ("UpSampling3D", {"size": (1, 2, 2)}, (2, 2, 3, 2, 2)),
    ("UpSampling3D", {"data_format": "channels_first"}, (1, 2, 2, 3, 2)),
    ("ZeroPadding1D", {"padding": (1, 2)}, (2, 4, 3)),
    ("ZeroPadding1D", {"padding": 2, "data_format": "channels_first"}, (2, 3, 4)),
    ("ZeroPadding2D", {"padding": ((1, 0), (2, 3))}, (2, 3, 4, 2)),
    ("ZeroPadding2D", {"padding": (1, 2), "data_format": "channels_first"}, (2, 2, 3, 4)),
    ("ZeroPadding3D", {}, (1, 2, 3, 2, 2)),
    ("ZeroPadding3D", {"padding": ((0, 1), (1, 0), 2), "data_format": "channels_first"},
     (1, 2, 2, 3, 2)),
    ("Cropping1D", {}, (2, 5, 3)),
    ("Cropping1D", {"cropping": (0, 2)}, (2, 6, 3)),
    ("Cropping2D", {"cropping": ((1, 0), (2, 1))}, (2, 4, 5, 2)),
    ("Cropping2D", {"cropping": 1, "data_format": "channels_first"}, (2, 2, 4, 5)),
    ("Cropping3D", {}, (1, 3, 4, 5, 2)),
    ("Cropping3D", {"cropping": (0, 1, (2, 0)), "data_format": "channels_first"},
     (1, 2, 3, 4, 5)),
    ("RepeatVector", {"n": 3}, (2, 4)),
    ("Permute", {"dims": (2, 1)}, (2, 3, 4)),
    ("Permute", {"dims": (3, 1, 2)}, (2, 3, 4, 5)),
    ("ReLU", {}, (2, 7)),
    ("ReLU", {"max_value": 1.0, "negative_slope": 0.1, "threshold": 0.5}, (2, 7)),
    ("LeakyReLU", {}, (2, 7)),
    ("LeakyReLU", {"negative_slope": 0.05}, (2, 3, 4)),
    ("ELU", {"alpha": 0.5}, (2, 7)),
    ("PReLU", {}, (2, 3, 4)),
    ("PReLU", {"shared_axes": [1, 2]}, (2, 3, 4, 2)),
    ("PReLU", {"shared_axes": 2, "alpha_initializer": "ones", "alpha_regularizer": "l2",
               "alpha_constraint": "non_neg"}, (2, 3, 4)),
    ("Softmax", {}, (2, 7)),
    ("Softmax", {"axis": 1}, (2, 3, 4)),
    ("Softmax", {"axis": [1, 2]}, (2, 3, 4)),
    ("MaxPooling3D", {}, (2, 4, 4, 4, 2)),
    ("MaxPooling3D", {"pool_size": (2, 1, 3), "strides": (1, 2, 1), "padding": "same"},
     (1, 3, 4, 5, 2)),
    ("AveragePooling3D", {"pool_size": 2, "padding": "same", "data_format": "channels_first"},
     (1, 2, 3, 5, 4)),
    ("AveragePooling3D", {"pool_size": (3, 2, 2), "strides": 1}, (1, 4, 3, 3, 2)),
    ("GlobalMaxPooling3D", {}, (2, 2, 3, 2, 3)),
    ("GlobalAveragePooling3D", {"keepdims": True, "data_format": "channels_first"},
     (2, 3, 2, 3, 2)),
    ("AdaptiveAveragePooling1D", {"output_size": 3}, (2, 7, 2)),
    ("AdaptiveMaxPooling1D", {"output_size": 4, "data_format": "channels_first"}, (2, 2, 9)),
    ("AdaptiveAveragePooling2D", {"output_size": (2, 3)}, (2, 5, 7, 2)),
    ("AdaptiveMaxPooling2D", {"output_size": 3, "data_format": "channels_first"}, (1, 2, 7, 5)),
    ("AdaptiveAveragePooling3D", {"output_size": (2, 1, 3)}, (1, 5, 3, 7, 2)),
    ("AdaptiveMaxPooling3D", {"output_size": 2}, (1, 3, 5, 4, 2)),
    ("ActivityRegularization", {"l1": 0.1, "l2": 0.2}, (2, 7)),
    ("AlphaDropout", {"rate": 0.3, "noise_shape": (None, 1)}, (2, 7)),
    ("UnitNormalization", {}, (2, 7)),
    ("UnitNormalization", {"axis": [1, 2]}, (2, 3, 4)),
]
_IDS = [f"{name}-{i}" for i, (name, _, _) in enumerate(CASES)]

ALIASES = {"MaxPool3D": "MaxPooling3D", "AvgPool3D": "AveragePooling3D",
           "GlobalMaxPool3D": "GlobalMaxPooling3D", "GlobalAvgPool3D": "GlobalAveragePooling3D"}


def _input(shape, seed):
    return np.random.default_rng(seed).normal(size=shape).astype(np.float32)


def _same_config_value(ours, theirs):
    if isinstance(theirs, dict) and "class_name" in theirs:  # a serialized Keras object
        getter = {"keras.initializers": jnet.initializers.get,
                  "keras.regularizers": jnet.regularizers.get,
                  "keras.constraints": jnet.constraints.get}[theirs["module"]]
        return type(getter(ours)).__name__ == theirs["class_name"]
    if isinstance(theirs, list | tuple):
        return isinstance(ours, list | tuple) and len(ours) == len(theirs) and all(
            _same_config_value(a, b) for a, b in zip(ours, theirs, strict=True))
    return ours == theirs and type(ours) is type(theirs) or (
        isinstance(theirs, float) and ours == theirs)


@pytest.mark.parametrize("name,kwargs,shape", CASES, ids=_IDS)
def test_layer_matches_keras(keras, name, kwargs, shape):
    x = _input(shape, seed=len(_IDS))
    klayer = getattr(keras.layers, name)(**kwargs)
    layer = getattr(jnet.layers, name)(**kwargs)
    kout = np.asarray(klayer(x))
    if name == "PReLU":  # random slopes (Keras's start at zero) moved across by set_weights
        alpha = _input(klayer.get_weights()[0].shape, seed=1)
        klayer.set_weights([alpha])
        kout = np.asarray(klayer(x))
        layer(x)  # builds its own weights eagerly
        layer.set_weights([alpha])
        np.testing.assert_array_equal(layer.get_weights()[0], alpha)
    out = np.asarray(layer(x))
    assert out.shape == kout.shape
    np.testing.assert_allclose(out, kout, rtol=1e-5, atol=1e-5)
    free = (None, *shape[1:])
    assert layer.compute_output_shape(free) == tuple(klayer.compute_output_shape(free))
    kconfig, config = klayer.get_config(), layer.get_config()
    for key in set(kconfig) - {"name", "dtype", "trainable"}:
        assert key in config, key
        assert _same_config_value(config[key], kconfig[key]), (key, config[key], kconfig[key])


def test_aliases_are_the_same_classes(keras):
    for alias, name in ALIASES.items():
        assert getattr(jnet.layers, alias) is getattr(jnet.layers, name)
        assert getattr(keras.layers, alias) is getattr(keras.layers, name)


# Every case of the table chained into four Sequentials (per-sample input shape -> case ids),
# so the .jnet round trip builds four models, not one per case.
CHAINS = {
    (7,): ["ReLU-21", "ReLU-22", "LeakyReLU-23", "ELU-25", "Softmax-29",
           "ActivityRegularization-44", "AlphaDropout-45", "UnitNormalization-46",
           "RepeatVector-18", "Permute-19", "LeakyReLU-24", "PReLU-26", "PReLU-28",
           "Softmax-30", "Softmax-31", "UnitNormalization-47"],
    (7, 2): ["UpSampling1D-0", "ZeroPadding1D-6", "ZeroPadding1D-7", "Cropping1D-12",
             "Cropping1D-13", "AdaptiveAveragePooling1D-38", "AdaptiveMaxPooling1D-39"],
    (3, 4, 2): ["ZeroPadding2D-8", "ZeroPadding2D-9", "Cropping2D-14", "Cropping2D-15",
                "UpSampling2D-1", "UpSampling2D-2", "AdaptiveAveragePooling2D-40",
                "UpSampling2D-3", "AdaptiveMaxPooling2D-41", "PReLU-27", "Permute-20"],
    (4, 4, 4, 3): ["UpSampling3D-4", "Cropping3D-16", "ZeroPadding3D-10", "AveragePooling3D-35",
                   "MaxPooling3D-32", "MaxPooling3D-33", "UpSampling3D-5", "ZeroPadding3D-11",
                   "Cropping3D-17", "AveragePooling3D-34", "AdaptiveAveragePooling3D-42",
                   "AdaptiveMaxPooling3D-43", "GlobalAveragePooling3D-37",
                   "GlobalMaxPooling3D-36"],
}


def test_the_chains_hold_every_case_once():
    used = [case for chain in CHAINS.values() for case in chain]
    assert sorted(used) == sorted(_IDS)


@pytest.mark.parametrize("shape", list(CHAINS), ids=str)
def test_layers_survive_a_jnet_file(tmp_path, shape):
    cases = dict(zip(_IDS, CASES, strict=True))
    layers = [getattr(jnet.layers, cases[i][0])(**cases[i][1]) for i in CHAINS[shape]]
    model = jnet.Sequential([jnet.layers.Input(shape), *layers])
    model.build()
    for layer in model.layers:  # random PReLU slopes: the file must carry them
        if isinstance(layer, jnet.layers.PReLU):
            layer.set_weights([_input(layer.get_weights()[0].shape, seed=2)])
    model.save(tmp_path / "m.jnet")
    loaded = jnet.models.load_model(tmp_path / "m.jnet")
    assert [type(a) for a in loaded.layers] == [type(b) for b in model.layers]
    assert [a.get_config() for a in loaded.layers] == [b.get_config() for b in model.layers]
    x = _input((2, *shape), seed=3)
    expected = model.predict(x, verbose=0)
    assert expected.shape == (2, *model.output_shape[1:])
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), expected)


def test_prelu_and_activity_regularization_train_like_keras(keras):
    """PReLU's slopes learn, and ActivityRegularization's penalty joins the loss, as in Keras."""
    x = _input((64, 4), seed=4)
    y = np.sin(x.sum(axis=1, keepdims=True)).astype(np.float32)
    kmodel = keras.Sequential([
        keras.Input((4,)), keras.layers.Dense(6), keras.layers.PReLU(alpha_initializer="ones"),
        keras.layers.ActivityRegularization(l1=0.01, l2=0.02), keras.layers.Dense(1)])
    model = jnet.Sequential([
        jnet.layers.Input((4,)), jnet.layers.Dense(6), jnet.layers.PReLU(alpha_initializer="ones"),
        jnet.layers.ActivityRegularization(l1=0.01, l2=0.02), jnet.layers.Dense(1)])
    weights = kmodel.get_weights()
    weights[2] = _input(weights[2].shape, seed=5) * 0.3  # slopes away from 1: PReLU matters
    kmodel.set_weights(weights)
    model.set_weights(weights)
    kmodel.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    model.compile(optimizer=jnet.optimizers.Adam(0.05), loss="mse")
    kh = kmodel.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    h = model.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    np.testing.assert_allclose(h.history["loss"], kh.history["loss"], rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(model.get_weights()[2], kmodel.get_weights()[2], atol=1e-4)


def test_softmax_mask_matches_keras(keras):
    x = _input((3, 2, 5), seed=6)
    mask = np.array([[1, 1, 0, 1, 0], [0, 0, 0, 0, 0], [1, 1, 1, 1, 1]], bool)[:, None, :]
    kout = np.asarray(keras.layers.Softmax()(x, mask=mask))
    out = jnet.layers.Softmax().apply({}, x, mask=mask)
    np.testing.assert_allclose(out, kout, rtol=1e-6, atol=1e-7)
    assert float(np.abs(out[1]).max()) == 0.0  # a fully masked row is zeros
    with pytest.raises(jnet.errors.JnetValueError, match=r"mask must broadcast.*\(3, 2, 5\)"):
        jnet.layers.Softmax().apply({}, x, mask=np.ones((3, 4), bool))


def test_activity_regularization_penalty_matches_keras(keras):
    x = _input((4, 3), seed=7)
    klayer = keras.layers.ActivityRegularization(l1=0.1, l2=0.2)
    klayer(x)
    with collect_activity() as penalties:
        out = jnet.layers.ActivityRegularization(l1=0.1, l2=0.2).apply({}, x)
    np.testing.assert_array_equal(out, x)
    np.testing.assert_allclose(penalties, [float(klayer.losses[0])], rtol=1e-6)


def test_alpha_dropout_in_training_keeps_or_saturates():
    import jax

    rate = 0.4
    x = _input((200, 50), seed=8)
    layer = jnet.layers.AlphaDropout(rate)
    y = np.asarray(layer.apply({}, x, training=True, rngs={"dropout": jax.random.key(0)}))
    alpha_p = -1.6732632423543772 * 1.0507009873554805
    a = ((1 - rate) * (1 + rate * alpha_p**2)) ** -0.5
    b = -a * alpha_p * rate
    kept = np.isclose(y, a * x + b, atol=1e-6)
    dropped = np.isclose(y, a * alpha_p + b, atol=1e-6)
    assert np.all(kept | dropped)
    assert abs(dropped.mean() - rate) < 0.02
    # unit-normal inputs keep mean 0 and variance 1 (the point of alpha dropout)
    assert abs(y.mean()) < 0.05 and abs(y.std() - 1.0) < 0.05
    same = layer.apply({}, x, training=True, rngs={"dropout": jax.random.key(0)})
    np.testing.assert_array_equal(same, y)


def test_leaky_relu_takes_keras_2s_alpha_with_a_warning(keras):
    with pytest.warns(UserWarning, match="alpha"):
        layer = jnet.layers.LeakyReLU(alpha=0.1)
    with pytest.warns(UserWarning, match="alpha"):
        klayer = keras.layers.LeakyReLU(alpha=0.1)
    assert layer.get_config()["negative_slope"] == klayer.get_config()["negative_slope"] == 0.1
    assert "alpha" not in layer.get_config()
    assert float(layer.apply({}, np.float32([-2.0]))[0]) == pytest.approx(-0.2)


def test_activation_layers_pass_the_mask_and_reshapers_drop_it():
    x = jnet.layers.Input((3, 2))
    assert jnet.layers.ReLU().compute_mask(x, np.ones((1, 3), bool)) is not None
    assert jnet.layers.UnitNormalization().compute_mask(x, np.ones((1, 3), bool)) is not None
    assert jnet.layers.Permute((2, 1)).compute_mask(x, np.ones((1, 3), bool)) is None
    assert jnet.layers.ZeroPadding1D().compute_mask(x, np.ones((1, 3), bool)) is None


E = jnet.errors
# (layer factory, error class, message pattern): bad arguments fail at construction, or at the
# call when they depend on the input.
ERRORS = [
    (lambda: jnet.layers.UpSampling1D(0), E.JnetValueError, "size must be a positive integer"),
    (lambda: jnet.layers.UpSampling2D((2, 2, 2)), E.JnetValueError, "tuple of 2 positive"),
    (lambda: jnet.layers.UpSampling2D(interpolation="area"), E.JnetValueError,
     "interpolation must be one of 'nearest'"),
    (lambda: jnet.layers.UpSampling3D(data_format="NDHWC"), E.JnetValueError,
     "data_format must be one of"),
    (lambda: jnet.layers.ZeroPadding1D(-1), E.JnetValueError, r"non-negative .* received -1"),
    (lambda: jnet.layers.ZeroPadding2D((1, 2, 3)), E.JnetValueError, "tuple of 2 pairs"),
    (lambda: jnet.layers.Cropping3D(((1, 1), (1, 1))), E.JnetValueError, "tuple of 3 pairs"),
    (lambda: jnet.layers.Cropping1D((3, 3))(np.ones((1, 5, 2), np.float32)), E.JnetValueError,
     r"removes every step .* \(1, 5, 2\)"),
    (lambda: jnet.layers.Cropping2D(1)(np.ones((1, 4, 4), np.float32)), E.JnetValueError,
     r"expects inputs of rank 4 .* received shape \(1, 4, 4\)"),
    (lambda: jnet.layers.RepeatVector(2.5), E.JnetTypeError, "n must be a positive integer"),
    (lambda: jnet.layers.RepeatVector(0), E.JnetValueError, "received n=0"),
    (lambda: jnet.layers.RepeatVector(2)(np.ones((1, 2, 3), np.float32)), E.JnetValueError,
     r"rank 2 \(batch, features\), received shape \(1, 2, 3\)"),
    (lambda: jnet.layers.Permute((0, 1)), E.JnetValueError, r"received dims=\(0, 1\)"),
    (lambda: jnet.layers.Permute((1, 2))(np.ones((1, 2), np.float32)), E.JnetValueError,
     "expects inputs of rank 3"),
    (lambda: jnet.layers.ReLU(max_value=-1.0), E.JnetValueError, "max_value must be a non-neg"),
    (lambda: jnet.layers.ReLU(threshold=None), E.JnetValueError, "threshold must be a non-neg"),
    (lambda: jnet.layers.LeakyReLU(-0.1), E.JnetValueError, "negative_slope must be a non-neg"),
    (lambda: jnet.layers.ELU("one"), E.JnetValueError, "alpha must be a number"),
    (lambda: jnet.layers.PReLU(shared_axes=[0]), E.JnetValueError, "batch axis 0 cannot"),
    (lambda: jnet.layers.PReLU(alpha_initializer="zeroes"), E.UnknownIdentifierError, "zeros"),
    (lambda: jnet.layers.PReLU(shared_axes=3)(np.ones((1, 2), np.float32)), E.JnetValueError,
     r"names axis 3, but inputs of shape \(1, 2\)"),
    (lambda: jnet.layers.Softmax(axis="last"), E.JnetValueError, "axis must be an integer"),
    (lambda: jnet.layers.Softmax(axis=2)(np.ones((1, 2), np.float32)), E.JnetValueError,
     "out of range"),
    (lambda: jnet.layers.MaxPooling3D((2, 2)), E.JnetValueError, "tuple of 3 positive"),
    (lambda: jnet.layers.AveragePooling3D(2)(np.ones((1, 4, 4, 1), np.float32)),
     E.JnetValueError, r"rank 5 \(batch, depth, height, width, channels\)"),
    (lambda: jnet.layers.GlobalMaxPooling3D(keepdims="yes"), E.JnetValueError,
     "keepdims must be True or False"),
    (lambda: jnet.layers.AdaptiveAveragePooling2D((2, 2, 2)), E.JnetValueError,
     r"output_size must be .* tuple of 2"),
    (lambda: jnet.layers.AdaptiveMaxPooling1D(3, data_format="NCW"), E.JnetValueError,
     "data_format must be one of"),
    (lambda: jnet.layers.AdaptiveMaxPooling3D(2)(np.ones((1, 4, 4, 1), np.float32)),
     E.JnetValueError, "expects inputs of rank 5"),
    (lambda: jnet.layers.ActivityRegularization(l1=-1.0), E.JnetValueError,
     "ActivityRegularization: "),
    (lambda: jnet.layers.AlphaDropout(1.0), E.JnetValueError, r"rate must be a float in \[0, 1\)"),
    (lambda: jnet.layers.AlphaDropout(0.2, noise_shape=(2, 3, 4))(
        np.ones((2, 3), np.float32), training=True), E.JnetValueError, "does not broadcast"),
    (lambda: jnet.layers.UnitNormalization(axis="x"), E.JnetTypeError, "axis must be an int"),
    (lambda: jnet.layers.UnitNormalization(axis=3)(np.ones((1, 2), np.float32)),
     E.JnetValueError, r"out of range for inputs of shape \(1, 2\)"),
]


@pytest.mark.parametrize("make,error,match", ERRORS, ids=lambda v: getattr(v, "__name__", ""))
def test_bad_arguments_raise_clear_errors(make, error, match):
    with pytest.raises(error, match=match):
        make()
