"""The checks of what users pass to ``fit``/``evaluate``/``predict``, against an input spec.

An :class:`InputSpec` says what the checks need to know of a model: its input names and
shapes, the layer a shape error names, a first ``Embedding``'s vocabulary size, the compiled
losses and the output shapes. The model's facade builds it once per call
(``Model._input_spec``); the checks here and the data adapters
(:mod:`jnet.training.data_adapters`) see only the spec, never the model. A model that does not
know its input shape yet gives a spec with a ``build`` hook: the first data builds the model,
and :meth:`InputSpec.complete` returns the spec of the built model.

The one-array helpers (conversion, NaN checks, rank and shape checks) are in
:mod:`jnet.training.data`.

Example:
    >>> import numpy as np
    >>> spec = InputSpec(input_shapes=(None, 3), layer_name="dense", built=True)
    >>> prepare_x([[1, 2, 3]], spec)[0].dtype
    dtype('float32')
    >>> try:
    ...     prepare_x(np.ones((2, 4)), spec)
    ... except ValueError as e:
    ...     print(str(e)[:52])
    Input 0 of layer 'dense' expects shape (None, 3), go
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Callable, Mapping
from typing import Any

import jax
import numpy as np

from jnet import errors
from jnet.training import data as data_lib
from jnet.training import targets as targets_lib
from jnet.training.outputs import CompiledOutputs, by_output

__all__ = [
    "InputSpec",
    "check_targets",
    "named_leaves",
    "prepare",
    "prepare_targets",
    "prepare_x",
    "sole_array",
]


@dataclasses.dataclass(frozen=True)
class InputSpec:
    """What the input checks know of a model (built by the model's facade).

    Attributes:
        input_names: the input names of a model with several inputs, else None.
        input_shapes: the model's ``input_shape``: one shape (batch axis first), a list of
            them for several inputs, or None while unknown.
        layer_name: the layer a one-input shape error names (the first layer).
        model_name: the model's name (named by the shape errors of several inputs).
        embedding: ``(layer name, input_dim)`` when the first layer is an ``Embedding``: token
            indices are range-checked.
        outputs: the compiled losses and metrics of a model with several outputs, else None.
        loss: the compiled loss of a model with one output (None for ``predict``).
        metrics: the compiled metrics of a model with one output (their labels are checked).
        output_shape: the model's ``output_shape`` (a list for several outputs), or None when
            no targets are checked.
        built: whether the model knows its input shape (``model.built``): else a batch source
            is peeked to build it.
        build: while the model has no weights, ``build(input_shape)`` builds it (from the
            first data's shape) and returns the spec of the built model; None once built.
    """

    input_names: tuple[str, ...] | None = None
    input_shapes: Any = None
    layer_name: str = ""
    model_name: str = "model"
    embedding: tuple[str, int] | None = None
    outputs: CompiledOutputs | None = None
    loss: Any = None
    metrics: tuple[Any, ...] = ()
    output_shape: Any = None
    built: bool = False
    build: Callable[[tuple[int | None, ...] | None], InputSpec] | None = dataclasses.field(
        default=None, compare=False, repr=False
    )

    def complete(self, shape: tuple[int, ...] | None = None) -> InputSpec:
        """The spec of the built model: the model is built first for inputs shaped like
        ``shape`` (the first data's; None when the model knows its input shape)."""
        if self.build is None:
            return self
        return self.build(None if shape is None else (None, *tuple(shape)[1:]))


def prepare_x(x: Any, spec: InputSpec, convert: bool = True) -> tuple[Any, InputSpec]:
    """``x`` checked and cast (``convert=False``: checked only, for streamed arrays).

    Returns:
        ``(x, spec)``: the spec is completed when ``x`` built the model.
    """
    if spec.input_names is not None:
        return _prepare_inputs(x, spec, convert), spec
    raw = data_lib.to_array(sole_array(x), "x", convert=False)
    spec = spec.complete(raw.shape)
    if spec.input_shapes is None:  # a model of parts, which its own train_step feeds
        return (data_lib.cast_checked(raw, "x") if convert else raw), spec
    sample_shape = tuple(spec.input_shapes[1:])
    raw = data_lib.adjust_rank(raw, sample_shape)
    data_lib.check_input_shape(raw, sample_shape, spec.layer_name)
    x = data_lib.cast_checked(raw, "x") if convert else raw
    _check_input_values(raw, spec)  # token indices in their own dtype (int64 not yet cast)
    return x, spec


def _prepare_inputs(x: Any, spec: InputSpec, convert: bool) -> Any:
    """The inputs of a model with several: a list/tuple (in ``input_names`` order) or a dict
    by input name, each checked against its input shape; the structure is kept."""
    names = spec.input_names
    if isinstance(x, Mapping):
        missing = [name for name in names if name not in x]
        if missing:
            raise errors.JnetValueError(
                f"x is missing the model's inputs {missing}: the model takes inputs "
                f"{list(names)}, and x has keys {sorted(map(str, x))}."
            )
        extra = [key for key in x if key not in names]
        if extra:
            warnings.warn(
                f"Input dict contained keys {extra} which did not match any model input. "
                f"They will be ignored by the model.",
                stacklevel=4,
            )
        items = [(x[name], f"x[{name!r}]") for name in names]
    elif isinstance(x, list | tuple):
        if len(x) != len(names):
            raise errors.JnetValueError(
                f"The model has {len(names)} inputs {list(names)}, but x is a "
                f"{type(x).__name__} of {len(x)} arrays. Pass one array per input, in "
                f"that order, or a dict by input name."
            )
        items = [(value, f"x[{i}]") for i, value in enumerate(x)]
    else:
        raise errors.JnetValueError(
            f"The model has {len(names)} inputs {list(names)}: x must be a list of "
            f"{len(names)} arrays (in that order) or a dict by input name, received "
            f"{errors.describe(x)}."
        )
    prepared = []
    for i, (value, label) in enumerate(items):
        array = data_lib.to_array(value, label, convert=convert)
        sample_shape = tuple(spec.input_shapes[i][1:])
        array = data_lib.adjust_rank(array, sample_shape)
        data_lib.check_input_shape(array, sample_shape, spec.model_name, index=i, source=label)
        prepared.append(array)
    if isinstance(x, Mapping):
        return dict(zip(names, prepared, strict=True))
    return tuple(prepared)


def _check_input_values(x: np.ndarray, spec: InputSpec) -> None:
    """Token indices of a first ``Embedding`` layer must be in ``[0, input_dim)``: the
    lookup would clamp them silently (TensorFlow raises). Streamed data is not read here."""
    if spec.embedding is not None and isinstance(x, np.ndarray) and not _is_memmap_backed(x):
        layer, input_dim = spec.embedding
        data_lib.check_indices(x, input_dim, layer)


def _is_memmap_backed(x: np.ndarray) -> bool:
    while isinstance(x, np.ndarray):
        if isinstance(x, np.memmap):
            return True
        x = x.base
    return False


def prepare(
    x: Any, y: Any, sample_weight: Any, class_weight: Any, spec: InputSpec, convert: bool = True
) -> tuple[Any, Any, Any]:
    """Checked ``(x, y, sample_weight)`` for ``fit``/``evaluate`` on arrays; ``convert=False``
    leaves x and y uncast (streamed arrays are cast a chunk at a time)."""
    if y is None:
        raise errors.JnetValueError(
            "y is None: fit/evaluate on arrays need targets, e.g. model.fit(x, y)."
        )
    x, spec = prepare_x(x, spec, convert)
    # Labels are checked in their own dtype, then cast: an int64 label past 2**31 must not
    # wrap to another class before the range check sees it.
    if spec.outputs is not None:
        y, sample_weight = prepare_targets(x, y, sample_weight, class_weight, spec, False)
        check_targets(y, spec.complete())
        names = spec.outputs.output_names
        return x, _cast_targets(y, convert, [f"y[{n!r}]" for n in names]), sample_weight
    y = data_lib.to_array(sole_array(y), "y", integer_labels=True, convert=False)
    if sample_weight is not None:
        sample_weight = data_lib.to_array(sample_weight, "sample_weight")
    data_lib.check_lengths(named_leaves(x=x, y=y, sample_weight=sample_weight))
    check_targets(y, spec.complete())
    if class_weight is not None:
        cw = data_lib.class_weight_to_sample_weight(y, class_weight)
        sample_weight = cw if sample_weight is None else sample_weight * cw
    return x, _cast_targets(y, convert, ["y"]), sample_weight


def _cast_targets(y: Any, convert: bool, labels: list[str]) -> Any:
    """Checked targets (one array, or a tuple in output order named by ``labels``) cast to
    the model's dtypes; ``convert=False`` leaves them as they are (streamed: cast a chunk at
    a time), once checked to fit int32."""
    if not convert:
        for a, label in zip(y if isinstance(y, tuple) else (y,), labels, strict=True):
            if a is not None:
                data_lib.check_fits_int32(a, label)
        return y
    if isinstance(y, tuple):
        return tuple(
            None if a is None else data_lib.cast_checked(a, label, integer_labels=True)
            for a, label in zip(y, labels, strict=True)
        )
    return data_lib.cast_checked(y, labels[0], integer_labels=True)


def prepare_targets(
    x: Any, y: Any, sample_weight: Any, class_weight: Any, spec: InputSpec, convert: bool = True
) -> tuple[Any, Any]:
    """``(y, sample_weight)`` of a model with several outputs: ``y`` a tuple in output order
    (None for an output with neither loss nor metrics), ``sample_weight`` one array for
    every output or a tuple per output; every array's length checked against ``x``'s."""
    compiled = spec.outputs
    names = compiled.output_names
    needed = {o.index for o in compiled.losses} | {m.index for m in compiled.metrics}
    values = by_output(y, names, "y", data=True)
    targets = []
    for i, (value, label) in enumerate(values):
        if value is None:
            if i in needed:
                raise errors.JnetValueError(
                    f"y has no targets for output {names[i]!r}, which has a loss or "
                    f"metrics in compile(). Give y one array per output {list(names)}."
                )
            targets.append(None)
            continue
        targets.append(data_lib.to_array(value, label, integer_labels=True, convert=convert))
    y = tuple(targets)
    if class_weight is not None:
        raise errors.JnetValueError(
            "class_weight is only supported for models with a single output; pass "
            "sample_weight (one array per output, or one for all) instead."
        )
    if isinstance(sample_weight, Mapping | list | tuple):
        sample_weight = tuple(
            None if value is None else data_lib.to_array(value, label)
            for value, label in by_output(sample_weight, names, "sample_weight", data=True)
        )
    elif sample_weight is not None:
        sample_weight = data_lib.to_array(sample_weight, "sample_weight")
        if not (sample_weight.ndim == 1 or (
            sample_weight.ndim == 2 and sample_weight.shape[1] == 1
        )):
            raise errors.JnetValueError(
                f"For a model with multiple outputs, when providing a single sample_weight "
                f"array, it should only have one scalar score per sample (shape "
                f"(num_samples,)), received shape {sample_weight.shape}. For non-scalar "
                f"sample weights pass one array per output."
            )
    data_lib.check_lengths(named_leaves(x=x, y=y, sample_weight=sample_weight))
    return y, sample_weight


def check_targets(y: Any, spec: InputSpec) -> None:
    """Validates targets, in their own dtype, against each output's compiled loss, metrics
    and shape (see :mod:`jnet.training.targets`). ``spec`` must be complete."""
    if spec.outputs is not None:
        shapes = spec.output_shape
        losses = {o.index: o.loss for o in spec.outputs.losses}
        for i, target in enumerate(y):
            metrics = [m.metric for m in spec.outputs.metrics if m.index == i]
            if target is not None and (i in losses or metrics):
                targets_lib.check_target(target, losses.get(i), metrics, shapes[i])
        return
    targets_lib.check_target(y, spec.loss, spec.metrics, spec.output_shape)


def sole_array(value: Any) -> Any:
    """A one-array list or dict given for a one-input model (or one-output targets).

    Example:
        >>> sole_array({"x": np.zeros(2)}), sole_array([1.0, 2.0])
        (array([0., 0.]), [1.0, 2.0])
    """
    if isinstance(value, Mapping) and len(value) == 1:
        return next(iter(value.values()))
    if isinstance(value, list | tuple) and len(value) == 1 and isinstance(
        value[0], np.ndarray | jax.Array
    ):
        return value[0]
    return value


def named_leaves(**trees: Any) -> dict[str, Any]:
    """``{'x': a}`` for arrays, ``{"x['a']": ..., 'y[0]': ...}`` for lists and dicts: the names
    a cardinality error gives.

    Example:
        >>> list(named_leaves(x={"a": 1, "b": 2}, y=[3, None]))
        ["x['a']", "x['b']", 'y[0]']
    """
    named: dict[str, Any] = {}
    for argument, tree in trees.items():
        if isinstance(tree, Mapping):
            named.update({f"{argument}[{k!r}]": v for k, v in tree.items() if v is not None})
        elif isinstance(tree, list | tuple):
            named.update({f"{argument}[{i}]": v for i, v in enumerate(tree) if v is not None})
        else:
            named[argument] = tree
    return named
