"""to_categorical and normalize against keras.utils (TF backend), and their errors."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jnet
from jnet.errors import JnetTypeError, JnetValueError
from jnet.utils import normalize, to_categorical

LABELS = [
    ([0, 2, 1], None),
    ([0, 2, 1], 5),
    (np.array([[1], [3], [0]]), None),  # (N, 1) -> (N, C)
    (np.array([[1, 0], [2, 1]]), None),  # (N, 2) -> (N, 2, C)
    (np.array([[[1], [0]]]), 4),  # (1, 2, 1) -> (1, 2, C)
    (3, 5),  # a scalar -> (C,)
    (np.array([True, False]), None),
    (np.array([2.0, 0.0], np.float32), None),
    (np.array([1], np.uint8), 3),  # (1,) keeps its axis (only rank > 1 drops a trailing 1)
]


@pytest.mark.parametrize("x,num_classes", LABELS, ids=str)
def test_to_categorical_matches_keras(keras, x, num_classes):
    expected = keras.utils.to_categorical(x, num_classes)
    out = to_categorical(x, num_classes)
    assert out.shape == expected.shape
    assert out.dtype == np.float32  # Keras's NumPy path gives float64; the values are 0/1
    np.testing.assert_array_equal(out, expected)


def test_to_categorical_is_exported_and_documented_example():
    assert jnet.utils.to_categorical is to_categorical
    np.testing.assert_array_equal(to_categorical([0, 1, 2, 3], 4), np.eye(4, dtype=np.float32))


def test_to_categorical_empty_labels_with_num_classes():
    assert to_categorical(np.zeros((0,), np.int32), 3).shape == (0, 3)


@pytest.mark.parametrize(
    "x,num_classes,match",
    [
        ([0, 3], 3, r"\[0, 3\).*label 3.*at least.*4"),
        ([-1, 0], None, r"label -1"),
        ([0, 1], 0, "positive integer"),
        ([0, 1], 2.5, "positive integer"),
        ([0.5, 1.0], None, "whole numbers"),
        ([np.nan], None, "whole numbers"),
        ([], None, "empty"),
    ],
)
def test_to_categorical_rejects_bad_labels(x, num_classes, match):
    with pytest.raises(JnetValueError, match=match):
        to_categorical(x, num_classes)


def test_to_categorical_rejects_strings():
    with pytest.raises(JnetTypeError, match="integer class labels"):
        to_categorical(["a", "b"])


NORMALIZE = [
    (np.array([[3.0, 4.0], [0.0, 0.0]]), -1, 2),
    (np.array([[3.0, 4.0], [1.0, -1.0]], np.float32), 1, 1),
    (np.array([[3.0, 4.0], [1.0, -2.0]]), -1, np.inf),
    (np.arange(24, dtype=np.float32).reshape(2, 3, 4), -1, 2),
    (np.arange(24, dtype=np.float32).reshape(2, 3, 4), 2, 1),
]


@pytest.mark.parametrize("x,axis,order", NORMALIZE, ids=str)
def test_normalize_numpy_matches_keras(keras, x, axis, order):
    expected = keras.utils.normalize(x, axis=axis, order=order)
    out = normalize(x, axis=axis, order=order)
    assert out.shape == expected.shape and out.dtype == x.dtype
    np.testing.assert_allclose(out, expected, rtol=1e-6)


def test_normalize_keeps_a_vector_a_vector(keras):
    # Keras's NumPy path returns shape (1, 2) for a (2,) vector; jnet keeps the input's shape.
    x = np.array([3.0, 4.0])
    np.testing.assert_allclose(normalize(x), keras.utils.normalize(x)[0])
    assert normalize(x).shape == (2,)


def test_normalize_integer_input_becomes_float32():
    out = normalize(np.array([[3, 4]]))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, [[0.6, 0.8]], rtol=1e-6)


@pytest.mark.parametrize("axis", [0, 1, -2])
def test_normalize_other_axes_use_that_axis(axis):
    # Keras's NumPy path expands the norms on the last axis whatever `axis` is; jnet uses the
    # formula: every slice along `axis` gets unit norm.
    x = np.array([[3.0, 4.0], [4.0, 3.0], [0.0, 12.0]])
    out = normalize(x, axis=axis)
    np.testing.assert_allclose(np.linalg.norm(out, axis=axis), np.ones(x.shape[1 - axis % 2]))
    np.testing.assert_allclose(out, x / np.linalg.norm(x, axis=axis, keepdims=True))


@pytest.mark.parametrize("order", [1, 2, 3])
def test_normalize_jax_matches_keras_tensor_path(keras, order):
    x = np.array([[3.0, 4.0, 0.5], [0.0, 0.0, 0.0], [1e-9, 0.0, 0.0]], np.float32)
    import tensorflow as tf

    expected = keras.utils.normalize(tf.constant(x), order=order).numpy()
    out = normalize(jnp.asarray(x), order=order)
    assert isinstance(out, jax.Array) and out.dtype == jnp.float32
    np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-7)
    jitted = jax.jit(lambda v: normalize(v, axis=-1, order=order))
    np.testing.assert_allclose(jitted(jnp.asarray(x)), expected, rtol=1e-6, atol=1e-7)


def test_normalize_errors():
    with pytest.raises(JnetValueError, match="axis"):
        normalize(np.ones((2, 3)), axis=2)
    with pytest.raises(JnetTypeError, match="axis"):
        normalize(np.ones((2, 3)), axis=None)
    with pytest.raises(JnetValueError, match="order"):
        normalize(jnp.ones((2, 3)), order=0)
    with pytest.raises(JnetTypeError, match="numeric"):
        normalize(np.array(["a"]))
