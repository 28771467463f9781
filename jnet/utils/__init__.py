"""Utilities: seeding, progress bars (more come with later issues)."""

from jnet.utils import random as random
from jnet.utils.progbar import Progbar as Progbar
from jnet.utils.random import set_random_seed as set_random_seed

__all__ = ["Progbar", "random", "set_random_seed"]
