"""The ``weights``, ``include_top``, ``classes`` and ``input_tensor`` arguments every
application shares, and the loading of its weights.

* :func:`check_arguments`: Keras's checks of ``weights`` (None, ``'imagenet'`` or an existing
  file) and ``classes`` (1000 with ImageNet weights and the top), with Keras's messages.
* :func:`image_input` / :func:`model_inputs`: the model's input from ``input_tensor`` or
  ``input_shape``, and the source inputs of ``input_tensor`` for the model.
* :func:`load_weights`: None leaves the random weights; ``'imagenet'`` fetches Keras's
  published file (same file name, origin and checksum as Keras, into Keras's cache
  ``~/.keras/models``) through ``get_file``; a path loads that file. Keras's pretrained files
  are Keras 2 legacy HDF5 (read by layer name, or by position as Keras when the file's names
  differ, see :mod:`jnet.saving._legacy_h5`); a
  ``.weights.h5`` from Keras 3 is read by layer position, as Keras reads it.

Example:
    >>> from jnet.applications import _weights
    >>> _weights.check_arguments("imagenet", include_top=True, classes=10)
    Traceback (most recent call last):
    ...
    jnet.errors.JnetValueError: If using `weights='imagenet'` with `include_top=True`, `classes` should be 1000.  Received classes=10
"""  # noqa: E501

from __future__ import annotations

import os
from typing import Any, NamedTuple

from jnet import backend, errors
from jnet.layers.input import Input
from jnet.saving import _legacy_h5
from jnet.symbolic import KerasTensor, node_of
from jnet.utils.file_utils import get_file

__all__ = ["WeightsFile", "check_arguments", "image_input", "load_weights", "model_inputs"]


class WeightsFile(NamedTuple):
    """One of Keras's published weight files: its name in the cache, address and checksum
    (as ``get_file`` takes them: md5 or sha256 hex digest)."""

    fname: str
    origin: str
    file_hash: str | None


def check_arguments(weights: Any, include_top: bool, classes: int) -> None:
    """Keras's checks of ``weights`` and ``classes``.

    Args:
        weights: None, ``'imagenet'`` or the path of an existing weights file.
        include_top: whether the model ends in its classifier.
        classes: the number of classes of the classifier.

    Raises:
        JnetValueError: ``weights`` is none of those; ImageNet weights with the top and
            ``classes`` other than 1000.
    """
    if not (
        weights is None
        or (isinstance(weights, str) and weights == "imagenet")
        or (isinstance(weights, str | os.PathLike) and os.path.exists(weights))
    ):
        raise errors.JnetValueError(
            "The `weights` argument should be either `None` (random initialization), "
            "'imagenet' (pre-training on ImageNet), or the path to the weights file to be "
            f"loaded.  Received: weights={weights}"
        )
    if weights == "imagenet" and include_top and classes != 1000:
        raise errors.JnetValueError(
            "If using `weights='imagenet'` with `include_top=True`, `classes` should be "
            f"1000.  Received classes={classes}"
        )


def image_input(input_tensor: Any, input_shape: tuple) -> KerasTensor:
    """The tensor a model starts from: ``input_tensor`` when given (a ``KerasTensor``), else
    a new ``Input(shape=input_shape)``.

    Raises:
        JnetTypeError: ``input_tensor`` is not a ``KerasTensor``.
    """
    if input_tensor is None:
        return Input(shape=input_shape)
    if not backend.is_keras_tensor(input_tensor):
        raise errors.JnetTypeError(
            "`input_tensor` should be a symbolic tensor (a jnet.Input or a layer's output "
            f"on one); received {errors.describe(input_tensor)}."
        )
    return input_tensor


def model_inputs(input_tensor: Any, img_input: KerasTensor) -> Any:
    """The model's inputs: the ``Input`` tensors ``input_tensor`` was computed from (Keras's
    ``get_source_inputs``), or ``img_input``."""
    if input_tensor is None:
        return img_input
    sources: list[KerasTensor] = []
    seen: set[int] = set()
    stack = [input_tensor]
    while stack:
        t = stack.pop()
        if id(t) in seen:
            continue
        seen.add(id(t))
        parents = node_of(t).input_tensors if t._keras_history is not None else []
        if parents:
            stack.extend(reversed(parents))
        else:
            sources.append(t)
    return sources[0] if len(sources) == 1 else sources


def load_weights(
    model: Any,
    weights: Any,
    include_top: bool,
    top: WeightsFile | None,
    notop: WeightsFile | None,
) -> None:
    """Gives ``model`` its weights: none (``weights=None``), Keras's ImageNet file (fetched
    through ``get_file`` into ``~/.keras/models``), or the file at the path ``weights``.

    Args:
        model: the application's model.
        weights: None, ``'imagenet'`` or a path (``.h5``: Keras 2 legacy, read by layer name
            when the file has the model's names, else by position;
            ``.weights.h5``: Keras 3; or any file ``model.load_weights`` reads).
        include_top: which of ``top`` and ``notop`` the ImageNet weights are.
        top, notop: Keras's published files for the model with and without its top (None
            where Keras publishes none).

    Raises:
        JnetValueError: no ImageNet weights published for this configuration.
    """
    if weights is None:
        return
    if isinstance(weights, str) and weights == "imagenet":
        spec = top if include_top else notop
        if spec is None:
            raise errors.JnetValueError(
                f"Keras publishes no ImageNet weights for {model.name!r} with "
                f"include_top={include_top}; pass weights=None or a path."
            )
        path = get_file(spec.fname, spec.origin, cache_subdir="models", file_hash=spec.file_hash)
    else:
        path = os.fspath(weights)
    if _legacy_h5.is_legacy_h5_path(path):
        _legacy_h5.load_legacy_weights(model, path, by_name=None)
    else:
        model.load_weights(path)
