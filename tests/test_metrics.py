"""jnet.metrics against Keras 3 on the TensorFlow backend (the `keras` fixture).

Reference numbers are Keras's stateful metrics after the same ``update_state`` calls.
"""

import doctest
import re
import warnings

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jnet import errors
from jnet import losses as L
from jnet import metrics as M

RTOL, ATOL = 1e-5, 1e-7
C = 4
BATCH_SIZES = (5, 3, 7)


def _close(actual, expected, msg=""):
    np.testing.assert_allclose(
        np.asarray(actual), np.asarray(expected), rtol=RTOL, atol=ATOL, err_msg=msg
    )


def _probs(r, shape):
    p = r.uniform(0.0, 1.0, size=shape).astype(np.float32)
    p.reshape(-1)[:3] = [0.5, 0.0, 1.0]  # 0.5 is not > 0.5: BinaryAccuracy is strict
    return p


def _class_probs(r, n):
    p = r.uniform(0.01, 1.0, size=(n, C)).astype(np.float32)
    p[0, :2] = 0.9  # a tie: argmax takes the first index
    return (p / p.sum(-1, keepdims=True)).astype(np.float32)


# Named batches: name -> (rng, n) -> (y_true, y_pred).
DATA = {
    "real": lambda r, n: (r.normal(size=(n, 3)), r.normal(size=(n, 3))),
    "real_rank1": lambda r, n: (r.normal(size=(n,)), r.normal(size=(n,))),
    "real_3d": lambda r, n: (r.normal(size=(n, 2, 3)), r.normal(size=(n, 2, 3))),
    "ints": lambda r, n: (r.integers(0, 3, size=(n, 1)), r.integers(0, 3, size=(n, 1))),
    "binary_col": lambda r, n: (r.integers(0, 2, size=(n, 1)), _probs(r, (n, 1))),
    "binary_rank1_vs_col": lambda r, n: (r.integers(0, 2, size=(n,)), _probs(r, (n, 1))),
    "binary_float_rank1": lambda r, n: (
        r.integers(0, 2, size=(n,)).astype(np.float32),
        _probs(r, (n,)),
    ),
    "multi_binary": lambda r, n: (r.integers(0, 2, size=(n, 3)), _probs(r, (n, 3))),
    "one_hot": lambda r, n: (np.eye(C)[r.integers(0, C, size=n)], _class_probs(r, n)),
    "sparse": lambda r, n: (r.integers(0, C, size=(n,)), _class_probs(r, n)),
    "sparse_col": lambda r, n: (r.integers(0, C, size=(n, 1)), _class_probs(r, n)),
    "sparse_logits": lambda r, n: (r.integers(0, C, size=(n,)), r.normal(0, 3, size=(n, C))),
}


def _batches(data, r, weighted):
    out = []
    for n in BATCH_SIZES:
        y_true, y_pred = DATA[data](r, n)
        y_true = np.asarray(y_true)
        y_true = y_true.astype(np.float32) if y_true.dtype.kind == "f" else y_true
        weight = r.uniform(0, 2, size=(n,)).astype(np.float32) if weighted else None
        if weighted:
            weight[0] = 0.0
        out.append((y_true, np.asarray(y_pred, np.float32), weight))
    return out


# (class name, kwargs, data name): the stateful metric classes.
CLASS_CASES = [
    ("MeanSquaredError", {}, "real"),
    ("MeanSquaredError", {}, "real_3d"),
    ("MeanAbsoluteError", {}, "real"),
    ("MeanAbsoluteError", {}, "real_rank1"),
    ("Accuracy", {}, "ints"),
    ("BinaryAccuracy", {}, "binary_col"),
    ("BinaryAccuracy", {}, "binary_rank1_vs_col"),
    ("BinaryAccuracy", {}, "binary_float_rank1"),
    ("BinaryAccuracy", {"threshold": 0.7}, "multi_binary"),
    ("CategoricalAccuracy", {}, "one_hot"),
    ("SparseCategoricalAccuracy", {}, "sparse"),
    ("SparseCategoricalAccuracy", {}, "sparse_col"),
    ("BinaryCrossentropy", {}, "binary_col"),
    ("BinaryCrossentropy", {"label_smoothing": 0.2}, "multi_binary"),
    ("CategoricalCrossentropy", {}, "one_hot"),
    ("CategoricalCrossentropy", {"label_smoothing": 0.1}, "one_hot"),
    ("SparseCategoricalCrossentropy", {}, "sparse"),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, "sparse_logits"),
    ("SparseCategoricalCrossentropy", {"ignore_class": 1}, "sparse"),
]


