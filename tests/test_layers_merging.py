"""Merging layers: Keras's outputs (TF backend), broadcasting, masks, config and errors."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jnet
from jnet.layers import merging
from jnet.layers.merging import Add, Concatenate, Dot, Subtract

ELEMENTWISE = ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"]
SHAPES = {
    "same": [(4, 3), (4, 3)],
    "rank3": [(2, 3, 5), (2, 3, 5)],
    "three": [(2, 3, 5), (2, 3, 5), (2, 3, 5)],
    "ranks": [(2, 4, 3), (2, 3)],
    "ones": [(2, 4, 1), (2, 1, 3)],
    "one_input": [(3, 2)],
}


def _inputs(rng, shapes):
    return [rng.normal(size=s).astype(np.float32) for s in shapes]


@pytest.mark.parametrize(
    ("name", "case"),
    [
        (name, case)
        for name in ELEMENTWISE
        for case in sorted(SHAPES)
        if name != "Subtract" or len(SHAPES[case]) == 2  # Subtract takes exactly 2 inputs
    ],
)
def test_elementwise_layers_match_keras(keras, rng, name, case):
    shapes = SHAPES[case]
    xs = _inputs(rng, shapes)
    expected = np.asarray(getattr(keras.layers, name)()(xs))
    layer = getattr(merging, name)()
    out = layer.apply({}, xs)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-6)
    jitted = jax.jit(lambda *a, lay=layer: lay.apply({}, list(a)))(*xs)
    np.testing.assert_allclose(jitted, expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize(
    ("axis", "shapes"),
    [
        (-1, [(2, 3, 4), (2, 3, 2)]),
        (1, [(2, 3, 4), (2, 5, 4)]),
        (-1, [(4, 3), (4, 5), (4, 1)]),
        (1, [(4, 3), (4, 5)]),
        (2, [(2, 2, 3, 4), (2, 2, 1, 4)]),
        (-2, [(2, 3, 4), (2, 1, 4)]),
    ],
)
def test_concatenate_matches_keras(keras, rng, axis, shapes):
    xs = _inputs(rng, shapes)
    expected = np.asarray(keras.layers.Concatenate(axis=axis)(xs))
    np.testing.assert_array_equal(Concatenate(axis=axis).apply({}, xs), expected)


@pytest.mark.parametrize(
    ("axes", "normalize", "shapes"),
    [
        (1, False, [(4, 5), (4, 5)]),
        (1, True, [(4, 5), (4, 5)]),
        (-1, False, [(4, 5), (4, 5)]),
        ((1, 2), False, [(2, 3, 5), (2, 10, 3)]),
        ((1, 2), True, [(2, 3, 5), (2, 10, 3)]),
        ([2, 1], False, [(2, 3, 5), (2, 5)]),
        ((1, 1), False, [(2, 5), (2, 5, 3)]),
        (-1, True, [(2, 3, 4), (2, 6, 4)]),
        (2, False, [(2, 3, 4, 5), (2, 6, 4)]),
        ((3, 1), False, [(2, 3, 4, 5), (2, 5, 2, 2)]),
    ],
)
def test_dot_matches_keras(keras, rng, axes, normalize, shapes):
    xs = _inputs(rng, shapes)
    expected = np.asarray(keras.layers.Dot(axes=axes, normalize=normalize)(xs))
    out = Dot(axes, normalize=normalize).apply({}, xs)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-6)


def test_dot_normalize_of_zero_vector_is_zero_as_keras(keras):
    xs = [np.zeros((1, 3), np.float32), np.ones((1, 3), np.float32)]
    expected = np.asarray(keras.layers.Dot(1, normalize=True)(xs))
    np.testing.assert_array_equal(Dot(1, normalize=True).apply({}, xs), expected)


def test_functional_shortcuts_and_unbound_call(rng):
    xs = _inputs(rng, [(2, 3), (2, 3)])
    np.testing.assert_array_equal(merging.add(xs), xs[0] + xs[1])
    np.testing.assert_array_equal(merging.subtract(xs), xs[0] - xs[1])
    np.testing.assert_array_equal(merging.multiply(xs), xs[0] * xs[1])
    np.testing.assert_array_equal(merging.maximum(xs), np.maximum(*xs))
    np.testing.assert_array_equal(merging.minimum(xs), np.minimum(*xs))
    np.testing.assert_allclose(merging.average(xs), (xs[0] + xs[1]) / 2, rtol=1e-6)
    assert merging.concatenate(xs, axis=0).shape == (4, 3)
    assert merging.dot(xs, axes=1).shape == (2, 1)
    assert jnet.layers.Add is Add and jnet.layers.concatenate is merging.concatenate


def test_integer_inputs_are_cast_to_float32():
    out = Add().apply({}, [jnp.ones((1, 2), jnp.int32), jnp.ones((1, 2), jnp.int32)])
    assert out.dtype == jnp.float32


# -- masks -------------------------------------------------------------------------------------


def _keras_masked(arrays, masks):
    """TF tensors carrying Keras masks (what an upstream masking layer would attach)."""
    import tensorflow as tf
    from keras.src import backend

    tensors = []
    for a, m in zip(arrays, masks, strict=True):
        t = tf.constant(a)
        if m is not None:
            backend.set_keras_mask(t, tf.constant(m))
        tensors.append(t)
    return tensors


MASKS = [
    np.array([[True, True, False, False], [True, False, True, False]]),
    np.array([[True, False, True, False], [False, False, True, True]]),
]


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_compute_mask_is_the_or_of_masks_as_keras(keras, rng, name):
    xs = _inputs(rng, [(2, 4, 3), (2, 4, 3)])
    klayer = getattr(keras.layers, name)()
    layer = getattr(merging, name)()
    expected = np.asarray(klayer.compute_mask(xs, list(MASKS)))
    np.testing.assert_array_equal(layer.compute_mask(xs, MASKS), expected)
    assert layer.compute_mask(xs, [MASKS[0], None]) is None
    assert layer.compute_mask(xs, None) is None


@pytest.mark.parametrize("name", ["Maximum", "Minimum", "Multiply"])
@pytest.mark.parametrize("which", ["both", "first", "second"])
def test_masked_maximum_minimum_multiply_match_keras(keras, rng, name, which):
    xs = _inputs(rng, [(2, 4, 3), (2, 4, 3)])
    masks = {
        "both": MASKS,
        "first": [MASKS[0], None],
        "second": [None, MASKS[1]],
    }[which]
    expected = np.asarray(getattr(keras.layers, name)()(_keras_masked(xs, masks)))
    out = getattr(merging, name)().apply({}, xs, mask=masks)
    np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize(
    ("axis", "shapes", "masks"),
    [
        (-1, [(2, 4, 3), (2, 4, 2)], [MASKS[0], MASKS[1]]),
        (-1, [(2, 4, 3), (2, 4, 2)], [None, MASKS[1]]),
        (1, [(2, 4, 3), (2, 4, 3)], [MASKS[0], None]),
        (1, [(2, 4, 3), (2, 4, 3)], [MASKS[0], MASKS[1]]),
    ],
)
def test_concatenate_compute_mask_matches_keras(keras, rng, axis, shapes, masks):
    xs = _inputs(rng, shapes)
    expected = np.asarray(keras.layers.Concatenate(axis=axis).compute_mask(xs, masks))
    out = Concatenate(axis=axis).compute_mask(xs, masks)
    np.testing.assert_array_equal(out, expected)
    assert Concatenate(axis=axis).compute_mask(xs, [None, None]) is None


def test_a_single_input_may_carry_a_bare_mask(rng):
    x = _inputs(rng, [(2, 4, 3)])
    np.testing.assert_array_equal(merging.Maximum().apply({}, x, mask=MASKS[0]), x[0])
    np.testing.assert_array_equal(Add().compute_mask(x, MASKS[0]), MASKS[0])
    with pytest.raises(jnet.errors.JnetValueError, match="Add: mask should be a list"):
        Add().apply({}, x * 2, mask=MASKS[0])
    with pytest.raises(jnet.errors.JnetValueError, match="Add: the lists inputs and mask"):
        Add().apply({}, x * 2, mask=[MASKS[0]])


def test_dot_drops_masks():
    xs = [jnp.ones((2, 4, 3)), jnp.ones((2, 4, 3))]
    assert Dot(-1).compute_mask(xs, MASKS) is None


# -- config and defaults -----------------------------------------------------------------------


def test_defaults_and_config_match_keras(keras):
    assert Concatenate().axis == keras.layers.Concatenate().get_config()["axis"] == -1
    kdot = keras.layers.Dot(axes=(1, 2)).get_config()
    config = Dot(axes=(1, 2)).get_config()
    assert config["normalize"] is kdot["normalize"] is False
    assert tuple(config["axes"]) == tuple(kdot["axes"])
    assert Dot(1).get_config()["axes"] == 1
    assert Add(name="plus").get_config() == {"name": "plus", "trainable": True, "dtype": {
        "module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
        "registered_name": None}}
    with pytest.raises(TypeError):
        Dot()  # axes is required, as in Keras


def test_merge_layers_have_no_weights():
    assert Add().init(jax.random.key(0), [jnp.ones((1, 2)), jnp.ones((1, 2))]) == {}


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [*ELEMENTWISE, "Concatenate"])
def test_a_bare_array_is_refused_naming_the_layer(name):
    with pytest.raises(jnet.errors.JnetValueError, match=f"{name}: a merge layer should be called"):
        getattr(merging, name)().apply({}, jnp.ones((2, 3)))
    with pytest.raises(jnet.errors.JnetValueError, match=f"{name}: .*at least 1 input"):
        getattr(merging, name)().apply({}, [])


@pytest.mark.parametrize("name", ["Add", "Multiply", "Average", "Maximum", "Minimum", "Subtract"])
def test_incompatible_shapes_are_refused_naming_the_layer(name):
    with pytest.raises(jnet.errors.JnetValueError, match=f"{name}: inputs have incompatible"):
        getattr(merging, name)().apply({}, [jnp.ones((2, 3)), jnp.ones((2, 4))])
    with pytest.raises(jnet.errors.JnetValueError, match=f"{name}: cannot merge .*batch sizes"):
        getattr(merging, name)().apply({}, [jnp.ones((2, 3)), jnp.ones((3, 3))])


def test_subtract_and_dot_need_exactly_two_inputs():
    xs = [jnp.ones((2, 3))] * 3
    with pytest.raises(jnet.errors.JnetValueError, match="Subtract: .*exactly 2 inputs"):
        Subtract().apply({}, xs)
    with pytest.raises(jnet.errors.JnetValueError, match="Dot: .*exactly 2 inputs"):
        Dot(1).apply({}, xs)
    with pytest.raises(jnet.errors.JnetValueError, match="Dot: .*exactly 2 inputs"):
        Dot(1).apply({}, xs[:1])


def test_concatenate_errors():
    with pytest.raises(jnet.errors.JnetValueError, match="Concatenate: .*matching shapes"):
        Concatenate().apply({}, [jnp.ones((2, 3, 4)), jnp.ones((2, 5, 4))])
    with pytest.raises(jnet.errors.JnetValueError, match="Concatenate: .*matching shapes"):
        Concatenate().apply({}, [jnp.ones((2, 3, 4)), jnp.ones((2, 3))])
    with pytest.raises(jnet.errors.JnetValueError, match="Concatenate: axis=3 is out of range"):
        Concatenate(axis=3).apply({}, [jnp.ones((2, 3)), jnp.ones((2, 3))])
    with pytest.raises(jnet.errors.JnetTypeError, match="Concatenate: axis must be an integer"):
        Concatenate(axis="1")


def test_dot_errors():
    with pytest.raises(jnet.errors.JnetValueError, match=r"Dot: incompatible input shapes"):
        Dot(1).apply({}, [jnp.ones((2, 3)), jnp.ones((2, 4))])
    with pytest.raises(jnet.errors.JnetValueError, match="Dot: cannot .*batch axis 0"):
        Dot((0, 1)).apply({}, [jnp.ones((2, 2)), jnp.ones((2, 2))])
    with pytest.raises(jnet.errors.JnetValueError, match="Dot: inputs must have rank >= 2"):
        Dot(1).apply({}, [jnp.ones((2,)), jnp.ones((2, 2))])
    with pytest.raises(jnet.errors.JnetValueError, match="Dot: .*batch sizes"):
        Dot(1).apply({}, [jnp.ones((2, 3)), jnp.ones((4, 3))])
    with pytest.raises(jnet.errors.JnetTypeError, match="Dot: axes must be an integer or a tuple"):
        Dot("1")
    with pytest.raises(jnet.errors.JnetValueError, match="Dot: axes must be an integer or a tup"):
        Dot((1, 2, 3))
    with pytest.raises(jnet.errors.JnetValueError, match="Dot: axes must be an integer or a tup"):
        Dot((1, 2.0))


def test_merge_layers_cannot_be_sequential_steps():
    with pytest.raises(jnet.errors.JnetValueError, match="Add merges a list of tensors"):
        jnet.Sequential([jnet.layers.Input((3,)), Add()])


def test_merge_layers_in_a_functional_model_match_keras(keras, rng):
    def build(lib):
        a, b = lib.Input((4,)), lib.Input((4,))
        x1, x2 = lib.layers.Dense(3)(a), lib.layers.Dense(3)(b)
        c = lib.layers.Concatenate()([x1, x2])
        s = lib.layers.Add()([x1, lib.layers.Subtract()([x1, x2])])
        m = lib.layers.Multiply()([lib.layers.Maximum()([x1, x2]), lib.layers.Minimum()([s, x2])])
        avg = lib.layers.Average()([s, m])
        d = lib.layers.Dot(1, normalize=True)([c, c])
        out = lib.layers.Concatenate()([avg, d, c])
        return lib.Model([a, b], lib.layers.Dense(2)(out))

    kmodel, model = build(keras), build(jnet)
    model.set_weights(kmodel.get_weights())
    xs = _inputs(rng, [(5, 4), (5, 4)])
    np.testing.assert_allclose(
        model.predict(xs, verbose=0), kmodel.predict(xs, verbose=0), rtol=1e-5, atol=1e-6
    )
    assert model.count_params() == kmodel.count_params()
    assert model.output_shape == kmodel.output_shape
