"""IoU, MeanIoU, BinaryIoU, OneHotIoU, OneHotMeanIoU, PearsonCorrelation and
ConcordanceCorrelation (issue 21) against TensorFlow Keras: several update_state calls with and
without sample_weight, reset_state, configs, bad inputs, and the epoch values of fit."""

import warnings

import numpy as np
import pytest

import jnet
from jnet import errors


def _batch(kind, r, weighted):
    if kind == "sparse":  # ids out of range on both sides (left out), (batch, pixels) labels
        y_true, y_pred = r.integers(0, 4, (4, 5)), r.integers(-1, 3, (4, 5)).astype("float32")
    elif kind == "scores":
        y_true, y_pred = r.integers(0, 3, (4, 5)), r.random((4, 5, 3)).astype("float32")
    elif kind == "binary":
        y_true, y_pred = r.integers(0, 2, (6,)), r.random((6,)).astype("float32")
    elif kind == "onehot":
        y_true, y_pred = np.eye(3)[r.integers(0, 3, (6,))], r.random((6, 3)).astype("float32")
    else:  # real values for the correlations
        y_true = r.normal(size=(5, 4)).astype("float32")
        y_pred = (y_true + r.normal(size=(5, 4))).astype("float32")
    weight_shape = y_true.shape[:2] if kind in ("sparse", "scores") else y_true.shape[:1]
    if kind == "columns":  # correlations along axis 0: one value (and weight) per column
        weight_shape = y_true.shape[1:]
    weight = 1.5 * r.integers(0, 3, weight_shape).astype("float32") if weighted else None
    return y_true, y_pred, weight


CASES = [  # (class name, kwargs, data kind)
    ("IoU", dict(num_classes=3, target_class_ids=[0, 2]), "sparse"),
    ("MeanIoU", dict(num_classes=3), "sparse"),
    ("MeanIoU", dict(num_classes=3, ignore_class=1, sparse_y_pred=False), "scores"),
    ("MeanIoU", dict(num_classes=3, dtype="float32"), "sparse"),
    ("BinaryIoU", dict(threshold=0.3), "binary"),
    ("BinaryIoU", dict(target_class_ids=[1]), "binary"),
    ("OneHotIoU", dict(num_classes=3, target_class_ids=[1]), "onehot"),
    ("OneHotMeanIoU", dict(num_classes=3), "onehot"),
    ("PearsonCorrelation", dict(), "real"),
    ("ConcordanceCorrelation", dict(), "real"),
    ("PearsonCorrelation", dict(axis=0), "columns"),
]


