"""Keras's ``keras.preprocessing`` namespace: the dataset builders of :mod:`jnet.utils` and the
``image`` (``load_img``, ``img_to_array``...) and ``sequence`` (``pad_sequences``) submodules.
Re-exports only.

Example:
    >>> from jnet.preprocessing import image, sequence
    >>> sequence.pad_sequences([[1, 2], [3]]).tolist()
    [[1, 2], [0, 3]]
    >>> image.img_to_array(np.zeros((2, 2), np.uint8)).shape
    (2, 2, 1)
"""

from jnet.preprocessing import image as image
from jnet.preprocessing import sequence as sequence
from jnet.utils.image_dataset import image_dataset_from_directory as image_dataset_from_directory
from jnet.utils.text_dataset import text_dataset_from_directory as text_dataset_from_directory
from jnet.utils.timeseries import timeseries_dataset_from_array as timeseries_dataset_from_array

__all__ = [
    "image",
    "image_dataset_from_directory",
    "sequence",
    "text_dataset_from_directory",
    "timeseries_dataset_from_array",
]
