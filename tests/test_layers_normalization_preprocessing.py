"""layers.Normalization against Keras's: adapt (arrays and batches), given mean/variance,
invert, axis forms, the weights (order, dtypes), the config, and use inside a model."""

import numpy as np
import pytest

import jnet

# (constructor arguments, adapt on a list of batches instead of one array)
CASES = [
    ({}, False),
    ({"axis": None}, False),
    ({"axis": (1, 2)}, False),
    ({"axis": 1}, True),
    ({"invert": True}, False),
    ({}, True),
]


@pytest.fixture(scope="module")
def data():
    return np.random.default_rng(0).normal(2.0, 3.0, (10, 4, 3)).astype("float32")


@pytest.mark.parametrize(("kwargs", "batches"), CASES)
def test_adapt_matches_keras(kwargs, batches, data, keras):
    source = [data[:3], data[3:]] if batches else data
    k = keras.layers.Normalization(**kwargs)
    k.adapt(source)
    j = jnet.layers.Normalization(**kwargs)
    j.adapt(source)
    k_weights, j_weights = k.get_weights(), j.get_weights()
    assert [np.shape(w) for w in j_weights] == [np.shape(w) for w in k_weights]
    for a, b in zip(j_weights, k_weights, strict=True):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np.asarray(j(data)), np.asarray(k(data)), atol=1e-5)
    config = j.get_config()
    for key in ("axis", "invert", "mean", "variance"):
        assert config[key] == k.get_config()[key], key


def test_given_mean_and_variance(data, keras):
    kwargs = {"mean": [1.0, 2.0, 3.0], "variance": [1.0, 4.0, 0.0]}  # variance 0: epsilon
    k = keras.layers.Normalization(**kwargs)
    j = jnet.layers.Normalization(**kwargs)
    np.testing.assert_allclose(np.asarray(j(data)), np.asarray(k(data)), rtol=1e-6)
    assert j.get_weights() == [] and k.get_weights() == []
    assert j.get_config()["mean"] == [1.0, 2.0, 3.0]


def test_in_a_model_keeps_adapted_values_and_loads_keras_weights(data, keras, tmp_path):
    k_in = keras.Input((4, 3))
    k_model = keras.Model(k_in, keras.layers.Dense(2)(keras.layers.Normalization()(k_in)))
    k_model.layers[1].adapt(data)
    path = tmp_path / "k.weights.h5"
    k_model.save_weights(path)
    norm = jnet.layers.Normalization()
    norm.adapt(data)
    j_in = jnet.Input((4, 3))
    j_model = jnet.Model(j_in, jnet.layers.Dense(2)(norm(j_in)))
    np.testing.assert_allclose(j_model.layers[1].get_weights()[0], data.mean(axis=(0, 1)),
                               rtol=1e-5)
    j_model.load_weights(path)
    np.testing.assert_allclose(j_model.predict(data, verbose=0), np.asarray(k_model(data)),
                               atol=1e-5)


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: jnet.layers.Normalization(mean=1.0),
         r"both `mean` and `variance` must be set"),
        (lambda: jnet.layers.Normalization(mean=[1.0, 2.0], variance=[1.0]),
         r"must have the same shape"),
        (lambda: jnet.layers.Normalization(axis=-1, mean=[[1.0]], variance=[[1.0]]),
         r"rank of `mean` must be less than or equal to the number of axes \(1\)"),
        (lambda: jnet.layers.Normalization(axis="x"), r"axis must be an int"),
        (lambda: jnet.layers.Normalization(axis=5)(np.ones((2, 3), "float32")),
         r"All `axis` values must be in the range \[-ndim, ndim\)"),
        (lambda: jnet.layers.Normalization().adapt([]), r"empty iterable"),
        (lambda: jnet.layers.Normalization(mean=0.0, variance=1.0).adapt(np.ones((2, 1))),
         r"cannot adapt a layer built with `mean` and `variance`"),
        (lambda: jnet.layers.Normalization().adapt(3), r"must be an array or an iterable"),
    ],
)
def test_errors(make, match):
    with pytest.raises((jnet.errors.JnetValueError, jnet.errors.JnetTypeError), match=match):
        make()
