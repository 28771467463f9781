"""Attention and AdditiveAttention: Keras's outputs, attention weights, weight layout, masks in
a functional model, output shape, config and errors (reference: Keras 3 on TensorFlow)."""

import jax
import numpy as np
import pytest
from _keras_parity import jnet_apply

import jnet
from jnet.layers import AdditiveAttention, Attention

TOL = {"rtol": 1e-5, "atol": 1e-5}
CLASSES = {"Attention": Attention, "AdditiveAttention": AdditiveAttention}
Q_MASK = np.array([[1, 1, 0], [1, 0, 1]], bool)
V_MASK = np.array([[1, 1, 1, 0, 0], [1, 0, 1, 1, 1]], bool)

# (class, constructor kwargs, number of inputs, call kwargs)
CASES = [
    ("Attention", {}, 2, {}),
    ("Attention", {"use_scale": True}, 3, {"return_attention_scores": True}),
    ("Attention", {"score_mode": "concat", "use_scale": True}, 2, {"mask": [Q_MASK, V_MASK]}),
    ("Attention", {"score_mode": "concat"}, 2,
     {"use_causal_mask": True, "return_attention_scores": True}),
    ("AdditiveAttention", {}, 2, {"mask": [Q_MASK, V_MASK], "return_attention_scores": True}),
    ("AdditiveAttention", {"use_scale": False}, 3, {"use_causal_mask": True}),
]


@pytest.mark.parametrize("cls,kwargs,n,call", CASES)
def test_outputs_and_weights_match_keras(keras, rng, cls, kwargs, n, call):
    xs = [rng.normal(size=s).astype(np.float32) for s in [(2, 3, 4), (2, 5, 4), (2, 5, 4)][:n]]
    klayer = getattr(keras.layers, cls)(**kwargs)
    klayer(xs, **call)
    weights = [rng.normal(size=w.shape).astype(np.float32) for w in klayer.get_weights()]
    klayer.set_weights(weights)
    want = klayer(xs, **call)

    layer = CLASSES[cls](**kwargs)
    shapes, got = jnet_apply(layer, weights, (xs,), call)
    assert shapes == [w.shape for w in weights]
    if isinstance(want, tuple):
        for g, w in zip(got, want, strict=True):
            np.testing.assert_allclose(g, np.asarray(w), **TOL)
    else:
        np.testing.assert_allclose(got, np.asarray(want), **TOL)
    assert layer.compute_output_shape([x.shape for x in xs]) == tuple(
        klayer.compute_output_shape([x.shape for x in xs])
    )
    kconfig, config = klayer.get_config(), layer.get_config()
    assert {k: config[k] for k in kconfig if k in config and k != "name"} == {
        k: kconfig[k] for k in config if k in kconfig and k != "name"
    }


def test_masks_from_embeddings_match_keras(keras, rng):
    """Embedding(mask_zero=True) on both inputs: the layer gets [query_mask, value_mask] and
    its output carries the query's mask into GlobalAveragePooling1D."""
    q_tokens = rng.integers(1, 9, size=(4, 5)).astype(np.int32)
    v_tokens = rng.integers(1, 9, size=(4, 6)).astype(np.int32)
    q_tokens[:, 3:] = 0
    v_tokens[:, 4:] = 0

    def build(lib):
        q_in, v_in = lib.layers.Input((5,), dtype="int32"), lib.layers.Input((6,), dtype="int32")
        q = lib.layers.Embedding(9, 4, mask_zero=True)(q_in)
        v = lib.layers.Embedding(9, 4, mask_zero=True)(v_in)
        a = lib.layers.Attention(use_scale=True)([q, v])
        b = lib.layers.AdditiveAttention()([a, v])
        return lib.Model([q_in, v_in], lib.layers.GlobalAveragePooling1D()(b))

    kmodel, model = build(keras), build(jnet)
    weights = [rng.normal(size=w.shape).astype(np.float32) for w in kmodel.get_weights()]
    kmodel.set_weights(weights)
    model.set_weights(weights)
    np.testing.assert_allclose(
        model.predict([q_tokens, v_tokens], verbose=0),
        np.asarray(kmodel([q_tokens, v_tokens])), **TOL,
    )


def test_dropout_draws_from_the_dropout_rng():
    q = np.ones((2, 3, 4), np.float32)
    layer = Attention(dropout=0.5)
    key = {"dropout": jax.random.key(3)}
    a, wa = layer.apply({}, [q, q], training=True, rngs=key, return_attention_scores=True)
    b, _ = layer.apply({}, [q, q], training=True, rngs=key, return_attention_scores=True)
    np.testing.assert_array_equal(a, b)
    # Three equal scores: weights 1/3, kept ones scaled by 1 / (1 - 0.5); Keras returns these.
    values = np.unique(np.asarray(wa))
    assert np.all(np.isclose(values, 0.0) | np.isclose(values, 2 / 3)) and len(values) == 2


ERRORS = [
    (lambda: Attention(score_mode="add"), ValueError, "score_mode"),
    (lambda: Attention(dropout=1.0), ValueError, "dropout"),
    (lambda: Attention(use_scale=1), TypeError, "use_scale"),
    (lambda: AdditiveAttention(dropout=-0.1), ValueError, "dropout"),
    (lambda: Attention().apply({}, np.ones((2, 3, 4), np.float32)), ValueError,
     r"list of inputs, namely \[query, value\]"),
    (lambda: Attention().apply({}, [np.ones((2, 3, 4), np.float32)] * 4), ValueError,
     "length 2 or 3"),
    (lambda: Attention().apply({}, [np.ones((2, 3, 4), np.float32)] * 2, mask=Q_MASK),
     ValueError, "mask must be a list"),
    (lambda: jnet.Sequential([jnet.layers.Input((3, 4)), Attention()]), ValueError,
     "functional API"),
]


@pytest.mark.parametrize("make,error,match", ERRORS)
def test_bad_arguments_raise_jnet_errors(make, error, match):
    with pytest.raises(error, match=match) as info:
        make()
    assert isinstance(info.value, jnet.errors.JnetError)
