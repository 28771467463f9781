"""Models used as layers of other models, as Keras 3 (TensorFlow backend) does it: a built model
as an entry of a Sequential, weights shared with the nested model and with a model made from
another model's layers (both directions), masks into and out of a nested model, and the
functional subclass (``super().__init__(inputs=..., outputs=...)``)."""

import jax
import numpy as np
import pytest

import jnet
from jnet.models import links

L = jnet.layers
N, D = 32, 4


def _x(rng):
    return rng.normal(size=(N, D)).astype(np.float32)


def _base(lib, name="base"):
    return lib.Sequential(
        [lib.Input((D,)), lib.layers.Dense(6, activation="relu"), lib.layers.Dense(5)], name=name
    )


def _summary_text(model):
    lines = []
    model.summary(print_fn=lambda line, *a, **k: lines.append(line))
    return "\n".join(lines).rstrip()


# -- a model as an entry of a Sequential ---------------------------------------------------------


def test_a_built_model_is_an_entry_of_a_sequential(keras, rng):
    kbase, jbase = _base(keras), _base(jnet)
    jbase.set_weights(kbase.get_weights())
    kmodel = keras.Sequential([kbase, keras.layers.Dense(2, activation="sigmoid")])
    jmodel = jnet.Sequential([jbase, L.Dense(2, activation="sigmoid")])
    assert jmodel.input_shape == (None, D) and jmodel.output_shape == (None, 2)
    assert [lay.name for lay in jmodel.layers] == ["base", "dense"]
    assert list(jmodel.variables["params"]["base"]) == ["dense", "dense_1"]
    assert [w.shape for w in jmodel.get_weights()] == [w.shape for w in kmodel.get_weights()]
    jmodel.set_weights(kmodel.get_weights())
    x = _x(rng)
    np.testing.assert_allclose(
        jmodel.predict(x, verbose=0), kmodel.predict(x, verbose=0), rtol=1e-5, atol=1e-6
    )
    # The sequential's graph goes through the nested model.
    assert jmodel.inputs[0].shape == (None, D) and jmodel.outputs[0].shape == (None, 2)
    assert jmodel.logits_activation() == "sigmoid"


def test_a_frozen_nested_model_in_a_sequential(keras, rng):
    kbase, jbase = _base(keras), _base(jnet)
    jbase.set_weights(kbase.get_weights())
    for base in (kbase, jbase):
        base.trainable = False
    kmodel = keras.Sequential([kbase, keras.layers.Dense(1)])
    jmodel = jnet.Sequential([jbase, L.Dense(1)])
    assert len(jmodel.trainable_weights) == len(kmodel.trainable_weights) == 2
    assert len(jmodel.non_trainable_weights) == len(kmodel.non_trainable_weights) == 4
    text = _summary_text(jmodel)
    assert "base (Sequential)" in text
    assert "Trainable params: 6 " in text and "Non-trainable params: 65 " in text
    before = jbase.get_weights()
    jmodel.compile(optimizer="adam", loss="mse")
    jmodel.fit(_x(rng), rng.normal(size=(N, 1)), epochs=2, verbose=0)
    for w, b in zip(jbase.get_weights(), before, strict=True):
        np.testing.assert_array_equal(w, b)
    # One frozen layer of the base: the summary counts it, the other trains.
    jbase.trainable = True
    jbase.layers[0].trainable = False
    assert "Trainable params: 41 " in _summary_text(jmodel)  # 35 + 6


def test_a_nested_model_gets_fresh_weights_from_init_and_keeps_its_own_in_build():
    base = _base(jnet)
    model = jnet.Sequential([base, L.Dense(1)])
    own = base.get_weights()
    for w, b in zip(model.get_weights()[: len(own)], own, strict=True):
        np.testing.assert_array_equal(w, b)
    fresh = model.init(jax.random.key(3))
    assert not np.allclose(fresh["params"]["base"]["dense"]["kernel"], own[0])


def test_a_sequential_refuses_a_model_with_several_inputs():
    a, b = jnet.Input((2,)), jnet.Input((3,))
    two = jnet.Model([a, b], L.Concatenate()([a, b]))
    with pytest.raises(jnet.errors.JnetValueError, match="several inputs"):
        jnet.Sequential([two, L.Dense(1)])
    with pytest.raises(jnet.errors.JnetTypeError, match="Only jnet layers"):
        jnet.Sequential([object()])


# -- shared weights ------------------------------------------------------------------------------


