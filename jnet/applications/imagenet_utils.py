"""Keras's ``applications.imagenet_utils``: ImageNet input preprocessing, prediction
decoding, and the input-shape and argument checks every application shares.

* :func:`preprocess_input`: ``mode='caffe'`` (RGB to BGR, minus the ImageNet mean pixel),
  ``'tf'`` (scaled to [-1, 1]) or ``'torch'`` (scaled to [0, 1], then normalised by ImageNet's
  mean and standard deviation), on a NumPy array (in place when it is floating point, as
  Keras) or on a JAX array or ``KerasTensor``.
* :func:`decode_predictions`: the top classes of a ``(samples, 1000)`` prediction, named from
  Keras's ``imagenet_class_index.json`` (read from Keras's cache through ``get_file``).
* :func:`obtain_input_shape`, :func:`correct_pad`, :func:`validate_activation`: the checks
  and paddings of ``keras.src.applications.imagenet_utils``, with Keras's messages.

Example:
    >>> import numpy as np
    >>> from jnet.applications import imagenet_utils
    >>> x = np.full((1, 2, 2, 3), 255.0, "float32")
    >>> imagenet_utils.preprocess_input(x.copy(), mode="tf")[0, 0, 0]
    array([1., 1., 1.], dtype=float32)
    >>> imagenet_utils.preprocess_input(x.copy())[0, 0, 0].round(2)  # caffe: BGR minus the mean
    array([151.06, 138.22, 131.32], dtype=float32)
"""

from __future__ import annotations

import json
import warnings
from typing import Any

import numpy as np

from jnet import activations, config, errors, ops
from jnet.utils.file_utils import get_file

__all__ = [
    "correct_pad",
    "decode_predictions",
    "obtain_input_shape",
    "preprocess_input",
    "validate_activation",
]

CLASS_INDEX: dict[str, list[str]] | None = None
CLASS_INDEX_PATH = (
    "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json"
)
CLASS_INDEX_HASH = "c2c37ea517e94d9795004a39431a14cb"

_CAFFE_MEAN = (103.939, 116.779, 123.68)
_TORCH_MEAN = (0.485, 0.456, 0.406)
_TORCH_STD = (0.229, 0.224, 0.225)
_FORMATS = ("channels_first", "channels_last")


def preprocess_input(x: Any, data_format: str | None = None, mode: str = "caffe") -> Any:
    """Preprocesses a batch of images for an ImageNet model (``keras.applications.
    imagenet_utils.preprocess_input``).

    Args:
        x: a floating point NumPy array, JAX array or ``KerasTensor``, 3D or 4D with 3 colour
            channels and values in [0, 255]. A floating point NumPy array is overwritten (as
            Keras does); pass ``np.copy(x)`` to keep it. Other NumPy dtypes are cast to
            ``floatx``.
        data_format: ``'channels_last'`` or ``'channels_first'``; None uses
            ``jnet.config.image_data_format()``.
        mode: ``'caffe'`` (RGB to BGR, then zero-centred by ImageNet's mean pixel, no
            scaling), ``'tf'`` (scaled to [-1, 1] sample-wise) or ``'torch'`` (scaled to
            [0, 1], then normalised by ImageNet's channel mean and standard deviation).

    Returns:
        The preprocessed images.

    Raises:
        JnetValueError: an unknown ``mode`` or ``data_format``.

    Example:
        >>> import numpy as np
        >>> x = np.full((2, 2, 3), 255.0, "float32")
        >>> preprocess_input(x, mode="torch")[0, 0].round(4)
        array([2.2489, 2.4286, 2.64  ], dtype=float32)
    """
    if mode not in {"caffe", "tf", "torch"}:
        raise errors.JnetValueError(
            f"Expected mode to be one of `caffe`, `tf` or `torch`. Received: mode={mode}"
        )
    if data_format is None:
        data_format = config.image_data_format()
    elif data_format not in _FORMATS:
        raise errors.JnetValueError(
            "Expected data_format to be one of `channels_first` or `channels_last`. "
            f"Received: data_format={data_format}"
        )
    if isinstance(x, np.ndarray):
        return _preprocess_numpy(x, data_format, mode)
    return _preprocess_tensor(x, data_format, mode)


def _preprocess_numpy(x: np.ndarray, data_format: str, mode: str) -> np.ndarray:
    if not issubclass(x.dtype.type, np.floating):
        x = x.astype(config.floatx(), copy=False)
    if mode == "tf":
        x /= 127.5
        x -= 1.0
        return x
    if mode == "torch":
        x /= 255.0
        mean, std = _TORCH_MEAN, _TORCH_STD
    else:
        if data_format == "channels_first":
            x = x[::-1, ...] if x.ndim == 3 else x[:, ::-1, ...]
        else:
            x = x[..., ::-1]
        mean, std = _CAFFE_MEAN, None
    for c in range(3):
        if data_format == "channels_first":
            index = (c,) if x.ndim == 3 else (slice(None), c)
        else:
            index = (Ellipsis, c)
        x[index] -= mean[c]
        if std is not None:
            x[index] /= std[c]
    return x


