"""Image helpers (jnet.utils.image_utils) and the NumPy resize of image datasets
(jnet.utils._image_resize) against Keras's and TensorFlow's results."""

import io
import os
import sys

import numpy as np
import pytest

import jnet
from jnet.errors import JnetTypeError, JnetValueError, MissingExtraError
from jnet.utils import _image_resize, image_utils


@pytest.fixture(scope="module")
def images(tmp_path_factory):
    """Generated files: an RGB PNG, a grayscale PNG, an RGBA PNG, a JPEG."""
    from PIL import Image

    root = tmp_path_factory.mktemp("images")
    rng = np.random.default_rng(0)
    rgb = rng.integers(0, 256, (13, 21, 3)).astype(np.uint8)
    paths = {"rgb": root / "rgb.png", "gray": root / "gray.png", "rgba": root / "rgba.png",
             "jpeg": root / "photo.jpg"}
    Image.fromarray(rgb).save(paths["rgb"])
    Image.fromarray(rgb[:, :, 0]).save(paths["gray"])
    Image.fromarray(np.dstack([rgb, rgb[:, :, :1]])).save(paths["rgba"])
    Image.fromarray(rgb).save(paths["jpeg"], quality=90)
    return paths


LOAD_CASES = [
    ("rgb", {}),
    ("gray", {}),
    ("rgba", {"color_mode": "grayscale"}),
    ("rgb", {"color_mode": "rgba"}),
    ("jpeg", {"target_size": (7, 9)}),
    ("rgb", {"target_size": (8, 8), "interpolation": "bilinear"}),
    ("rgb", {"target_size": (5, 12), "interpolation": "lanczos", "keep_aspect_ratio": True}),
    ("gray", {"target_size": (30, 10), "interpolation": "bicubic", "keep_aspect_ratio": True}),
]


@pytest.mark.parametrize("name,kwargs", LOAD_CASES, ids=str)
def test_load_img_and_img_to_array_match_keras(keras, images, name, kwargs):
    got = jnet.utils.load_img(images[name], **kwargs)
    want = keras.utils.load_img(str(images[name]), **kwargs)
    assert got.mode == want.mode and got.size == want.size
    a, b = jnet.utils.img_to_array(got), keras.utils.img_to_array(want)
    assert a.dtype == b.dtype == np.float32 and a.shape == b.shape
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(
        jnet.utils.img_to_array(got, data_format="channels_first", dtype="uint8"),
        keras.utils.img_to_array(want, data_format="channels_first", dtype="uint8"))


@pytest.mark.parametrize("shape,kwargs", [
    ((5, 4, 3), {}),
    ((5, 4, 1), {}),
    ((5, 4, 4), {"scale": False}),
    ((3, 5, 4), {"data_format": "channels_first"}),
    ((5, 4, 1), {"scale": False, "dtype": "float64"}),  # values above 255: mode "I"
])
def test_array_to_img_and_save_img_match_keras(keras, rng, tmp_path, shape, kwargs):
    x = rng.uniform(0, 2, shape) * (300 if kwargs.get("dtype") else 100)
    got, want = jnet.utils.array_to_img(x, **kwargs), keras.utils.array_to_img(x, **kwargs)
    assert got.mode == want.mode and got.size == want.size
    np.testing.assert_array_equal(np.asarray(got), np.asarray(want))
    if got.mode != "I":
        path = tmp_path / "x.png"
        jnet.utils.save_img(path, x, **kwargs)
        np.testing.assert_array_equal(np.asarray(jnet.utils.load_img(path, color_mode="rgba")),
                                      np.asarray(want.convert("RGBA")))


def test_save_img_jpeg_drops_alpha_with_keras_warning(tmp_path):
    with pytest.warns(UserWarning, match="JPEG format does not support RGBA"):
        jnet.utils.save_img(tmp_path / "a.jpg", np.ones((4, 4, 4)))
    assert jnet.utils.load_img(tmp_path / "a.jpg").size == (4, 4)


@pytest.mark.parametrize("shape,size,kwargs", [
    ((340, 500, 3), (20, 20), {}),
    ((2, 30, 17, 1), (9, 13), {"interpolation": "bicubic"}),
    ((3, 30, 17), (10, 4), {"data_format": "channels_first", "interpolation": "nearest"}),
])
def test_smart_resize_matches_keras(keras, rng, shape, size, kwargs):
    x = rng.uniform(0, 255, shape).astype(np.float32)
    got = jnet.preprocessing.image.smart_resize(x, size, **kwargs)
    want = keras.preprocessing.image.smart_resize(x, size, **kwargs)
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, atol=2e-3)


