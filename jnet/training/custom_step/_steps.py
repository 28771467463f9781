"""The model's own hooks as jnet's pure steps, compiled and scanned like the built-in ones.

:func:`train_step` maps a ``TrainState`` to Keras's 4-tuple (trainable, non-trainable,
optimizer and metrics variables, each a flat list in Keras's order: see
:mod:`~jnet.training.custom_step._layout`), calls ``model.train_step(state, data)`` with a
:class:`~jnet.training.custom_step._context.StepContext` active, and maps the returned tuple
back; :func:`eval_step` does the same with ``test_step``. Both are pure: ``train_chunk`` and
``eval_chunk`` compile them once per input shape and scan them over the ``k`` batches of a
dispatch, exactly as :mod:`jnet.training.loop` does the built-in steps (the state donated, the
batches gathered on the device), and return the logs of the chunk's last step, which is what
Keras hands the callbacks.

Example:
    >>> flat_logs({"loss": 1.0, "compile_metrics": {"mae": 2.0}})
    {'loss': 1.0, 'mae': 2.0}
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from types import SimpleNamespace
from typing import Any

import jax
import jax.numpy as jnp

from jnet import errors
from jnet import random as jnet_random
from jnet.training import loop, steps
from jnet.training.custom_step import _context
from jnet.training.custom_step._hooks import split_metrics_variables
from jnet.training.custom_step._spec import layout_of
from jnet.training.state import TrainState
from jnet.utils.packing import pack_x_y_sample_weight

__all__ = ["eval_chunk", "eval_step", "flat_logs", "predict_forward", "train_chunk",
           "train_step"]


def flat_logs(logs: Any, owner: str = "train_step") -> dict[str, Any]:
    """A step's logs as one flat dict (nested dicts merged in, as Keras's
    ``pythonify_logs``)."""
    if not isinstance(logs, Mapping):
        raise errors.JnetTypeError(
            f"{owner} must return (logs, state) with logs a dict of metric values, received "
            f"logs of type {type(logs).__name__}."
        )
    out: dict[str, Any] = {}
    for key, value in logs.items():
        if isinstance(value, Mapping):
            out.update(flat_logs(value, owner))
        else:
            out[key] = value
    return out


def _data(batch: Any) -> Any:
    x, y, sample_weight = steps.unpack_batch(batch)
    return pack_x_y_sample_weight(x, y, sample_weight)


def _like(new: Any, old: Any) -> Any:
    """``new`` (a list of arrays) in the dtypes of ``old``'s leaves (a scan carries fixed
    types; a Python float or weakly typed value becomes the state's dtype)."""
    return [jnp.asarray(n).astype(jnp.result_type(o)) for n, o in zip(new, old, strict=True)]


def _returned(result: Any, size: int, owner: str) -> tuple[Any, Any]:
    if not (isinstance(result, tuple | list) and len(result) == 2):
        raise errors.JnetTypeError(
            f"{owner} must return (logs, state), received {type(result).__name__}."
        )
    logs, state = result
    if not (isinstance(state, tuple | list) and len(state) == size):
        raise errors.JnetTypeError(
            f"{owner} must return (logs, state) with state a tuple of {size} lists of "
            f"variables, as it received; received {type(state).__name__}"
            f"{f' of length {len(state)}' if isinstance(state, tuple | list) else ''}."
        )
    return flat_logs(logs, owner), state


@contextlib.contextmanager
def seeded(model: Any, step: Any) -> Iterator[None]:
    """Runs the block with each ``SeedGenerator`` held as an attribute of ``model`` drawing
    from its state folded with ``step`` (what Keras's ``keras.random.normal(...,
    seed=self.seed_generator)`` does in a JAX step, where the generator's state is a model
    variable): every step draws new numbers, the same ones for the same seed and step, and
    the generator's own state stays outside the trace."""
    with contextlib.ExitStack() as stack:
        for value in list(vars(model).values()):
            if isinstance(value, jnet_random.SeedGenerator):
                key = jax.random.fold_in(jnp.asarray(value.state, jnp.uint32), step)
                stack.enter_context(value.scoped_state(key))
        yield