def _outer(base):
    inputs = jnet.Input((D,))
    return jnet.Model(inputs, L.Dense(1)(base(inputs)))


@pytest.mark.parametrize("kind", ["functional", "sequential"])
def test_training_the_outer_model_trains_the_nested_model(rng, kind):
    base = _base(jnet)
    outer = _outer(base) if kind == "functional" else jnet.Sequential([base, L.Dense(1)])
    before = base.get_weights()
    outer.compile(optimizer="adam", loss="mse")
    x = _x(rng)
    outer.fit(x, rng.normal(size=(N, 1)), epochs=2, verbose=0)
    assert not np.allclose(base.get_weights()[0], before[0])
    for w, o in zip(base.get_weights(), outer.get_weights()[:4], strict=True):
        np.testing.assert_array_equal(w, o)
    features = base.predict(x, verbose=0)
    head = outer.get_weights()[4:]
    np.testing.assert_allclose(
        outer.predict(x, verbose=0), features @ head[0] + head[1], rtol=1e-5, atol=1e-6
    )
    # A second fit continues from the same state, and the base follows again.
    outer.fit(x, rng.normal(size=(N, 1)), epochs=1, verbose=0)
    np.testing.assert_array_equal(base.get_weights()[0], outer.get_weights()[0])


def test_training_the_nested_model_changes_the_outer_model(rng):
    base = _base(jnet)
    outer = _outer(base)
    outer.compile(optimizer="adam", loss="mse")
    x = _x(rng)
    outer.fit(x, rng.normal(size=(N, 1)), epochs=1, verbose=0)  # the outer has a train state
    base.compile(optimizer="sgd", loss="mse")
    base.fit(x, rng.normal(size=(N, 5)), epochs=2, verbose=0)
    np.testing.assert_array_equal(outer.get_weights()[0], base.get_weights()[0])
    # The outer model's next fit starts from the base's weights (its optimizer state kept).
    trained = base.get_weights()
    outer.layers[1].trainable = False
    outer.compile(optimizer="adam", loss="mse")
    outer.fit(x, rng.normal(size=(N, 1)), epochs=1, verbose=0)
    for w, t in zip(base.get_weights(), trained, strict=True):
        np.testing.assert_array_equal(w, t)
    # And the base trains on after the outer's training (no buffer is shared and donated).
    base.fit(x, rng.normal(size=(N, 5)), epochs=1, verbose=0)
    np.testing.assert_array_equal(outer.get_weights()[2], base.get_weights()[2])


def test_set_weights_goes_both_ways():
    base = _base(jnet)
    outer = _outer(base)
    outer.set_weights([np.full_like(w, 0.5) for w in outer.get_weights()])
    assert all(np.all(w == 0.5) for w in base.get_weights())
    base.set_weights([np.full_like(w, 2.0) for w in base.get_weights()])
    assert all(np.all(w == 2.0) for w in outer.get_weights()[:4])
    assert all(np.all(w == 0.5) for w in outer.get_weights()[4:])
    base.layers[1].set_weights([np.zeros((6, 5)), np.ones(5)])
    np.testing.assert_array_equal(outer.get_weights()[3], np.ones(5))
    np.testing.assert_allclose(
        outer.predict(np.ones((2, D)), verbose=0), np.full((2, 1), 5 * 0.5 + 0.5)
    )


def test_a_model_of_another_models_layers_shares_their_weights(rng):
    """The Keras course's intermediate-activations model sees the original's weights as it
    trains, and writes into them."""
    seq = jnet.Sequential([jnet.Input((D,)), L.Dense(3, activation="relu"), L.Dense(2)])
    probe = jnet.Model(inputs=seq.inputs, outputs=[layer.output for layer in seq.layers])
    x = _x(rng)
    seq.compile(optimizer="adam", loss="mse")
    for _ in range(2):
        seq.fit(x, rng.normal(size=(N, 2)), epochs=1, verbose=0)
        hidden, out = probe.predict(x, verbose=0)
        np.testing.assert_allclose(out, seq.predict(x, verbose=0), rtol=1e-6, atol=1e-7)
    probe.set_weights([np.full_like(w, 0.1) for w in probe.get_weights()])
    assert all(np.all(w == np.float32(0.1)) for w in seq.get_weights())
    # The probe trains too (its outputs' losses), and the original follows.
    probe.compile(optimizer="sgd", loss=["mse", "mse"])
    probe.fit(x, [rng.normal(size=(N, 3)), rng.normal(size=(N, 2))], epochs=1, verbose=0)
    assert not np.allclose(seq.get_weights()[1], 0.1)
    np.testing.assert_array_equal(seq.get_weights()[1], probe.get_weights()[1])
    seq.fit(x, rng.normal(size=(N, 2)), epochs=1, verbose=0)
    np.testing.assert_allclose(
        probe.predict(x, verbose=0)[1], seq.predict(x, verbose=0), rtol=1e-6, atol=1e-7
    )


