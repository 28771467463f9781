"""``Discretization``: buckets numbers by bin boundaries (given, or learned with ``adapt``).

Keras's ``keras.layers.Discretization``: bucket ``i`` holds ``boundaries[i-1] <= x <
boundaries[i]`` (``numpy.digitize``), so ``len(bin_boundaries) + 1`` buckets; the ids are
int32 or are encoded (``'one_hot'``, ``'multi_hot'``, ``'count'``, float32) as
``CategoryEncoding`` does. ``adapt`` learns ``num_bins`` approximate quantiles on the host
with Keras's summary algorithm (``epsilon`` sets its precision), so the boundaries equal
Keras's.

Example:
    >>> import numpy as np, jnet
    >>> layer = jnet.layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])
    >>> layer(np.array([[-1.5, 1.0, 3.4, 0.5]], "float32")).tolist()
    [[0, 2, 3, 1]]
"""

from __future__ import annotations

from typing import Any

import flax.linen as nn
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet.layers.base import Layer
from jnet.layers.category_encoding import encode_categorical

__all__ = ["Discretization"]

_MODES = ("int", "one_hot", "multi_hot", "count")


class Discretization(Layer):
    """Maps numbers to the index of their bucket, as ``keras.layers.Discretization``.

    Args:
        bin_boundaries: sorted boundaries (a list of numbers), or None to learn ``num_bins``
            buckets with :meth:`adapt`.
        num_bins: the number of buckets :meth:`adapt` learns. Given with ``bin_boundaries``
            (an adapted layer's config, as Keras writes it), the boundaries are used and
            ``num_bins`` is kept for a later ``adapt``.
        epsilon: the precision of ``adapt``'s quantile summaries. Default 0.01.
        output_mode: ``'int'`` (default, int32 ids), ``'one_hot'``, ``'multi_hot'`` or
            ``'count'`` (float32 vectors of ``len(bin_boundaries) + 1``).
        sparse: must be False (sparse outputs exist on TensorFlow only).

    Example:
        >>> import numpy as np, jnet
        >>> layer = jnet.layers.Discretization(num_bins=4, epsilon=0.25)
        >>> layer.adapt(np.arange(1.0, 9.0))
        >>> layer.get_config()["bin_boundaries"]
        [2.0, 4.0, 6.0]
    """

    bin_boundaries: Any = None
    num_bins: Any = None
    epsilon: float = 0.01
    output_mode: str = "int"
    sparse: bool = False

    def __post_init__(self):
        if self.output_mode not in _MODES:
            raise errors.JnetValueError(
                f"Discretization: output_mode must be one of {list(_MODES)}, received "
                f"{self.output_mode!r}."
            )
        if self.sparse:
            raise errors.JnetValueError(
                "Discretization: sparse=True is not supported (sparse outputs exist on the "
                "TensorFlow backend only); received sparse=True."
            )
        if self.num_bins is not None and (
            isinstance(self.num_bins, bool) or not isinstance(self.num_bins, int | np.integer)
            or self.num_bins < 0
        ):
            raise errors.JnetValueError(
                f"Discretization: num_bins must be an integer >= 0, received {self.num_bins!r}."
            )
        if self.num_bins is None and self.bin_boundaries is None:
            raise errors.JnetValueError(
                "Discretization: set either num_bins (then call adapt) or bin_boundaries; "
                "received neither."
            )
        if self.bin_boundaries is not None:
            boundaries = tuple(_boundaries(self.bin_boundaries))
            object.__setattr__(self, "bin_boundaries", boundaries)
        super().__post_init__()

    # -- adapt (host side, Keras's quantile summaries) ---------------------------------------

    @nn.nowrap
    def adapt(self, data: Any, steps: int | None = None) -> None:
        """Learns ``num_bins`` bucket boundaries from ``data``'s approximate quantiles.

        Args:
            data: an array, or an iterable of arrays (batches).
            steps: with an iterable, the number of batches to read (default: all).
        """
        if self.num_bins is None:
            raise errors.JnetValueError(
                "Discretization: adapt() needs num_bins; this layer was built with "
                "bin_boundaries. Pass num_bins instead."
            )
        self.reset_state()
        if hasattr(data, "__iter__") and not hasattr(data, "shape") and not isinstance(
            data, list | tuple
        ):
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        else:
            self.update_state(data)
        self.finalize_state()

    @nn.nowrap
    def update_state(self, data: Any) -> None:
        """Adds one batch to the quantile summary."""
        data = np.asarray(data).astype("float32")
        summary = _summarize(data, self.epsilon)
        object.__setattr__(
            self, "_summary", _merge(summary, self._state_summary(), self.epsilon)
        )

    @nn.nowrap
    def finalize_state(self) -> None:
        """Sets ``bin_boundaries`` from the summary."""
        if self.num_bins is None:
            return
        boundaries = _compress(self._state_summary(), 1.0 / self.num_bins)[0, :-1]
        boundaries = tuple(float(b) for b in boundaries.tolist())
        object.__setattr__(self, "bin_boundaries", boundaries)

    @nn.nowrap
    def reset_state(self) -> None:
        """Forgets the adapted summary."""
        object.__setattr__(self, "_summary", np.array([[], []], dtype="float32"))

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        """Keras's config (``bin_boundaries`` as a list, the adapted ones once adapted)."""
        config = super().get_config()
        if self.bin_boundaries is not None:
            config["bin_boundaries"] = list(self.bin_boundaries)
        return config

    @nn.nowrap
    def _state_summary(self) -> np.ndarray:
        summary = self.__dict__.get("_summary")
        return np.array([[], []], dtype="float32") if summary is None else summary

    def __call__(self, inputs, training: bool = False):
        if self.bin_boundaries is None:
            raise errors.JnetValueError(
                "Discretization: pass bin_boundaries at construction or call adapt(data) "
                "before calling the layer; it has no bin boundaries yet."
            )
        inputs = jnp.asarray(inputs)
        boundaries = jnp.asarray(self.bin_boundaries, jnp.float32)
        if not jnp.issubdtype(inputs.dtype, jnp.floating):
            inputs = inputs.astype(jnp.float32)
        ids = jnp.searchsorted(boundaries, inputs.astype(boundaries.dtype), side="right")
        ids = ids.astype(jnp.int32)
        dtype = jnp.int32 if self.output_mode == "int" else jnp.float32
        return encode_categorical(ids, self.output_mode, len(self.bin_boundaries) + 1, dtype)


