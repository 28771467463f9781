"""Rows for keras.ops.image (jnet/ops/image.py and its private modules).

Keras has these names only at ``keras.ops.image``, so rows name them ``"image.<name>"``.
"""

from unittest import mock

import numpy as np

from ops_table import Case, floats, ints

_RNG = np.random.default_rng(7)


def _unit(*shape):
    return _RNG.uniform(0, 1, size=shape).astype("float32")


IMAGE = _unit(8, 10, 3)
BATCH = _unit(2, 6, 8, 3)
CF_BATCH = _unit(2, 3, 6, 8)
_CF = {"data_format": "channels_first"}


def _rounded_interior(got, want):
    # affine/map_coordinates: TF's ImageProjectiveTransform and scipy's map_coordinates agree
    # inside the image; at the last row/column TF's bilinear reads the fill value
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_allclose(got[..., 1:-2, 1:-2, :], want[..., 1:-2, 1:-2, :],
                               rtol=1e-5, atol=1e-5)


def _patches_2x2_channels_first(images, size, data_format):
    x = np.moveaxis(images, 1, -1)
    n, h, w, c = x.shape
    x = x[:, : h // 2 * 2, : w // 2 * 2].reshape(n, h // 2, 2, w // 2, 2, c)
    x = x.transpose(0, 1, 3, 2, 4, 5).reshape(n, h // 2, w // 2, 4 * c)
    return np.moveaxis(x, -1, 1)


def _keras_jax(name):
    """A reference running Keras's JAX-backend ``image.<name>`` itself (where Keras's TensorFlow
    backend computes otherwise): JAX's standard promotion, as Keras runs it; an int seed made
    the key ``uint32[seed, 0]``, as Keras's ``draw_seed`` does on JAX."""

    def reference(*args, seed=None, data_format="channels_last", **kwargs):
        import jax
        import jax.numpy as jnp
        from keras.src.backend.jax import image as keras_jax_image

        extra = {} if seed is None else {"seed": seed}
        key = None if seed is None else jnp.asarray([seed & 0xFFFFFFFF, 0], jnp.uint32)
        args = [jnp.asarray(a) if isinstance(a, np.ndarray) else a for a in args]
        with mock.patch.object(keras_jax_image, "draw_seed", lambda _: key), \
                jax.numpy_dtype_promotion("standard"), jax.numpy_rank_promotion("allow"):
            out = getattr(keras_jax_image, name)(*args, data_format=data_format, **extra,
                                                 **kwargs)
        return np.asarray(out)

    return reference


def _sobel_interior(got, want):
    # tf.image.sobel_edges pads by reflection, Keras's JAX backend (and jnet) by zeros: the
    # border pixels differ, the rest agree (the zero padding is pinned by the "zero-padding" row)
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_allclose(got[:, 1:-1, 1:-1], want[:, 1:-1, 1:-1], rtol=1e-5, atol=1e-5)


def _rounded_and_clipped(images, *args, **kwargs):
    # Keras declares scale_and_translate's result in the images' dtype; its TF backend means
    # to round and clip integer results to the input's range but fails on its own cast, its JAX
    # backend returns float32: the reference resamples in float32, rounds and clips
    import keras

    out = keras.ops.convert_to_numpy(
        keras.ops.image.scale_and_translate(images.astype("float32"), *args, **kwargs))
    return np.clip(np.round(out), images.min(), images.max()).astype(images.dtype)


_CORNERS = np.array([[0, 0], [0, 6], [8, 0], [8, 6]])
_MOVED = np.array([[1, 1], [0, 5], [7, -1], [9, 6]])
_SCALE = np.array([0.6, 0.7], "float32")
_SHIFT = np.array([0.2, -0.3], "float32")

CASES = [
    Case("image.resize", (IMAGE, (4, 5)), rtol=1e-5, atol=1e-5, grad=True),
    Case("image.resize", (BATCH, (12, 16)), id="upsample-batch", rtol=1e-5, atol=1e-5),
    Case("image.resize", (CF_BATCH, (3, 4)), _CF, id="channels-first", rtol=1e-5,
         atol=1e-5),
    Case("image.resize", (BATCH, (12, 16)), {"interpolation": "nearest"}, id="nearest-up"),
    Case("image.resize", (IMAGE, (4, 5)), {"antialias": True}, id="antialias",
         rtol=1e-5, atol=1e-5),
    Case("image.resize", (IMAGE, (4, 4)), {"crop_to_aspect_ratio": True}, id="crop-aspect",
         rtol=1e-5, atol=1e-5),
    Case("image.resize", (IMAGE, (4, 4)), {"pad_to_aspect_ratio": True, "fill_value": 0.5},
         id="pad-aspect", rtol=1e-5, atol=1e-5),
    Case("image.resize", (ints(6, 8, 1, dtype="uint8", low=0, high=255), (12, 16)),
         id="uint8", note="ints are resized in float, rounded and cast back"),
    Case("image.pad_images", (IMAGE, 1, 2), {"bottom_padding": 3, "right_padding": 0}),
    Case("image.pad_images", (BATCH,), {"top_padding": 1, "left_padding": 1,
                                        "target_height": 9, "target_width": 10},
         id="target"),
    Case("image.pad_images", (CF_BATCH,), {"bottom_padding": 2, "target_height": 8,
                                           "right_padding": 1, "target_width": 9, **_CF},
         id="channels-first"),
    Case("image.crop_images", (IMAGE, 1, 2), {"bottom_cropping": 3, "right_cropping": 1}),
    Case("image.crop_images", (BATCH,), {"top_cropping": 1, "left_cropping": 2,
                                         "target_height": 4, "target_width": 5},
         id="target"),
    Case("image.crop_images", (CF_BATCH,), {"bottom_cropping": 2, "target_height": 3,
                                            "right_cropping": 1, "target_width": 6, **_CF},
         id="channels-first"),
    Case("image.rgb_to_grayscale", (BATCH,), grad=True),
    Case("image.rgb_to_grayscale", (CF_BATCH,), _CF, id="channels-first"),
    Case("image.rgb_to_grayscale", (_unit(4, 4, 1),), id="one-channel"),
    Case("image.rgb_to_hsv", (BATCH,), rtol=1e-5, atol=1e-6),
    Case("image.rgb_to_hsv", (CF_BATCH,), _CF, id="channels-first", rtol=1e-5, atol=1e-6),
    Case("image.hsv_to_rgb", (BATCH,), rtol=1e-5, atol=1e-6, grad=True),
    Case("image.hsv_to_rgb", (CF_BATCH,), _CF, id="channels-first", rtol=1e-5, atol=1e-6),
    Case("image.extract_patches", (BATCH, 2)),
    Case("image.extract_patches", (IMAGE, (3, 2)), {"strides": (1, 2)}, id="strides"),
    Case("image.extract_patches", (BATCH, 3), {"strides": 2, "padding": "same"},
         id="same"),
    Case("image.extract_patches", (BATCH, 2), {"strides": 1, "dilation_rate": 2},
         id="dilated"),
    Case("image.extract_patches", (CF_BATCH, 2), _CF, id="channels-first",
         reference=_patches_2x2_channels_first,
         note="Keras's TF backend cannot run channels_first convolutions on CPU: the "
              "reference cuts the 2x2 patches with NumPy"),
    Case("image.extract_patches", (ints(6, 6, 2), 3), id="int"),
    Case("image.extract_patches", (_unit(4, 6, 6, 2), (2, 3, 3)), id="3d"),
    Case("image.extract_patches_3d", (_unit(2, 4, 6, 6, 2), 2)),
    Case("image.extract_patches_3d", (_unit(4, 6, 6, 2), (2, 3, 3)), {"strides": 1},
         id="strides"),
    Case("image.affine_transform",
         (BATCH, np.array([[1.0, 0.0, 1.0, 0.0, 1.0, -1.0, 0.0, 0.0],
                           [0.9, 0.1, 0.5, -0.1, 1.1, 0.2, 0.0, 0.0]], "float32")),
         compare=_rounded_interior, note="borders: see _rounded_interior"),
    Case("image.affine_transform",
         (IMAGE, np.array([1.0, 0.0, 2.0, 0.0, 1.0, 1.0, 0.0, 0.0], "float32")),
         {"interpolation": "nearest", "fill_mode": "nearest"}, id="nearest-shift"),
    Case("image.affine_transform",
         (IMAGE, np.array([1.0, 0.0, 2.0, 0.0, 1.0, 1.0, 0.0, 0.0], "float32")),
         {"fill_value": 0.5}, id="constant-shift"),
    Case("image.map_coordinates",
         (floats(5, 6), _RNG.uniform(0, 4, size=(2, 3, 4)).astype("float32"), 1),
         rtol=1e-5, atol=1e-5),
    Case("image.map_coordinates",
         (floats(5, 6), _RNG.uniform(-1, 6, size=(2, 7)).astype("float32"), 0),
         {"fill_mode": "nearest"}, id="nearest-outside"),
    Case("image.gaussian_blur", (BATCH,), grad=True),
    Case("image.gaussian_blur", (IMAGE, (5, 5), (1.0, 2.5)), id="sigmas"),
    Case("image.gaussian_blur", (BATCH,), {"kernel_size": (4, 4), "sigma": (0.7, 1.5)},
         id="even-kernel"),
    Case("image.gaussian_blur", (CF_BATCH,), _CF, id="channels-first"),
    Case("image.gaussian_blur", (IMAGE,), {"kernel_size": (3, 5), "sigma": (1.0, 2.0)},
         id="non-square", note="Keras's TF backend reshapes a (ky, kx) kernel to (kx, ky)"),
    Case("image.gaussian_blur", (BATCH,), {"kernel_size": (5, 3), "sigma": (0.8, 1.6)},
         id="non-square-wide"),
    Case("image.gaussian_blur", (_unit(6, 8, 2).astype("float16"),), id="float16",
         rtol=1e-3, atol=1e-3),
    Case("image.gaussian_blur", (_unit(6, 8, 2).astype("bfloat16"),), id="bfloat16",
         rtol=1e-2, atol=1e-2),
    Case("image.sobel_edges", (BATCH,), compare=_sobel_interior, grad=True,
         note="borders: see _sobel_interior"),
    Case("image.sobel_edges", (CF_BATCH,), _CF, id="channels-first",
         reference=_keras_jax("sobel_edges")),
    Case("image.sobel_edges", (BATCH,), id="zero-padding", reference=_keras_jax("sobel_edges"),
         note="Keras's JAX backend pads with zeros (tf.image.sobel_edges reflects)"),
    Case("image.sobel_edges", (ints(2, 5, 5, 1),), id="int", reference=_keras_jax("sobel_edges"),
         note="Keras's TF backend refuses integer images; its JAX backend keeps their dtype"),
    Case("image.ssim", (_unit(2, 12, 12, 3), _unit(2, 12, 12, 3)), grad=True),
    Case("image.ssim", (IMAGE[:8, :8], IMAGE[:8, :8] * 0.5),
         {"max_val": 2.0, "filter_size": 7, "filter_sigma": 1.0, "k1": 0.02, "k2": 0.05},
         id="single-options"),
    Case("image.ssim", (_unit(2, 3, 11, 12), _unit(2, 3, 11, 12)), _CF, id="channels-first"),
    Case("image.ssim", (ints(1, 11, 11, 1, dtype="uint8", low=0, high=255),
                        ints(1, 11, 11, 1, dtype="uint8", low=0, high=255)),
         {"max_val": 255.0}, id="uint8", note="computed in float32, cast back to uint8"),
    Case("image.ssim", (_unit(11, 11, 2).astype("float16"), _unit(11, 11, 2).astype("float16")),
         id="float16", rtol=1e-2, atol=1e-2),
    Case("image.perspective_transform", (BATCH, _CORNERS, _MOVED), rtol=1e-5, atol=1e-5,
         grad=True),
    Case("image.perspective_transform", (BATCH, _CORNERS, _MOVED),
         {"interpolation": "nearest"}, id="nearest"),
    Case("image.perspective_transform", (IMAGE, _CORNERS, _CORNERS + 1), {"fill_value": 0.5},
         id="shift-fill", rtol=1e-5, atol=1e-5),
    Case("image.perspective_transform",
         (BATCH, np.stack([_CORNERS, _CORNERS]), np.stack([_MOVED, _CORNERS - 1])),
         id="per-image", rtol=1e-5, atol=1e-5),
    Case("image.perspective_transform",
         (CF_BATCH, _CORNERS.astype("float32"), _MOVED.astype("float32")), _CF,
         id="channels-first", rtol=1e-5, atol=1e-5),
    Case("image.perspective_transform",
         (ints(6, 8, 3, dtype="uint8", low=0, high=255), _CORNERS, _MOVED), id="uint8",
         reference=_keras_jax("perspective_transform"),
         note="integer pixels: TF's projective transform rounds otherwise (off by one); Keras's "
              "JAX backend rounds half away from zero, as jax's map_coordinates"),
    Case("image.scale_and_translate",
         (np.arange(9, dtype="float32").reshape(3, 3), (5, 5), np.array([2.0, 2.0], "float32"),
          np.array([-0.5, -0.5], "float32"), (0, 1), "linear"), id="keras-docs"),
    Case("image.scale_and_translate", (BATCH, (2, 4, 5, 3), _SCALE, _SHIFT, (1, 2), "bilinear"),
         grad=True),
    Case("image.scale_and_translate", (BATCH, (2, 4, 5, 3), _SCALE, _SHIFT, (1, 2), "cubic"),
         {"antialias": False}, id="cubic-no-antialias"),
    Case("image.scale_and_translate",
         (BATCH, (2, 9, 13, 3), np.array([1.5, 1.6], "float32"), _SHIFT, (-3, -2), "lanczos3"),
         id="lanczos3-up-negative-dims", atol=1e-5),
    Case("image.scale_and_translate", (floats(7, 6), (3, 6), [0.5], [0.25], (0,), "lanczos5"),
         id="one-axis-lists", atol=1e-5),
    Case("image.scale_and_translate",
         (ints(6, 6, 1, dtype="uint8", low=0, high=255), (9, 9, 1), np.array([1.5, 1.5]),
          np.zeros(2), (0, 1), "bicubic"), id="uint8", reference=_rounded_and_clipped,
         note="see _rounded_and_clipped"),
    Case("image.elastic_transform", (BATCH,), {"seed": 1}, reference=_keras_jax(
        "elastic_transform"), grad=True,
         note="Keras's TF backend draws other numbers (tf.random.stateless_normal): the "
              "reference is Keras's JAX backend, whose seed use jnet follows"),
    Case("image.elastic_transform", (IMAGE,),
         {"alpha": 5.0, "sigma": 1.5, "fill_mode": "constant", "fill_value": 0.5,
          "seed": 7}, id="constant", reference=_keras_jax("elastic_transform")),
    Case("image.elastic_transform", (CF_BATCH,),
         {"interpolation": "nearest", "fill_mode": "wrap", "seed": 2**31 + 5, **_CF},
         id="nearest-wrap-channels-first", reference=_keras_jax("elastic_transform")),
    Case("image.elastic_transform", (BATCH.astype("float16"),),
         {"sigma": 2.0, "alpha": 3.0, "fill_mode": "mirror", "seed": 4}, id="float16",
         reference=_keras_jax("elastic_transform"),
         note="float16 images deform in float16 (Keras's alpha and sigma are weak)"),
    Case("image.elastic_transform", (BATCH,), {"alpha": 0.0, "seed": 3}, id="alpha-0",
         note="no displacement: both backends return the images"),
]

LEFT_OUT: dict[str, str] = {}

PENDING: set[str] = set()
