"""Layer wrappers: ``Bidirectional`` (an RNN run both ways) and ``TimeDistributed``.

Example:
    >>> import jnet
    >>> from jnet.layers.recurrent import LSTM
    >>> model = jnet.Sequential([jnet.layers.Input((5, 3)), Bidirectional(LSTM(4))])
    >>> model.output_shape, model.count_params()
    ((None, 8), 256)
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import flax.linen as nn
import jax.numpy as jnp

from jnet import dtype_policies, errors
from jnet.layers._rnn_base import RNNBase
from jnet.layers.base import Layer, WeightPath

__all__ = ["Bidirectional", "TimeDistributed"]

_MERGE_MODES = ("concat", "sum", "mul", "ave", None)


def _snake_case(name: str) -> str:
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def _prefixed(paths: tuple[WeightPath, ...], prefix: str) -> list[WeightPath]:
    """``(collection, *path)`` -> ``(collection, prefix, *path)``."""
    return [(p[0], prefix, *p[1:]) for p in paths]


class Bidirectional(Layer):
    """Runs a recurrent layer forwards and a copy backwards, and merges the two outputs.

    The backward copy runs with ``go_backwards=True``; when ``return_sequences`` its output
    sequence is reversed back so that step t of both halves refers to input step t. Weights
    are the forward layer's then the backward layer's (Keras's order), in sub-layers named
    ``forward_<layer>`` and ``backward_<layer>``. A mask (from ``Embedding(mask_zero=True)``)
    is passed to both; masked steps of returned sequences are zeros, as Keras.

    Args:
        layer: a ``SimpleRNN``, ``LSTM`` or ``GRU`` instance (its weights are not shared: the
            forward and backward copies have their own).
        merge_mode: ``'concat'`` (default), ``'sum'``, ``'mul'``, ``'ave'``, or None to return
            both outputs as a tuple (only in a direct call; a Sequential needs one output).
        weights: only None (use ``set_weights``).
        backward_layer: optional recurrent layer to use for the backward direction (it must
            have the opposite ``go_backwards`` and the same ``return_sequences`` and
            ``return_state`` as ``layer``).

    Example:
        >>> import jax, jax.numpy as jnp
        >>> from jnet.layers.recurrent import GRU
        >>> layer = Bidirectional(GRU(2, return_sequences=True), merge_mode="sum")
        >>> variables = layer.init(jax.random.key(0), jnp.ones((1, 4, 3)))
        >>> layer.apply(variables, jnp.ones((3, 4, 3))).shape
        (3, 4, 2)
    """

    layer: Any
    merge_mode: Any = "concat"
    weights: Any = None
    backward_layer: Any = None

    ACCEPTS_MASK: ClassVar[bool] = True
    SUPPORTS_MASKING: ClassVar[bool] = True

    def __post_init__(self):
        if not isinstance(self.layer, RNNBase):
            raise errors.JnetValueError(
                f"Bidirectional: layer must be a recurrent layer (SimpleRNN, LSTM or GRU), "
                f"received {errors.describe(self.layer)}."
            )
        if self.backward_layer is not None:
            if not isinstance(self.backward_layer, RNNBase):
                raise errors.JnetValueError(
                    f"Bidirectional: backward_layer must be a recurrent layer (SimpleRNN, "
                    f"LSTM or GRU) or None, received {errors.describe(self.backward_layer)}."
                )
            if self.backward_layer.go_backwards == self.layer.go_backwards:
                raise errors.JnetValueError(
                    f"Bidirectional: the forward and backward layers must have different "
                    f"go_backwards values, both have go_backwards={self.layer.go_backwards}."
                )
            for attr in ("return_sequences", "return_state"):
                a, b = getattr(self.layer, attr), getattr(self.backward_layer, attr)
                if a != b:
                    raise errors.JnetValueError(
                        f"Bidirectional: the forward and backward layers must have the same "
                        f"{attr}, received {a} (forward) and {b} (backward)."
                    )
        if not (self.merge_mode is None or isinstance(self.merge_mode, str)) or (
            self.merge_mode not in _MERGE_MODES
        ):
            raise errors.JnetValueError(
                f"Bidirectional: merge_mode must be one of 'concat', 'sum', 'mul', 'ave' or "
                f"None, received {self.merge_mode!r}."
            )
        if self.weights is not None:
            raise errors.JnetValueError(
                "Bidirectional: weights= is not supported; build the model and call "
                "layer.set_weights([...]) instead."
            )
        super().__post_init__()

    # -- Keras's view ---------------------------------------------------------------------

    @nn.nowrap
    def _names(self) -> tuple[str, str]:
        fwd = _snake_case(type(self.layer).__name__)
        bwd_layer = self.backward_layer if self.backward_layer is not None else self.layer
        return f"forward_{fwd}", f"backward_{_snake_case(type(bwd_layer).__name__)}"

    @nn.nowrap
    def _penalty_rules(self, which: int) -> list[tuple[WeightPath, Any]]:
        # The wrapped layers' regularizers/constraints, under their own parameter names.
        fname, bname = self._names()
        bwd = self.backward_layer if self.backward_layer is not None else self.layer
        return [((fname, *p), r) for p, r in self.layer._penalty_rules(which)] + [
            ((bname, *p), r) for p, r in bwd._penalty_rules(which)
        ]

    @nn.nowrap
    def weight_paths(self, variables) -> list[WeightPath]:
        fname, bname = self._names()
        bwd = self.backward_layer if self.backward_layer is not None else self.layer
        fwd_vars = {c: t[fname] for c, t in variables.items() if fname in t}
        bwd_vars = {c: t[bname] for c, t in variables.items() if bname in t}
        return _prefixed(tuple(self.layer.weight_paths(fwd_vars)), fname) + _prefixed(
            tuple(bwd.weight_paths(bwd_vars)), bname
        )

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        config: dict[str, Any] = {"name": self.name, "trainable": self.trainable,
                                  "dtype": dtype_policies.serialize(self.dtype_policy)}
        config["merge_mode"] = self.merge_mode
        config["layer"] = {"class_name": type(self.layer).__name__,
                           "config": self.layer.get_config()}
        if self.backward_layer is not None:
            config["backward_layer"] = {"class_name": type(self.backward_layer).__name__,
                                        "config": self.backward_layer.get_config()}
        shape = self.declared_input_shape()
        if shape is not None:
            config["input_shape"] = shape
        return config

    @nn.nowrap
    def declared_input_shape(self):
        return super().declared_input_shape() or self.layer.declared_input_shape()

    @nn.nowrap
    def compute_mask(self, inputs: Any, mask: Any) -> Any:
        """The input mask when the layer returns sequences, else None (as Keras)."""
        return mask if self.layer.return_sequences else None

    @nn.nowrap
    def check_in_sequential(self) -> None:
        if self.merge_mode is None:
            raise errors.JnetValueError(
                "Bidirectional(merge_mode=None) returns two outputs (forward, backward), which "
                "a Sequential model cannot pass on. Use merge_mode='concat', 'sum', 'mul' or "
                "'ave', or call the layer directly."
            )
        self.layer.check_in_sequential()

    # -- the computation ----------------------------------------------------------------

    @nn.compact
    def __call__(self, inputs, training: bool = False, mask=None, initial_state=None):
        fname, bname = self._names()
        return_sequences = self.layer.return_sequences
        # Keras forces zero_output_for_mask = return_sequences on both directions.
        forward = self.layer.clone(
            parent=self, name=fname, zero_output_for_mask=return_sequences
        )
        if self.backward_layer is None:
            backward = self.layer.clone(
                parent=self, name=bname, go_backwards=not self.layer.go_backwards,
                zero_output_for_mask=return_sequences,
            )
        else:
            backward = self.backward_layer.clone(
                parent=self, name=bname, zero_output_for_mask=return_sequences
            )
        f_state = b_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            f_state, b_state = list(initial_state[:half]), list(initial_state[half:])
        y = forward(inputs, training=training, mask=mask, initial_state=f_state)
        y_rev = backward(inputs, training=training, mask=mask, initial_state=b_state)
        states: tuple = ()
        if self.layer.return_state:
            states = (*y[1:], *y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if return_sequences:
            y_rev = jnp.flip(y_rev, axis=1)
        if self.merge_mode == "concat":
            output = jnp.concatenate([y, y_rev], axis=-1)
        elif self.merge_mode == "sum":
            output = y + y_rev
        elif self.merge_mode == "ave":
            output = (y + y_rev) / 2
        elif self.merge_mode == "mul":
            output = y * y_rev
        else:
            output = (y, y_rev)
        if self.layer.return_state:
            return (*output, *states) if self.merge_mode is None else (output, *states)
        return output


class TimeDistributed(Layer):
    """Applies a layer to every temporal slice of its input.

    Inputs ``(batch, timesteps, ...)`` are reshaped to ``(batch * timesteps, ...)``, passed
    through ``layer``, and reshaped back, so the weights (the inner layer's, shared by every
    timestep) and the numbers are those of Keras's per-step loop. A mask passes through.

    Args:
        layer: the jnet layer to apply at each timestep (e.g. ``Dense(8)``).

    Example:
        >>> import jax, jax.numpy as jnp
        >>> from jnet.layers import Dense
        >>> layer = TimeDistributed(Dense(2))
        >>> variables = layer.init(jax.random.key(0), jnp.ones((1, 5, 3)))
        >>> layer.apply(variables, jnp.ones((4, 5, 3))).shape
        (4, 5, 2)
    """

    layer: Any

    ACCEPTS_MASK: ClassVar[bool] = True
    SUPPORTS_MASKING: ClassVar[bool] = True

    def __post_init__(self):
        if not isinstance(self.layer, Layer):
            raise errors.JnetValueError(
                f"TimeDistributed: layer must be a jnet layer, received "
                f"{errors.describe(self.layer)}."
            )
        super().__post_init__()

    @nn.nowrap
    def _penalty_rules(self, which: int) -> list[tuple[WeightPath, Any]]:
        # The wrapped layer's regularizers/constraints, under its parameter name.
        return [(("layer", *p), r) for p, r in self.layer._penalty_rules(which)]

    @nn.nowrap
    def weight_paths(self, variables) -> list[WeightPath]:
        inner = {c: t["layer"] for c, t in variables.items() if "layer" in t}
        return _prefixed(tuple(self.layer.weight_paths(inner)), "layer")

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        config: dict[str, Any] = {"name": self.name, "trainable": self.trainable,
                                  "dtype": dtype_policies.serialize(self.dtype_policy)}
        config["layer"] = {"class_name": type(self.layer).__name__,
                           "config": self.layer.get_config()}
        return config

    @nn.nowrap
    def declared_input_shape(self):
        return super().declared_input_shape()

    @nn.compact
    def __call__(self, inputs, training: bool = False, mask=None):
        inputs = jnp.asarray(inputs)
        if inputs.ndim < 3:
            raise errors.JnetValueError(
                f"TimeDistributed expects inputs of rank >= 3 (batch, timesteps, ...), "
                f"received shape {tuple(inputs.shape)}."
            )
        batch, steps = inputs.shape[:2]
        flat = inputs.reshape((batch * steps, *inputs.shape[2:]))
        out = self.layer(flat, training=training)
        return out.reshape((batch, steps, *out.shape[1:]))