def _preprocess_tensor(x: Any, data_format: str, mode: str) -> Any:
    ndim = len(x.shape)
    if mode == "tf":
        return x / 127.5 - 1.0
    if mode == "torch":
        x = x / 255.0
        mean, std = _TORCH_MEAN, _TORCH_STD
    else:
        if data_format == "channels_first":
            if ndim == 3:
                x = ops.stack([x[i, ...] for i in (2, 1, 0)], axis=0)
            else:
                x = ops.stack([x[:, i, :] for i in (2, 1, 0)], axis=1)
        else:
            x = ops.stack([x[..., i] for i in (2, 1, 0)], axis=-1)
        mean, std = _CAFFE_MEAN, None
    if data_format == "channels_first":
        shape = (3, 1, 1) if ndim == 3 else (1, 3) + (1,) * (ndim - 2)
    else:
        shape = (1,) * (ndim - 1) + (3,)
    x = x + ops.reshape(ops.convert_to_tensor(-np.array(mean), dtype=x.dtype), shape)
    if std is not None:
        # Keras divides by a (3,) tensor, broadcast; jnet names the broadcast shape
        std_shape = (-1, 1, 1) if data_format == "channels_first" else shape
        if data_format == "channels_first" and ndim == 4:
            std_shape = shape
        x = x / ops.reshape(ops.convert_to_tensor(np.array(std), dtype=x.dtype), std_shape)
    return x


def _class_index() -> dict[str, list[str]]:
    global CLASS_INDEX
    if CLASS_INDEX is None:
        path = get_file(
            "imagenet_class_index.json",
            CLASS_INDEX_PATH,
            cache_subdir="models",
            file_hash=CLASS_INDEX_HASH,
        )
        with open(path, encoding="utf-8") as f:
            index = json.load(f)
        if not isinstance(index, dict) or any(str(i) not in index for i in range(1000)):
            raise errors.JnetValueError(
                f"{path!r} is not ImageNet's class index (a JSON object with keys '0' to "
                f"'999', each [wordnet id, name])."
            )
        CLASS_INDEX = index
    return CLASS_INDEX


def decode_predictions(preds: Any, top: int = 5) -> list[list[tuple[str, str, Any]]]:
    """Decodes the predictions of an ImageNet model (``keras.applications.imagenet_utils.
    decode_predictions``).

    The class names come from Keras's ``imagenet_class_index.json``, read from Keras's cache
    (``~/.keras/models``, or ``$KERAS_HOME/models``) or fetched by ``get_file``.

    Args:
        preds: an array of shape ``(samples, 1000)``.
        top: how many of the best classes to return per sample (default 5).

    Returns:
        One list per sample of ``(class_name, class_description, score)`` tuples, best first.

    Raises:
        JnetValueError: ``preds`` is not of shape ``(samples, 1000)``.

    Example:
        >>> import numpy as np
        >>> decode_predictions(np.zeros((2, 10)))
        Traceback (most recent call last):
        ...
        jnet.errors.JnetValueError: `decode_predictions` expects a batch of predictions (i.e. a 2D array of shape (samples, 1000)). Received array with shape: (2, 10)
    """  # noqa: E501
    shape = tuple(np.shape(preds))
    if len(shape) != 2 or shape[1] != 1000:
        raise errors.JnetValueError(
            "`decode_predictions` expects a batch of predictions (i.e. a 2D array of shape "
            f"(samples, 1000)). Received array with shape: {shape}"
        )
    index = _class_index()
    results = []
    for pred in ops.convert_to_numpy(preds):
        best = pred.argsort()[-top:][::-1]
        result = [(*index[str(i)], pred[i]) for i in best]
        result.sort(key=lambda r: r[2], reverse=True)
        results.append(result)
    return results


