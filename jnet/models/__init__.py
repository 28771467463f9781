"""Models: the ``Model`` training facade and the ``Sequential`` stack.

Importing this package registers the model classes that saved files name (``Sequential``,
``Functional``, and ``Model``: Keras's class name for a functional model) in
:mod:`jnet.saving._classes`, which loading reads.
"""

from jnet.models.functional import Functional as Functional
from jnet.models.model import Model as Model
from jnet.models.sequential import Sequential as Sequential
from jnet.saving import load_model as load_model
from jnet.saving._classes import register_model_class

register_model_class("Sequential", Sequential)
register_model_class("Functional", Functional)
register_model_class("Model", Functional)  # a Keras "Model" config is a functional graph

__all__ = ["Functional", "Model", "Sequential", "load_model"]
