"""Models: the ``Model`` training facade and the ``Sequential`` stack; ``clone_model``,
``model_from_json``, ``load_model`` and ``save_model``.

Importing this package registers the model classes that saved files name (``Sequential``,
``Functional``, and ``Model``: Keras's class name for a functional model) in
:mod:`jnet.saving._classes`, which loading reads.
"""

from jnet.models.cloning import clone_model as clone_model
from jnet.models.functional import Functional as Functional
from jnet.models.model import Model as Model
from jnet.models.sequential import Sequential as Sequential
from jnet.saving import load_model as load_model
from jnet.saving import save_model as save_model
from jnet.saving._classes import register_model_class
from jnet.saving._serialization_lib import model_from_json as model_from_json

register_model_class("Sequential", Sequential)
register_model_class("Functional", Functional)
register_model_class("Model", Functional)  # a Keras "Model" config is a functional graph

__all__ = [
    "Functional",
    "Model",
    "Sequential",
    "clone_model",
    "load_model",
    "model_from_json",
    "save_model",
]
