"""Models: the ``Model`` training facade and the ``Sequential`` stack."""

from jnet.models.model import Model as Model
from jnet.models.sequential import Sequential as Sequential

__all__ = ["Model", "Sequential"]
