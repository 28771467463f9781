"""MultiHeadAttention: Keras's outputs, scores, weight layout, masks, config, weight files, a
transformer text classifier trained as Keras's example, and errors (reference: Keras 3 on
TensorFlow)."""

import jax
import numpy as np
import pytest
from _keras_parity import jnet_apply

import jnet
from jnet.layers import MultiHeadAttention

TOL = {"rtol": 1e-5, "atol": 1e-5}


def _random_weights(rng, klayer):
    return [rng.normal(size=w.shape).astype(np.float32) for w in klayer.get_weights()]


def _assert_outputs(got, want):
    if isinstance(want, tuple | list):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want, strict=True):
            np.testing.assert_allclose(g, np.asarray(w), **TOL)
    else:
        np.testing.assert_allclose(got, np.asarray(want), **TOL)


# (constructor kwargs, input shapes [query, value(, key)], call kwargs)
MHA_CASES = [
    ({"num_heads": 2, "key_dim": 4}, [(3, 5, 6), (3, 7, 6)], {}),
    ({"num_heads": 2, "key_dim": 4, "value_dim": 3, "output_shape": 5},
     [(3, 5, 6), (3, 7, 4), (3, 7, 2)], {}),
    ({"num_heads": 2, "key_dim": 4, "use_bias": False}, [(3, 5, 6), (3, 5, 6)],
     {"use_causal_mask": True}),
    ({"num_heads": 2, "key_dim": 4, "output_shape": (2, 3)}, [(2, 4, 6), (2, 4, 6)],
     {"return_attention_scores": True}),
    ({"num_heads": 2, "key_dim": 4, "attention_axes": (1, 2)}, [(2, 3, 4, 6), (2, 3, 4, 6)],
     {}),
    ({"num_heads": 3, "key_dim": 2, "use_gate": True}, [(2, 4, 6), (2, 4, 6)],
     {"return_attention_scores": True}),
    ({"num_heads": 2, "key_dim": 4, "sliding_window": 2}, [(2, 5, 6), (2, 5, 6)],
     {"return_attention_scores": True, "use_causal_mask": True}),
]


@pytest.mark.parametrize("kwargs,shapes,call", MHA_CASES)
def test_outputs_scores_and_weight_layout_match_keras(keras, rng, kwargs, shapes, call):
    xs = [rng.normal(size=s).astype(np.float32) for s in shapes]
    # An attention mask that hides some keys (never a whole row) in the 3D cases.
    if len(shapes[0]) == 3 and "use_causal_mask" not in call:
        mask = rng.uniform(size=(shapes[0][0], shapes[0][1], shapes[1][1])) > 0.3
        mask[..., 0] = True
        call = {**call, "attention_mask": mask}
    klayer = keras.layers.MultiHeadAttention(**kwargs)
    klayer(*xs, **call)
    weights = _random_weights(rng, klayer)
    klayer.set_weights(weights)
    want = klayer(*xs, **call)

    shapes, got = jnet_apply(MultiHeadAttention(**kwargs), weights, tuple(xs), call)
    assert shapes == [w.shape for w in weights]
    _assert_outputs(got, want)


# Embedding(mask_zero=True) before MHA: the query and value masks reach MHA as Keras's
# query_mask/value_mask; a fully padded query row is uniform on Keras's fused path (no
# scores) and zero when the scores are returned; the output carries the query's mask.
def test_embedding_masks_reach_attention_as_in_keras(keras, rng):
    q_tokens = rng.integers(1, 9, size=(4, 5)).astype(np.int32)
    v_tokens = rng.integers(1, 9, size=(4, 6)).astype(np.int32)
    q_tokens[:, 3:] = 0
    q_tokens[1, :] = 0  # a sample whose whole query is padding
    v_tokens[:, 4:] = 0

    def build(lib):
        q_in, v_in = lib.layers.Input((5,), dtype="int32"), lib.layers.Input((6,), dtype="int32")
        # Each MHA gets tensors of its own: Keras's MHA clears the Keras mask of the tensors
        # it is called on, so a second MHA on the same tensors would run unmasked in Keras.
        q, q2, v, v2 = [lib.layers.Embedding(9, 8, mask_zero=True)(t)
                        for t in (q_in, q_in, v_in, v_in)]
        fused = lib.layers.MultiHeadAttention(2, 4)(q, v)
        out, scores = lib.layers.MultiHeadAttention(2, 4)(q2, v2, return_attention_scores=True)
        pooled = lib.layers.GlobalAveragePooling1D()(fused)  # reads the query mask
        return lib.Model([q_in, v_in], [fused, pooled, out, scores])

    kmodel, model = build(keras), build(jnet)
    model.set_weights(_random_weights(rng, kmodel))
    kmodel.set_weights(model.get_weights())
    got = model.predict([q_tokens, v_tokens], verbose=0)
    want = [np.asarray(t) for t in kmodel([q_tokens, v_tokens])]
    for g, w in zip(got, want, strict=True):
        np.testing.assert_allclose(g, w, **TOL)
    assert np.abs(got[0][1]).sum() > 0 and np.abs(got[3][1]).sum() == 0  # the padded sample


