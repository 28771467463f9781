"""Training with regularizers and constraints against real Keras (TensorFlow backend).

A Conv1D + Dense model with an L2 kernel and L1 bias penalty, an activity regularizer and a
MaxNorm constraint: Keras's initial weights copied into jnet, 3 epochs of ``fit``
(shuffle=False), per-epoch losses within 1e-4 relative, final weights close, and
``evaluate`` (which also counts the penalties) equal to Keras's.
"""

import json

import numpy as np
import pytest

import jnet
from jnet.training import penalties

N, T, C, EPOCHS, BATCH = 48, 8, 3, 3, 16


def _data(rng):
    x = rng.normal(size=(N, T, C)).astype(np.float32)
    y = (x.reshape(N, -1) @ rng.normal(size=(T * C, 1)) / 4).astype(np.float32)
    return x, y


def _layers(lib, constraint_axis=(0, 1)):
    layers = lib.layers
    return [
        lib.Input((T, C)),
        layers.Conv1D(
            4, 3, activation="relu",
            kernel_regularizer=lib.regularizers.L2(0.02),
            bias_regularizer=lib.regularizers.L1(0.01),
            kernel_constraint=lib.constraints.MaxNorm(0.8, axis=list(constraint_axis)),
        ),
        layers.Flatten(),
        layers.Dense(
            5, activation="tanh",
            kernel_regularizer="l2", bias_regularizer=lib.regularizers.L1(0.05),
            activity_regularizer=lib.regularizers.L2(0.01),
            kernel_constraint=lib.constraints.MaxNorm(1.0),
        ),
        layers.Dense(1, activity_regularizer=lib.regularizers.L1(0.001)),
    ]


def _pair(keras, optimizer):
    keras.utils.set_random_seed(0)
    kmodel = keras.Sequential(_layers(keras))
    jmodel = jnet.Sequential(_layers(jnet))
    kmodel.compile(optimizer=getattr(keras.optimizers, optimizer[0])(**optimizer[1]), loss="mse")
    jmodel.compile(optimizer=getattr(jnet.optimizers, optimizer[0])(**optimizer[1]), loss="mse")
    jmodel.set_weights(kmodel.get_weights())
    return kmodel, jmodel


OPTIMIZERS = [("Adam", {"learning_rate": 0.01}), ("SGD", {"learning_rate": 0.05})]


