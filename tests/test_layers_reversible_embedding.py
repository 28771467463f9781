"""ReversibleEmbedding: Keras's outputs both ways, weights, config, training and errors."""

import jax
import numpy as np
import pytest

import jnet
from jnet.layers import ReversibleEmbedding

CASES = [  # (constructor arguments)
    dict(tie_weights=True),
    dict(tie_weights=False),
    dict(tie_weights=True, logit_soft_cap=2.0),
    dict(tie_weights=False, reverse_dtype="float16"),
]


@pytest.mark.parametrize("kwargs", CASES, ids=lambda k: "-".join(f"{a}={b}" for a, b in
                                                                 k.items()))
def test_matches_keras_forward_and_reverse(keras, rng, kwargs):
    tokens = rng.integers(0, 7, size=(3, 5))
    hidden = rng.normal(size=(3, 5, 4)).astype("float32")
    klayer = keras.layers.ReversibleEmbedding(7, 4, **kwargs)
    kout = np.asarray(klayer(tokens))
    krev = np.asarray(klayer(hidden, reverse=True))
    layer = ReversibleEmbedding(7, 4, **kwargs)
    variables = layer.init(jax.random.key(0), tokens)
    variables = layer.set_keras_weights(variables, klayer.get_weights())
    assert [w.shape for w in layer.keras_weights(variables)] == [
        tuple(w.shape) for w in klayer.weights]
    np.testing.assert_array_equal(layer.apply(variables, tokens), kout)
    rev = layer.apply(variables, hidden, reverse=True)
    assert rev.dtype == krev.dtype and rev.shape == (3, 5, 7)
    tol = 1e-3 if "reverse_dtype" in kwargs else 1e-6
    np.testing.assert_allclose(np.asarray(rev, "float32"), krev.astype("float32"), rtol=tol,
                               atol=tol)
    config = layer.get_config()
    kconfig = klayer.get_config()
    for key in ("input_dim", "output_dim", "tie_weights", "reverse_dtype", "logit_soft_cap",
                "mask_zero"):
        assert config[key] == kconfig[key], key


def test_tied_language_model_trains_as_keras(keras, rng):
    tokens = rng.integers(0, 9, size=(16, 5))
    targets = rng.integers(0, 9, size=(16, 5))

    def build(lib):
        ids = lib.Input((5,), dtype="int32")
        emb = lib.layers.ReversibleEmbedding(9, 4, logit_soft_cap=5.0)
        logits = emb(lib.layers.Dense(4, activation="tanh")(emb(ids)), reverse=True)
        model = lib.Model(ids, logits)
        model.compile(optimizer=lib.optimizers.Adam(0.05),
                      loss=lib.losses.SparseCategoricalCrossentropy(from_logits=True))
        return model

    kmodel, jmodel = build(keras), build(jnet)
    jmodel.set_weights(kmodel.get_weights())
    fit = dict(epochs=3, batch_size=8, shuffle=False, verbose=0)
    khist = kmodel.fit(tokens, targets, **fit).history["loss"]
    jhist = jmodel.fit(tokens, targets, **fit).history["loss"]
    np.testing.assert_allclose(jhist, khist, rtol=1e-5, atol=1e-6)
    assert khist[-1] < khist[0]
    for jw, kw in zip(jmodel.get_weights(), kmodel.get_weights(), strict=True):
        np.testing.assert_allclose(jw, kw, atol=1e-5)


@pytest.mark.parametrize("kwargs, match", [
    (dict(tie_weights="yes"), "tie_weights"),
    (dict(logit_soft_cap=-1.0), "logit_soft_cap"),
    (dict(reverse_dtype="floaty"), "reverse_dtype"),
])
def test_bad_arguments_are_named(kwargs, match):
    with pytest.raises(jnet.errors.JnetError, match=match):
        ReversibleEmbedding(5, 2, **kwargs)


def test_positional_arguments_follow_keras_order():
    # Keras: ReversibleEmbedding(input_dim, output_dim, tie_weights, embeddings_initializer...)
    layer = jnet.layers.ReversibleEmbedding(10, 4, False, "zeros")
    assert (layer.tie_weights, layer.embeddings_initializer) == (False, "zeros")
    with pytest.raises(jnet.errors.JnetTypeError, match="both positionally and by keyword"):
        jnet.layers.ReversibleEmbedding(10, 4, False, tie_weights=True)
    with pytest.raises(jnet.errors.JnetTypeError, match="at most 9 positional"):
        jnet.layers.ReversibleEmbedding(*range(1, 11))