RESIZE_CASES = [((7, 9, 3), (4, 5)), ((5, 6, 1), (11, 13)), ((17, 23, 2), (6, 6))]


@pytest.mark.parametrize("method", _image_resize.INTERPOLATIONS)
def test_resize_matches_tensorflow(keras, method):
    import tensorflow as tf

    rng = np.random.default_rng(1)
    for shape, size in RESIZE_CASES:
        image = rng.integers(0, 256, shape).astype(np.uint8)
        for pad in (False, True):
            want = (tf.image.resize_with_pad(image, *size, method=method) if pad
                    else tf.image.resize(image, size, method=method)).numpy()
            got = _image_resize.resize_image(image, size, method, pad_to_aspect_ratio=pad)
            assert got.dtype == want.dtype, (shape, size, pad)
            np.testing.assert_allclose(got, want, atol=1e-3, err_msg=f"{shape} {size} {pad}")


def test_pixel_cap_refuses_large_images_before_decoding(images, monkeypatch):
    monkeypatch.setattr(image_utils, "MAX_IMAGE_PIXELS", 100)
    with pytest.raises(JnetValueError, match=r"rgb.png' declares more pixels \(21 x 13 = 273 "
                                             r"pixels\) than the cap of 100"):
        jnet.utils.load_img(images["rgb"])
    from PIL import Image

    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 50)  # Pillow's own bomb error (> 2x cap)
    with pytest.raises(JnetValueError, match="gray.png' declares more pixels than Pillow's"):
        jnet.utils.load_img(images["gray"])


@pytest.mark.parametrize("call,error,match", [
    (lambda p: jnet.utils.load_img(p["rgb"], color_mode="cmyk"), JnetValueError,
     "color_mode.*received color_mode='cmyk'"),
    (lambda p: jnet.utils.load_img(p["rgb"], target_size=5), JnetValueError,
     r"target_size.*\(img_height, img_width\), received target_size=5"),
    (lambda p: jnet.utils.load_img(p["rgb"], target_size=(3, 3), interpolation="cubic"),
     JnetValueError, "invalid interpolation method 'cubic'"),
    (lambda p: jnet.utils.load_img(p["rgb"].parent), JnetValueError, "must be a regular file"),
    (lambda p: jnet.utils.load_img(p["rgb"].parent / "missing.png"), FileNotFoundError,
     "cannot read the image file"),
    (lambda p: jnet.utils.load_img(3), JnetTypeError, "path-like or io.BytesIO, received 3"),
    (lambda p: jnet.utils.img_to_array(np.zeros((2, 2, 2, 2))), JnetValueError,
     r"unsupported image shape \(2, 2, 2, 2\)"),
    (lambda p: jnet.utils.array_to_img(np.zeros((2, 2))), JnetValueError,
     r"rank 3.*shape \(2, 2\)"),
    (lambda p: jnet.utils.array_to_img(np.zeros((2, 2, 2))), JnetValueError,
     "unsupported number of channels 2"),
    (lambda p: jnet.utils.array_to_img(np.zeros((2, 2, 3)), data_format="nhwc"),
     JnetValueError, "data_format.*received data_format='nhwc'"),
    (lambda p: jnet.preprocessing.image.smart_resize(np.zeros((2, 2)), (1, 1)),
     JnetValueError, r"received an array of shape \(2, 2\)"),
    (lambda p: jnet.preprocessing.image.smart_resize(np.zeros((2, 2, 1)), 3),
     JnetValueError, "size.*received size=3"),
])
def test_errors(images, call, error, match):
    with pytest.raises(error, match=match):
        call(images)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    with pytest.raises(JnetValueError, match="regular file"):
        jnet.utils.load_img(fifo)


def test_missing_pillow_names_the_extra(monkeypatch):
    for name in [m for m in sys.modules if m == "PIL" or m.startswith("PIL.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(MissingExtraError, match=r"load_img\(\) needs Pillow.*jnet\[images\]"):
        jnet.utils.load_img(io.BytesIO(b""))


def test_preprocessing_namespace_is_keras_layout():
    assert jnet.preprocessing.image.load_img is jnet.utils.load_img
    assert jnet.preprocessing.sequence.pad_sequences is jnet.utils.pad_sequences
    assert (jnet.preprocessing.image_dataset_from_directory
            is jnet.utils.image_dataset_from_directory)
    assert (jnet.preprocessing.timeseries_dataset_from_array
            is jnet.utils.timeseries_dataset_from_array)