def train_step(state: TrainState, batch: Any) -> tuple[TrainState, dict[str, Any]]:
    """One step of ``model.train_step`` (the model of ``state.spec``); pure."""
    spec = state.spec
    model = spec.model
    trainable, non_trainable = spec.layout.split(state.variables)
    opt_vars = jax.tree_util.tree_leaves(state.opt_state)
    metric_vars = jax.tree_util.tree_leaves(state.metric_states)
    context = _context.StepContext(spec, state, jax.random.fold_in(state.rng, state.step))
    with _context.active(context), seeded(model, state.step):
        logs, new = _returned(
            model.train_step((trainable, non_trainable, opt_vars, metric_vars), _data(batch)),
            4, f"{type(model).__name__}.train_step",
        )
    new_trainable, new_non_trainable, new_opt, new_metrics = (list(part) for part in new)
    variables = dict(spec.layout.join(
        _like(new_trainable, trainable), _like(new_non_trainable, non_trainable)
    ))
    params = variables.pop("params", {})
    new_state = state.replace(
        step=state.step + 1,
        params=params,
        model_state=variables,
        opt_state=jax.tree_util.tree_unflatten(
            jax.tree_util.tree_structure(state.opt_state), _like(new_opt, opt_vars)
        ),
        metric_states=_metric_states(state, _like(new_metrics, metric_vars)),
    )
    return new_state, logs


def eval_step(state: TrainState, batch: Any) -> tuple[TrainState, dict[str, Any]]:
    """One step of ``model.test_step``; pure. The metric states and the non-trainable
    variables it returns are kept (Keras's ``evaluate`` writes them back); the trainable
    ones are not."""
    spec = state.spec
    model = spec.model
    trainable, non_trainable = spec.layout.split(state.variables)
    metric_vars = jax.tree_util.tree_leaves(state.metric_states)
    with _context.active(_context.StepContext(spec, state)), seeded(model, state.step):
        logs, new = _returned(
            model.test_step((trainable, non_trainable, metric_vars), _data(batch)),
            3, f"{type(model).__name__}.test_step",
        )
    metric_states = _metric_states(state, _like(list(new[2]), metric_vars))
    variables = dict(spec.layout.join(trainable, _like(list(new[1]), non_trainable)))
    variables.pop("params", None)
    return state.replace(model_state=variables, metric_states=metric_states), logs


def _metric_states(state: TrainState, leaves: list[Any]) -> Any:
    treedef = jax.tree_util.tree_structure(state.metric_states)
    return jax.tree_util.tree_unflatten(treedef, leaves)


def compute_logs(state: TrainState) -> dict[str, Any]:
    """The results of ``model.metrics`` for the state's metric states (the logs of an epoch
    that ran no step)."""
    metrics = state.spec.model.metrics
    states = split_metrics_variables(metrics, jax.tree_util.tree_leaves(state.metric_states))
    logs: dict[str, Any] = {}
    for metric, metric_state in zip(metrics, states, strict=True):
        result = metric.compute(metric_state)
        logs.update(result if isinstance(result, dict) else {metric.name: result})
    return logs


# -- compiled chunks ------------------------------------------------------------------------------


def _scan(step: Callable, state: Any, data: Any, idx: jax.Array, valid: Any, sharding: Any):
    """``k = idx.shape[0]`` steps over the rows ``idx`` of ``data``: ``(state, logs of the
    last step run)``; from ``valid`` on, steps are padding (skipped)."""
    def run(carry, rows):
        return step(carry, loop._gather(data, rows, sharding))  # noqa: SLF001

    if idx.shape[0] == 1:
        return run(state, idx[0])
    if valid is None:
        state, logs = jax.lax.scan(run, state, idx)
        return state, jax.tree_util.tree_map(lambda a: a[-1], logs)
    shapes = jax.eval_shape(run, state, idx[0])[1]
    skipped = jax.tree_util.tree_map(lambda s: jnp.zeros(s.shape, s.dtype), shapes)

    def gated(carry, inputs):
        i, rows = inputs
        return jax.lax.cond(i < valid, lambda c: run(c, rows), lambda c: (c, skipped), carry)

    steps_ = jnp.arange(idx.shape[0], dtype=jnp.int32)
    state, logs = jax.lax.scan(gated, state, (steps_, idx))
    return state, jax.tree_util.tree_map(lambda a: a[valid - 1], logs)


