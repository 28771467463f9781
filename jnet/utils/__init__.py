"""Utilities: seeding, progress bars, labels and sequences, time-series windows, plots, and
Keras's custom-object registry (also in :mod:`jnet.saving`), and the batch packing of custom
steps.

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
from jnet.utils.config_dict import Config as Config
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
from jnet.utils.timeseries import timeseries_dataset_from_array as timeseries_dataset_from_array

__all__ = [
    "Config",
    "Sequence",
    "CustomObjectScope",
    "Progbar",
    "PyDataset",
    "custom_object_scope",
    "disable_interactive_logging",
    "enable_interactive_logging",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "is_interactive_logging_enabled",
    "normalize",
    "pack_x_y_sample_weight",
    "pad_sequences",
    "plot_history",
    "random",
    "register_keras_serializable",
    "set_random_seed",
    "timeseries_dataset_from_array",
    "to_categorical",
    "unpack_x_y_sample_weight",
]
