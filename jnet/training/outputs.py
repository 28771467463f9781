"""Losses, loss weights and metrics per output: Keras 3's ``CompileLoss``/``CompileMetrics``.

A model with several outputs (``model.output_names`` has more than one name) takes, in
``compile``:

* ``loss``: one loss (applied to every output), a list (one per output, in output order,
  None for no loss), or a dict by output name (outputs missing from it get no loss);
* ``loss_weights``: a list or a dict by output name (default 1.0 for each); the total loss is
  the sum of the weighted per-output losses;
* ``metrics``: a list with one entry per output, or a dict by output name; each entry a
  metric or a list of metrics (None for none). A flat list whose length is not the number of
  outputs is an error, as in Keras (it cannot say which output a metric is for).

Everything is resolved once, here, into :class:`OutputLoss` and :class:`OutputMetric` tuples
that name the output by its position; the log keys are Keras's: ``'<output>_loss'`` for each
output's unweighted loss (only when more than one output has a loss), ``'<output>_<metric>'``
for metrics, with ``_1``, ``_2`` ... on repeated names.

Example:
    >>> compiled = compile_outputs(
    ...     ["sparse_categorical_crossentropy", "mse"], {"value": 0.5},
    ...     {"class": "accuracy", "value": ["mae"]}, ["class", "value"])
    >>> [(o.index, o.weight) for o in compiled.losses], compiled.metric_keys
    ([(0, None), (1, 0.5)], ('class_accuracy', 'value_mae'))
    >>> compiled.log_order
    ('loss', 'class_loss', 'value_loss', 'class_accuracy', 'value_mae')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from jnet import errors
from jnet import losses as losses_module
from jnet import metrics as metrics_module

__all__ = [
    "CompiledOutputs",
    "OutputLoss",
    "OutputMetric",
    "by_output",
    "compile_outputs",
    "flatten_outputs",
    "multi_input_names",
    "multi_output_names",
    "single_output_loss_weight",
    "single_output_metrics",
    "sole_entry",
]


class OutputLoss(NamedTuple):
    """One output's compiled loss.

    Attributes:
        index: the output's position in ``output_names``.
        name: the output's name; its loss logs as ``f'{name}_loss'``.
        loss: the resolved :class:`jnet.losses.Loss`.
        weight: its ``loss_weights`` entry, or None (1.0, not multiplied).
    """

    index: int
    name: str
    loss: Any
    weight: float | None


class OutputMetric(NamedTuple):
    """One compiled metric of one output.

    Attributes:
        index: the output's position in ``output_names``.
        key: the log key (``'class_accuracy'``).
        metric: the resolved :class:`jnet.metrics.Metric`.
    """

    index: int
    key: str
    metric: Any


class CompiledOutputs(NamedTuple):
    """``compile``'s arguments resolved for a model with several outputs.

    Attributes:
        output_names: the model's output names, in output order.
        losses: the outputs that have a loss, in output order.
        metrics: the compiled metrics, output by output.
    """

    output_names: tuple[str, ...]
    losses: tuple[OutputLoss, ...]
    metrics: tuple[OutputMetric, ...]

    @property
    def loss_keys(self) -> tuple[str, ...]:
        """Per-output loss log keys: Keras tracks them only when several outputs have a loss."""
        if len(self.losses) <= 1:
            return ()
        return tuple(f"{o.name}_loss" for o in self.losses)

    @property
    def metric_keys(self) -> tuple[str, ...]:
        """Metric log keys, in compile order."""
        return tuple(m.key for m in self.metrics)

    @property
    def log_order(self) -> tuple[str, ...]:
        """Keras's ``evaluate`` list order: ``'loss'``, the per-output losses, then the other
        keys sorted (Keras's ``_flatten_metrics_in_order``)."""
        return ("loss", *self.loss_keys, *sorted(self.metric_keys))


def by_output(
    value: Any, output_names: Sequence[str], argument: str, *, data: bool = False
) -> list[tuple[Any, str]]:
    """``value`` given per output, a list/tuple in output order or a dict by output name, as
    ``[(entry, label), ...]`` in output order; ``label`` names the entry in messages
    (``"y['a']"``, ``'y[0]'``; missing dict keys give None).

    ``compile``'s arguments (``data=False``) may also be one entry for every output; data
    (``y``, ``sample_weight``: ``data=True``) must come as one array per output.

    Example:
        >>> by_output({"b": 2}, ["a", "b"], "loss")
        [(None, "loss['a']"), (2, "loss['b']")]
        >>> [entry for entry, _ in by_output("mse", ["a", "b"], "loss")]
        ['mse', 'mse']
    """
    names = list(output_names)
    if isinstance(value, Mapping):
        unknown = [k for k in value if k not in names]
        if unknown:
            raise errors.JnetValueError(
                f"{argument} has keys {unknown} that are not output names of the model; its "
                f"outputs are {names}."
            )
        return [(value.get(name), f"{argument}[{name!r}]") for name in names]
    if isinstance(value, list | tuple):
        if len(value) != len(names) and data:
            raise errors.JnetValueError(
                f"{argument} must have one array per output: the model has {len(names)} "
                f"outputs {names}, received a {type(value).__name__} of {len(value)}."
            )
        if len(value) != len(names):
            raise errors.JnetValueError(
                f"{argument} must have one entry per output: the model has {len(names)} "
                f"outputs {names}, received a list of {len(value)}: {value!r}. Pass a list of "
                f"{len(names)} entries (None for none) or a dict by output name."
            )
        return [(v, f"{argument}[{i}]") for i, v in enumerate(value)]
    if data:
        raise errors.JnetValueError(
            f"The model has {len(names)} outputs {names}: {argument} must be a list of "
            f"{len(names)} arrays (in that order) or a dict by output name, received "
            f"{errors.describe(value)}."
        )
    return [(value, argument)] * len(names)


def sole_entry(value: Any) -> Any:
    """A one-entry list or dict given for a one-output model (``loss={'out': 'mse'}``).

    Example:
        >>> sole_entry({"out": "mse"}), sole_entry("mse")
        ('mse', 'mse')
    """
    if isinstance(value, Mapping | list | tuple) and len(value) == 1:
        return next(iter(value.values())) if isinstance(value, Mapping) else value[0]
    return value


def _weight(value: Any, argument: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        try:
            return float(value)
        except (TypeError, ValueError):
            raise errors.JnetTypeError(
                f"{argument} entries must be numbers, received {errors.describe(value)}."
            ) from None
    return float(value)


def _metric_entries(entry: Any) -> list[Any]:
    if entry is None:
        return []
    if isinstance(entry, list | tuple):
        return [m for m in entry if m is not None]
    return [entry]


def compile_outputs(
    loss: Any, loss_weights: Any, metrics: Any, output_names: Sequence[str]
) -> CompiledOutputs:
    """Resolves ``compile``'s ``loss``, ``loss_weights`` and ``metrics`` per output.

    Args:
        loss: one loss for every output, a list per output, or a dict by output name.
        loss_weights: None, one number (for every output), a list per output, or a dict.
        metrics: None, a list with one entry per output, or a dict by output name; an entry
            is a metric, a list of metrics, or None.
        output_names: the model's output names, in output order.

    Returns:
        A :class:`CompiledOutputs`.

    Raises:
        JnetValueError: a list of the wrong length, a key that is not an output name, or no
            output with a loss.

    Example:
        >>> c = compile_outputs("mse", None, None, ["a", "b"])
        >>> [o.name for o in c.losses], c.loss_keys
        (['a', 'b'], ('a_loss', 'b_loss'))
    """
    names = tuple(output_names)
    if loss is None:
        raise errors.JnetValueError(
            f"compile() needs a loss, e.g. loss='mse' for every output, or one per output "
            f"as a list or a dict by output name {list(names)}."
        )
    per_output_loss = [entry for entry, _ in by_output(loss, names, "loss")]
    if loss_weights is None or isinstance(loss_weights, int | float) and not isinstance(
        loss_weights, bool
    ):
        per_output_weight = [loss_weights] * len(names)
    elif isinstance(loss_weights, Mapping | list | tuple):
        per_output_weight = [w for w, _ in by_output(loss_weights, names, "loss_weights")]
    else:
        raise errors.JnetTypeError(
            f"loss_weights must be a number, a list (one per output) or a dict by output "
            f"name, received {errors.describe(loss_weights)}."
        )
    losses = tuple(
        OutputLoss(i, name, losses_module.resolve(entry), _weight(w, "loss_weights"))
        for i, (name, entry, w) in enumerate(
            zip(names, per_output_loss, per_output_weight, strict=True)
        )
        if entry is not None
    )
    if not losses:
        raise errors.JnetValueError(
            f"compile() received no loss for any output of {list(names)}; give at least one."
        )
    return CompiledOutputs(names, losses, _compile_metrics(metrics, names))


def _compile_metrics(metrics: Any, names: tuple[str, ...]) -> tuple[OutputMetric, ...]:
    if not metrics:
        return ()
    if not isinstance(metrics, Mapping | list | tuple):
        raise errors.JnetTypeError(
            f"metrics must be a list (one entry per output) or a dict by output name, "
            f"received {errors.describe(metrics)}."
        )
    if isinstance(metrics, list | tuple) and len(metrics) != len(names):
        raise errors.JnetValueError(
            f"Invalid metrics for a model with {len(names)} outputs {list(names)}: a list "
            f"must have one entry per output (a metric, a list of metrics, or None), received "
            f"{len(metrics)}: metrics={metrics!r}. Keras does not apply a flat list to every "
            f"output; write e.g. metrics={{{names[0]!r}: ['accuracy']}}."
        )
    entries = [entry for entry, _ in by_output(metrics, names, "metrics")]
    compiled = []
    seen: dict[str, int] = {}
    for i, (name, entry) in enumerate(zip(names, entries, strict=True)):
        for identifier in _metric_entries(entry):
            metric = metrics_module.resolve(identifier)
            key = f"{name}_{metric.name}"
            if key in seen:
                seen[key] += 1
                key = f"{key}_{seen[key] - 1}"
            else:
                seen[key] = 1
            compiled.append(OutputMetric(i, key, metric))
    return tuple(compiled)


def single_output_loss_weight(loss_weights: Any) -> float | None:
    """``compile``'s ``loss_weights`` for a model with one output: the factor its loss is
    multiplied by, or None (not multiplied).

    As Keras 3's ``CompileLoss``: a number, or a list, tuple or dict holding one number (a
    dict's key is not checked, as Keras flattens it); the weighted loss is what is trained
    and what ``'loss'`` reports.

    Raises:
        JnetValueError: a list or dict with more than one entry (or none).
        JnetTypeError: an entry that is not a number.

    Example:
        >>> single_output_loss_weight([0.5]), single_output_loss_weight(None)
        (0.5, None)
    """
    if loss_weights is None:
        return None
    if isinstance(loss_weights, Mapping | list | tuple):
        entries = list(loss_weights.values() if isinstance(loss_weights, Mapping) else
                       loss_weights)
        if len(entries) != 1:
            raise errors.JnetValueError(
                f"loss_weights must match the number of losses: the model has one output and "
                f"one loss, received {len(entries)} weights: loss_weights={loss_weights!r}. "
                f"Pass one number, e.g. loss_weights=0.5."
            )
        loss_weights = entries[0]
    return _weight(loss_weights, "loss_weights")


def single_output_metrics(metrics: Any, output_name: str | None = None) -> list[Any]:
    """``metrics`` for a model with one output: a list, a list of lists or a dict by output
    name all flatten to one list (Keras's ``tree.flatten(metrics)``).

    Args:
        metrics: ``compile``'s ``metrics``.
        output_name: the model's output name, when known: a dict's keys must name it (Keras
            ignores the keys, so a misspelt or missing output passes silently there).

    Example:
        >>> single_output_metrics({"out": ["mae", "mse"]})
        ['mae', 'mse']
        >>> try:
        ...     single_output_metrics({"dense_9": ["mae"]}, "dense")
        ... except ValueError as e:
        ...     print(str(e)[:50])
        metrics has keys ['dense_9'] that are not output n
    """
    if metrics is None:
        return []
    if isinstance(metrics, Mapping):
        unknown = [k for k in metrics if output_name is not None and k != output_name]
        if unknown:
            raise errors.JnetValueError(
                f"metrics has keys {unknown} that are not output names of the model; its "
                f"only output is {output_name!r}. Write metrics={{{output_name!r}: [...]}} or "
                f"a plain list."
            )
        metrics = list(metrics.values())
    flat: list[Any] = []
    for entry in metrics:
        if isinstance(entry, list | tuple | Mapping):
            flat.extend(single_output_metrics(entry))
        elif entry is not None:
            flat.append(entry)
    return flat


def flatten_outputs(value: Any, output_names: Sequence[str]) -> list[Any]:
    """A model's outputs (or anything shaped like them) as a list in output order: a dict is
    read by output name, a list/tuple as it is, None gives Nones.

    Example:
        >>> flatten_outputs({"b": 2, "a": 1}, ["a", "b"])
        [1, 2]
    """
    if value is None:
        return [None] * len(output_names)
    if isinstance(value, Mapping):
        if all(name in value for name in output_names):
            return [value[name] for name in output_names]
        return [value[key] for key in sorted(value)]  # keyed otherwise: JAX's flattening order
    return list(value)


def multi_output_names(model: Any) -> tuple[str, ...] | None:
    """The model's output names when it has several outputs, else None (one output, or not
    known yet).

    Example:
        >>> import jnet
        >>> multi_output_names(jnet.Sequential([jnet.layers.Dense(1)])) is None
        True
    """
    return _names(model, "output_names")


def multi_input_names(model: Any) -> tuple[str, ...] | None:
    """The model's input names when it has several inputs, else None."""
    return _names(model, "input_names")


def _names(model: Any, attribute: str) -> tuple[str, ...] | None:
    try:
        names = getattr(model, attribute, None)
    except (errors.JnetError, AttributeError, NotImplementedError):
        return None
    if not isinstance(names, list | tuple) or len(names) < 2:
        return None
    return tuple(names)
