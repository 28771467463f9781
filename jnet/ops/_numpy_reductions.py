"""Keras's numpy reductions, statistics, sorting and searching (``keras.ops.numpy``).

The ops live in private modules, one concept each, and are re-exported here:

* :mod:`jnet.ops._reduce_basic`: sums, products, means, spreads, extrema, truth tests,
  counts and the positions of extrema;
* :mod:`jnet.ops._reduce_nan`: the NaN-ignoring reductions;
* :mod:`jnet.ops._cumulative`: running sums and products, differences, ``trapezoid``;
* :mod:`jnet.ops._statistics`: medians, quantiles, percentiles, ``corrcoef``;
* :mod:`jnet.ops._binning`: ``bincount``, ``histogram``, ``digitize``;
* :mod:`jnet.ops._sorting`: sorting, partitioning, searching, ``isin``, ``unique``,
  ``nonzero``.

Example:
    >>> from jnet.ops import _numpy_reductions as r
    >>> r.argmax(r.cumsum(r.sort([3, 1, 2]))).item()
    2
"""

from jnet.ops import _binning, _cumulative, _reduce_basic, _reduce_nan, _sorting, _statistics
from jnet.ops._binning import *  # noqa: F403
from jnet.ops._cumulative import *  # noqa: F403
from jnet.ops._reduce_basic import *  # noqa: F403
from jnet.ops._reduce_nan import *  # noqa: F403
from jnet.ops._sorting import *  # noqa: F403
from jnet.ops._statistics import *  # noqa: F403

__all__ = sorted([
    *_reduce_basic.__all__, *_reduce_nan.__all__, *_cumulative.__all__,
    *_statistics.__all__, *_binning.__all__, *_sorting.__all__,
])
