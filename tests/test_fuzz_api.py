"""Fuzzing the public API with hypothesis: every failure is a jnet error with a message.

Random ``Sequential`` stacks (Dense, Conv2D, Flatten, Dropout, BatchNormalization, pooling,
LSTM, Embedding) with valid and invalid arguments, compiled with random identifiers (valid
and misspelt), then one of ``fit``/``evaluate``/``predict`` on data of random shapes, dtypes
(float, int, bool, str, object) and values (NaN, infinity, huge), with random batch sizes.

Whatever happens, an exception must be a :class:`jnet.errors.JnetError` (a ``ValueError`` or
``TypeError``) with a message; a call that succeeds must return what Keras would: ``predict``
an array of shape ``(n, *output_shape[1:])`` (finite when the data and weights are),
``evaluate`` floats, ``fit`` a History of one epoch.

The examples are derandomized (the same 500 in every run). Compilation dominates the cost:
the argument values are drawn from tiny sets, and a model that builds is kept and reused by
later examples with the same architecture (fit only moves its weights on), so a few dozen
architectures get compiled.
"""

from __future__ import annotations

import os
import warnings
from typing import Any

import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import jnet
from jnet import layers as L
from jnet.errors import JnetError

pytestmark = pytest.mark.filterwarnings("ignore")

# 250 in make test (36 s at 500 was its slowest test); JNET_FUZZ_EXAMPLES=5000 for a deep run
MAX_EXAMPLES = int(os.environ.get("JNET_FUZZ_EXAMPLES", "250"))

# -- what an example is made of -----------------------------------------------------------
#
# An example picks an input family, a stack of layers that suits it, identifiers, data and a
# call, all valid; then it applies zero, one or two faults: an invalid layer argument, a layer
# from another family, a misspelt identifier, a non-numeric dtype, NaN/inf/huge values, a
# wrong shape, wrong targets, an empty dataset, or a bad batch size. About a third of the
# examples have no fault and must succeed.

# One valid value per argument: every distinct architecture costs a compilation.
_VALID_ARGS = {
    "Dense": {"units": 2, "activation": "relu", "use_bias": True},
    "Conv2D": {"filters": 2, "kernel_size": 2, "strides": 1, "padding": "same"},
    "Flatten": {},
    "Dropout": {"rate": 0.5},
    "BatchNormalization": {"momentum": 0.99, "epsilon": 1e-3},
    "MaxPooling2D": {"pool_size": 2, "padding": "valid"},
    "AveragePooling1D": {"pool_size": 2, "padding": "valid"},
    "GlobalAveragePooling1D": {},
    "LSTM": {"units": 2, "return_sequences": True, "dropout": 0.25},
    "Embedding": {"input_dim": 6, "output_dim": 2},
}

_BAD_ARGS = {
    "units": [0, -1, 2.5, True, "2", None],
    "filters": [0, -3, 1.5, False],
    "kernel_size": [-1, 0, (2, 2, 2), 1.5, "3"],
    "strides": [0, -2, (1,)],
    "pool_size": [0, -1, 2.5, (2, 2, 2)],
    "padding": ["full", "SAMEE", 1, None],
    "rate": [-0.1, 1.5, "0.5", True],
    "dropout": [-0.1, 1.0, "x"],
    "momentum": [2, -1, "x"],
    "epsilon": [-1.0, "x"],
    "activation": ["rellu", "sigmoidd", 3],
    "use_bias": ["yes", 1, None],
    "return_sequences": ["yes", 1],
    "input_dim": [0, -6, 6.5],
    "output_dim": [0, True],
}

# Input families: (input shape, the stack's body layers to choose from, a closing layer).
_FAMILIES = {
    "flat": ((3,), ["Dense", "Dropout", "BatchNormalization"], None),
    "image": ((4, 4, 1), ["Conv2D", "MaxPooling2D", "BatchNormalization", "Dropout"],
              "Flatten"),
    "sequence": ((4, 2), ["LSTM", "AveragePooling1D", "Dropout"], "GlobalAveragePooling1D"),
    "tokens": ((4,), ["Embedding"], "Flatten"),
}
_ALL_LAYERS = sorted(_VALID_ARGS)