def _boundaries(value: Any) -> list[float]:
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        array = None
    if array is None or array.ndim != 1:
        raise errors.JnetValueError(
            f"Discretization: bin_boundaries must be a list of numbers, received "
            f"{errors.describe(value)}."
        )
    if np.any(np.diff(array) < 0):
        raise errors.JnetValueError(
            f"Discretization: bin_boundaries must be sorted in increasing order, received "
            f"{list(value)!r}."
        )
    return [float(v) for v in value]


def _summarize(values: np.ndarray, epsilon: float) -> np.ndarray:
    values = np.sort(np.reshape(values, [-1]))
    step = max(np.size(values) / (1.0 / epsilon), 1)
    boundaries = values[int(step - 1)::int(step)]
    return np.stack([boundaries, np.ones_like(boundaries) * step])


def _merge(previous: np.ndarray, following: np.ndarray, epsilon: float) -> np.ndarray:
    merged = np.concatenate((previous, following), axis=1)
    merged = np.take(merged, np.argsort(merged[0]), axis=1)
    return _compress(merged, epsilon)


def _compress(summary: np.ndarray, epsilon: float) -> np.ndarray:
    if summary.shape[1] * epsilon < 1:
        return summary
    percents = epsilon + np.arange(0.0, 1.0, epsilon)
    cum_weights = summary[1].cumsum()
    cum_percents = cum_weights / cum_weights[-1]
    new_bins = np.interp(percents, cum_percents, summary[0])
    cum_weights = np.interp(percents, cum_percents, cum_weights)
    new_weights = cum_weights - np.concatenate((np.array([0]), cum_weights[:-1]))
    return np.stack((new_bins, new_weights)).astype("float32")
