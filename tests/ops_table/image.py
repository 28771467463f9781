"""Rows for keras.ops.image (jnet/ops/image.py and its private modules).

Keras has these names only at ``keras.ops.image``, so rows name them ``"image.<name>"``.
"""

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
]

LEFT_OUT: dict[str, str] = {}

PENDING = {
    "elastic_transform",
    "gaussian_blur",
    "perspective_transform",
    "scale_and_translate",
    "sobel_edges",
    "ssim",
}
