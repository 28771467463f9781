"""Keras's layers as Flax linen modules (``jnet.layers.Dense``, ...)."""

from jnet.layers.base import Layer as Layer
from jnet.layers.core import Activation as Activation
from jnet.layers.core import Dense as Dense
from jnet.layers.core import Identity as Identity
from jnet.layers.input import Input as Input
from jnet.layers.input import InputLayer as InputLayer
from jnet.layers.input import KerasTensor as KerasTensor

__all__ = ["Activation", "Dense", "Identity", "Input", "InputLayer", "KerasTensor", "Layer"]