def _case_id(case):
    name, kwargs, data = case
    return "-".join([name, data, *(f"{k}={v}" for k, v in kwargs.items())])


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("case", CLASS_CASES, ids=_case_id)
def test_stateful_metric_matches_keras(keras, rng, case, weighted):
    cls_name, kwargs, data = case
    keras_metric = getattr(keras.metrics, cls_name)(**kwargs)
    jnet_metric = getattr(M, cls_name)(**kwargs)
    assert jnet_metric.name == keras_metric.name
    for i, (y_true, y_pred, weight) in enumerate(_batches(data, rng, weighted)):
        try:
            keras_metric.update_state(y_true, y_pred, sample_weight=weight)
        except Exception:  # Keras rejects these shapes: so must jnet, with its own error.
            with pytest.raises(errors.JnetValueError, match="sample_weight"):
                jnet_metric.update_state(y_true, y_pred, sample_weight=weight)
            return
        jnet_metric.update_state(y_true, y_pred, sample_weight=weight)
        _close(jnet_metric.result(), keras_metric.result(), f"after batch {i}")
    jnet_metric.reset_state()
    assert float(jnet_metric.result()) == 0.0


def test_mean_and_sum_match_keras(keras, rng):
    cases = [
        (rng.normal(size=(5,)), None),
        (rng.normal(size=(4,)), rng.uniform(size=(4,))),
        (rng.normal(size=(3, 2)), rng.uniform(size=(3,))),  # values averaged per sample
        (rng.normal(size=(3, 2)), rng.uniform(size=(3, 2))),
        (rng.normal(size=(3, 1)), rng.uniform(size=(3,))),
        (rng.normal(size=(6,)), 0.5),  # a scalar weight averages the batch first
        (np.float32(2.5), None),
    ]
    for cls_name in ["Mean", "Sum"]:
        keras_metric, jnet_metric = getattr(keras.metrics, cls_name)(), getattr(M, cls_name)()
        for values, weight in cases:
            values = np.asarray(values, np.float32)
            weight = None if weight is None else np.asarray(weight, np.float32)
            keras_metric.update_state(values, sample_weight=weight)
            jnet_metric.update_state(values, sample_weight=weight)
            _close(jnet_metric.result(), keras_metric.result(), f"{cls_name} {values.shape}")


# (function name, kwargs, data name): the metric functions.
FUNCTION_CASES = [
    ("accuracy", {}, "ints"),
    ("binary_accuracy", {}, "binary_col"),
    ("binary_accuracy", {}, "binary_rank1_vs_col"),
    ("binary_accuracy", {"threshold": 0.3}, "multi_binary"),
    ("categorical_accuracy", {}, "one_hot"),
    ("sparse_categorical_accuracy", {}, "sparse"),
    ("sparse_categorical_accuracy", {}, "sparse_col"),
]


@pytest.mark.parametrize("case", FUNCTION_CASES, ids=_case_id)
def test_function_matches_keras(keras, rng, case):
    fn_name, kwargs, data = case
    y_true, y_pred = DATA[data](rng, 6)
    y_pred = np.asarray(y_pred, np.float32)
    from keras.src.metrics import accuracy_metrics  # keras.metrics does not export `accuracy`

    expected = getattr(accuracy_metrics, fn_name)(y_true, y_pred, **kwargs)
    actual = getattr(M, fn_name)(y_true, y_pred, **kwargs)
    assert actual.shape == tuple(expected.shape) and actual.dtype == jnp.float32
    _close(actual, expected)