_FAULTS = [None] * 6 + [
    "layer_arg", "layer_arg", "foreign_layer", "optimizer", "loss", "metrics", "x_dtype",
    "y_dtype", "x_values", "y_values", "x_shape", "y_kind", "n", "batch_size", "fit_arg", "fit_arg",
    "container",
]
_BAD = {
    "optimizer": ["adamm", "sgdd", 7, None],
    "loss": ["mean_squared_eror", "categorical_crossentropy", "binary_crossentropy", 3, None],
    "metrics": [["acuracy"], "mae", [3], ["accuracy", "f1"], ["accuracy"]],
    "dtype": ["str", "object", "int32", "bool", "float64"],
    "values": ["nan", "inf", "huge"],
    "y_kind": ["labels", "one_hot", "flat", "short", "too_many"],
    "batch_size": [0, -1, 2.5, True, "4", 2],
    "n": [0, 0, 1, 2],
    "fit_arg": [
        ("epochs", 0), ("epochs", -1), ("epochs", True), ("epochs", 1.5),
        ("validation_split", 1.5), ("validation_split", True), ("validation_split", 0.99),
        ("validation_split", "0.2"), ("steps_per_epoch", 0), ("steps_per_epoch", False),
        ("steps_per_epoch", 1), ("shuffle", "yes"), ("shuffle", False), ("verbose", 5),
        ("initial_epoch", -1), ("initial_epoch", True), ("class_weight", [1.0]),
        ("class_weight", {0: 1.0}), ("validation_data", 3), ("validation_freq", 0),
        ("callbacks", [3]), ("callbacks", "history"), ("sample_weight", "ones"),
    ],
    "container": ["list", "tuple", "jax", "scalar", "None", "dict", "string"],
}


def _layer(name):
    return [name, dict(_VALID_ARGS[name])]


@st.composite
def _examples(draw):
    family = draw(st.sampled_from(sorted(_FAMILIES)))
    input_shape, body, closing = _FAMILIES[family]
    layers = [_layer(draw(st.sampled_from(body)))]
    if closing:
        layers.append([closing, {}])
    classify = draw(st.booleans())
    layers.append(["Dense", {"units": 3, "activation": "softmax"} if classify else {"units": 1}])
    example = {
        "family": family, "input_shape": input_shape, "optimizer": "adam",
        "loss": "sparse_categorical_crossentropy" if classify else "mse", "metrics": None,
        "call": draw(st.sampled_from(["fit", "fit", "predict", "evaluate"])),
        "n": 5, "x_shape": input_shape, "x_dtype": "float32", "x_values": "normal",
        "y_dtype": "float32", "y_values": "normal",
        "y_kind": "labels" if classify else "output", "batch_size": None,
        "seed": draw(st.integers(0, 3)),
    }
    faults = draw(st.lists(st.sampled_from(_FAULTS), min_size=1, max_size=2))
    for fault in faults:
        if fault == "layer_arg":
            name, kwargs = layers[draw(st.integers(0, len(layers) - 1))]
            if kwargs:
                arg = draw(st.sampled_from(sorted(kwargs)))
                kwargs[arg] = draw(st.sampled_from(_BAD_ARGS[arg]))
        elif fault == "foreign_layer":
            layers.insert(draw(st.integers(0, len(layers) - 1)),
                          _layer(draw(st.sampled_from(_ALL_LAYERS))))
        elif fault in ("optimizer", "loss", "metrics"):
            example[fault] = draw(st.sampled_from(_BAD[fault]))
        elif fault in ("x_dtype", "y_dtype"):
            example[fault] = draw(st.sampled_from(_BAD["dtype"]))
        elif fault in ("x_values", "y_values"):
            example[fault] = draw(st.sampled_from(_BAD["values"]))
        elif fault == "x_shape":
            example["x_shape"] = draw(st.sampled_from([(3,), (4, 4, 1), (4, 2), (4, 4), ()]))
        elif fault == "y_kind":
            example["y_kind"] = draw(st.sampled_from(_BAD["y_kind"]))
        elif fault == "n":
            example["n"] = draw(st.sampled_from(_BAD["n"]))
        elif fault == "batch_size":
            example["batch_size"] = draw(st.sampled_from(_BAD["batch_size"]))
        elif fault == "fit_arg":
            example["call"] = "fit"
            key, value = draw(st.sampled_from(_BAD["fit_arg"]))
            example.setdefault("fit_kwargs", {})[key] = value
        elif fault == "container":
            example["container"] = draw(st.sampled_from(_BAD["container"]))
    example["faults"] = faults
    example["layers"] = tuple((name, tuple(sorted(kw.items()))) for name, kw in layers)
    return example


