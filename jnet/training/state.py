"""``TrainState``: everything training changes, as one pytree.

The state holds the step count, the trainable ``params``, the non-trainable model state
(``model_state``, e.g. ``{'batch_stats': ...}``), the optimizer state (whose learning rate a
callback can change without recompiling), the metric states (loss tracker first), and a PRNG
key. What does not change — the forward function, the optax transformation, the loss and the
metrics — lives in a :class:`StepSpec` kept as a static field, so ``jax.jit`` sees only arrays.

Example:
    >>> import jax, jnet
    >>> model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(3,))])
    >>> state = jnet.training.TrainState.create(model, optimizer="sgd", loss="mse")
    >>> int(state.step)
    0
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import optax
from flax import struct

from jnet import errors
from jnet import losses as losses_module
from jnet import metrics as metrics_module
from jnet import optimizers as optimizers_module
from jnet.training import penalties
from jnet.training.outputs import (
    CompiledOutputs,
    compile_outputs,
    multi_output_names,
    single_output_loss_weight,
    single_output_metrics,
)
from jnet.utils import random as jrandom

Forward = Callable[..., tuple[Any, Any, Any]]


class StepSpec:
    """The static half of training: what to compute, not the values.

    Args:
        forward: ``forward(params, model_state, x, training, rng) -> (y_pred, logits,
            new_model_state)``; ``logits`` is the final layer's pre-activation when that
            activation is ``logits_activation``, else None.
        tx: the optax transformation.
        loss: a :class:`jnet.losses.Loss`; for a model with several outputs, the
            :class:`jnet.training.outputs.CompiledOutputs` (losses, weights and metrics per
            output; ``metrics`` is then ignored and the log keys are Keras's
            ``'<output>_<metric>'``).
        metrics: :class:`jnet.metrics.Metric` objects, in log order.
        logits_activation: ``'sigmoid'``, ``'softmax'`` or None: the model's output activation
            (several outputs: a list of those, in output order).
        optimizer: the Keras-style optimizer object ``tx`` came from, if any.
        output_shape: the model's output shape (batch axis None), for metrics whose state has
            one entry per class (``F1Score``, ``R2Score``, multi-label ``AUC``); several
            outputs: a tuple of shapes.
        trainable_mask: None when every parameter trains, else a pytree of Python bools
            matching ``params``: the train step zeroes the optimizer's updates where it is
            False (Keras's frozen layers, ``layer.trainable = False``).
        regularization: None, or ``params -> penalty`` (the trainable weights' regularizers),
            added to the loss (see :mod:`jnet.training.penalties`).
        constraints: None, or ``params -> params`` applied after each update.
        activity: whether some layer has an activity regularizer.
        loss_weight: one output's ``loss_weights`` factor, or None (not multiplied); several
            outputs keep theirs in ``loss``.
        forward_with_mask: None, or ``forward`` that also returns the output's Keras mask
            (``(y_pred, logits, new_model_state, output_mask)``, the mask None, or one per
            output, where no layer makes one): the steps then mask the loss and the metrics
            with it, as Keras does (:func:`jnet.training.steps.compute_loss`).
    """

    def __init__(
        self,
        forward: Forward,
        tx: optax.GradientTransformation,
        loss: Any,
        metrics: Sequence[Any] = (),
        logits_activation: str | None = None,
        optimizer: Any = None,
        output_shape: tuple[int | None, ...] | None = None,
        trainable_mask: Any = None,
        regularization: Any = None,
        constraints: Any = None,
        activity: bool = False,
        loss_weight: float | None = None,
        forward_with_mask: Callable[..., tuple[Any, Any, Any, Any]] | None = None,
    ):
        self.forward = forward
        self.forward_with_mask = forward_with_mask
        self.loss_weight = loss_weight
        self.tx = tx
        self.loss = loss
        self.outputs: CompiledOutputs | None = None
        if isinstance(loss, CompiledOutputs):  # several outputs
            self.outputs = loss
            metrics = [m.metric for m in loss.metrics]
        self.metrics = tuple(metrics)
        self.logits_activation = logits_activation
        self.optimizer = optimizer
        self.output_shape = output_shape
        self.trainable_mask = trainable_mask
        self.regularization = regularization
        self.constraints = constraints
        self.activity = activity

    #: What Keras's ``variable.path`` puts before each weight's ``'<layer>/<weight>'``
    #: (``'sequential/'``); a distribution's layout map matches the joined path.
    variable_prefix = ""

    @classmethod
    def for_model(
        cls, model: Any, optimizer: Any, loss: Any, metrics: Sequence[Any],
        loss_weight: float | None = None,
    ) -> StepSpec:
        """The spec of ``model`` trained with resolved optimizer, loss and metric objects."""
        spec = cls(
            forward=model.forward,
            forward_with_mask=getattr(model, "forward_with_mask", None),
            loss_weight=loss_weight,
            tx=optimizer.build(),
            loss=loss,
            metrics=metrics,
            logits_activation=model.logits_activation(),
            optimizer=optimizer,
            output_shape=_output_shape(model),
            trainable_mask=trainable_mask(model),
            regularization=penalties.regularization_fn(model),
            constraints=penalties.constraints_fn(model),
            activity=penalties.has_activity(model),
        )
        spec.variable_prefix = getattr(model, "variable_path_prefix", "")
        return spec

    def _init_metric(self, metric: Any, output_shape: Any = None) -> Any:
        output_shape = self.output_shape if output_shape is None else output_shape
        if output_shape is None or not hasattr(metric, "init_for"):
            return metric.init()
        example = np.zeros((1, *(1 if d is None else d for d in output_shape[1:])), np.float32)
        return metric.init_for(example, example)

    @property
    def metric_names(self) -> list[str]:
        """Log keys, in order: ``'loss'`` then each metric's name. Several outputs: Keras's
        ``evaluate`` order, ``'loss'``, the per-output losses, then the other keys sorted."""
        if self.outputs is not None:
            return list(self.outputs.log_order)
        return ["loss", *(m.name for m in self.metrics)]

    def init_metric_states(self) -> tuple[Any, ...]:
        """Fresh metric states: the loss tracker (total, count), then each metric's; several
        outputs: then one (total, count) tracker per output loss (``'<output>_loss'``)."""
        if self.outputs is not None:
            shapes = self.output_shape
            states = (
                (0.0, 0.0),
                *(
                    self._init_metric(m.metric, None if shapes is None else shapes[m.index])
                    for m in self.outputs.metrics
                ),
                *((0.0, 0.0) for _ in self.outputs.loss_keys),
            )
            return _fresh(states)
        states = ((0.0, 0.0), *(self._init_metric(m) for m in self.metrics))
        # Fresh buffers for every leaf: the train step donates its state, and XLA refuses to
        # donate one buffer twice.
        return _fresh(states)


@struct.dataclass
class TrainState:
    """The pytree a pure train step maps to its successor.

    Attributes:
        step: number of optimizer steps taken (int32 scalar).
        params: trainable variables, ``{layer_name: {...}}``.
        model_state: non-trainable collections, ``{'batch_stats': {layer_name: ...}}``.
        opt_state: the optax state.
        metric_states: loss tracker state then each metric's state.
        rng: PRNG key; step ``t`` uses ``fold_in(rng, t)`` for dropout and augmentation.
        spec: the static :class:`StepSpec`.
    """

    step: jax.Array
    params: Any
    model_state: Any
    opt_state: Any
    metric_states: Any
    rng: jax.Array
    spec: StepSpec = struct.field(pytree_node=False)

    @classmethod
    def create(
        cls,
        model: Any,
        optimizer: Any = "rmsprop",
        loss: Any = None,
        metrics: Sequence[Any] | None = None,
        variables: Any = None,
        rng: jax.Array | None = None,
        loss_weights: Any = None,
    ) -> TrainState:
        """Builds a state from a built jnet model and Keras-style compile arguments.

        Args:
            model: a jnet model whose input shape is known.
            optimizer: a name, a :class:`jnet.optimizers.Optimizer` or an optax transformation.
            loss: a name, a :class:`jnet.losses.Loss` or a callable ``(y_true, y_pred)``.
            metrics: a list of names, metric objects or callables.
            variables: the starting variables (default: the model's current ones).
            rng: the training PRNG key (default: drawn from jnet's global seed).
            loss_weights: the loss weights as ``compile`` takes them: per output (a list or a
                dict by output name) for a model with several outputs; one number (or a
                one-entry list or dict) multiplying the loss of a model with one.
        """
        if loss is None:
            raise errors.JnetValueError(
                "TrainState.create needs a loss, e.g. loss='mse' or "
                "loss=jnet.losses.BinaryCrossentropy()."
            )
        names = multi_output_names(model)
        if names is not None:
            spec = StepSpec.for_model(
                model,
                optimizers_module.get(optimizer),
                compile_outputs(loss, loss_weights, metrics, names),
                (),
            )
        else:
            spec = StepSpec.for_model(
                model,
                optimizers_module.get(optimizer),
                losses_module.resolve(loss),
                [metrics_module.resolve(m) for m in single_output_metrics(metrics)],
                loss_weight=single_output_loss_weight(loss_weights),
            )
        if variables is None:
            variables = model.variables
        return cls.from_variables(spec, variables, rng if rng is not None else jrandom.next_key())

    @classmethod
    def from_variables(cls, spec: StepSpec, variables: Any, rng: jax.Array) -> TrainState:
        """Builds a state from a :class:`StepSpec` and Flax-style variables."""
        # Copies: training donates the state's buffers, which must not be the caller's.
        variables = _fresh(dict(variables))
        params = variables.pop("params", {})
        return cls(
            step=jnp.zeros((), jnp.int32),
            params=params,
            model_state=variables,
            opt_state=_fresh(spec.tx.init(params)),
            metric_states=spec.init_metric_states(),
            rng=rng,
            spec=spec,
        )

    @property
    def variables(self) -> dict[str, Any]:
        """``{'params': ..., **model_state}``, the form ``model.apply`` takes."""
        return {"params": self.params, **self.model_state}

    def reset_metrics(self) -> TrainState:
        """The same state with fresh metric states (Keras resets them every epoch)."""
        return self.replace(metric_states=_init_metric_states(self.spec))


@partial(jax.jit, static_argnums=0)
def _init_metric_states(spec: StepSpec) -> tuple[Any, ...]:
    # One dispatch per epoch instead of an eager op per state leaf: for a tiny model (500
    # one-batch epochs) the eager ops took longer than the training.
    return spec.init_metric_states()


def trainable_mask(model: Any) -> Any:
    """The :class:`StepSpec` ``trainable_mask`` of a built ``model``: a pytree of bools matching
    its params, False for the weights of frozen layers (nested models nest), or None when
    every weight trains (or the model is not built yet).

    Example:
        >>> import jnet
        >>> model = jnet.Sequential([jnet.layers.Dense(2, input_shape=(3,)),
        ...                          jnet.layers.Dense(1)])
        >>> trainable_mask(model) is None
        True
        >>> model.layers[0].trainable = False
        >>> trainable_mask(model)["dense"]
        {'bias': False, 'kernel': False}
    """
    try:
        params = model.variables.get("params", {})
    except (errors.JnetError, AttributeError, NotImplementedError):
        return None
    mask = _mask_for(model, params, bool(getattr(model, "trainable", True)))
    return None if all(jax.tree_util.tree_leaves(mask)) else mask


def _mask_for(model: Any, params: Any, trainable: bool) -> dict[str, Any]:
    layers = {getattr(layer, "name", None): layer for layer in getattr(model, "layers", [])}
    mask = {}
    for name, tree in params.items():
        layer = layers.get(name)
        flag = trainable and bool(getattr(layer, "trainable", True))
        if layer is not None and hasattr(layer, "layers") and hasattr(layer, "forward"):
            mask[name] = _mask_for(layer, tree, flag)  # a nested model
        else:
            mask[name] = jax.tree_util.tree_map(lambda _, f=flag: f, tree)
    return mask


def _output_shape(model: Any) -> tuple[int | None, ...] | None:
    try:
        shape = model.output_shape
        if isinstance(shape, list):  # several outputs
            return tuple(tuple(s) for s in shape)
        return tuple(shape)
    except (errors.JnetError, AttributeError, TypeError):  # not built yet: metrics use init()
        return None


def _fresh(tree: Any) -> Any:
    """A copy of ``tree`` with a distinct device buffer per leaf (Python floats -> float32)."""

    def copy(leaf):
        dtype = getattr(leaf, "dtype", jnp.float32)
        return jnp.array(leaf, dtype=dtype, copy=True)

    return jax.tree_util.tree_map(copy, tree)
