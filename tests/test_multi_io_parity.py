"""Several inputs and outputs against real TensorFlow Keras: a two-input two-output model.

Input A (8,) and input B (4,), a Dense on each, Concatenate, a shared Dense, and two heads:
'class' (softmax over 3, sparse categorical cross-entropy) and 'value' (linear, MSE), with
``loss_weights={'class': 1.0, 'value': 0.5}`` and ``metrics={'class': 'accuracy', 'value':
'mae'}``. Both models start from Keras's weights; predictions, 3 epochs of history (every key,
in Keras's order) and ``evaluate`` (list and dict) are compared.
"""

import numpy as np
import pytest

import jnet

N, BATCH, EPOCHS = 50, 16, 3  # 50 % 16 = 2: a partial last batch every epoch


def _data(rng):
    xa = rng.normal(size=(N, 8)).astype(np.float32)
    xb = rng.normal(size=(N, 4)).astype(np.float32)
    y_class = np.argmax(xa[:, :3] + xb[:, :1], axis=1).astype(np.int32)
    y_value = (xa[:, :1] - xb[:, 1:2]).astype(np.float32)
    return xa, xb, y_class, y_value


def _build(lib, dict_outputs=False):
    a = lib.Input(shape=(8,), name="a")
    b = lib.Input(shape=(4,), name="b")
    h = lib.layers.Concatenate()([
        lib.layers.Dense(6, activation="relu")(a), lib.layers.Dense(5, activation="relu")(b)
    ])
    h = lib.layers.Dense(8, activation="tanh")(h)
    c = lib.layers.Dense(3, activation="softmax", name="class")(h)
    v = lib.layers.Dense(1, name="value")(h)
    outputs = {"class": c, "value": v} if dict_outputs else [c, v]
    return lib.Model(inputs=[a, b], outputs=outputs)


def _compile(model, lib, **overrides):
    kwargs = dict(
        optimizer=lib.optimizers.Adam(learning_rate=0.01),
        loss={"class": "sparse_categorical_crossentropy", "value": "mse"},
        loss_weights={"class": 1.0, "value": 0.5},
        metrics={"class": "accuracy", "value": "mae"},
    )
    kwargs.update(overrides)
    model.compile(**kwargs)


@pytest.fixture(scope="module")
def pair(keras):
    keras.utils.set_random_seed(0)
    kmodel = _build(keras)
    jmodel = _build(jnet)
    jmodel.set_weights(kmodel.get_weights())
    return kmodel, jmodel


def _close(a, b, rtol=1e-4, atol=1e-6):
    np.testing.assert_allclose(np.asarray(a, np.float64), np.asarray(b, np.float64),
                               rtol=rtol, atol=atol)


def test_predictions_match_keras(pair, rng):
    kmodel, jmodel = pair
    xa, xb, _, _ = _data(rng)
    expected = kmodel.predict([xa, xb], verbose=0)
    got = jmodel.predict([xa, xb], verbose=0)
    assert isinstance(got, list) and len(got) == 2
    for e, g in zip(expected, got, strict=True):
        assert g.shape == e.shape
        np.testing.assert_allclose(g, e, rtol=1e-5, atol=1e-5)
    by_name = jmodel.predict({"a": xa, "b": xb}, verbose=0)
    np.testing.assert_array_equal(by_name[0], got[0])