def _array(shape: tuple[int, ...], dtype: str, values: str, seed: int, tokens: bool = False):
    rng = np.random.default_rng(seed)
    if values == "labels" or tokens:
        data = rng.integers(0, 3, size=shape).astype(np.float64)
    else:
        data = rng.standard_normal(shape)
    if values == "nan" and data.size:
        data.flat[0] = np.nan
    elif values == "inf" and data.size:
        data.flat[-1] = -np.inf
    elif values == "huge":
        data = data * 1e300
    if dtype == "str":
        return data.astype(str)
    if dtype == "object":
        rows = [list(row) for row in data.reshape(shape[0], -1)]
        ragged = np.empty(shape[0], dtype=object)
        for i, row in enumerate(rows):
            ragged[i] = row[: i + 1]
        return ragged
    if dtype in ("int32", "bool"):
        data = np.nan_to_num(data, posinf=0.0, neginf=0.0)
        return np.clip(data, -5, 5).astype(dtype)
    with np.errstate(over="ignore"):
        return data.astype(dtype)


# -- the models, reused across examples -----------------------------------------------------

_MODELS: dict[Any, Any] = {}


def _model(spec, input_shape, optimizer, loss, metrics):
    """The compiled model for an architecture (built once, reused); raises what the public
    calls raise on bad arguments."""
    key = (spec, input_shape, optimizer, loss, str(metrics))
    if key in _MODELS:
        return _MODELS[key]
    layers = [getattr(L, name)(**dict(kwargs)) for name, kwargs in spec]
    model = jnet.Sequential([L.InputLayer(shape=input_shape), *layers])
    model.compile(optimizer=optimizer, loss=loss, metrics=metrics)
    model.build((None, *input_shape))  # shape errors of the stack are raised here
    _MODELS[key] = model
    return model


def _targets(model, example, n):
    out = tuple(model.output_shape[1:])
    kind = example["y_kind"]
    shape = {
        "output": (n, *out),
        "labels": (n,),
        "one_hot": (n, 3),
        "flat": (n, 1),
        "short": (max(n - 1, 0), *out),
        "too_many": (n + 1, *out),
    }[kind]
    values = example["y_values"]
    if kind in ("labels", "one_hot") and values == "normal":
        values = "labels"
    return _array(shape, example["y_dtype"], values, example["seed"] + 1)


def _contain(x, container):
    """``x`` as another kind of container a user might pass."""
    if container == "list":
        return x.tolist()
    if container == "tuple":
        return tuple(x.tolist())
    if container == "jax":
        return jnp.asarray(x) if x.dtype.kind in "fiub" else x
    if container == "scalar":
        return 3.0
    if container == "None":
        return None
    if container == "dict":
        return {"x": x}
    if container == "string":
        return "train.csv"
    return x


def _is_finite(model) -> bool:
    return all(np.all(np.isfinite(w)) for w in model.get_weights())


def _exercise(example):
    model = _model(example["layers"], example["input_shape"], example["optimizer"],
                   example["loss"], example["metrics"])
    n = example["n"]
    x = _array((n, *example["x_shape"]), example["x_dtype"], example["x_values"],
               example["seed"], tokens=example["family"] == "tokens")
    x = _contain(x, example.get("container"))
    batch_size = example["batch_size"]
    if example["call"] == "predict":
        out = model.predict(x, batch_size=batch_size, verbose=0)
        assert isinstance(out, np.ndarray)
        assert out.shape == (n, *tuple(model.output_shape)[1:]), (out.shape, model.output_shape)
        if example["x_values"] == "normal" and _is_finite(model):
            assert np.all(np.isfinite(out))
        return
    y = _targets(model, example, n)
    if example["call"] == "evaluate":
        result = model.evaluate(x, y, batch_size=batch_size, verbose=0)
        values = result if isinstance(result, list) else [result]
        assert len(values) == len(model.metrics_names)
        assert all(isinstance(v, float) for v in values), values
        return
    kwargs = {"epochs": 1, "verbose": 0, **example.get("fit_kwargs", {})}
    if isinstance(kwargs.get("sample_weight"), str):
        kwargs["sample_weight"] = np.ones(n)
    history = model.fit(x, y, batch_size=batch_size, **kwargs)
    assert history.epoch == list(range(kwargs["epochs"]))  # epochs=0 trains nothing
    assert set(history.history) >= ({"loss"} if kwargs["epochs"] else set())


@settings(
    max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
    suppress_health_check=list(HealthCheck),
)
@given(_examples())
def test_public_api_fails_only_with_jnet_errors(example):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            _exercise(example)
            # pytest --hypothesis-show-statistics shows these
            event(f"{example['call']} succeeded")
            if example["faults"] != [None]:
                event(f"succeeded despite {example['faults']}")
        except JnetError as e:
            assert isinstance(e, ValueError | TypeError)
            assert str(e).strip(), f"{type(e).__name__} without a message"
            event(f"{type(e).__name__}: {str(e)[:40]}")