# ---------------------------------------------------------------------------------------------
# compile-style resolution
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, expected_fn",
    [
        ("binary_col", "binary_accuracy"),
        ("binary_rank1_vs_col", "binary_accuracy"),
        ("sparse", "sparse_categorical_accuracy"),
        ("sparse_col", "sparse_categorical_accuracy"),
        ("one_hot", "categorical_accuracy"),
    ],
)
@pytest.mark.parametrize("identifier", ["accuracy", "acc", "Accuracy"])
def test_accuracy_is_chosen_by_shape_as_keras(keras, rng, data, expected_fn, identifier):
    from keras.src.trainers.compile_utils import get_metric

    batches = _batches(data, rng, weighted=True)
    y_true, y_pred, _ = batches[0]
    keras_metric = get_metric(identifier, y_true, y_pred)
    metric = M.resolve(identifier)
    assert isinstance(metric, M.AccuracyByShape)
    assert metric.name == keras_metric.name == identifier
    assert metric.function_for(y_true, y_pred).__name__ == expected_fn
    assert type(keras_metric).__name__ == "".join(p.title() for p in expected_fn.split("_"))
    for y_true, y_pred, weight in batches:
        keras_metric.update_state(y_true, y_pred, sample_weight=weight)
        metric.update_state(y_true, y_pred, sample_weight=weight)
    _close(metric.result(), keras_metric.result())


def test_resolve_names_match_keras_get_metric(keras, rng):
    from keras.src.trainers.compile_utils import get_metric

    y_true, y_pred = np.zeros((4, 1), np.float32), np.full((4, 1), 0.3, np.float32)
    identifiers = [
        "mae",
        "mse",
        "MAE",
        "mean_absolute_error",
        "MeanSquaredError",
        "binary_accuracy",
        "BinaryAccuracy",
        "bce",
        "binary_crossentropy",
        "acc",
        "accuracy",
        M.BinaryAccuracy(name="my_acc"),
        keras.metrics.mean_absolute_error,
        L.mean_absolute_error,
    ]
    for identifier in identifiers:
        keras_identifier = identifier
        if isinstance(identifier, M.Metric):
            keras_identifier = keras.metrics.BinaryAccuracy(name="my_acc")
        keras_metric = get_metric(keras_identifier, y_true, y_pred)
        metric = M.resolve(identifier)
        assert isinstance(metric, M.Metric)
        assert metric.name == keras_metric.name, identifier
        keras_metric.update_state(y_true, y_pred)
        metric.update_state(y_true, y_pred)
        _close(metric.result(), keras_metric.result(), str(identifier))


def test_resolve_identifiers():
    instance = M.Mean(name="m")
    assert M.resolve(instance) is instance
    assert isinstance(M.resolve(M.BinaryAccuracy), M.BinaryAccuracy)

    def myMetric(y_true, y_pred):  # noqa: N802 - checks Keras's snake-casing of the name
        return jnp.abs(y_true - y_pred)

    wrapped = M.resolve(myMetric)
    assert isinstance(wrapped, M.MeanMetricWrapper) and wrapped.name == "my_metric"
    # Every loss function works as a metric, also by name (a jnet extension for 'huber').
    for fn in [L.huber, L.mean_squared_error, L.binary_crossentropy]:
        assert M.resolve(fn).name == fn.__name__
    huber = M.resolve("huber")
    huber.update_state(np.zeros((2, 1)), np.full((2, 1), 2.0))
    assert huber.name == "huber" and float(huber.result()) == 1.5
    assert isinstance(
        M.get({"class_name": "BinaryAccuracy", "config": {"threshold": 0.9}}), M.BinaryAccuracy
    )
    assert M.get(None) is None
    with pytest.raises(errors.JnetValueError, match="None"):
        M.resolve(None)


