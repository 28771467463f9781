"""Random draws, as ``keras.random``: ``normal``, ``uniform``, ``randint``, ``truncated_normal``,
``dropout``, ``shuffle``, ``categorical``, ``gamma``, ``binomial``, ``beta`` and
``SeedGenerator``, with Keras's seed semantics (an int seed repeats, a ``SeedGenerator``
advances, ``None`` uses a global generator reset by ``jnet.utils.set_random_seed``).

jnet adds :func:`advance` (a generator's pure step) and ``SeedGenerator.scoped_state`` so that
compiled code carries the generator's state as an argument (``_seed``). The draws are in
``_draws``.

Example:
    >>> import jnet
    >>> gen = jnet.random.SeedGenerator(1337)
    >>> x = jnet.random.dropout(jnet.random.uniform((2, 2), seed=0), rate=0.5, seed=gen)
    >>> x.shape
    (2, 2)
"""

from jnet.random._draws import beta as beta
from jnet.random._draws import binomial as binomial
from jnet.random._draws import categorical as categorical
from jnet.random._draws import dropout as dropout
from jnet.random._draws import gamma as gamma
from jnet.random._draws import normal as normal
from jnet.random._draws import randint as randint
from jnet.random._draws import shuffle as shuffle
from jnet.random._draws import truncated_normal as truncated_normal
from jnet.random._draws import uniform as uniform
from jnet.random._seed import SeedGenerator as SeedGenerator
from jnet.random._seed import advance as advance

__all__ = [
    "SeedGenerator",
    "advance",
    "beta",
    "binomial",
    "categorical",
    "dropout",
    "gamma",
    "normal",
    "randint",
    "shuffle",
    "truncated_normal",
    "uniform",
]
