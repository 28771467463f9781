"""``jnet.utils.FeatureSpace`` against ``keras.utils.FeatureSpace``: Keras's "Structured data
classification with FeatureSpace" example (the heart-disease features) on generated data, fed
as Keras feeds it (a ``tf.data`` dataset of dicts), gives the same encoded arrays; a jnet model
trains on them; and the argument errors name what was wrong."""

from __future__ import annotations

import numpy as np
import pytest

import jnet
from jnet.errors import JnetTypeError, JnetValueError

N = 96
INT_FEATURES = ("sex", "cp", "fbs", "restecg", "exang", "ca")
FLOAT_FEATURES = ("trestbps", "chol", "thalach", "oldpeak", "slope")


def _frame(seed: int, n: int = N) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    data = {name: rng.integers(0, 4, n).astype("int64") for name in INT_FEATURES}
    data["thal"] = rng.choice(np.array(["fixed", "normal", "reversible"]), n)
    data["age"] = rng.uniform(29, 77, n).round().astype("float32")
    for name in FLOAT_FEATURES:
        data[name] = rng.normal(100, 20, n).astype("float32")
    return data


def _space(module, output_mode: str):
    fs = module.utils.FeatureSpace
    features = {name: fs.integer_categorical(num_oov_indices=0) for name in INT_FEATURES}
    features["thal"] = fs.string_categorical(num_oov_indices=0)
    features["age"] = fs.float_discretized(num_bins=30)
    features.update({name: fs.float_normalized() for name in FLOAT_FEATURES})
    return fs(
        features=features,
        crosses=[fs.cross(feature_names=("sex", "age"), crossing_dim=64),
                 fs.cross(feature_names=("thal", "ca"), crossing_dim=16)],
        output_mode=output_mode,
    )


@pytest.fixture(scope="module")
def spaces(keras):
    """Keras's and jnet's concat-mode spaces adapted on the same tf.data dataset, and jnet's
    dict-mode space (checked against the concat one, which is checked against Keras's)."""
    import tensorflow as tf

    train, test = _frame(0), _frame(1, n=8)
    labels = (train["age"] > 50).astype("float32")
    ds = tf.data.Dataset.from_tensor_slices((dict(train), labels)).batch(32)
    out = {}
    for key, module, mode in (("keras", keras, "concat"), ("concat", jnet, "concat"),
                              ("dict", jnet, "dict")):
        out[key] = _space(module, mode)
        out[key].adapt(ds.map(lambda x, _: x))
    return out, train, test, labels


def test_encodes_as_keras(spaces):
    """Same vocabularies, means, quantile bins, hashed crosses and order as Keras's; the dict
    mode holds the same arrays under the sorted feature names, crosses last."""
    s, _, test, _ = spaces
    expected, got = np.asarray(s["keras"](dict(test))), s["concat"](dict(test))
    assert got.dtype == np.float32
    assert got.shape == expected.shape == (8, s["concat"].get_encoded_features().shape[1])
    np.testing.assert_allclose(got, expected, atol=1e-5)
    parts = s["dict"](dict(test))
    names = sorted(set(INT_FEATURES + FLOAT_FEATURES) | {"thal", "age"}) + ["sex_X_age",
                                                                            "thal_X_ca"]
    assert list(parts) == names
    np.testing.assert_array_equal(np.concatenate(list(parts.values()), axis=-1), got)
    widths = {name: inp.shape[1] for name, inp in s["dict"].get_encoded_features().items()}
    assert widths == {name: value.shape[1] for name, value in parts.items()}
    assert widths["age"] == 30 and widths["sex_X_age"] == 64 and widths["thal"] == 3


def test_one_sample_of_scalars_as_keras(spaces):
    s, _, test, _ = spaces
    ks, js = s["keras"], s["concat"]
    sample = {k: v[0] for k, v in test.items()}
    expected = np.asarray(ks(sample))
    got = js(sample)
    assert got.shape == expected.shape and got.ndim == 1
    np.testing.assert_allclose(got, expected, atol=1e-5)


def test_model_trains_on_the_encoded_features(spaces):
    """Keras's example: a model on get_encoded_features(), fit on the dataset mapped through
    the FeatureSpace (a tf.data map, run through tf.numpy_function)."""
    import tensorflow as tf

    s, train, _, labels = spaces
    js = s["concat"]
    ds = tf.data.Dataset.from_tensor_slices((dict(train), labels)).batch(32)
    ds = ds.map(lambda x, y: (js(x), y))
    x, y = next(iter(ds))
    assert x.shape == (32, js.get_encoded_features().shape[1]) and x.dtype == tf.float32
    np.testing.assert_allclose(x.numpy(), js({k: v[:32] for k, v in train.items()}))
    encoded = js.get_encoded_features()
    hidden = jnet.layers.Dense(8, activation="relu")(encoded)
    model = jnet.Model(encoded, jnet.layers.Dense(1, activation="sigmoid")(hidden))
    model.compile(optimizer=jnet.optimizers.Adam(0.05), loss="binary_crossentropy")
    features = js(dict(train))
    history = model.fit(features, labels, epochs=3, batch_size=32, verbose=0)
    assert history.history["loss"][-1] < 0.8 * history.history["loss"][0]


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda fs: fs({}), JnetValueError, r"features must be a non-empty dict"),
        (lambda fs: fs({"x": "floaty"}), JnetValueError, r"feature 'x' must be.*'float'"),
        (lambda fs: fs({"x": "float"}, output_mode="list"), JnetValueError,
         r"output_mode must be 'dict' or 'concat', received 'list'"),
        (lambda fs: fs({"x": "float"}, crosses=[("x", "y")]), JnetValueError,
         r"names unknown features \['y'\]"),
        (lambda fs: fs.cross(("a", "b"), 4, output_mode="float"), JnetValueError,
         r"output_mode must be one of"),
        (lambda fs: fs({"x": "integer_categorical"})({"x": [1]}), JnetValueError,
         r"call \.adapt\(dataset\)"),
        (lambda fs: fs({"x": "float"})([1.0]), JnetTypeError, r"called with a dict"),
        (lambda fs: fs({"x": "float", "y": "float"})({"x": [1.0]}), JnetValueError,
         r"lacks the features \['y'\]"),
        (lambda fs: fs({"x": "integer_categorical"}).adapt([1, 2]), JnetTypeError,
         r"each element of the dataset must be a dict"),
        (lambda fs: fs({"x": "integer_categorical"}).adapt({"y": [1]}), JnetValueError,
         r"dataset lacks the features \['x'\]"),
        (lambda fs: fs({"x": fs.integer_categorical(output_mode="int")}).adapt({"x": [1]}),
         JnetValueError, r"cannot concatenate.*'x'.*output_mode='dict'"),
    ],
)
def test_errors(make, error, match):
    with pytest.raises(error, match=match):
        make(jnet.utils.FeatureSpace)
