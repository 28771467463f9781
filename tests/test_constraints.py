"""jnet.constraints against keras.constraints (TensorFlow backend): values, configs,
identifiers, and the layers' kernel/bias constraint arguments."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jnet
from jnet import constraints

CASES = [
    ("MaxNorm", {}),
    ("MaxNorm", {"max_value": 0.5, "axis": 1}),
    ("MaxNorm", {"max_value": 1.0, "axis": [0, 1, 2]}),
    ("NonNeg", {}),
    ("UnitNorm", {}),
    ("UnitNorm", {"axis": [0, 1]}),
    ("MinMaxNorm", {}),
    ("MinMaxNorm", {"min_value": 0.5, "max_value": 1.5, "rate": 0.3, "axis": 1}),
]


@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{n}-{kw}" for n, kw in CASES])
def test_values_and_configs_match_keras(keras, rng, name, kwargs):
    w = rng.normal(size=(3, 2, 4, 5)).astype(np.float32)
    kcon = getattr(keras.constraints, name)(**kwargs)
    jcon = getattr(constraints, name)(**kwargs)
    np.testing.assert_allclose(
        np.asarray(jcon(w)), np.asarray(kcon(w)), rtol=1e-6, atol=1e-7
    )
    assert jcon.get_config() == kcon.get_config()
    assert constraints.serialize(jcon) == keras.constraints.serialize(kcon)
    assert constraints.deserialize(keras.constraints.serialize(kcon)) == jcon
    jax.jit(jcon)(w)  # pure and jit-able


@pytest.mark.parametrize("identifier", ["max_norm", "MaxNorm", "non_neg", "NonNeg",
                                        "unit_norm", "UnitNorm", "min_max_norm", "MinMaxNorm"])
def test_string_identifiers_build_keras_defaults(keras, identifier):
    jcon = constraints.get(identifier)
    kcon = keras.constraints.get(identifier)
    assert type(jcon).__name__ == type(kcon).__name__
    assert jcon.get_config() == kcon.get_config()


def test_get_passes_callables_and_none():
    assert constraints.get(None) is None
    fn = lambda w: w  # noqa: E731
    assert constraints.get(fn) is fn
    assert isinstance(constraints.get(constraints.NonNeg), constraints.NonNeg)
    with pytest.raises(jnet.errors.UnknownIdentifierError, match="Valid constraint names"):
        constraints.get("max_nrm")
    with pytest.raises(jnet.errors.JnetTypeError):
        constraints.get(1.5)


LAYERS = [
    (lambda lib, **kw: lib.layers.Dense(3, **kw), (2, 4), ("kernel", "bias")),
    (lambda lib, **kw: lib.layers.Conv2D(3, 2, **kw), (2, 5, 5, 2), ("kernel", "bias")),
    (lambda lib, **kw: lib.layers.Conv1D(3, 2, **kw), (2, 5, 2), ("kernel", "bias")),
    (lambda lib, **kw: lib.layers.Embedding(6, 3, **kw), (2, 4), ("embeddings",)),
    (lambda lib, **kw: lib.layers.LSTM(3, **kw), (2, 4, 2), ("kernel", "recurrent", "bias")),
    (lambda lib, **kw: lib.layers.GRU(3, **kw), (2, 4, 2), ("kernel", "recurrent", "bias")),
    (lambda lib, **kw: lib.layers.SimpleRNN(3, **kw), (2, 4, 2), ("kernel", "recurrent", "bias")),
    (lambda lib, **kw: lib.layers.LayerNormalization(**kw), (2, 4), ("gamma", "beta")),
    (lambda lib, **kw: lib.layers.BatchNormalization(**kw), (2, 4), ("gamma", "beta")),
    (lambda lib, **kw: lib.layers.DepthwiseConv2D(2, **kw), (2, 5, 5, 2), ("depthwise", "bias")),
    (lambda lib, **kw: lib.layers.SeparableConv2D(3, 2, **kw), (2, 5, 5, 2),
     ("depthwise", "pointwise", "bias")),
    (lambda lib, **kw: lib.layers.Conv2DTranspose(3, 2, **kw), (2, 4, 4, 2), ("kernel", "bias")),
]


@pytest.mark.parametrize("case", range(len(LAYERS)))
def test_layer_penalties_and_constraints_match_keras(keras, rng, case):
    """Each weight's regularizer (Keras's ``layer.losses``) and constraint, per layer, and the
    layer's get_config entries equal Keras's."""
    make, shape, weights = LAYERS[case]
    kw = {}
    for i, w in enumerate(weights):
        kw[f"{w}_regularizer"] = ("L2", {"l2": 0.1 * (i + 1)})
        kw[f"{w}_constraint"] = ("MaxNorm", {"max_value": 0.3})
    kkw = {k: getattr(keras.regularizers if "regular" in k else keras.constraints, v[0])(**v[1])
           for k, v in kw.items()}
    jkw = {k: getattr(jnet.regularizers if "regular" in k else jnet.constraints, v[0])(**v[1])
           for k, v in kw.items()}
    x = rng.integers(0, 6, size=shape) if case == 3 else rng.normal(size=shape)
    x = x.astype(np.int32 if case == 3 else np.float32)
    klayer = make(keras, **kkw)
    klayer(x)
    layer = make(jnet, **jkw)
    variables = layer.init(jax.random.key(0), x)
    variables = layer.set_keras_weights(variables, klayer.get_weights())
    np.testing.assert_allclose(
        float(layer.regularization_loss(variables["params"])),
        float(sum(klayer.losses)), rtol=1e-5,
    )
    projected = layer.apply_constraints(variables["params"])
    projected = {"params": projected, **{k: v for k, v in variables.items() if k != "params"}}
    kprojected = []
    for v in klayer.weights:
        kprojected.append(v.constraint(v).numpy() if v.constraint is not None else v.numpy())
    for jw, kw_ in zip(layer.keras_weights(projected), kprojected, strict=True):
        np.testing.assert_allclose(jw, kw_, rtol=1e-5, atol=1e-6)
    kconfig, jconfig = klayer.get_config(), layer.get_config()
    for key in kw:
        assert jconfig[key] == kconfig[key], key


def test_constraint_applies_after_each_update(keras, rng):
    model = jnet.Sequential([
        jnet.layers.Dense(3, input_shape=(4,), kernel_constraint="non_neg",
                          bias_constraint=jnet.constraints.MaxNorm(0.1)),
    ])
    model.compile(optimizer="sgd", loss="mse")
    x = rng.normal(size=(32, 4)).astype(np.float32)
    model.fit(x, -np.abs(x[:, :3]) * 10, epochs=2, verbose=0)
    kernel, bias = model.get_weights()
    assert np.all(kernel >= 0)
    assert np.linalg.norm(bias) <= 0.1 + 1e-6
    assert jnp.asarray(kernel).dtype == jnp.float32


@pytest.mark.parametrize("alias,name", [("max_norm", "MaxNorm"), ("min_max_norm", "MinMaxNorm"),
                                        ("non_neg", "NonNeg"), ("unit_norm", "UnitNorm")])
def test_lowercase_names_are_the_classes_as_in_keras(keras, alias, name):
    assert getattr(constraints, alias) is getattr(constraints, name)
    assert getattr(keras.constraints, alias) is getattr(keras.constraints, name)