CONFIG_CASES = [
    ({"num_heads": 2, "key_dim": 4}, (None, 5, 6), (None, 7, 3), None),
    ({"num_heads": 1, "key_dim": 3, "value_dim": 2, "output_shape": 7, "dropout": 0.1},
     (None, 5, 6), (None, 7, 3), (None, 7, 4)),
    ({"num_heads": 2, "key_dim": 4, "output_shape": (2, 3), "attention_axes": 2,
      "use_bias": False, "kernel_initializer": "he_normal"}, (None, 3, 4, 6), (None, 3, 4, 5),
     None),
]


@pytest.mark.parametrize("kwargs,query,value,key", CONFIG_CASES)
def test_config_and_output_shape_match_keras(keras, kwargs, query, value, key):
    klayer = keras.layers.MultiHeadAttention(**kwargs)
    layer = MultiHeadAttention(**kwargs)
    kconfig, config = klayer.get_config(), layer.get_config()
    for name in ("num_heads", "key_dim", "value_dim", "dropout", "use_bias", "use_gate",
                 "output_shape", "attention_axes", "sliding_window", "seed"):
        assert config[name] == kconfig[name], name
    assert config["kernel_initializer"] == kwargs.get("kernel_initializer", "glorot_uniform")
    assert layer.compute_output_shape(query, value, key) == klayer.compute_output_shape(
        query, value, key
    )
    assert MultiHeadAttention(**config).get_config() == config


def test_keras_file_import_and_jnet_round_trip(keras, rng, tmp_path):
    """A Keras .keras file with every layer of this family loads into jnet; jnet's own file
    round-trips; jnet's weights file loads back into Keras."""
    q, v = keras.Input((4, 8)), keras.Input((6, 8))
    y = keras.layers.MultiHeadAttention(2, 4, name="mha")(q, v)
    y = keras.layers.GroupQueryAttention(4, 2, 1)(y, y)
    y = keras.layers.GroupNormalization(2)(y)
    y = keras.layers.RMSNormalization()(y)
    y = keras.layers.EinsumDense("abc,cd->abd", (4, 3), bias_axes="d")(y)
    a = keras.layers.Attention(use_scale=True)([y, y])
    kmodel = keras.Model([q, v], keras.layers.AdditiveAttention()([a, y]))
    kmodel.set_weights(_random_weights(rng, kmodel))
    xs = [rng.normal(size=(2, 4, 8)).astype(np.float32),
          rng.normal(size=(2, 6, 8)).astype(np.float32)]
    want = np.asarray(kmodel(xs))
    kmodel.save(tmp_path / "k.keras")

    model = jnet.saving.load_model(tmp_path / "k.keras")
    np.testing.assert_allclose(model.predict(xs, verbose=0), want, **TOL)
    model.save(tmp_path / "j.jnet")
    again = jnet.saving.load_model(tmp_path / "j.jnet")
    assert [type(layer).__name__ for layer in again.layers] == [
        type(layer).__name__ for layer in model.layers
    ]
    for got, kept in zip(again.get_weights(), model.get_weights(), strict=True):
        np.testing.assert_array_equal(got, kept)
    again.save_weights(tmp_path / "j.weights.h5")
    kback = keras.models.clone_model(kmodel)
    kback.load_weights(tmp_path / "j.weights.h5")
    np.testing.assert_allclose(np.asarray(kback(xs)), want, **TOL)


# -- Keras's text classification with a transformer, import swapped --------------------------


def _transformer_classifier(lib, maxlen, vocab_size, embed_dim, num_heads, ff_dim):
    """keras.io's "Text classification with Transformer", written as the example writes it
    (dropout rates 0 for the comparison), its feed-forward a Sequential held by the layer."""
    layers, ops = lib.layers, lib.ops

    class TransformerBlock(layers.Layer):
        def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1):
            super().__init__()
            self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
            self.ffn = lib.Sequential(
                [layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)]
            )
            self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
            self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
            self.dropout1 = layers.Dropout(rate)
            self.dropout2 = layers.Dropout(rate)

        def call(self, inputs):
            attn_output = self.att(inputs, inputs)
            attn_output = self.dropout1(attn_output)
            out1 = self.layernorm1(inputs + attn_output)
            ffn_output = self.ffn(out1)
            ffn_output = self.dropout2(ffn_output)
            return self.layernorm2(out1 + ffn_output)

    class TokenAndPositionEmbedding(layers.Layer):
        def __init__(self, maxlen, vocab_size, embed_dim):
            super().__init__()
            self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
            self.pos_emb = layers.Embedding(input_dim=maxlen, output_dim=embed_dim)

        def call(self, x):
            maxlen = ops.shape(x)[-1]
            positions = ops.arange(start=0, stop=maxlen, step=1)
            positions = self.pos_emb(positions)
            x = self.token_emb(x)
            return x + positions

    inputs = layers.Input(shape=(maxlen,))
    x = TokenAndPositionEmbedding(maxlen, vocab_size, embed_dim)(inputs)
    x = TransformerBlock(embed_dim, num_heads, ff_dim, rate=0.0)(x)
    x = layers.GlobalAveragePooling1D()(x)
    x = layers.Dropout(0.0)(x)
    x = layers.Dense(20, activation="relu")(x)
    x = layers.Dropout(0.0)(x)
    outputs = layers.Dense(2, activation="softmax")(x)
    return lib.Model(inputs=inputs, outputs=outputs)