def _train(state, data, idx, valid=None, sharding=None):
    state, logs = _scan(train_step, state, data, idx, valid, sharding)
    return loop._keep_placed(state, sharding), logs  # noqa: SLF001


def _eval(state, data, idx, valid=None, sharding=None):
    state, logs = _scan(eval_step, state, data, idx, valid, sharding)
    return loop._keep_placed(state, sharding), logs  # noqa: SLF001


# Bounded as the built-in chunks are (issue 24): the least recently used programs go.
_compiled_train = loop.BoundedJit(
    "custom_train_chunk", _train, loop.MAX_PROGRAMS, donate_argnums=0, static_argnames="sharding"
)
_compiled_eval = loop.BoundedJit(
    "custom_eval_chunk", _eval, loop.MAX_PROGRAMS, static_argnames="sharding"
)


def train_chunk(state: TrainState, data: Any, idx: Any, valid: Any = None):
    """:func:`jnet.training.loop.train_chunk` with the model's ``train_step``."""
    state, idx, valid, sharding = loop._distributed(  # noqa: SLF001
        state, data, idx, valid, state.spec.variable_prefix
    )
    return _compiled_train.call(
        state.spec, data, idx, valid, (state, data, idx, valid), sharding
    )


def eval_chunk(state: TrainState, data: Any, idx: Any, valid: Any = None):
    """:func:`jnet.training.loop.eval_chunk` with the model's ``test_step``."""
    state, idx, valid, sharding = loop._distributed(  # noqa: SLF001
        state, data, idx, valid, state.spec.variable_prefix
    )
    return _compiled_eval.call(
        state.spec, data, idx, valid, (state, data, idx, valid), sharding
    )


train_chunk._cache_size = _compiled_train.compiled_programs  # type: ignore[attr-defined]
eval_chunk._cache_size = _compiled_eval.compiled_programs  # type: ignore[attr-defined]


class _PredictForward:
    """A ``forward(params, model_state, x, training, rng)`` that runs ``model.predict_step``
    (what :func:`jnet.training.runner.predict` compiles); cached per model and variable
    structure, so it compiles once."""

    def __init__(self, model: Any, layout: Any):
        self.spec = SimpleNamespace(model=model, layout=layout, loss=None)

    def __call__(self, params, model_state, x, training=False, rng=None):
        model = self.spec.model
        trainable, non_trainable = self.spec.layout.split({"params": params, **model_state})
        with _context.active(_context.StepContext(self.spec)):
            result = model.predict_step((trainable, non_trainable), pack_x_y_sample_weight(x))
        if not (isinstance(result, tuple | list) and len(result) == 2):
            raise errors.JnetTypeError(
                f"{type(model).__name__}.predict_step must return (outputs, "
                f"non_trainable_variables), as Keras's JAX predict_step does; received "
                f"{type(result).__name__}."
            )
        variables = dict(self.spec.layout.join(trainable, list(result[1])))
        variables.pop("params", None)
        return result[0], None, variables


def predict_forward(model: Any) -> _PredictForward:
    """The predict-time forward of a model whose class overrides ``predict_step`` (cached
    on the model for its current variable structure)."""
    variables = model.variables
    key = jax.tree_util.tree_structure(variables)
    cached = model.__dict__.get("_jnet_predict_forward")
    if cached is None or cached[0] != key:
        cached = (key, _PredictForward(model, layout_of(model, variables)))
        model.__dict__["_jnet_predict_forward"] = cached
    return cached[1]