def test_links_find_the_owned_parts():
    base = _base(jnet)
    outer = _outer(base)
    assert [name for name, _, _ in links.sources(outer)] == ["base"]
    assert links.sources(base) == []
    probe = jnet.Model(base.inputs, base.layers[0].output)
    assert [name for name, _, _ in links.sources(probe)] == ["dense"]


# -- masks ---------------------------------------------------------------------------------------


def _masked(lib, inner_kind):
    L_ = lib.layers
    if inner_kind == "sequential":
        inner = lib.Sequential(
            [lib.Input((6, 4)), L_.LSTM(5, return_sequences=True)], name="inner"
        )
    else:
        t = lib.Input((6, 4))
        inner = lib.Model(t, L_.GRU(5, return_sequences=True)(t), name="inner")
    tokens = lib.Input((6,), dtype="int32")
    x = L_.Embedding(12, 4, mask_zero=True)(tokens)
    x = inner(x)  # the mask goes in, and comes out of the return_sequences RNN
    x = L_.LSTM(3)(x)
    return lib.Model(tokens, L_.Dense(1)(x))


# Keras warns that the nested model "will destroy the mask information", then passes it on.
@pytest.mark.filterwarnings("ignore:Layer 'inner'")
@pytest.mark.parametrize("inner_kind", ["sequential", "functional"])
def test_masks_flow_into_and_out_of_a_nested_model_as_in_keras(keras, rng, inner_kind):
    keras.utils.set_random_seed(4)
    kmodel, jmodel = _masked(keras, inner_kind), _masked(jnet, inner_kind)
    jmodel.set_weights(kmodel.get_weights())
    tokens = rng.integers(1, 12, size=(8, 6)).astype(np.int32)
    for row in range(8):
        tokens[row, 6 - row % 4:] = 0  # right padding of 0 to 3 steps
    expected = kmodel.predict(tokens, verbose=0)
    np.testing.assert_allclose(jmodel.predict(tokens, verbose=0), expected, rtol=1e-5, atol=1e-6)
    # The mask came out of the nested model (its return_sequences RNN passes it on).
    inner = jmodel.get_layer("inner")
    embedded = jnet.Model(jmodel.inputs, jmodel.layers[1].output).predict(tokens, verbose=0)
    mask = tokens != 0
    out_mask = inner.forward_with_mask(
        inner.variables["params"], {}, embedded, mask=mask
    )[3]
    np.testing.assert_array_equal(out_mask, mask)


# -- the functional subclass ---------------------------------------------------------------------


class Encoder(jnet.Model):
    def __init__(self, units=3, **kwargs):
        inputs = jnet.Input((D,))
        outputs = L.Dense(units)(L.Dense(5, activation="relu")(inputs))
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)
        self.units = units

    def describe(self):
        return f"{self.name}: {self.units}"


def test_a_subclass_that_calls_init_with_inputs_and_outputs_is_functional(rng):
    model = Encoder()
    assert isinstance(model, Encoder) and isinstance(model, jnet.models.Functional)
    assert type(model).__name__ == "Encoder" and model.describe() == "encoder: 3"
    assert [lay.name for lay in model.layers] == ["input_layer", "dense", "dense_1"]
    model.compile(optimizer="adam", loss="mse")
    x = _x(rng)
    model.fit(x, rng.normal(size=(N, 3)), epochs=1, verbose=0)
    assert model.predict(x, verbose=0).shape == (N, 3)
    named = Encoder(units=2, name="enc")
    assert named.name == "enc" and named.output_shape == (None, 2)
    assert type(named) is type(model)  # one functional class per subclass


def test_a_functional_subclass_takes_positional_inputs_and_outputs():
    class Positional(jnet.Model):
        def __init__(self):
            inputs = jnet.Input((2,))
            super().__init__(inputs, L.Dense(1)(inputs), name="pos")

    model = Positional()
    assert model.name == "pos" and model.input_shape == (None, 2)
    with pytest.raises(TypeError, match="multiple values"):
        jnet.Model(jnet.Input((2,)), inputs=jnet.Input((2,)))