def test_transformer_text_classifier_trains_as_keras_for_3_epochs(keras, rng):
    # SGD with momentum, not the example's Adam: Keras's TF Adam updates an Embedding from
    # IndexedSlices (second moment sum(g_i**2)), a TF quirk jnet does not copy (README).
    # The example's `x + positions` broadcasts (8, 16) onto (batch, 8, 16): rank promotion
    # is allowed for this model, as Keras's users write it.
    tokens = rng.integers(0, 50, size=(64, 8)).astype(np.int32)
    labels = (tokens[:, 0] > 25).astype(np.int32)
    with jax.numpy_rank_promotion("allow"):
        kmodel = _transformer_classifier(keras, 8, 50, 16, 2, 16)
        model = _transformer_classifier(jnet, 8, 50, 16, 2, 16)
        assert [w.shape for w in model.get_weights()] == [w.shape for w in kmodel.get_weights()]
        model.set_weights(kmodel.get_weights())
        for m, lib in ((kmodel, keras), (model, jnet)):
            m.compile(optimizer=lib.optimizers.SGD(0.1, momentum=0.9),
                      loss="sparse_categorical_crossentropy")
        kwargs = dict(epochs=3, batch_size=16, shuffle=False, verbose=0)
        want = kmodel.fit(tokens, labels, **kwargs).history["loss"]
        got = model.fit(tokens, labels, **kwargs).history["loss"]
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)
    assert want[0] != want[-1]  # it trained


def test_dropout_is_seeded_by_the_dropout_rng():
    x = np.ones((2, 4, 6), np.float32)
    layer = MultiHeadAttention(2, 3, dropout=0.5)
    abstract = jax.eval_shape(layer.init, jax.random.key(0), x, x)
    variables = jax.tree_util.tree_map(lambda s: np.full(s.shape, 0.3, np.float32), abstract)

    @jax.jit
    def run(key):
        return layer.apply(variables, x, x, training=True, rngs={"dropout": key})

    a, b, again = run(jax.random.key(1)), run(jax.random.key(2)), run(jax.random.key(1))
    np.testing.assert_array_equal(a, again)
    assert not np.allclose(a, b)


ERRORS = [
    (lambda: MultiHeadAttention(0, 4), ValueError, "num_heads must be a positive integer"),
    (lambda: MultiHeadAttention(2, "4"), ValueError, "key_dim must be a positive integer"),
    (lambda: MultiHeadAttention(2, 4, value_dim=-1), ValueError, "value_dim"),
    (lambda: MultiHeadAttention(2, 4, dropout=1.5), ValueError, r"dropout must be a float"),
    (lambda: MultiHeadAttention(2, 4, output_shape="x"), ValueError, "output_shape"),
    (lambda: MultiHeadAttention(2, 4, attention_axes="x"), ValueError, "attention_axes"),
    (lambda: MultiHeadAttention(2, 4, sliding_window=0), ValueError, "sliding_window"),
    (lambda: MultiHeadAttention(2, 4, use_bias="yes"), TypeError, "use_bias"),
    (lambda: MultiHeadAttention(2, 4, dropout=0.1, flash_attention=True), ValueError,
     "flash attention"),
    (lambda: MultiHeadAttention(2, 4, kernel_initializer="nope"), ValueError, "nope"),
    (lambda: MultiHeadAttention(2, 4, key_dims=3), TypeError, "key_dim"),
    (lambda: MultiHeadAttention(2, 4).init(
        jax.random.key(0), np.ones((1, 3, 4), np.float32), np.ones((1, 5, 4), np.float32),
        np.ones((1, 6, 4), np.float32)), ValueError, "value and key, except the last one"),
    (lambda: MultiHeadAttention(2, 4).init(
        jax.random.key(0), np.ones((1, 4), np.float32), np.ones((1, 4), np.float32)),
     ValueError, "rank >= 3"),
]


@pytest.mark.parametrize("make,error,match", ERRORS)
def test_bad_arguments_raise_jnet_errors(make, error, match):
    with pytest.raises(error, match=match) as info:
        make()
    assert isinstance(info.value, jnet.errors.JnetError)