def _ids(case):
    return f"{case[0]}-{case[1]}"


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_metric_over_batches_matches_keras(keras, rng, case, weighted):
    name, kwargs, kind = case
    kmetric = getattr(keras.metrics, name)(**kwargs)
    jmetric = getattr(jnet.metrics, name)(**kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # float weights on an int confusion matrix: both warn
        for step in range(4):
            if step == 2:
                kmetric.reset_state()
                jmetric.reset_state()
            y_true, y_pred, weight = _batch(kind, rng, weighted)
            kmetric.update_state(y_true, y_pred, sample_weight=weight)
            jmetric.update_state(y_true, y_pred, sample_weight=weight)
            np.testing.assert_allclose(float(jmetric.result()), float(kmetric.result()),
                                       rtol=1e-5, atol=1e-6, err_msg=f"step {step}")
    for jvar, kvar in zip(jmetric.variables, kmetric.variables, strict=True):
        np.testing.assert_allclose(np.asarray(jvar.numpy()), kvar.numpy(), rtol=1e-5)


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_config_matches_keras_and_round_trips(keras, case):
    name, kwargs, _ = case
    jmetric = getattr(jnet.metrics, name)(**kwargs)
    kconfig = getattr(keras.metrics, name)(**kwargs).get_config()
    jconfig = jmetric.get_config()
    # Keras's int confusion matrix is int64; JAX without x64 keeps int32
    assert jconfig.pop("dtype") == str(kconfig.pop("dtype")).replace("int64", "int32")
    kconfig["name"] = jconfig["name"]  # Keras numbers its auto names (mean_io_u_3)
    assert jconfig == kconfig
    again = jnet.metrics.deserialize(jnet.metrics.serialize(jmetric))
    assert type(again) is type(jmetric) and again.get_config() == jmetric.get_config()


def test_per_sample_weights_spread_over_pixels(rng):
    """A jnet addition: (batch,) weights for (batch, pixels) labels (Keras refuses them)."""
    y_true, y_pred, _ = _batch("sparse", rng, False)
    weight = np.array([0, 1, 2, 1], np.int32)
    by_sample, by_pixel = jnet.metrics.MeanIoU(3), jnet.metrics.MeanIoU(3)
    by_sample.update_state(y_true, y_pred, sample_weight=weight)
    by_pixel.update_state(y_true, y_pred, sample_weight=np.repeat(weight[:, None], 5, axis=1))
    np.testing.assert_array_equal(by_sample.variables[0].numpy(), by_pixel.variables[0].numpy())


def test_registry_names():
    assert isinstance(jnet.metrics.get("pearson_correlation"), jnet.metrics.PearsonCorrelation)
    assert isinstance(jnet.metrics.get("BinaryIoU"), jnet.metrics.BinaryIoU)
    with pytest.raises(errors.UnknownIdentifierError):
        jnet.metrics.get("MeanIoU")  # needs num_classes: from a config only, as in Keras
    config = jnet.metrics.serialize(jnet.metrics.MeanIoU(4))
    assert config["module"] == "keras.metrics" and jnet.metrics.deserialize(config).num_classes == 4


@pytest.mark.parametrize("code, error, match", [
    ("jnet.metrics.MeanIoU(num_classes='3')", errors.JnetTypeError,
     "`num_classes` must be an int; received '3'"),
    ("jnet.metrics.MeanIoU(num_classes=0)", errors.JnetValueError, "must be an int >= 1"),
    ("jnet.metrics.IoU(3, target_class_ids=[0, 3])", errors.JnetValueError,
     r"target class id 3 is out of range, which is \[0, 3\)"),
    ("jnet.metrics.IoU(3, target_class_ids=2)", errors.JnetTypeError,
     "non-empty list or tuple of class ids"),
    ("jnet.metrics.MeanIoU(3, dtype='bool')", errors.JnetValueError, "int or float dtype"),
    ("jnet.metrics.MeanIoU(3).update_state(np.zeros((2, 3)), np.zeros((2, 2)))",
     errors.JnetValueError, "received 6 and 4"),
    ("jnet.metrics.MeanIoU(3).update_state(np.zeros(4), np.zeros(4), "
     "sample_weight=np.ones(3, int))",
     errors.JnetValueError, r"sample_weight of shape \(3,\)"),
])
def test_bad_inputs_raise_jnet_errors(code, error, match):
    with pytest.raises(error, match=match):
        eval(code)


def test_fit_epoch_values_match_keras(keras, rng):
    x = rng.normal(size=(24, 4)).astype(np.float32)
    y = np.argmax(x[:, :3] + 0.3 * rng.normal(size=(24, 3)), axis=1)

    def build(m):
        model = m.Sequential([m.Input(shape=(4,)), m.layers.Dense(3, activation="softmax")])
        model.compile(
            optimizer=m.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy",
            metrics=[m.metrics.MeanIoU(3, sparse_y_pred=False, name="miou"),
                     m.metrics.IoU(3, [0, 2], sparse_y_pred=False, name="iou02")],
        )
        return model

    keras.utils.set_random_seed(0)
    kmodel, jmodel = build(keras), build(jnet)
    jmodel.set_weights(kmodel.get_weights())
    kh = kmodel.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0).history
    jh = jmodel.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0).history
    for key in ("loss", "miou", "iou02"):
        np.testing.assert_allclose(jh[key], kh[key], rtol=1e-5, atol=1e-6, err_msg=key)
    assert len(set(np.round(kh["miou"], 6))) > 1  # the metric moves across epochs
    np.testing.assert_allclose(jmodel.evaluate(x, y, verbose=0),
                               kmodel.evaluate(x, y, verbose=0), rtol=1e-5, atol=1e-6)


def test_fit_correlation_epoch_values_match_keras(keras, rng):
    x = rng.normal(size=(24, 4)).astype(np.float32)
    y = (x[:, :3] * [1.0, -0.5, 0.3] + 0.2 * rng.normal(size=(24, 3))).astype(np.float32)

    def build(m):
        model = m.Sequential([m.Input(shape=(4,)), m.layers.Dense(3)])
        model.compile(optimizer=m.optimizers.SGD(0.1), loss="mse",
                      metrics=[m.metrics.PearsonCorrelation(name="pearson"),
                               m.metrics.ConcordanceCorrelation(name="ccc")])
        return model

    keras.utils.set_random_seed(0)
    kmodel, jmodel = build(keras), build(jnet)
    jmodel.set_weights(kmodel.get_weights())
    kh = kmodel.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0).history
    jh = jmodel.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0).history
    for key in ("loss", "pearson", "ccc"):
        np.testing.assert_allclose(jh[key], kh[key], rtol=1e-5, atol=1e-6, err_msg=key)
