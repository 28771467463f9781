"""jnet.regularizers against keras.regularizers (TensorFlow backend): values, gradients,
configs, identifiers and errors."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jnet
from jnet import regularizers

CASES = [
    ("L1", {}),
    ("L1", {"l1": 0.3}),
    ("L2", {}),
    ("L2", {"l2": 0.7}),
    ("L1L2", {}),
    ("L1L2", {"l1": 0.1, "l2": 0.2}),
    ("L1L2", {"l2": 0.5}),
    ("OrthogonalRegularizer", {}),
    ("OrthogonalRegularizer", {"factor": 0.5, "mode": "columns"}),
]


@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{n}-{kw}" for n, kw in CASES])
def test_value_and_gradient_match_keras(keras, rng, name, kwargs):
    import tensorflow as tf

    x = rng.normal(size=(5, 4)).astype(np.float32)
    x[0, 0] = 0.0  # TensorFlow's |x| gradient at 0 is 0
    kreg = getattr(keras.regularizers, name)(**kwargs)
    jreg = getattr(regularizers, name)(**kwargs)
    xv = tf.Variable(x)
    with tf.GradientTape() as tape:
        kval = kreg(xv)
    kgrad = tape.gradient(kval, xv)
    np.testing.assert_allclose(float(jreg(x)), float(kval), rtol=1e-6, atol=1e-7)
    if kgrad is not None:
        np.testing.assert_allclose(
            np.asarray(jax.grad(jreg)(jnp.asarray(x))), kgrad.numpy(), rtol=1e-5, atol=1e-6
        )
    assert jreg.get_config() == kreg.get_config()
    assert regularizers.serialize(jreg) == keras.regularizers.serialize(kreg)


@pytest.mark.parametrize("identifier", ["l1", "l2", "l1l2", "L1", "L2", "L1L2",
                                        "orthogonal_regularizer", "OrthogonalRegularizer"])
def test_string_identifiers_build_keras_defaults(keras, identifier):
    jreg = regularizers.get(identifier)
    kreg = keras.regularizers.get(identifier)
    assert type(jreg).__name__ == type(kreg).__name__
    assert jreg.get_config() == kreg.get_config()


def test_l1_l2_alias_and_config_round_trip(keras):
    assert isinstance(regularizers.get("l1_l2"), regularizers.L1L2)
    kconfig = keras.regularizers.serialize(keras.regularizers.L1L2(l1=0.2, l2=0.1))
    jreg = regularizers.get(kconfig)
    assert jreg.get_config() == {"l1": 0.2, "l2": 0.1}
    assert regularizers.deserialize(regularizers.serialize(jreg)) == jreg
    assert regularizers.get(None) is None
    fn = lambda x: jnp.sum(x)  # noqa: E731
    assert regularizers.get(fn) is fn
    assert isinstance(regularizers.get(regularizers.L2), regularizers.L2)


def test_unknown_identifier_lists_the_names():
    with pytest.raises(jnet.errors.UnknownIdentifierError, match="Valid regularizer names: .*'l2'"):
        regularizers.get("l3")
    with pytest.raises(jnet.errors.UnknownIdentifierError, match="kernel_regularizer"):
        jnet.layers.Dense(2, kernel_regularizer="l3")
    with pytest.raises(jnet.errors.JnetTypeError):
        regularizers.get(3)


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf"), "x", True])
def test_bad_factors_raise(bad):
    with pytest.raises(jnet.errors.JnetValueError, match="l2"):
        regularizers.L2(bad)


def test_orthogonal_needs_rank_2_and_a_known_mode():
    with pytest.raises(jnet.errors.JnetValueError, match="mode"):
        regularizers.OrthogonalRegularizer(mode="diagonal")
    with pytest.raises(jnet.errors.JnetValueError, match="rank 2"):
        regularizers.OrthogonalRegularizer()(jnp.ones((2, 2, 2)))


def test_activity_regularizer_through_a_layer_matches_keras(keras, rng):
    """Keras's docstring example: kernel L1 0.25 + activity L2 (divided by the batch) 5.0."""
    x = np.full((5, 5), 2.0, np.float32)
    klayer = keras.layers.Dense(
        5, kernel_initializer="ones", kernel_regularizer=keras.regularizers.L1(0.01),
        activity_regularizer=keras.regularizers.L2(0.01),
    )
    klayer(x)
    layer = jnet.layers.Dense(
        5, kernel_initializer="ones", kernel_regularizer=regularizers.L1(0.01),
        activity_regularizer=regularizers.L2(0.01),
    )
    variables = layer.init(jax.random.key(0), x)
    from jnet.layers.base import collect_activity

    with collect_activity() as activity:
        layer.apply(variables, x)
    total = float(layer.regularization_loss(variables["params"])) + float(sum(activity))
    np.testing.assert_allclose(total, float(sum(klayer.losses)), rtol=1e-6)
    np.testing.assert_allclose(total, 5.25, rtol=1e-6)


@pytest.mark.parametrize("alias,name", [("l1", "L1"), ("l2", "L2"), ("l1_l2", "L1L2"),
                                        ("orthogonal_regularizer", "OrthogonalRegularizer")])
def test_lowercase_names_are_the_classes_as_in_keras(keras, alias, name):
    assert getattr(regularizers, alias) is getattr(regularizers, name)
    assert getattr(keras.regularizers, alias) is getattr(keras.regularizers, name)
    assert float(regularizers.l2(0.5)(jnp.ones((2, 2)))) == 2.0
