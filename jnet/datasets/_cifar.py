"""What CIFAR-10 and CIFAR-100 share: the cached archive and the image layout."""

from __future__ import annotations

import os

import numpy as np

from jnet import config
from jnet.utils.file_utils import get_file


def batches_folder(dirname: str, origin: str, file_hash: str, inner: str) -> str:
    """The extracted archive's batch folder (Keras's cache names: ``<dirname>_archive`` and
    ``<dirname>/<inner>``)."""
    return os.path.join(get_file(fname=dirname, origin=origin, extract=True,
                                 file_hash=file_hash), inner)


def to_image_layout(images: np.ndarray) -> np.ndarray:
    """CIFAR's ``(N, 3, 32, 32)`` images in ``jnet.config.image_data_format()``'s layout."""
    if config.image_data_format() == "channels_last":
        return images.transpose(0, 2, 3, 1)
    return images
