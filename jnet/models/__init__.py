"""Models: the ``Model`` training facade and the ``Sequential`` stack."""

from jnet.models.functional import Functional as Functional
from jnet.models.model import Model as Model
from jnet.models.sequential import Sequential as Sequential
from jnet.saving import load_model as load_model

__all__ = ["Functional", "Model", "Sequential", "load_model"]
