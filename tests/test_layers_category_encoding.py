"""CategoryEncoding: Keras's encodings (TF backend) for every mode and input rank, count
weights, a model, config and errors."""

import numpy as np
import pytest

import jnet
from jnet.layers.category_encoding import CategoryEncoding

INPUTS = [np.array([[0, 1, 1], [3, 2, 5]]), np.array([1, 2, 3]), np.array([[1], [3]]),
          np.array(2), np.array([[0, 7, 1]])]  # 7: outside [0, 6), encodes to nothing


@pytest.mark.parametrize("mode", ["one_hot", "multi_hot", "count", "binary"])
def test_matches_keras(keras, mode):
    for x in INPUTS:
        if mode == "one_hot" and x.ndim == 2 and x.shape[-1] != 1 and 7 in x:
            continue
        expected = np.asarray(keras.layers.CategoryEncoding(6, output_mode=mode)(x))
        got = CategoryEncoding(6, output_mode=mode)(x)
        assert got.dtype == np.float32 and got.shape == expected.shape, (mode, x.shape)
        np.testing.assert_array_equal(got, expected)


def test_count_weights_match_keras(keras):
    x = np.array([[0, 1, 1, 3], [2, 2, 0, 1]])
    w = np.array([[0.5, 1.0, 2.0, 1.5], [1.0, -1.0, 3.0, 0.25]], np.float32)
    expected = np.asarray(keras.layers.CategoryEncoding(4, output_mode="count")(x, count_weights=w))
    np.testing.assert_allclose(CategoryEncoding(4, output_mode="count")(x, count_weights=w),
                               expected)


def test_in_a_functional_model():
    inputs = jnet.layers.Input((3,), dtype="int32")
    outputs = jnet.layers.Dense(1, kernel_initializer="ones")(CategoryEncoding(5)(inputs))
    model = jnet.Model(inputs, outputs)
    assert model.output_shape == (None, 1)
    got = model.predict(np.array([[0, 4, 4], [1, 2, 3]]), verbose=0)
    np.testing.assert_allclose(got[:, 0], [2.0, 3.0])


def test_config_matches_keras(keras):
    expected = keras.layers.CategoryEncoding(4, output_mode="count").get_config()
    config = CategoryEncoding(4, output_mode="count").get_config()
    assert {k: config[k] for k in ("num_tokens", "output_mode")} == {
        k: expected[k] for k in ("num_tokens", "output_mode")}
    assert CategoryEncoding(**{k: v for k, v in config.items() if k != "trainable"}).num_tokens == 4


@pytest.mark.parametrize("make,message", [
    (lambda: CategoryEncoding(), "num_tokens must be set"),
    (lambda: CategoryEncoding(0), "num_tokens must be an integer >= 1, received 0"),
    (lambda: CategoryEncoding(3, output_mode="int"), "output_mode must be one of"),
    (lambda: CategoryEncoding(3, sparse=True), "sparse=True is not supported"),
    (lambda: CategoryEncoding(3)(np.array([[1]]), count_weights=np.ones((1, 1))),
     "count_weights is only used when output_mode='count'"),
])
def test_errors(make, message):
    with pytest.raises(jnet.errors.JnetValueError, match=message):
        make()
