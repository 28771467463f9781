"""Custom losses the Keras way: a function ``loss(y_true, y_pred)`` and a ``Loss`` subclass
with ``call`` (the guide "training with built-in methods"'s ``custom_mean_squared_error`` and
``CustomMSE``), standalone and in ``fit``, with the same numbers as Keras on TensorFlow."""

import numpy as np
import pytest

import jnet
from jnet import errors

N, BATCH = 70, 16


def _guide_losses(lib):
    ops = lib.ops

    def custom_mean_squared_error(y_true, y_pred):
        return ops.mean(ops.square(y_true - y_pred), axis=-1)

    class CustomMSE(lib.losses.Loss):
        def __init__(self, regularization_factor=0.1, name="custom_mse"):
            super().__init__(name=name)
            self.regularization_factor = regularization_factor

        def call(self, y_true, y_pred):
            mse = ops.mean(ops.square(y_true - y_pred), axis=-1)
            reg = ops.mean(ops.square(0.5 - y_pred), axis=-1)
            return mse + reg * self.regularization_factor

        def get_config(self):
            return {"regularization_factor": self.regularization_factor, "name": self.name}

    return custom_mean_squared_error, CustomMSE


def _keyword_loss(lib):
    """The base's keywords (reduction, dtype) passed through a subclass."""
    ops = lib.ops

    class AbsoluteError(lib.losses.Loss):
        def __init__(self, scale=1.0, **kwargs):
            super().__init__(**kwargs)
            self.scale = scale

        def call(self, y_true, y_pred):
            return ops.mean(ops.abs(y_true - y_pred), axis=-1) * self.scale

    return AbsoluteError


def test_loss_subclass_standalone_as_keras(keras, rng):
    y_true = rng.random((6, 3)).astype("float32")
    y_pred = rng.random((6, 3)).astype("float32")
    weights = np.array([1, 0, 2, 1, 0, 1], "float32")
    (_, kmse), (_, jmse) = _guide_losses(keras), _guide_losses(jnet)
    kabs, jabs = _keyword_loss(keras), _keyword_loss(jnet)
    pairs = [(kmse(), jmse()), (kmse(0.5), jmse(0.5))] + [
        (kabs(2.0, reduction=r), jabs(2.0, reduction=r))
        for r in ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none")
    ]
    for kloss, jloss in pairs:
        for sw in (None, weights):
            expected = np.asarray(kloss(y_true, y_pred, sample_weight=sw))
            got = np.asarray(jloss(y_true, y_pred, sample_weight=sw))
            assert got.shape == expected.shape
            np.testing.assert_allclose(got, expected, rtol=1e-6, err_msg=kloss.name)
    assert jabs(reduction="sum", dtype="float16")(y_true, y_pred).dtype == np.float16


def test_loss_subclass_config_round_trip(keras):
    _, kmse = _guide_losses(keras)
    _, jmse = _guide_losses(jnet)
    loss = jmse(regularization_factor=0.3, name="mine")
    assert loss.get_config() == kmse(regularization_factor=0.3, name="mine").get_config()
    clone = type(loss).from_config(loss.get_config())
    assert (clone.regularization_factor, clone.name) == (0.3, "mine")
    jabs = _keyword_loss(jnet)(reduction="sum", name="abs")
    assert jabs.get_config() == _keyword_loss(keras)(reduction="sum", name="abs").get_config()


def _mlp(lib):
    inputs = lib.Input(shape=(8,))
    x = lib.layers.Dense(16, activation="relu")(inputs)
    outputs = lib.layers.Dense(3, activation="softmax")(x)
    return lib.Model(inputs=inputs, outputs=outputs)


@pytest.mark.parametrize("which", ["function", "subclass"])
def test_guide_custom_losses_train_as_keras(keras, rng, which):
    keras.utils.set_random_seed(0)
    kmodel, jmodel = _mlp(keras), _mlp(jnet)
    jmodel.set_weights(kmodel.get_weights())
    x = rng.normal(size=(N, 8)).astype("float32")
    y_one_hot = np.eye(3, dtype="float32")[rng.integers(0, 3, size=N)]
    histories = []
    for model, lib in ((kmodel, keras), (jmodel, jnet)):
        fn, cls = _guide_losses(lib)
        loss = fn if which == "function" else cls()
        model.compile(optimizer=lib.optimizers.Adam(learning_rate=0.01), loss=loss,
                      metrics=[fn])
        histories.append(model.fit(x, y_one_hot, batch_size=BATCH, epochs=3, shuffle=False,
                                   verbose=0).history)
    khist, jhist = histories
    assert sorted(jhist) == sorted(khist)
    for key in khist:
        np.testing.assert_allclose(jhist[key], khist[key], rtol=1e-5, err_msg=key)
    for jw, kw in zip(jmodel.get_weights(), kmodel.get_weights(), strict=True):
        np.testing.assert_allclose(jw, kw, rtol=1e-4, atol=1e-6)


def test_loss_subclass_without_call_is_refused_at_compile():
    class NoCall(jnet.losses.Loss):
        pass

    class Forgetful(jnet.losses.Loss):
        def __init__(self):
            self.factor = 2.0

        def call(self, y_true, y_pred):
            return y_pred

    model = jnet.Sequential([jnet.Input((2,)), jnet.layers.Dense(1)])
    with pytest.raises(errors.JnetTypeError, match=r"NoCall.*call\(self, y_true, y_pred\)"):
        model.compile(optimizer="sgd", loss=NoCall())
    with pytest.raises(errors.JnetTypeError, match=r"Forgetful.*super\(\).__init__\(\)"):
        model.compile(optimizer="sgd", loss=Forgetful())