def test_crossentropy_metric_by_shape(rng):
    for data, fn in [
        ("binary_col", L.binary_crossentropy),
        ("sparse", L.sparse_categorical_crossentropy),
        ("one_hot", L.categorical_crossentropy),
    ]:
        for identifier in ["crossentropy", "ce"]:
            metric = M.resolve(identifier)
            assert isinstance(metric, M.CrossentropyByShape) and metric.name == identifier
            y_true, y_pred, weight = _batches(data, rng, weighted=True)[0]
            assert metric.function_for(y_true, y_pred) is fn
            metric.update_state(y_true, y_pred, sample_weight=weight)
            values = fn(y_true, y_pred)
            _close(metric.result(), np.sum(values * weight) / np.sum(weight))


def test_unknown_metric_names_the_nearest():
    with pytest.raises(errors.UnknownIdentifierError, match="Did you mean 'accuracy'"):
        M.resolve("accuracyy")
    with pytest.raises(ValueError, match="mean_absolute_error"):
        M.get("mean_absolute_eror")
    with pytest.raises(errors.JnetTypeError, match="Could not interpret metric identifier"):
        M.get(3.0)


@pytest.mark.parametrize("name", M._REGISTRY.names())
def test_every_registry_entry_matches_keras(keras, rng, name):
    canonical = M._REGISTRY.canonical(name)
    data = {
        "BinaryAccuracy": "binary_col",
        "BinaryCrossentropy": "binary_col",
        "CategoricalAccuracy": "one_hot",
        "CategoricalCrossentropy": "one_hot",
        "SparseCategoricalAccuracy": "sparse",
        "SparseCategoricalCrossentropy": "sparse",
        "Accuracy": "ints",
        "TopKCategoricalAccuracy": "one_hot",
        "SparseTopKCategoricalAccuracy": "sparse",
        "TruePositives": "binary_col",
        "FalsePositives": "binary_col",
        "TrueNegatives": "binary_col",
        "FalseNegatives": "binary_col",
        "Precision": "binary_col",
        "Recall": "binary_col",
        "AUC": "multi_binary",
        "F1Score": "multi_binary",
        "FBetaScore": "one_hot",
        "Hinge": "multi_binary",
        "SquaredHinge": "multi_binary",
        "CategoricalHinge": "one_hot",
        "KLDivergence": "one_hot",
        "Poisson": "one_hot",
        "BinaryIoU": "binary_col",  # one label per sample: Keras's IoU takes one weight each
    }.get(canonical, "real")
    jnet_metric, keras_metric = M.get(name), keras.metrics.get(name)
    assert type(jnet_metric).__name__ == type(keras_metric).__name__
    # Keras uniquifies default names ('precision_1' for a second Precision()); jnet does not.
    assert jnet_metric.name == re.sub(r"_\d+$", "", keras_metric.name)
    keras_config = keras_metric.get_config()
    keras_config["name"] = re.sub(r"_\d+$", "", keras_config["name"])
    if keras_config.get("dtype") == "int64":  # IoU's counts: int32 in JAX without x64
        keras_config["dtype"] = "int32"
    assert jnet_metric.get_config() == keras_config
    for y_true, y_pred, weight in _batches(data, rng, weighted=True):
        if canonical in ("Mean", "Sum"):
            jnet_metric.update_state(y_pred, sample_weight=weight)
            keras_metric.update_state(y_pred, sample_weight=weight)
        else:
            jnet_metric.update_state(y_true, y_pred, sample_weight=weight)
            keras_metric.update_state(y_true, y_pred, sample_weight=weight)
    _close(jnet_metric.result(), keras_metric.result())
    assert M.resolve(name).name == name
    rebuilt = M.deserialize(M.serialize(jnet_metric))
    assert type(rebuilt) is type(jnet_metric) and rebuilt.get_config() == jnet_metric.get_config()


