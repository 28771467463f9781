"""``image_dataset_from_directory``: a dataset of images and labels from a folder of class
folders, as Keras's (``keras/src/utils/image_dataset_utils.py``).

When TensorFlow is installed the result is the ``tf.data.Dataset`` Keras builds (the same
pipeline: file paths and labels sliced, shuffled with a buffer of ``8 * batch_size``, decoded
with ``tf.io.decode_image``, resized with ``tf.image.resize``, batched, prefetched), so it has
``.cache()``, ``.shuffle()``, ``.prefetch(tf.data.AUTOTUNE)`` and the rest, and the same
batches as Keras's for the same seed. Without TensorFlow (or with ``format="grain"``, Keras's
TensorFlow-free form) it is a :class:`jnet.utils.Dataset` with the same methods, the same files
in each subset, and the images decoded with Pillow and resized in NumPy with TensorFlow's
numbers (``jnet.utils._image_resize``); only the order of a shuffled training set differs.

The example is in :func:`image_dataset_from_directory`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from jnet import config, errors
from jnet.utils import _directory, _image_resize
from jnet.utils.dataset import Dataset, tensorflow_module
from jnet.utils.image_utils import open_image

__all__ = ["ALLOWLIST_FORMATS", "image_dataset_from_directory", "load_image"]

ALLOWLIST_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_OWNER = "image_dataset_from_directory"
_CHANNELS = {"rgb": 3, "rgba": 4, "grayscale": 1}


def image_dataset_from_directory(
    directory: Any,
    labels: Any = "inferred",
    label_mode: str | None = "int",
    class_names: Sequence[str] | None = None,
    color_mode: str = "rgb",
    batch_size: int | None = 32,
    image_size: tuple[int, int] | int = (256, 256),
    shuffle: bool = True,
    seed: int | None = None,
    validation_split: float | None = None,
    subset: str | None = None,
    interpolation: str = "bilinear",
    follow_links: bool = False,
    crop_to_aspect_ratio: bool = False,
    pad_to_aspect_ratio: bool = False,
    data_format: str | None = None,
    format: str = "tf",
    verbose: bool = True,
) -> Any:
    """Generates a dataset from image files in a directory, as Keras's function.

    With ``main_directory/class_a/*.jpg`` and ``main_directory/class_b/*.jpg``,
    ``labels="inferred"`` gives the images of ``class_a`` label 0 and those of ``class_b``
    label 1. Formats: ``.jpeg``, ``.jpg``, ``.png``, ``.bmp``, ``.gif`` (first frame).

    Args:
        directory: the folder holding the images (one subfolder per class when
            ``labels="inferred"``; otherwise the folder structure is ignored).
        labels: ``"inferred"`` (from the folder names), ``None`` (no labels), or a list/tuple
            of integer labels, one per image file in the sorted order of their paths.
        label_mode: ``"int"`` (int32 labels), ``"categorical"`` (one-hot float32),
            ``"binary"`` (float32 of shape ``(batch, 1)``, exactly 2 classes) or ``None``
            (no labels).
        class_names: with ``labels="inferred"``, the class folders to use, in label order
            (default: all of them, alphanumerically).
        color_mode: ``"rgb"`` (3 channels), ``"rgba"`` (4) or ``"grayscale"`` (1).
        batch_size: images per batch (default 32); ``None`` yields single images.
        image_size: ``(height, width)`` the images are resized to (default ``(256, 256)``).
        shuffle: shuffle the files (default ``True``); ``False`` keeps alphanumeric order.
        seed: the seed of the shuffles and of the validation split.
        validation_split: the fraction of the files kept for validation.
        subset: ``"training"``, ``"validation"`` or ``"both"`` (a pair of datasets); only
            with ``validation_split``.
        interpolation: ``"bilinear"`` (default), ``"nearest"``, ``"bicubic"``, ``"area"``,
            ``"lanczos3"``, ``"lanczos5"``, ``"gaussian"`` or ``"mitchellcubic"``.
        follow_links: visit subfolders that are symbolic links. Default ``False``.
        crop_to_aspect_ratio: resize without distortion, cropping the largest centred window
            with the target aspect ratio.
        pad_to_aspect_ratio: resize without distortion, padding with zeros to the target
            aspect ratio.
        data_format: ``"channels_last"`` or ``"channels_first"``; ``None`` uses
            ``jnet.config.image_data_format()``.
        format: ``"tf"`` (default: a ``tf.data.Dataset`` when TensorFlow is installed, else a
            :class:`jnet.utils.Dataset`) or ``"grain"`` (a :class:`jnet.utils.Dataset`, read
            without TensorFlow).
        verbose: print the number of files and classes found. Default ``True``.

    Returns:
        A dataset yielding ``(images, labels)`` batches (``images`` alone with
        ``label_mode=None``): float32 images of shape ``(batch, height, width, channels)``,
        and ``class_names`` and ``file_paths`` attributes; with ``subset="both"``, a
        ``[training, validation]`` pair.

    Example:
        >>> import tempfile, os
        >>> from jnet.utils import save_img
        >>> root = tempfile.mkdtemp()
        >>> for name in ("cat", "dog"):
        ...     os.makedirs(os.path.join(root, name))
        ...     save_img(os.path.join(root, name, "1.png"), np.zeros((8, 8, 3)))
        >>> ds = image_dataset_from_directory(root, image_size=(4, 4), batch_size=2, seed=1,
        ...                                   format="grain")
        Found 2 files belonging to 2 classes.
        >>> images, labels = next(iter(ds))
        >>> images.shape, ds.class_names
        ((2, 4, 4, 3), ['cat', 'dog'])
    """
    labels, label_mode = _directory.check_arguments(
        _OWNER, "image", labels, label_mode, class_names)
    if color_mode not in _CHANNELS:
        raise errors.JnetValueError(
            f'{_OWNER}: `color_mode` must be one of {{"rgb", "rgba", "grayscale"}}. Received: '
            f"color_mode={color_mode!r}"
        )
    num_channels = _CHANNELS[color_mode]
    if isinstance(image_size, int) and not isinstance(image_size, bool):
        image_size = (image_size, image_size)
    elif not isinstance(image_size, list | tuple) or len(image_size) != 2:
        raise errors.JnetValueError(
            f"{_OWNER}: invalid `image_size` value. Expected a tuple of 2 integers. Received: "
            f"image_size={image_size!r}"
        )
    image_size = (int(image_size[0]), int(image_size[1]))
    interpolation = str(interpolation).lower()
    if interpolation not in _image_resize.INTERPOLATIONS:
        raise errors.JnetValueError(
            f"{_OWNER}: argument `interpolation` should be one of "
            f"{_image_resize.INTERPOLATIONS}. Received: interpolation={interpolation!r}"
        )
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise errors.JnetValueError(
            f"{_OWNER}: only one of `pad_to_aspect_ratio`, `crop_to_aspect_ratio` can be set "
            "to `True`."
        )
    _directory.check_format(_OWNER, format)
    _directory.check_validation_split_arg(_OWNER, validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    file_paths, labels, class_names = _directory.index_directory(
        _OWNER, directory, labels, ALLOWLIST_FORMATS, class_names=class_names,
        shuffle=shuffle, seed=seed, follow_links=follow_links, verbose=verbose)
    _directory.check_binary(_OWNER, label_mode, class_names)
    if data_format is None:
        data_format = config.image_data_format()
    elif data_format not in ("channels_last", "channels_first"):
        raise errors.JnetValueError(
            f"{_OWNER}: `data_format` must be 'channels_last' or 'channels_first', received "
            f"data_format={data_format!r}."
        )
    shuffle_buffer_size = batch_size * 8 if batch_size is not None else 1024
    tf = tensorflow_module() if format == "tf" else None
    options = {
        "image_size": image_size, "num_channels": num_channels,
        "interpolation": interpolation, "data_format": data_format,
        "crop_to_aspect_ratio": bool(crop_to_aspect_ratio),
        "pad_to_aspect_ratio": bool(pad_to_aspect_ratio),
    }
    datasets = []
    for paths, part_labels, training in _directory.split_files(
            _OWNER, "images", directory, str(ALLOWLIST_FORMATS), file_paths, labels,
            validation_split, subset):
        part_shuffle = shuffle and training
        build = _build_tf if tf is not None else _build_numpy
        dataset = build(
            tf, paths, part_labels, label_mode, len(class_names) if class_names else 0,
            options, part_shuffle, shuffle_buffer_size, seed, batch_size)
        dataset.class_names = class_names
        dataset.file_paths = paths
        datasets.append(dataset)
    return datasets if subset == "both" else datasets[0]


def _build_tf(tf: Any, paths: list[str], labels: Any, label_mode: Any, num_classes: int,
              options: dict[str, Any], shuffle: bool, buffer_size: int, seed: int,
              batch_size: int | None) -> Any:
    ds = tf.data.Dataset.from_tensor_slices(paths)
    if label_mode:
        label_ds = _directory.labels_to_dataset_tf(tf, labels, label_mode, num_classes)
        ds = tf.data.Dataset.zip((ds, label_ds))
    if shuffle:
        ds = ds.shuffle(buffer_size=buffer_size, seed=seed)

    def load(path: Any) -> Any:
        return _load_image_tf(tf, path, **options)

    if label_mode:
        ds = ds.map(lambda x, y: (load(x), y), num_parallel_calls=tf.data.AUTOTUNE)
    else:
        ds = ds.map(load, num_parallel_calls=tf.data.AUTOTUNE)
    if batch_size is not None:
        ds = ds.batch(batch_size)
    return ds.prefetch(tf.data.AUTOTUNE)


def _load_image_tf(tf: Any, path: Any, image_size: tuple[int, int], num_channels: int,
                   interpolation: str, data_format: str, crop_to_aspect_ratio: bool,
                   pad_to_aspect_ratio: bool) -> Any:
    # Keras's _load_image_tf, step for step.
    img = tf.io.read_file(path)
    img = tf.image.decode_image(img, channels=num_channels, expand_animations=False)
    if crop_to_aspect_ratio:
        shape = tf.shape(img)
        height, width = shape[0], shape[1]
        target_height, target_width = image_size
        crop_height = tf.cast(tf.cast(width * target_height, "float32") / target_width, "int32")
        crop_height = tf.maximum(tf.minimum(height, crop_height), 1)
        crop_width = tf.cast(tf.cast(height * target_width, "float32") / target_height, "int32")
        crop_width = tf.maximum(tf.minimum(width, crop_width), 1)
        top = tf.cast(tf.cast(height - crop_height, "float32") / 2, "int32")
        left = tf.cast(tf.cast(width - crop_width, "float32") / 2, "int32")
        img = img[top : top + crop_height, left : left + crop_width, :]
        img = tf.image.resize(img, image_size, method=interpolation, antialias=False)
    elif pad_to_aspect_ratio:
        img = tf.image.resize_with_pad(img, image_size[0], image_size[1], method=interpolation)
    else:
        img = tf.image.resize(img, image_size, method=interpolation)
    if data_format == "channels_first":
        img = tf.transpose(img, (2, 0, 1))
        img.set_shape((num_channels, image_size[0], image_size[1]))
    else:
        img.set_shape((image_size[0], image_size[1], num_channels))
    return img


def load_image(path: str, image_size: tuple[int, int], num_channels: int, interpolation: str,
               data_format: str, crop_to_aspect_ratio: bool = False,
               pad_to_aspect_ratio: bool = False) -> np.ndarray:
    """One image as the dataset yields it without TensorFlow: decoded with Pillow (bounded
    as :func:`jnet.utils.load_img`), converted to ``num_channels``, resized as
    ``tf.image.resize``.

    Example:
        >>> import io
        >>> from jnet.utils import save_img
        >>> buffer = io.BytesIO()
        >>> save_img(buffer, np.ones((4, 4, 3)), file_format="png", scale=False)
        >>> load_image(buffer, (2, 2), 1, "bilinear", "channels_first").shape
        (1, 2, 2)
    """
    img = open_image(path, _OWNER, draft="L" if num_channels == 1 else None)
    mode = {1: "L", 3: "RGB", 4: "RGBA"}[num_channels]
    if num_channels == 1 and img.mode not in ("L", "I;16", "I"):
        array = _grayscale(img)
    else:
        array = np.asarray(img if img.mode == mode else img.convert(mode))
    if array.ndim == 2:
        array = array[:, :, None]
    array = _image_resize.resize_image(array, image_size, interpolation, crop_to_aspect_ratio,
                                       pad_to_aspect_ratio)
    return np.transpose(array, (2, 0, 1)) if data_format == "channels_first" else array


def _grayscale(img: Any) -> np.ndarray:
    # TensorFlow's PNG decoder converts with libpng's rgb_to_gray: weights 0.299 and 0.587
    # truncated to 15-bit fixed point, blue the rest, the sum shifted down (no rounding).
    rgb = np.asarray(img.convert("RGB"), np.int64)
    gray = (9797 * rgb[..., 0] + 19234 * rgb[..., 1] + 3737 * rgb[..., 2]) >> 15
    return gray.astype(np.uint8)


def _build_numpy(tf: Any, paths: list[str], labels: Any, label_mode: Any, num_classes: int,
                 options: dict[str, Any], shuffle: bool, buffer_size: int, seed: int,
                 batch_size: int | None) -> Dataset:
    errors.require("PIL.Image", "images", f"{_OWNER}() without TensorFlow")  # fail at the call
    if label_mode:
        ds = Dataset.from_tensor_slices(
            (list(paths), _directory.encode_labels(labels, label_mode, num_classes)))
    else:
        ds = Dataset.from_tensor_slices(list(paths))
    if shuffle:
        ds = ds.shuffle(buffer_size=buffer_size, seed=seed)
    if label_mode:
        ds = ds.map(lambda x, y: (load_image(x, **options), y))
    else:
        ds = ds.map(lambda x: load_image(x, **options))
    if batch_size is not None:
        ds = ds.batch(batch_size)
    return ds.prefetch()
