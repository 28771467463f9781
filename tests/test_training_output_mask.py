"""Keras masks the loss and the metrics with the model output's mask; ``loss_weights`` scales the
loss of a model with one output.

Reference numbers come from real Keras 3 (TensorFlow backend) run on the same weights. Keras's
rules (``keras/src/losses/loss.py``, ``metrics/reduction_metrics.py``):

* the loss: ``Loss.__call__`` reads ``y_pred``'s mask, and-s it with the loss's own
  (``ignore_class``) and folds it into the sample weights as ``total / valid`` on unmasked
  entries, so ``'sum_over_batch_size'`` is ``sum(values * sample_weight * mask) / valid``;
* the metrics: ``MeanMetricWrapper`` (accuracies, mse, mae, crossentropies, ...) uses the mask
  as its sample weight, so the epoch value is the mean over every unmasked entry;
* ``loss_weights`` on one output (a number, or a one-entry list or dict) multiplies the loss
  that is trained and reported.

The embeddings are frozen in the Adam runs: Keras's TensorFlow Adam updates an Embedding from
``IndexedSlices`` (a README difference), which would hide the masking under a 1e-3 drift.
"""

import jax
import numpy as np
import pytest

import jnet
from jnet.training import StepSpec, TrainState, train_step

N, T, V, C, U = 20, 7, 20, 4, 5
BATCH = 8  # 20 samples: batches of 8, 8 and 4 (the smaller last batch counts less)
FIT = dict(epochs=3, batch_size=BATCH, shuffle=False, verbose=0)
RTOL = 1e-5


def _tokens(rng, n=N, all_padding=True):
    tokens = rng.integers(1, V, size=(n, T))
    tokens[1::3, 4:] = 0  # padded at the end
    tokens[2::3, :3] = 0  # padded at the start
    if all_padding:
        tokens[5, :] = 0  # a sequence that is all padding: none of its steps count
    return tokens


def _tagger(lib, freeze=True):
    layers = [
        lib.layers.Embedding(V, 3, mask_zero=True),
        lib.layers.LSTM(U, return_sequences=True),
        lib.layers.TimeDistributed(lib.layers.Dense(C, activation="softmax")),
    ]
    model = lib.Sequential([lib.Input((T,)), *layers], name="tagger")
    if freeze:
        model.layers[0].trainable = False
    return model


def _pair(keras, build):
    kmodel, jmodel = build(keras), build(jnet)
    jmodel.set_weights(kmodel.get_weights())
    return kmodel, jmodel


def _compile(kmodel, jmodel, keras, **kwargs):
    for model, lib in ((kmodel, keras), (jmodel, jnet)):
        model.compile(optimizer=lib.optimizers.Adam(0.01), **kwargs)


def _assert_history(jhist, khist, rtol=RTOL):
    assert sorted(jhist) == sorted(khist)
    for key in khist:
        assert np.all(np.isfinite(khist[key])), key
        np.testing.assert_allclose(jhist[key], khist[key], rtol=rtol, atol=1e-7, err_msg=key)


def _assert_evaluate(jmodel, kmodel, *args, rtol=RTOL, **kwargs):
    k = kmodel.evaluate(*args, batch_size=BATCH, verbose=0, return_dict=True, **kwargs)
    j = jmodel.evaluate(*args, batch_size=BATCH, verbose=0, return_dict=True, **kwargs)
    assert sorted(j) == sorted(k)
    for key in k:
        assert np.isfinite(k[key]), key
        np.testing.assert_allclose(j[key], k[key], rtol=rtol, atol=1e-7, err_msg=key)
    return j


# -- (a) Embedding(mask_zero) -> LSTM(return_sequences) -> TimeDistributed(Dense) --------------