def obtain_input_shape(
    input_shape: Any,
    default_size: int,
    min_size: int,
    data_format: str,
    require_flatten: bool,
    weights: Any = None,
) -> tuple:
    """An application's input shape, checked (Keras's ``imagenet_utils.obtain_input_shape``).

    Args:
        input_shape: None (the default shape) or the user's ``(height, width, channels)``
            (``(channels, height, width)`` with ``'channels_first'``).
        default_size: the model's default height and width.
        min_size: the smallest height and width the model accepts.
        data_format: ``'channels_last'`` or ``'channels_first'``.
        require_flatten: whether the model ends in a classifier needing a fixed shape
            (``include_top=True``).
        weights: None, ``'imagenet'`` (3 channels and, with the top, the default shape) or a
            path.

    Returns:
        The input shape, a tuple of 3 entries (None for a free height or width).

    Raises:
        JnetValueError: a shape of the wrong length, too small, with other than 3 channels
            for ImageNet weights, or not fixed when the top is included.

    Example:
        >>> obtain_input_shape(None, 224, 32, "channels_last", require_flatten=False)
        (None, None, 3)
        >>> obtain_input_shape((16, 16, 3), 224, 32, "channels_last", require_flatten=False)
        Traceback (most recent call last):
        ...
        jnet.errors.JnetValueError: Input size must be at least 32x32; Received: input_shape=(16, 16, 3)
    """  # noqa: E501
    if input_shape is not None:
        input_shape = tuple(input_shape)
    if weights != "imagenet" and input_shape and len(input_shape) == 3:
        channels = input_shape[0] if data_format == "channels_first" else input_shape[-1]
        if channels not in {1, 3}:
            warnings.warn(
                "This model usually expects 1 or 3 input channels. However, it was passed an "
                f"input_shape with {channels} input channels.",
                stacklevel=3,
            )
        if data_format == "channels_first":
            default_shape = (input_shape[0], default_size, default_size)
        else:
            default_shape = (default_size, default_size, input_shape[-1])
    elif data_format == "channels_first":
        default_shape = (3, default_size, default_size)
    else:
        default_shape = (default_size, default_size, 3)
    if weights == "imagenet" and require_flatten:
        if input_shape is not None and input_shape != default_shape:
            raise errors.JnetValueError(
                "When setting `include_top=True` and loading `imagenet` weights, "
                f"`input_shape` should be {default_shape}.  Received: input_shape={input_shape}"
            )
        return default_shape
    if input_shape:
        if len(input_shape) != 3:
            raise errors.JnetValueError(
                "`input_shape` must be a tuple of three integers. "
                f"Received: input_shape={input_shape}"
            )
        first = data_format == "channels_first"
        channels = input_shape[0] if first else input_shape[-1]
        if channels != 3 and weights == "imagenet":
            raise errors.JnetValueError(
                f"The input must have 3 channels; Received `input_shape={input_shape}`"
            )
        sizes = input_shape[1:] if first else input_shape[:2]
        if any(s is not None and s < min_size for s in sizes):
            raise errors.JnetValueError(
                f"Input size must be at least {min_size}x{min_size}; Received: "
                f"input_shape={input_shape}"
            )
    elif require_flatten:
        input_shape = default_shape
    else:
        input_shape = (3, None, None) if data_format == "channels_first" else (None, None, 3)
    if require_flatten and None in input_shape:
        raise errors.JnetValueError(
            "If `include_top` is True, you should specify a static `input_shape`. "
            f"Received: input_shape={input_shape}"
        )
    return input_shape


def correct_pad(inputs: Any, kernel_size: int | tuple[int, int]) -> tuple:
    """The zero padding before a strided 2D convolution, as Keras's ``correct_pad``.

    Args:
        inputs: the 4D tensor to be padded (its static height and width are read).
        kernel_size: an int or a pair of ints.

    Returns:
        ``((top, bottom), (left, right))``.

    Example:
        >>> import jnet
        >>> correct_pad(jnet.Input((32, 32, 3)), 3)
        ((0, 1), (0, 1))
    """
    axis = 2 if config.image_data_format() == "channels_first" else 1
    size = tuple(inputs.shape[axis : axis + 2])
    if isinstance(kernel_size, int):
        kernel_size = (kernel_size, kernel_size)
    adjust = (1, 1) if size[0] is None else (1 - size[0] % 2, 1 - size[1] % 2)
    correct = (kernel_size[0] // 2, kernel_size[1] // 2)
    return ((correct[0] - adjust[0], correct[0]), (correct[1] - adjust[1], correct[1]))


def validate_activation(classifier_activation: Any, weights: Any) -> None:
    """Refuses a classifier activation other than None or softmax with pretrained weights.

    Args:
        classifier_activation: a name or callable.
        weights: None, ``'imagenet'`` or a path.

    Raises:
        JnetValueError: pretrained weights with another activation.

    Example:
        >>> validate_activation("relu", None)  # random weights: anything goes
        >>> validate_activation("relu", "imagenet")
        Traceback (most recent call last):
        ...
        jnet.errors.JnetValueError: Only `None` and `softmax` activations are allowed for the `classifier_activation` argument when using pretrained weights, with `include_top=True`; Received: classifier_activation=relu
    """  # noqa: E501
    if weights is None:
        return
    fn = activations.get(classifier_activation)
    if fn not in {activations.get("softmax"), activations.get(None)}:
        raise errors.JnetValueError(
            "Only `None` and `softmax` activations are allowed for the `classifier_activation` "
            "argument when using pretrained weights, with `include_top=True`; Received: "
            f"classifier_activation={classifier_activation}"
        )