@pytest.mark.parametrize("optimizer", OPTIMIZERS, ids=[o[0] for o in OPTIMIZERS])
def test_fit_and_evaluate_match_keras(keras, rng, optimizer):
    x, y = _data(rng)
    kmodel, jmodel = _pair(keras, optimizer)
    # evaluate before training: the penalties are in Keras's evaluate loss too
    np.testing.assert_allclose(
        jmodel.evaluate(x, y, verbose=0), kmodel.evaluate(x, y, verbose=0), rtol=1e-5
    )
    kh = kmodel.fit(x, y, batch_size=BATCH, epochs=EPOCHS, shuffle=False, verbose=0)
    jh = jmodel.fit(x, y, batch_size=BATCH, epochs=EPOCHS, shuffle=False, verbose=0)
    np.testing.assert_allclose(jh.history["loss"], kh.history["loss"], rtol=1e-4)
    for kw, jw in zip(kmodel.get_weights(), jmodel.get_weights(), strict=True):
        np.testing.assert_allclose(jw, kw, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(
        jmodel.evaluate(x, y, verbose=0), kmodel.evaluate(x, y, verbose=0), rtol=1e-4
    )
    # the constraint holds after every update
    kernel = jmodel.layers[2].get_weights()[0]
    assert np.all(np.linalg.norm(kernel, axis=0) <= 1.0 + 1e-5)


def test_penalty_is_added_to_the_loss(keras, rng):
    x, y = _data(rng)
    _, jmodel = _pair(keras, OPTIMIZERS[1])
    plain = jnet.Sequential(
        [jnet.Input((T, C)), jnet.layers.Conv1D(4, 3, activation="relu"), jnet.layers.Flatten(),
         jnet.layers.Dense(5, activation="tanh"), jnet.layers.Dense(1)]
    )
    plain.compile(optimizer="sgd", loss="mse")
    plain.set_weights(jmodel.get_weights())
    # weights: 0.02 * sum(k1^2) + 0.01 * sum|b1| + 0.01 * sum(k2^2) + 0.05 * sum|b2|
    w = jmodel.get_weights()
    weights = (0.02 * np.sum(w[0] ** 2) + 0.01 * np.sum(np.abs(w[1]))
               + 0.01 * np.sum(w[2] ** 2) + 0.05 * np.sum(np.abs(w[3])))
    h = np.tanh(np.maximum(0, _conv(x, w[0], w[1])).reshape(N, -1) @ w[2] + w[3])
    out = h @ w[4] + w[5]
    activity = 0.01 * np.sum(h**2) / N + 0.001 * np.sum(np.abs(out)) / N
    np.testing.assert_allclose(
        jmodel.evaluate(x, y, batch_size=N, verbose=0),
        plain.evaluate(x, y, batch_size=N, verbose=0) + weights + activity,
        rtol=1e-5,
    )


def _conv(x, kernel, bias):
    k = kernel.shape[0]
    windows = np.stack([x[:, i : i + k, :] for i in range(x.shape[1] - k + 1)], axis=1)
    return np.einsum("ntkc,kcf->ntf", windows, kernel) + bias


def test_no_penalties_means_no_extra_work():
    model = jnet.Sequential([jnet.layers.Dense(2, input_shape=(3,)), jnet.layers.Dense(1)])
    assert penalties.regularization_fn(model) is None
    assert penalties.constraints_fn(model) is None
    assert penalties.has_activity(model) is False


def test_frozen_layers_are_not_penalized_or_constrained():
    model = jnet.Sequential([
        jnet.layers.Dense(
            2, input_shape=(3,), kernel_regularizer="l2", kernel_constraint="non_neg"
        ),
        jnet.layers.Dense(1),
    ])
    model.layers[0].trainable = False
    assert penalties.regularization_fn(model) is None
    assert penalties.constraints_fn(model) is None


def test_nested_and_functional_models_collect_penalties():
    inner = jnet.Sequential(
        [jnet.layers.Dense(2, input_shape=(3,), kernel_regularizer=jnet.regularizers.L2(0.5),
                           kernel_initializer="ones", name="inner_dense")],
        name="inner",
    )
    inputs = jnet.Input((3,))
    outputs = jnet.layers.Dense(1, kernel_constraint="non_neg")(inner(inputs))
    model = jnet.Model(inputs, outputs)
    params = model.variables["params"]
    penalty = penalties.regularization_fn(model)(params)
    np.testing.assert_allclose(float(penalty), 0.5 * 6.0)
    projected = penalties.constraints_fn(model)(
        {**params, model.layers[-1].name: {"kernel": -np.ones((2, 1), np.float32),
                                           "bias": np.zeros((1,), np.float32)}}
    )
    assert np.all(np.asarray(projected[model.layers[-1].name]["kernel"]) == 0.0)


def test_jnet_file_round_trip_keeps_penalties(tmp_path, rng):
    x, y = _data(rng)
    model = jnet.Sequential(_layers(jnet))
    model.compile(optimizer="adam", loss="mse")
    model.save(tmp_path / "m.jnet")
    loaded = jnet.models.load_model(tmp_path / "m.jnet")
    for a, b in zip(model.layers, loaded.layers, strict=True):
        # JSON turns a tuple into a list (as in Keras's own files)
        assert json.dumps(a.get_config()) == json.dumps(b.get_config())
    np.testing.assert_allclose(
        loaded.evaluate(x, y, verbose=0), model.evaluate(x, y, verbose=0), rtol=1e-6
    )
    h1 = model.fit(x, y, epochs=2, shuffle=False, verbose=0).history["loss"]
    h2 = loaded.fit(x, y, epochs=2, shuffle=False, verbose=0).history["loss"]
    np.testing.assert_allclose(h2, h1, rtol=1e-5)


def test_custom_function_regularizer_round_trips_through_custom_objects(tmp_path):
    def my_penalty(w):
        return 0.5 * jnet.regularizers.L2(1.0)(w)

    model = jnet.Sequential([jnet.layers.Dense(2, input_shape=(3,), kernel_regularizer=my_penalty)])
    model.save(tmp_path / "f.jnet")
    loaded = jnet.models.load_model(tmp_path / "f.jnet", custom_objects={"my_penalty": my_penalty})
    assert loaded.layers[0].kernel_regularizer is my_penalty


def _sequence_model(lib):
    L, R, K = lib.layers, lib.regularizers, lib.constraints
    inputs = lib.Input((6,), dtype="int32")
    x = L.Embedding(10, 4, embeddings_regularizer=R.L2(0.01),
                    embeddings_constraint=K.UnitNorm(axis=1))(inputs)
    x = L.Bidirectional(L.LSTM(
        3, kernel_regularizer="l2", recurrent_regularizer=R.L1(0.01),
        bias_regularizer=R.L2(0.1), recurrent_constraint=K.MaxNorm(0.5),
    ))(x)
    x = L.BatchNormalization(gamma_regularizer=R.L2(0.1), beta_regularizer=R.L1(0.1),
                             gamma_constraint=K.NonNeg())(x)
    outputs = L.Dense(1, activation="sigmoid", activity_regularizer=R.L2(0.1))(x)
    return lib.Model(inputs, outputs)


def test_recurrent_embedding_and_normalization_penalties_match_keras(keras, rng):
    """Functional model: Embedding, Bidirectional(LSTM), BatchNormalization, and an activity
    penalty on a sigmoid output (the loss reads logits, the penalty the probabilities)."""
    x = rng.integers(0, 10, size=(32, 6)).astype(np.int32)
    y = rng.integers(0, 2, size=(32, 1)).astype(np.float32)
    keras.utils.set_random_seed(0)
    kmodel, jmodel = _sequence_model(keras), _sequence_model(jnet)
    kmodel.compile(optimizer=keras.optimizers.Adam(0.02), loss="binary_crossentropy")
    jmodel.compile(optimizer=jnet.optimizers.Adam(0.02), loss="binary_crossentropy")
    jmodel.set_weights(kmodel.get_weights())
    np.testing.assert_allclose(
        jmodel.evaluate(x, y, verbose=0), kmodel.evaluate(x, y, verbose=0), rtol=1e-5
    )
    kh = kmodel.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    jh = jmodel.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    np.testing.assert_allclose(jh.history["loss"], kh.history["loss"], rtol=1e-4)
    for kw, jw in zip(kmodel.get_weights(), jmodel.get_weights(), strict=True):
        np.testing.assert_allclose(jw, kw, rtol=1e-4, atol=2e-5)
