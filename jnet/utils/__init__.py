"""Utilities: downloads into Keras's cache (``get_file``), seeding, progress bars, labels and
sequences, time-series windows, plots, Keras's custom-object registry (also in
:mod:`jnet.saving`), the batch packing of custom steps, image loading (``load_img``...),
datasets from folders of images, texts and audio, ``split_dataset``, and jnet's
:class:`Dataset` (what those return without TensorFlow).

Keras's ``clear_session``, ``is_keras_tensor``, ``standardize_dtype``, ``get_source_inputs``,
``plot_model`` and ``model_to_dot`` are here too, but their code needs floors above this one
(:mod:`jnet.backend`, :mod:`jnet.symbolic`, :mod:`jnet.models`): the package face puts them on
this namespace (``import jnet`` always runs it first)."""

from jnet.config import disable_interactive_logging as disable_interactive_logging
from jnet.config import enable_interactive_logging as enable_interactive_logging
from jnet.config import is_interactive_logging_enabled as is_interactive_logging_enabled
from jnet.utils import random as random
from jnet.utils._object_registration import CustomObjectScope as CustomObjectScope
from jnet.utils._object_registration import custom_object_scope as custom_object_scope
from jnet.utils._object_registration import get_custom_objects as get_custom_objects
from jnet.utils._object_registration import get_registered_name as get_registered_name
from jnet.utils._object_registration import get_registered_object as get_registered_object
from jnet.utils._object_registration import (
    register_keras_serializable as register_keras_serializable,
)
from jnet.utils.audio_dataset import audio_dataset_from_directory as audio_dataset_from_directory
from jnet.utils.config_dict import Config as Config
from jnet.utils.dataset import Dataset as Dataset
from jnet.utils.dataset_split import split_dataset as split_dataset
from jnet.utils.file_utils import get_file as get_file
from jnet.utils.image_dataset import image_dataset_from_directory as image_dataset_from_directory
from jnet.utils.image_utils import array_to_img as array_to_img
from jnet.utils.image_utils import img_to_array as img_to_array
from jnet.utils.image_utils import load_img as load_img
from jnet.utils.image_utils import save_img as save_img
from jnet.utils.numerical import normalize as normalize
from jnet.utils.numerical import to_categorical as to_categorical
from jnet.utils.packing import pack_x_y_sample_weight as pack_x_y_sample_weight
from jnet.utils.packing import unpack_x_y_sample_weight as unpack_x_y_sample_weight
from jnet.utils.plotting import plot_history as plot_history
from jnet.utils.progbar import Progbar as Progbar
from jnet.utils.py_dataset import PyDataset as PyDataset
from jnet.utils.py_dataset import PyDataset as Sequence  # Keras's alias
from jnet.utils.random import set_random_seed as set_random_seed
from jnet.utils.sequence import pad_sequences as pad_sequences
from jnet.utils.text_dataset import text_dataset_from_directory as text_dataset_from_directory
from jnet.utils.timeseries import timeseries_dataset_from_array as timeseries_dataset_from_array

__all__ = [
    "Config",
    "Sequence",
    "CustomObjectScope",
    "Dataset",
    "Progbar",
    "PyDataset",
    "array_to_img",
    "audio_dataset_from_directory",
    "custom_object_scope",
    "disable_interactive_logging",
    "enable_interactive_logging",
    "get_custom_objects",
    "get_file",
    "get_registered_name",
    "get_registered_object",
    "image_dataset_from_directory",
    "img_to_array",
    "is_interactive_logging_enabled",
    "load_img",
    "normalize",
    "pack_x_y_sample_weight",
    "pad_sequences",
    "plot_history",
    "random",
    "register_keras_serializable",
    "save_img",
    "set_random_seed",
    "split_dataset",
    "text_dataset_from_directory",
    "timeseries_dataset_from_array",
    "to_categorical",
    "unpack_x_y_sample_weight",
]