def test_fit_history_and_evaluate_match_keras(keras, rng):
    keras.utils.set_random_seed(0)
    kmodel, jmodel = _build(keras), _build(jnet)
    jmodel.set_weights(kmodel.get_weights())
    _compile(kmodel, keras)
    _compile(jmodel, jnet)
    xa, xb, yc, yv = _data(rng)
    x = [xa, xb]
    y = {"class": yc, "value": yv}
    val = ([xa[:20], xb[:20]], [yc[:20], yv[:20]])
    fit = dict(epochs=EPOCHS, batch_size=BATCH, shuffle=False, verbose=0, validation_data=val)
    kh = kmodel.fit(x, y, **fit).history
    jh = jnet_history = jmodel.fit(x, y, **fit).history
    # Keys and their order as Keras on TensorFlow reports them (all sorted).
    assert list(jnet_history) == list(kh)
    assert "class_loss" in kh and "value_mae" in kh and "val_value_loss" in kh
    for key in kh:
        _close(jh[key], kh[key])
    k_eval = kmodel.evaluate(x, y, batch_size=BATCH, verbose=0)
    j_eval = jmodel.evaluate(x, y, batch_size=BATCH, verbose=0)
    assert len(j_eval) == len(k_eval) == 5
    _close(j_eval, k_eval)
    k_dict = kmodel.evaluate(x, y, batch_size=BATCH, verbose=0, return_dict=True)
    j_dict = jmodel.evaluate(x, y, batch_size=BATCH, verbose=0, return_dict=True)
    assert list(j_dict) == list(k_dict)
    _close([j_dict[k] for k in k_dict], [k_dict[k] for k in k_dict])
    for e, g in zip(kmodel.get_weights(), jmodel.get_weights(), strict=True):
        np.testing.assert_allclose(g, e, rtol=1e-4, atol=1e-5)


@pytest.mark.filterwarnings("ignore:Gradients do not exist")
@pytest.mark.parametrize("case", [
    dict(loss="mse", metrics=None, one_hot=True),  # one loss for every output
    dict(loss=["categorical_crossentropy", "mse"], metrics=[["accuracy", "mse"], ["mae", "mae"]],
         one_hot=True),  # lists of lists, a repeated name
    dict(loss=["sparse_categorical_crossentropy", None], metrics=[None, "mae"],
         one_hot=False),  # one output without loss: no per-output loss keys
])
def test_compile_forms_match_keras(keras, rng, case):
    keras.utils.set_random_seed(1)
    kmodel, jmodel = _build(keras), _build(jnet)
    jmodel.set_weights(kmodel.get_weights())
    overrides = dict(loss=case["loss"], metrics=case["metrics"], loss_weights=None)
    _compile(kmodel, keras, **overrides)
    _compile(jmodel, jnet, **overrides)
    xa, xb, yc, yv = _data(rng)
    if case["one_hot"]:
        yc = np.eye(3, dtype=np.float32)[yc]
    fit = dict(epochs=2, batch_size=BATCH, shuffle=False, verbose=0, validation_split=0.2)
    kh = kmodel.fit([xa, xb], [yc, yv], **fit).history
    jh = jmodel.fit([xa, xb], [yc, yv], **fit).history
    assert list(jh) == list(kh)
    for key in kh:
        _close(jh[key], kh[key])
    k_eval = kmodel.evaluate([xa, xb], [yc, yv], verbose=0)
    j_eval = jmodel.evaluate([xa, xb], [yc, yv], verbose=0)
    _close(j_eval, k_eval)


def test_dict_outputs_match_keras(keras, rng):
    keras.utils.set_random_seed(2)
    kmodel, jmodel = _build(keras, dict_outputs=True), _build(jnet, dict_outputs=True)
    jmodel.set_weights(kmodel.get_weights())
    _compile(kmodel, keras)
    _compile(jmodel, jnet)
    xa, xb, yc, yv = _data(rng)
    x, y = {"a": xa, "b": xb}, {"class": yc, "value": yv}
    sample_weight = rng.uniform(0.5, 1.5, size=N).astype(np.float32)
    fit = dict(epochs=2, batch_size=BATCH, shuffle=False, verbose=0)
    kh = kmodel.fit(x, y, sample_weight=sample_weight, **fit).history
    jh = jmodel.fit(x, y, sample_weight=sample_weight, **fit).history
    assert list(jh) == list(kh)
    for key in kh:
        _close(jh[key], kh[key])
    kp, jp = kmodel.predict(x, verbose=0), jmodel.predict(x, verbose=0)
    assert isinstance(jp, dict) and list(jp) == list(kp)
    for key in kp:
        np.testing.assert_allclose(jp[key], kp[key], rtol=1e-4, atol=1e-5)