def test_masked_tagger_evaluates_as_keras_and_as_the_masked_formula(keras, rng):
    kmodel, jmodel = _pair(keras, _tagger)
    _compile(kmodel, jmodel, keras, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    tokens, tags = _tokens(rng), rng.integers(0, C, size=(N, T))
    logs = _assert_evaluate(jmodel, kmodel, tokens, tags)

    # The formula: per batch, the mean over its unmasked timesteps; batches weighted by size.
    probs = jmodel.predict(tokens, verbose=0)
    mask = tokens != 0
    nll = -np.log(np.take_along_axis(probs, tags[..., None], -1)[..., 0])
    batches = [slice(i, i + BATCH) for i in range(0, N, BATCH)]
    per_batch = [(nll[b] * mask[b]).sum() / mask[b].sum() for b in batches]
    sizes = [len(tokens[b]) for b in batches]
    np.testing.assert_allclose(logs["loss"], np.dot(per_batch, sizes) / N, rtol=1e-5)
    hits = probs.argmax(-1) == tags
    np.testing.assert_allclose(logs["accuracy"], hits[mask].mean(), rtol=1e-6)
    # the unmasked per-batch mean differs (near-uniform predictions put it within 1e-5, so the
    # comparison is at float32 precision)
    assert not np.isclose(
        logs["loss"], np.dot([nll[b].mean() for b in batches], sizes) / N, rtol=1e-7, atol=0
    )


def test_masked_tagger_trains_as_keras_for_3_epochs(keras, rng):
    kmodel, jmodel = _pair(keras, _tagger)
    _compile(kmodel, jmodel, keras, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    tokens, tags = _tokens(rng), rng.integers(0, C, size=(N, T))
    khist = kmodel.fit(tokens, tags, validation_data=(tokens, tags), **FIT).history
    jhist = jmodel.fit(tokens, tags, validation_data=(tokens, tags), **FIT).history
    assert khist["loss"][0] - khist["loss"][-1] > 1e-3  # it learns something
    _assert_history(jhist, khist)
    _assert_evaluate(jmodel, kmodel, tokens, tags)


# -- (b) the same with sample weights ----------------------------------------------------------


def test_masked_tagger_with_sample_weight_evaluates_and_trains_as_keras(keras, rng):
    kmodel, jmodel = _pair(keras, _tagger)
    _compile(kmodel, jmodel, keras, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    tokens, tags = _tokens(rng), rng.integers(0, C, size=(N, T))
    weights = rng.uniform(0.2, 2.0, size=(N, T)).astype(np.float32)  # one per timestep
    logs = _assert_evaluate(jmodel, kmodel, tokens, tags, sample_weight=weights)

    # sum(nll * w * mask) / valid per batch: the weights scale, the mask sets the divisor.
    probs = jmodel.predict(tokens, verbose=0)
    mask = tokens != 0
    nll = -np.log(np.take_along_axis(probs, tags[..., None], -1)[..., 0])
    batches = [slice(i, i + BATCH) for i in range(0, N, BATCH)]
    per_batch = [(nll[b] * weights[b] * mask[b]).sum() / mask[b].sum() for b in batches]
    np.testing.assert_allclose(
        logs["loss"], np.dot(per_batch, [len(tokens[b]) for b in batches]) / N, rtol=1e-5
    )
    # 'accuracy' is a compiled (unweighted) metric: masked, but not weighted.
    np.testing.assert_allclose(
        logs["accuracy"], (probs.argmax(-1) == tags)[mask].mean(), rtol=1e-6
    )

    khist = kmodel.fit(tokens, tags, sample_weight=weights, **FIT).history
    jhist = jmodel.fit(tokens, tags, sample_weight=weights, **FIT).history
    _assert_history(jhist, khist)


def test_mask_and_ignore_class_combine_as_in_keras(keras, rng):
    # SparseCategoricalCrossentropy(ignore_class=0) has a mask of its own: Keras and-s it with
    # the output's before the total/valid weighting.
    kmodel, jmodel = _pair(keras, _tagger)
    for model, lib in ((kmodel, keras), (jmodel, jnet)):
        model.compile(
            optimizer="sgd",
            loss=lib.losses.SparseCategoricalCrossentropy(ignore_class=0),
            metrics=["accuracy"],
        )
    tokens, tags = _tokens(rng), rng.integers(0, C, size=(N, T))
    _assert_evaluate(jmodel, kmodel, tokens, tags)


# -- (c) Masking -> SimpleRNN(return_sequences) -> Dense, mse ----------------------------------


def _regressor(lib):
    return lib.Sequential([
        lib.Input((T, 3)),
        lib.layers.Masking(mask_value=0.0),
        lib.layers.SimpleRNN(U, return_sequences=True),
        lib.layers.Dense(2),
    ])


def test_masking_layer_masks_mse_and_metrics_as_keras(keras, rng):
    kmodel, jmodel = _pair(keras, _regressor)
    _compile(kmodel, jmodel, keras, loss="mse", metrics=["mae", "mse"])
    x = rng.normal(size=(N, T, 3)).astype(np.float32)
    x[1::3, 5:] = 0.0  # masked timesteps: every feature equals mask_value
    x[2::4, :2] = 0.0
    y = rng.normal(size=(N, T, 2)).astype(np.float32)  # targets at masked steps are ignored
    logs = _assert_evaluate(jmodel, kmodel, x, y)

    pred = jmodel.predict(x, verbose=0)
    mask = np.any(x != 0.0, axis=-1)
    np.testing.assert_allclose(
        logs["mae"], np.abs(pred - y).mean(-1)[mask].mean(), rtol=1e-5
    )
    khist = kmodel.fit(x, y, **FIT).history
    jhist = jmodel.fit(x, y, **FIT).history
    _assert_history(jhist, khist)


# -- several outputs: each output its own mask ---------------------------------------------------


def _two_heads(lib):
    tokens = lib.Input((T,), name="tokens")
    h = lib.layers.Embedding(V, 3, mask_zero=True, name="embed")(tokens)
    h = lib.layers.LSTM(U, return_sequences=True, name="lstm")(h)
    tags = lib.layers.TimeDistributed(
        lib.layers.Dense(C, activation="softmax"), name="tags"
    )(h)  # masked
    score = lib.layers.Dense(1, name="score")(
        lib.layers.GlobalAveragePooling1D(name="pool")(h)
    )  # the pooling consumes the mask: unmasked
    model = lib.Model(tokens, [tags, score], name="two_heads")
    model.get_layer("embed").trainable = False
    return model


def test_each_output_uses_its_own_mask_as_keras(keras, rng):
    kmodel, jmodel = _pair(keras, _two_heads)
    _compile(
        kmodel, jmodel, keras,
        loss=["sparse_categorical_crossentropy", "mse"], loss_weights=[1.0, 0.5],
        metrics={"tags": ["accuracy"], "score": ["mae"]},
    )
    # No all-padding sequence: GlobalAveragePooling1D would divide by zero unmasked steps.
    tokens, tags = _tokens(rng, all_padding=False), rng.integers(0, C, size=(N, T))
    score = rng.normal(size=(N, 1)).astype(np.float32)
    _assert_evaluate(jmodel, kmodel, tokens, [tags, score])
    khist = kmodel.fit(tokens, [tags, score], **FIT).history
    jhist = jmodel.fit(tokens, [tags, score], **FIT).history
    _assert_history(jhist, khist)


# -- unmasked models are unchanged ---------------------------------------------------------------


def _sequence_model(lib):
    return lib.Sequential([
        lib.Input((T, 3)), lib.layers.LSTM(U, return_sequences=True), lib.layers.Dense(2),
    ])


def test_unmasked_model_logs_are_the_plain_means(keras, rng):
    kmodel, jmodel = _pair(keras, _sequence_model)
    _compile(kmodel, jmodel, keras, loss="mse", metrics=["mae"])
    x = rng.normal(size=(N, T, 3)).astype(np.float32)
    x[1::3, 5:] = 0.0  # zeros, but no Masking layer: they count
    y = rng.normal(size=(N, T, 2)).astype(np.float32)
    logs = _assert_evaluate(jmodel, kmodel, x, y)
    pred = jmodel.predict(x, verbose=0)
    np.testing.assert_allclose(logs["mae"], np.abs(pred - y).mean(), rtol=1e-5)
    _assert_history(jmodel.fit(x, y, **FIT).history, kmodel.fit(x, y, **FIT).history)


def test_unmasked_model_compiles_to_the_same_train_step(rng):
    # No layer makes a mask: the mask is None at trace time, and the masked forward gives the
    # program the plain forward gave before output masks existed.
    model = _sequence_model(jnet)
    state = TrainState.create(model, optimizer="adam", loss="mse", metrics=["mae"])
    spec = state.spec
    assert spec.forward_with_mask is not None
    _, _, _, mask = spec.forward_with_mask(
        state.params, state.model_state, np.zeros((2, T, 3), np.float32)
    )
    assert mask is None
    plain = StepSpec(
        forward=spec.forward, tx=spec.tx, loss=spec.loss, metrics=spec.metrics,
        logits_activation=spec.logits_activation, output_shape=spec.output_shape,
    )
    batch = (rng.normal(size=(4, T, 3)).astype(np.float32),
             rng.normal(size=(4, T, 2)).astype(np.float32))

    def program(s):
        return jax.jit(train_step).lower(state.replace(spec=s), batch).as_text()

    assert program(spec) == program(plain)


def test_masked_model_hands_its_mask_to_the_step(rng):
    model = _tagger(jnet, freeze=False)
    state = TrainState.create(model, optimizer="sgd", loss="sparse_categorical_crossentropy")
    tokens = _tokens(rng, 4, all_padding=False)
    _, _, _, mask = state.spec.forward_with_mask(state.params, state.model_state, tokens)
    np.testing.assert_array_equal(mask, tokens != 0)


# -- loss_weights on a model with one output ---------------------------------------------------


def _dense(lib):
    return lib.Sequential([lib.Input((3,)), lib.layers.Dense(2, name="dense")])


@pytest.mark.parametrize("loss_weights", [0.5, [0.5], {"dense": 0.5}, 3.0])
def test_single_output_loss_weights_scale_the_loss_as_keras(keras, rng, loss_weights):
    kmodel, jmodel = _pair(keras, _dense)
    for model, lib in ((kmodel, keras), (jmodel, jnet)):
        model.compile(optimizer=lib.optimizers.SGD(0.05), loss="mse",
                      loss_weights=loss_weights, metrics=["mse"])
    x = rng.normal(size=(N, 3)).astype(np.float32)
    y = rng.normal(size=(N, 2)).astype(np.float32)
    logs = _assert_evaluate(jmodel, kmodel, x, y)
    factor = 3.0 if loss_weights == 3.0 else 0.5
    np.testing.assert_allclose(logs["loss"], factor * logs["mse"], rtol=1e-6)  # metrics: not
    _assert_history(jmodel.fit(x, y, **FIT).history, kmodel.fit(x, y, **FIT).history)


def test_single_output_loss_weights_reach_train_state_create(rng):
    x = rng.normal(size=(4, 3)).astype(np.float32)
    y = rng.normal(size=(4, 2)).astype(np.float32)
    model = _dense(jnet)
    logs = {}
    for weights in (None, 0.25, 2):  # an int: Keras 3.15 raises, jnet takes it as 2.0
        state = TrainState.create(model, optimizer="sgd", loss="mse", loss_weights=weights)
        logs[weights] = float(jax.jit(train_step)(state, (x, y))[1]["loss"])
    np.testing.assert_allclose(logs[0.25], 0.25 * logs[None], rtol=1e-6)
    np.testing.assert_allclose(logs[2], 2 * logs[None], rtol=1e-6)


def test_single_output_loss_weights_with_several_entries_is_an_error(keras):
    kmodel = _dense(keras)
    with pytest.raises(ValueError, match="loss_weights"):  # Keras raises when building
        kmodel.compile(optimizer="sgd", loss="mse", loss_weights=[0.5, 0.5])
        kmodel.evaluate(np.zeros((2, 3)), np.zeros((2, 2)), verbose=0)
    with pytest.raises(jnet.errors.JnetValueError, match=r"one loss, received 2 weights"):
        _dense(jnet).compile(optimizer="sgd", loss="mse", loss_weights=[0.5, 0.5])
    with pytest.raises(jnet.errors.JnetTypeError, match="loss_weights"):
        _dense(jnet).compile(optimizer="sgd", loss="mse", loss_weights="half")