# ---------------------------------------------------------------------------------------------
# Pure state: jit, scan, merge
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("identifier", ["accuracy", "mae", "sparse_categorical_crossentropy"])
def test_jit_scan_over_update_matches_eager(rng, identifier):
    n, steps = 4, 5
    y_true = rng.integers(0, C, size=(steps, n))
    y_pred = np.stack([_class_probs(rng, n) for _ in range(steps)])
    weight = rng.uniform(size=(steps, n)).astype(np.float32)
    if identifier == "mae":
        y_true = np.eye(C, dtype=np.float32)[y_true]
    metric = M.resolve(identifier)

    traces = []

    @jax.jit
    def run(batches):
        traces.append(1)

        def step(state, batch):
            return metric.update(state, *batch), None

        state, _ = jax.lax.scan(step, metric.init(), batches)
        return metric.result(state)

    scanned = run((y_true, y_pred, weight))
    run((y_true, y_pred, weight + 1.0))
    assert len(traces) == 1  # the second call reuses the compiled scan
    for i in range(steps):
        metric.update_state(y_true[i], y_pred[i], sample_weight=weight[i])
    _close(scanned, metric.result())
    assert jax.tree_util.tree_all(
        jax.tree_util.tree_map(lambda x: x.dtype == jnp.float32, metric.init())
    )


def test_merge_sums_states(rng):
    metric = M.BinaryAccuracy()
    a, b = _batches("binary_col", rng, weighted=True)[:2]
    state_a = metric.update(metric.init(), *a)
    state_b = metric.update(metric.init(), *b)
    both = metric.update(metric.update(metric.init(), *a), *b)
    merged = metric.merge(state_a, state_b)
    _close(merged.total, both.total)
    _close(merged.count, both.count)
    _close(metric.result(merged), metric.result(both))


def test_crossentropy_metrics_have_the_logits_shortcut(keras, rng):
    import tensorflow as tf

    y_true = rng.integers(0, 2, size=(6, 1)).astype(np.float32)
    z = rng.normal(0, 10, size=(6, 1)).astype(np.float32)
    keras_metric = keras.metrics.BinaryCrossentropy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        keras_metric.update_state(y_true, keras.activations.sigmoid(tf.constant(z)))
    metric = M.BinaryCrossentropy()
    assert metric.logits_activation == "sigmoid" and not metric.from_logits
    logits_metric = metric.with_logits()
    assert logits_metric.from_logits and logits_metric.name == metric.name
    logits_metric.update_state(y_true, z)
    _close(logits_metric.result(), keras_metric.result())
    assert M.resolve("ce").logits_activation_for(np.zeros(3), np.zeros((3, 4))) == "softmax"
    assert M.resolve("ce").with_logits().from_logits
    assert M.resolve("acc").logits_activation is None
    with pytest.raises(errors.JnetValueError, match="no from_logits form"):
        M.resolve("acc").with_logits()


def test_shape_errors_name_both_shapes():
    with pytest.raises(errors.JnetValueError, match=r"\(4, 3\).*\(4, 2\)"):
        M.accuracy(np.zeros((4, 3)), np.zeros((4, 2)))
    with pytest.raises(errors.JnetValueError, match=r"sample_weight.*\(3,\)"):
        M.Mean().update(M.Mean().init(), np.zeros((4,)), sample_weight=np.ones(3))


@pytest.mark.parametrize(
    "module",
    ["", "._base", "._reduction", "._accuracy", "._top_k", "._confusion_counts", "._confusion",
     "._auc", "._f_score", "._regression", "._hinge", "._probabilistic", "._registry"],
)
def test_docstring_examples_run(module):
    import importlib

    mod = importlib.import_module("jnet.metrics" + module)
    result = doctest.testmod(mod, extraglobs={"np": np}, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 1 and result.failed == 0


_LOSS_FUNCTIONS_AS_METRICS = [
    "mean_squared_error", "mean_absolute_error", "binary_crossentropy", "categorical_crossentropy",
    "sparse_categorical_crossentropy", "binary_focal_crossentropy",
    "categorical_focal_crossentropy", "huber",
]


@pytest.mark.parametrize("name", _LOSS_FUNCTIONS_AS_METRICS)
def test_loss_functions_are_metric_functions_as_in_keras(keras, name):
    assert getattr(M, name) is getattr(L, name)
    assert getattr(keras.metrics, name) is getattr(keras.losses, name)
