"""CTC, Circle and CategoricalGeneralizedCrossEntropy (issue 21) against TensorFlow Keras:
values with and without sample_weight and in every reduction, configs, registry names, bad
inputs, and compile+fit with CTC and Circle."""

import numpy as np
import pytest

import jnet
from jnet import errors

B, T, C, L, D = 4, 6, 5, 3, 4


def _ctc_data(r):
    labels = r.integers(1, C, (B, L))
    labels[1, 2:] = 0  # padded label sequences
    labels[3, 1:] = 0
    return labels, r.normal(size=(B, T, C)).astype(np.float32)


def _circle_data(r):
    emb = r.normal(size=(6, D)).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    return np.array([0, 0, 1, 1, 2, 3]), emb  # classes 2 and 3 have no positives: masked


def _gce_data(r):
    probs = r.random((B, C)).astype(np.float32)
    return r.integers(0, C, (B,)), probs / probs.sum(axis=1, keepdims=True)


DATA = {"ctc": _ctc_data, "circle": _circle_data, "gce": _gce_data}
CASES = [  # (data, factory over a losses module)
    ("ctc", lambda m: m.CTC()),
    ("ctc", lambda m: m.CTC(reduction="sum")),
    ("circle", lambda m: m.Circle()),
    ("circle", lambda m: m.Circle(gamma=10.0, margin=0.25, remove_diagonal=False,
                                  reduction="mean_with_sample_weight")),
    ("circle", lambda m: m.Circle(reduction=None)),
    ("gce", lambda m: m.CategoricalGeneralizedCrossEntropy()),
    ("gce", lambda m: m.CategoricalGeneralizedCrossEntropy(q=0.2, reduction="none")),
]


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: repr(c[1](jnet.losses).get_config()))
def test_losses_match_keras(keras, rng, case, weighted):
    kind, factory = case
    y_true, y_pred = DATA[kind](rng)
    weight = rng.random(len(y_true)).astype(np.float32) if weighted else None
    expected = factory(keras.losses)(y_true, y_pred, sample_weight=weight)
    actual = factory(jnet.losses)(y_true, y_pred, sample_weight=weight)
    np.testing.assert_allclose(np.asarray(actual), np.asarray(expected), rtol=1e-5, atol=1e-6)


def test_functions_match_keras(keras, rng):
    labels, logits = _ctc_data(rng)
    np.testing.assert_allclose(jnet.losses.ctc(labels, logits),
                               keras.losses.ctc(labels, logits), rtol=1e-5)
    y, emb = _circle_data(rng)
    ref_y, ref = y[::-1].copy(), emb[::-1].copy()
    kwargs = dict(ref_labels=ref_y, ref_embeddings=ref, gamma=20, margin=0.3)
    np.testing.assert_allclose(jnet.losses.circle(y, emb, **kwargs),
                               keras.losses.circle(y, emb, **kwargs), rtol=1e-5, atol=1e-6)
    y, probs = _gce_data(rng)
    np.testing.assert_allclose(
        jnet.losses.categorical_generalized_cross_entropy(y, probs, 0.7),
        keras.losses.categorical_generalized_cross_entropy(y, probs, 0.7), rtol=1e-6)


@pytest.mark.parametrize("factory", [c[1] for c in CASES])
def test_config_matches_keras_and_round_trips(keras, factory):
    loss = factory(jnet.losses)
    assert loss.get_config() == factory(keras.losses).get_config()
    again = jnet.losses.deserialize(jnet.losses.serialize(loss))
    assert type(again) is type(loss) and again.get_config() == loss.get_config()
    assert jnet.losses.serialize(loss)["module"] == "keras.losses"


def test_registry_names():
    assert jnet.losses.get("ctc") is jnet.losses.ctc
    assert jnet.losses.get("circle") is jnet.losses.circle
    assert isinstance(jnet.losses.get("CTC"), jnet.losses.CTC)
    assert jnet.losses.resolve("Circle").name == "circle"
    with pytest.raises(errors.UnknownIdentifierError):  # as in Keras: from a config only
        jnet.losses.get("CategoricalGeneralizedCrossEntropy")


def test_circle_masks_samples_without_positives():
    emb = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]], np.float32)
    values = jnet.losses.circle(np.array([0, 0, 1]), emb)
    assert float(values[2]) == 0.0
    # the mean runs over the two samples that have a positive, not over three
    np.testing.assert_allclose(jnet.losses.Circle()(np.array([0, 0, 1]), emb),
                               float(values.sum()) / 2, rtol=1e-6)


@pytest.mark.parametrize("code, error, match", [
    ("jnet.losses.ctc(np.ones((2,)), np.zeros((2, 5, 3)))", errors.JnetValueError,
     r"y_true.shape=\(2,\)"),
    ("jnet.losses.ctc(np.ones((2, 3)), np.zeros((2, 5)))", errors.JnetValueError,
     r"y_pred.shape=\(2, 5\)"),
    ("jnet.losses.Circle()(np.zeros(3), np.zeros((3, 2, 2)))", errors.JnetValueError,
     r"`y_pred` must be embeddings of shape \(batch_size, embedding_dim\)"),
    ("jnet.losses.circle(np.zeros(4), np.zeros((3, 2)))", errors.JnetValueError,
     "same batch size"),
    ("jnet.losses.CategoricalGeneralizedCrossEntropy(q=1.5)", errors.JnetValueError,
     r"`q` must be a float in the interval \(0, 1\); received 1.5"),
])
def test_bad_inputs_raise_jnet_errors(code, error, match):
    with pytest.raises(error, match=match):
        eval(code)


def _fit_pair(keras, build, loss, x, y, epochs=2):
    keras.utils.set_random_seed(0)
    kmodel, jmodel = build(keras), build(jnet)
    kmodel.compile(optimizer=keras.optimizers.SGD(0.05), loss=loss(keras.losses))
    jmodel.compile(optimizer=jnet.optimizers.SGD(0.05), loss=loss(jnet.losses))
    jmodel.set_weights(kmodel.get_weights())
    kh = kmodel.fit(x, y, batch_size=4, epochs=epochs, shuffle=False, verbose=0)
    jh = jmodel.fit(x, y, batch_size=4, epochs=epochs, shuffle=False, verbose=0)
    assert np.all(np.isfinite(jh.history["loss"]))
    np.testing.assert_allclose(jh.history["loss"], kh.history["loss"], rtol=1e-5, atol=1e-6)


def test_fit_with_ctc_matches_keras(keras, rng):
    x = rng.normal(size=(8, T, 3)).astype(np.float32)
    y = rng.integers(1, C, (8, L))
    y[::3, 2] = 0

    def build(m):
        return m.Sequential([m.Input(shape=(T, 3)), m.layers.Dense(C)])

    _fit_pair(keras, build, lambda m: m.CTC(), x, y)


def test_fit_with_circle_by_name_matches_keras(keras, rng):
    x = 0.2 * rng.normal(size=(8, 3)).astype(np.float32)  # small embeddings: finite losses
    y = np.array([0, 0, 1, 1, 0, 2, 2, 1])  # the batch [0, 2, 2, 1] has a masked sample

    def build(m):
        return m.Sequential([m.Input(shape=(3,)), m.layers.Dense(D)])

    _fit_pair(keras, build, lambda m: "circle", x, y)
