"""Image augmentation layers: Keras's transform maths (TensorFlow is the judge), the random
draws' distributions, inference mode, PRNG handling and argument errors."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jnet
from jnet.layers import _image_transform as it
from jnet.layers.augmentation import (
    RandomContrast,
    RandomFlip,
    RandomRotation,
    RandomTranslation,
    RandomZoom,
)

KEY = jax.random.key(0)


def _train(layer, x, key=KEY):
    return np.asarray(layer.apply({}, x, training=True, rngs={"dropout": key}))


def _ramp(n, batch):
    """(batch, n, n, 2) images whose channel 0 is the column index and channel 1 the row."""
    ys, xs = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    image = np.stack([xs, ys], axis=-1).astype(np.float32)
    return np.repeat(image[None], batch, axis=0)


def _centre_gradients(out, n):
    """d(channel)/dx and d(channel)/dy at the centre pixel, by central differences."""
    c = n // 2
    d_dx = (out[:, c, c + 1, :] - out[:, c, c - 1, :]) / 2.0
    d_dy = (out[:, c + 1, c, :] - out[:, c - 1, c, :]) / 2.0
    return d_dx, d_dy


# -- the transform maths against keras.ops.image.affine_transform (TensorFlow) ---------------


def _transform_rows():
    rotation = np.asarray(it.rotation_transform(np.array([17.3, -123.7], np.float32), 7, 10))
    zoom = np.asarray(it.zoom_transform(np.array([[2.7, 0.4], [0.37, 1.9]], np.float32), 7, 10))
    shift = np.asarray(
        it.translation_transform(np.array([[-25.1, 9.2], [0.5, 0.5]], np.float32))
    )
    general = np.array(
        [[1.3, 0.4, -2.1, -0.35, 0.8, 3.3, 0.0, 0.0],
         [0.6, -1.1, 9.7, 1.2, 0.2, -4.4, 0.0, 0.0]], np.float32,
    )
    return np.concatenate([rotation, zoom, shift, general], axis=0)


@pytest.mark.parametrize("interpolation", it.INTERPOLATIONS)
@pytest.mark.parametrize("fill_mode", it.FILL_MODES)
def test_affine_transform_matches_keras(keras, rng, fill_mode, interpolation):
    transform = _transform_rows()
    images = rng.uniform(-1.0, 2.0, size=(len(transform), 7, 10, 3)).astype(np.float32)
    kwargs = dict(interpolation=interpolation, fill_mode=fill_mode, fill_value=0.7)
    expected = np.asarray(keras.ops.image.affine_transform(images, transform, **kwargs))
    got = np.asarray(it.affine_transform(images, transform, **kwargs))
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-4)


def test_affine_transform_single_image_one_row_and_channels_first(keras, rng):
    row = _transform_rows()[0]
    image = rng.uniform(size=(6, 5, 2)).astype(np.float32)
    expected = np.asarray(keras.ops.image.affine_transform(image, row, fill_mode="reflect"))
    np.testing.assert_allclose(
        it.affine_transform(image, row, fill_mode="reflect"), expected, rtol=1e-5, atol=1e-4
    )
    batch = rng.uniform(size=(3, 2, 6, 5)).astype(np.float32)
    expected = keras.ops.image.affine_transform(
        batch, row, fill_mode="wrap", data_format="channels_first"
    )
    got = it.affine_transform(batch, row, fill_mode="wrap", data_format="channels_first")
    np.testing.assert_allclose(got, np.asarray(expected), rtol=1e-5, atol=1e-4)


def test_affine_transform_is_jittable(rng):
    transform = _transform_rows()
    images = rng.uniform(size=(len(transform), 7, 10, 1)).astype(np.float32)
    fn = jax.jit(lambda x, t: it.affine_transform(x, t, fill_mode="reflect"))
    eager = it.affine_transform(images, transform, fill_mode="reflect")
    np.testing.assert_allclose(fn(images, transform), eager, rtol=1e-5, atol=1e-6)


def test_transform_rows_match_keras(keras):
    import tensorflow as tf

    angle = np.array([0.0, 17.3, -123.7, 90.0], np.float32)
    n = len(angle)
    zeros, ones = tf.zeros([n]), tf.ones([n])
    krot = keras.layers.RandomRotation(0.1)._compute_affine_matrix(
        0.5, 0.5, tf.constant(angle), zeros, zeros, ones, zeros, zeros, 7, 10
    )
    np.testing.assert_allclose(it.rotation_transform(angle, 7, 10), krot, rtol=1e-6, atol=1e-6)
    zooms = np.array([[0.5, 1.5], [1.2, 0.8]], np.float32)
    kzoom = keras.layers.RandomZoom(0.1)._get_zoom_matrix(tf.constant(zooms), 7, 10)
    np.testing.assert_allclose(it.zoom_transform(zooms, 7, 10), kzoom, rtol=1e-6, atol=1e-6)
    shifts = np.array([[1.5, -2.0], [0.0, 3.25]], np.float32)
    kshift = keras.layers.RandomTranslation(0.1, 0.1)._get_translation_matrix(
        tf.constant(shifts)
    )
    np.testing.assert_allclose(it.translation_transform(shifts), kshift)


# -- each layer equals Keras's given Keras's own random draws -------------------------------

LAYER_CASES = [
    ("RandomFlip", ("horizontal",), {}),
    ("RandomFlip", ("vertical",), {}),
    ("RandomFlip", (), {}),
    ("RandomRotation", (0.3,), {}),
    ("RandomRotation", ((-0.2, 0.4), "constant", "nearest"), {"fill_value": 0.5}),
    ("RandomTranslation", (0.3, (-0.4, 0.2), "wrap"), {}),
    ("RandomTranslation", (0.2, 0.2, "nearest", "nearest"), {}),
    ("RandomZoom", ((-0.3, 0.4),), {}),
    ("RandomZoom", (0.3, (0.2, 0.5), "constant"), {"fill_value": 2.0}),
    ("RandomContrast", ((0.3, 0.6),), {}),
    ("RandomContrast", (0.5, (0, 1)), {}),
]

_JNET = {
    "RandomFlip": RandomFlip,
    "RandomRotation": RandomRotation,
    "RandomTranslation": RandomTranslation,
    "RandomZoom": RandomZoom,
    "RandomContrast": RandomContrast,
}


def _draws_from_keras(name, t):
    t = {k: np.asarray(v) if hasattr(v, "shape") else v for k, v in t.items()}
    if name == "RandomFlip":
        return {"flips": jnp.asarray(t["flips"]).reshape(-1)}
    if name == "RandomRotation":
        return {"angle": jnp.asarray(t["angle"])}
    if name == "RandomTranslation":
        return {"translations": jnp.asarray(t["translations"])}
    if name == "RandomZoom":
        return {"zooms": jnp.concatenate([t["width_zoom"], t["height_zoom"]], axis=1)}
    return {"contrast_factor": jnp.asarray(t["contrast_factor"])}


@pytest.mark.parametrize(("name", "args", "kwargs"), LAYER_CASES)
def test_layer_matches_keras_given_keras_draws(keras, rng, name, args, kwargs):
    scale = 1.0 if name == "RandomContrast" and args[1:] == ((0, 1),) else 255.0
    x = (rng.uniform(size=(6, 9, 11, 3)) * scale).astype(np.float32)
    klayer = getattr(keras.layers, name)(*args, **kwargs)
    transformation = klayer.get_random_transformation(x, training=True)
    expected = np.asarray(klayer.transform_images(x, transformation, training=True))
    layer = _JNET[name](*args, **kwargs)
    got = layer._transform(jnp.asarray(x), _draws_from_keras(name, transformation))
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize(("name", "args", "kwargs"), LAYER_CASES[:1] + LAYER_CASES[3:])
def test_defaults_and_positional_order_match_keras(keras, name, args, kwargs):
    config = getattr(keras.layers, name)(*args, **kwargs).get_config()
    layer = _JNET[name](*args, **kwargs)
    for field in ("mode", "fill_mode", "interpolation", "fill_value", "seed", "value_range",
                  "width_factor", "height_factor"):
        if field in config:
            assert getattr(layer, field) == config[field], field
    assert config["data_format"] == "channels_last" and layer.data_format is None


# -- statistics of the random draws -----------------------------------------------------------


def test_random_flip_horizontal_flips_about_half(rng):
    x = rng.normal(size=(2000, 3, 4, 1)).astype(np.float32)
    out = _train(RandomFlip("horizontal"), x)
    same = np.all(out == x, axis=(1, 2, 3))
    mirrored = np.all(out == x[:, :, ::-1], axis=(1, 2, 3))
    assert np.all(same ^ mirrored)
    assert abs(mirrored.mean() - 0.5) < 0.05


def test_random_flip_vertical_and_both(rng):
    x = rng.normal(size=(400, 3, 4, 2)).astype(np.float32)
    out = _train(RandomFlip("vertical"), x)
    flipped = np.all(out == x[:, ::-1], axis=(1, 2, 3))
    assert np.all(flipped | np.all(out == x, axis=(1, 2, 3)))
    assert 0.35 < flipped.mean() < 0.65
    # Keras 3: one draw decides both flips, so an image is unchanged or turned 180 degrees.
    out = _train(RandomFlip(), x)
    turned = np.all(out == x[:, ::-1, ::-1], axis=(1, 2, 3))
    assert np.all(turned | np.all(out == x, axis=(1, 2, 3)))
    assert 0.35 < turned.mean() < 0.65


@pytest.mark.parametrize("interpolation", ["nearest", "bilinear"])
def test_random_rotation_quarter_turn_is_rot90(rng, interpolation):
    x = rng.normal(size=(5, 6, 6, 2)).astype(np.float32)
    for factor, k in [((0.25, 0.25), 1), ((-0.25, -0.25), -1), ((0.5, 0.5), 2)]:
        out = _train(RandomRotation(factor, interpolation=interpolation), x)
        expected = np.rot90(x, k=k, axes=(1, 2))  # positive factor: counter-clockwise
        if interpolation == "nearest":
            np.testing.assert_array_equal(out, expected)
        else:
            np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-4)


def test_random_rotation_zero_factor_is_identity(rng):
    x = rng.normal(size=(4, 5, 7, 3)).astype(np.float32)
    np.testing.assert_array_equal(_train(RandomRotation(0.0), x), x)


@pytest.mark.parametrize(("factor", "bounds"), [(0.1, (-36.0, 36.0)), ((0.05, 0.15), (18, 54))])
def test_random_rotation_angles_span_the_range(factor, bounds):
    n = 21
    out = _train(RandomRotation(factor), _ramp(n, 400))
    d_dx, d_dy = _centre_gradients(out, n)
    # channel 0 = x_in = cos(t) (x - c) - sin(t) (y - c) + c
    angle = np.degrees(np.arctan2(-d_dy[:, 0], d_dx[:, 0]))
    lo, hi = bounds
    assert np.all(angle >= lo - 1e-3) and np.all(angle <= hi + 1e-3)
    width = hi - lo
    assert angle.min() < lo + 0.05 * width and angle.max() > hi - 0.05 * width
    assert abs(angle.mean() - (lo + hi) / 2) < 0.08 * width
    assert np.unique(np.round(angle, 3)).size > 390  # one draw per image


@pytest.mark.parametrize("fill_mode", ["constant", "wrap"])
def test_random_translation_by_whole_pixels_is_a_shift(rng, fill_mode):
    x = rng.normal(size=(3, 8, 8, 2)).astype(np.float32)
    layer = RandomTranslation((0.25, 0.25), (-0.125, -0.125), fill_mode=fill_mode)
    out = _train(layer, x)  # 2 pixels down, 1 pixel left
    if fill_mode == "wrap":
        expected = np.roll(x, shift=(2, -1), axis=(1, 2))
    else:
        expected = np.zeros_like(x)
        expected[:, 2:, :7] = x[:, :6, 1:]
    np.testing.assert_array_equal(out, expected)


def test_random_translation_shifts_span_the_range():
    n = 21
    out = _train(RandomTranslation((-0.1, 0.2), 0.15), _ramp(n, 400))
    c = n // 2
    dx = c - out[:, c, c, 0]  # output (c, c) reads input column c - dx
    dy = c - out[:, c, c, 1]
    for shift, (lo, hi) in [(dx, (-0.15 * n, 0.15 * n)), (dy, (-0.1 * n, 0.2 * n))]:
        assert np.all(shift >= lo - 1e-4) and np.all(shift <= hi + 1e-4)
        assert shift.min() < lo + 0.05 * (hi - lo) and shift.max() > hi - 0.05 * (hi - lo)
    assert abs(np.corrcoef(dx, dy)[0, 1]) < 0.2  # independent draws


@pytest.mark.parametrize(
    ("height_factor", "width_factor"), [(0.3, None), ((-0.4, -0.1), (0.2, 0.5))]
)
def test_random_zoom_scales_span_the_range(height_factor, width_factor):
    n = 21
    out = _train(RandomZoom(height_factor, width_factor), _ramp(n, 400))
    d_dx, d_dy = _centre_gradients(out, n)
    zx, zy = d_dx[:, 0], d_dy[:, 1]
    np.testing.assert_allclose(d_dy[:, 0], 0.0, atol=1e-4)
    h_lo, h_hi = sorted(height_factor) if isinstance(height_factor, tuple) else (-0.3, 0.3)
    w_lo, w_hi = (h_lo, h_hi) if width_factor is None else width_factor
    for zoom, (lo, hi) in [(zy, (1 + h_lo, 1 + h_hi)), (zx, (1 + w_lo, 1 + w_hi))]:
        assert np.all(zoom >= lo - 1e-4) and np.all(zoom <= hi + 1e-4)
        assert zoom.min() < lo + 0.05 * (hi - lo) and zoom.max() > hi - 0.05 * (hi - lo)
        assert abs(zoom.mean() - (lo + hi) / 2) < 0.08 * (hi - lo)
    if width_factor is None:
        np.testing.assert_allclose(zx, zy, rtol=1e-5)  # aspect ratio kept


@pytest.mark.parametrize(("factor", "bounds"), [((0.3, 0.6), (0.7, 1.6)), (0.5, (1.0, 1.5))])
def test_random_contrast_factor_range_and_mean(rng, factor, bounds):
    # Keras 3: a number f parses to (0, f), so the factor lies in [1, 1 + f].
    x = rng.uniform(100.0, 150.0, size=(500, 4, 5, 3)).astype(np.float32)
    out = _train(RandomContrast(factor), x)
    mean = x.mean(axis=(1, 2), keepdims=True)
    np.testing.assert_allclose(out.mean(axis=(1, 2), keepdims=True), mean, rtol=1e-5)
    centred, out_centred = x - mean, out - mean
    contrast = (out_centred * centred).sum(axis=(1, 2, 3)) / (centred**2).sum(axis=(1, 2, 3))
    # one factor per image, shared by its channels
    np.testing.assert_allclose(out_centred, contrast[:, None, None, None] * centred, atol=1e-3)
    lo, hi = bounds
    assert np.all(contrast >= lo - 1e-3) and np.all(contrast <= hi + 1e-3)
    assert contrast.min() < lo + 0.05 * (hi - lo) and contrast.max() > hi - 0.05 * (hi - lo)


def test_random_contrast_clips_to_value_range(rng):
    x = rng.uniform(0.0, 1.0, size=(8, 4, 4, 1)).astype(np.float32)
    out = _train(RandomContrast((1.0, 1.0), value_range=(0, 1)), x)  # factor in [0, 2]
    assert out.min() >= 0.0 and out.max() <= 1.0
    out = _train(RandomContrast((-1.0, 1.0)), x * 255.0)  # factor exactly 2
    mean = (x * 255.0).mean(axis=(1, 2), keepdims=True)
    np.testing.assert_allclose(
        out, np.clip((x * 255.0 - mean) * 2 + mean, 0, 255), rtol=1e-5, atol=1e-3
    )


# -- inference mode, models, layouts -----------------------------------------------------------

ALL_LAYERS = [
    lambda: RandomFlip(),
    lambda: RandomRotation(0.2),
    lambda: RandomTranslation(0.2, 0.3),
    lambda: RandomZoom(0.2),
    lambda: RandomContrast(0.4),
]


@pytest.mark.parametrize("make", ALL_LAYERS)
def test_inactive_without_training(rng, make):
    layer = make()
    for shape in [(3, 6, 5, 2), (6, 5, 2)]:
        x = rng.uniform(0, 255, size=shape).astype(np.float32)
        np.testing.assert_array_equal(layer.apply({}, x), x)
        np.testing.assert_array_equal(layer.apply({}, x, training=False), x)


def test_sequential_of_augmentations_predicts_its_inputs(rng):
    model = jnet.Sequential([jnet.Input((8, 8, 3))] + [make() for make in ALL_LAYERS])
    x = rng.uniform(0, 255, size=(10, 8, 8, 3)).astype(np.float32)
    np.testing.assert_array_equal(model.predict(x, verbose=0), x)
    assert model.count_params() == 0
    assert model.output_shape == (None, 8, 8, 3)
    trained = model.apply(model.variables, x, training=True, rng=jax.random.key(1))
    assert trained.shape == x.shape and not np.allclose(trained, x)


def test_fit_trains_through_augmentation_layers(rng):
    model = jnet.Sequential([
        jnet.Input((6, 6, 1)), RandomFlip(), RandomRotation(0.1), jnet.layers.Dense(1),
    ])
    model.compile(optimizer="sgd", loss="mse")
    x = rng.uniform(size=(32, 6, 6, 1)).astype(np.float32)
    history = model.fit(x, x, epochs=2, batch_size=16, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    config = model.layers[1].get_config()
    assert config["factor"] == 0.1 and config["fill_mode"] == "reflect"


@pytest.mark.parametrize("make", ALL_LAYERS)
def test_same_key_same_output_different_key_different_output(rng, make):
    layer = make()
    x = rng.uniform(0, 255, size=(8, 6, 6, 2)).astype(np.float32)
    a = _train(layer, x, jax.random.key(3))
    np.testing.assert_array_equal(a, _train(layer, x, jax.random.key(3)))
    assert not np.array_equal(a, _train(layer, x, jax.random.key(4)))
    jitted = jax.jit(lambda v, k: layer.apply({}, v, training=True, rngs={"dropout": k}))
    np.testing.assert_allclose(jitted(x, jax.random.key(3)), a, rtol=1e-5, atol=1e-3)


@pytest.mark.parametrize("make", ALL_LAYERS)
def test_single_image_and_per_image_transforms(rng, make):
    image = rng.uniform(0, 255, size=(6, 6, 2)).astype(np.float32)
    out = _train(make(), image)
    assert out.shape == image.shape
    batch = np.repeat(image[None], 16, axis=0)
    out = _train(make(), batch)
    distinct = {out[i].tobytes() for i in range(16)}
    assert len(distinct) > 1  # one independent transform per image


def test_seed_is_folded_into_the_key(rng):
    x = rng.uniform(size=(8, 6, 6, 1)).astype(np.float32)
    a = _train(RandomRotation(0.3, seed=1), x)
    np.testing.assert_array_equal(a, _train(RandomRotation(0.3, seed=1), x))
    assert not np.array_equal(a, _train(RandomRotation(0.3, seed=2), x))


@pytest.mark.parametrize("make", [
    lambda df: RandomFlip(data_format=df),
    lambda df: RandomRotation(0.3, data_format=df),
    lambda df: RandomTranslation(0.2, 0.2, data_format=df),
    lambda df: RandomZoom(0.3, data_format=df),
    lambda df: RandomContrast(0.5, data_format=df),
])
def test_channels_first_matches_channels_last(rng, make):
    x = rng.uniform(0, 255, size=(4, 6, 7, 2)).astype(np.float32)
    last = _train(make("channels_last"), x)
    first = _train(make("channels_first"), np.transpose(x, (0, 3, 1, 2)))
    np.testing.assert_allclose(np.transpose(first, (0, 2, 3, 1)), last, rtol=1e-6, atol=1e-4)


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize("factor", [1.5, -1.5, (0.1,), (0.1, 0.2, 0.3), "a", (2.0, 3.0),
                                    (-3.0, -2.0), True, ("a", 0.1)])
def test_random_rotation_rejects_bad_factor(factor):
    with pytest.raises(jnet.errors.JnetValueError, match="RandomRotation: factor must be"):
        RandomRotation(factor)


def test_factor_parsing_follows_keras():
    assert RandomRotation(-0.2)._bounds() == (-0.2, 0.2)
    assert RandomRotation([0.3, -0.1])._bounds() == (-0.1, 0.3)
    assert RandomRotation(None)._bounds() == (0.0, 0.0)
    assert RandomContrast(0.4)._bounds() == (0.0, 0.4)
    assert RandomTranslation(-0.3, (0.2, -0.1))._bounds() == ((-0.3, 0.3), (-0.1, 0.2))
    assert RandomZoom((0.5, -0.2))._bounds() == ((-0.2, 0.5), None)


@pytest.mark.parametrize(("args", "argument"), [
    ((1.5, 0.1), "height_factor"),
    (((-1.5, 0.1), 0.1), "height_factor"),
    ((0.1, "x"), "width_factor"),
    ((0.1, (0.1, 0.2, 0.3)), "width_factor"),
])
def test_random_translation_rejects_bad_factors(args, argument):
    with pytest.raises(jnet.errors.JnetValueError, match=f"RandomTranslation: {argument}"):
        RandomTranslation(*args)


@pytest.mark.parametrize(("args", "argument"), [
    ((-1.0,), "height_factor"),
    (((-1.0, 0.5),), "height_factor"),
    ((1.5,), "height_factor"),
    ((0.1, 2.0), "width_factor"),
])
def test_random_zoom_rejects_bad_factors(args, argument):
    with pytest.raises(jnet.errors.JnetValueError, match=rf"RandomZoom: {argument}.*\(-1.0, 1.0\]"):
        RandomZoom(*args)


@pytest.mark.parametrize("factor", [-0.1, 1.5, (1.5, 2.0), (-2.0, -1.0), "x"])
def test_random_contrast_rejects_bad_factor(factor):
    with pytest.raises(jnet.errors.JnetValueError, match=r"RandomContrast: factor.*\[0.0, 1.0\]"):
        RandomContrast(factor)


@pytest.mark.parametrize("value_range", [(255, 0), (0,), "abc", None])
def test_random_contrast_rejects_bad_value_range(value_range):
    with pytest.raises(jnet.errors.JnetValueError, match="value_range must be"):
        RandomContrast(0.2, value_range)


@pytest.mark.parametrize(("make", "match"), [
    (lambda: RandomRotation(0.1, fill_mode="reflct"), "fill_mode.*Did you mean 'reflect'"),
    (lambda: RandomZoom(0.1, fill_mode="mirror"), "fill_mode.*'constant'"),
    (lambda: RandomTranslation(0.1, 0.1, interpolation="bicubic"), "interpolation.*'bilinear'"),
    (lambda: RandomFlip("horizontl"), "mode.*Did you mean 'horizontal'"),
    (lambda: RandomFlip(data_format="NHWC"), "data_format.*'channels_last'"),
])
def test_unknown_strings_list_the_valid_ones(make, match):
    with pytest.raises(jnet.errors.UnknownIdentifierError, match=match):
        make()


def test_other_argument_errors():
    with pytest.raises(jnet.errors.JnetValueError, match="seed must be"):
        RandomFlip(seed=-1)
    with pytest.raises(jnet.errors.JnetValueError, match="fill_value must be a number"):
        RandomRotation(0.1, fill_value="0")


@pytest.mark.parametrize("make", ALL_LAYERS)
@pytest.mark.parametrize("shape", [(8, 8), (1, 2, 8, 8, 3)])
def test_wrong_rank_is_rejected(make, shape):
    layer = make()
    with pytest.raises(jnet.errors.JnetValueError, match=r"expects inputs of rank 4.*received "
                       rf"shape \({shape[0]}, {shape[1]}"):
        layer.apply({}, jnp.zeros(shape))


def test_training_without_a_key_says_how_to_pass_one():
    with pytest.raises(jnet.errors.JnetValueError, match="'dropout' PRNG key"):
        RandomZoom(0.2).apply({}, jnp.zeros((1, 4, 4, 1)), training=True)


def test_affine_transform_argument_errors():
    image = jnp.zeros((1, 4, 4, 1))
    with pytest.raises(jnet.errors.JnetValueError, match=r"transform of shape \(8,\)"):
        it.affine_transform(image, jnp.zeros((7,)))
    with pytest.raises(jnet.errors.JnetValueError, match="rank 4"):
        it.affine_transform(jnp.zeros((4, 4)), jnp.zeros((8,)))
    with pytest.raises(jnet.errors.JnetValueError, match="3 rows for a batch of 1"):
        it.affine_transform(image, jnp.zeros((3, 8)))
    with pytest.raises(jnet.errors.UnknownIdentifierError, match="fill_mode"):
        it.affine_transform(image, jnp.zeros((8,)), fill_mode="mirror")
