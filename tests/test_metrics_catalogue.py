"""The issue-5 metric catalogue against Keras 3 on the TensorFlow backend (the `keras` fixture).

Top-k accuracy, confusion metrics (TP/FP/TN/FN, Precision, Recall, AUC), F-scores, regression,
hinge and probabilistic metrics. Reference numbers are Keras's stateful metrics after the same
``update_state`` calls; jnet runs both its stateful API and its pure state under ``jax.jit``.
"""

import re
import warnings

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jnet import errors
from jnet import losses as L
from jnet import metrics as M

RTOL, ATOL = 1e-6, 1e-7
C = 4
BATCH_SIZES = (5, 3, 7)


def close(actual, expected, msg="", rtol=RTOL, atol=ATOL):
    # Counts such as ``total - tp`` carry float32 rounding of the sums they come from (summed
    # in another order than TensorFlow's kernels): the absolute tolerance scales with them.
    atol = max(atol, RTOL * float(np.max(np.abs(np.asarray(expected, np.float64)), initial=0)))
    np.testing.assert_allclose(
        np.asarray(actual), np.asarray(expected), rtol=rtol, atol=atol, err_msg=msg
    )


def _probs(r, shape):
    p = r.uniform(0.0, 1.0, size=shape).astype(np.float32)
    # On the thresholds: strictly greater is positive (0.5 at 0.5 is negative), and buckets
    # of evenly spaced thresholds (k / 199 for AUC's default).
    flat = p.reshape(-1)
    special = np.array([0.5, 0.0, 1.0, 2 / 199, 1 / 3], np.float32)[: flat.size]
    flat[: special.size] = special
    return p


def _class_probs(r, n):
    p = r.uniform(0.01, 1.0, size=(n, C)).astype(np.float32)
    p[0, :2] = 0.9  # a tie
    return (p / p.sum(-1, keepdims=True)).astype(np.float32)


def _sorted_ids(r, n):
    scores = r.uniform(size=(n, C))
    return r.integers(0, C, size=(n,)), np.argsort(-scores, axis=-1).astype(np.int32)


DATA = {
    "real": lambda r, n: (r.normal(size=(n, 3)), r.normal(size=(n, 3))),
    "real_3d": lambda r, n: (r.normal(size=(n, 2, 3)), r.normal(size=(n, 2, 3))),
    "positive": lambda r, n: (r.uniform(0, 3, size=(n, 3)), r.uniform(0.1, 3, size=(n, 3))),
    "binary_col": lambda r, n: (r.integers(0, 2, size=(n, 1)), _probs(r, (n, 1))),
    "binary_rank1": lambda r, n: (r.integers(0, 2, size=(n,)), _probs(r, (n,))),
    "binary_logits": lambda r, n: (r.integers(0, 2, size=(n, 1)), r.normal(0, 3, size=(n, 1))),
    "multi_binary": lambda r, n: (r.integers(0, 2, size=(n, 3)), _probs(r, (n, 3))),
    "pm_one": lambda r, n: (2 * r.integers(0, 2, size=(n, 3)) - 1, r.normal(size=(n, 3))),
    "one_hot": lambda r, n: (np.eye(C)[r.integers(0, C, size=n)], _class_probs(r, n)),
    "sparse": lambda r, n: (r.integers(0, C, size=(n,)), _class_probs(r, n)),
    "sparse_col": lambda r, n: (r.integers(0, C, size=(n, 1)), _class_probs(r, n)),
    "sorted_ids": _sorted_ids,
}


def make_batches(data, r, weighted):
    out = []
    for n in BATCH_SIZES:
        y_true, y_pred = (np.asarray(a) for a in DATA[data](r, n))
        if y_true.dtype.kind == "f":
            y_true = y_true.astype(np.float32)
        if y_pred.dtype.kind == "f":
            y_pred = y_pred.astype(np.float32)
        weight = r.uniform(0, 2, size=(n,)).astype(np.float32) if weighted else None
        if weighted:
            weight[0] = 0.0
        out.append((y_true, y_pred, weight))
    return out


# (class name, kwargs, data name)
CASES = [
    ("TopKCategoricalAccuracy", {}, "one_hot"),
    ("TopKCategoricalAccuracy", {"k": 2}, "one_hot"),
    ("SparseTopKCategoricalAccuracy", {}, "sparse"),
    ("SparseTopKCategoricalAccuracy", {"k": 2}, "sparse"),
    ("SparseTopKCategoricalAccuracy", {"k": 1}, "sparse_col"),
    ("SparseTopKCategoricalAccuracy", {"k": 2, "from_sorted_ids": True}, "sorted_ids"),
    ("F1Score", {}, "one_hot"),
    ("F1Score", {"average": "micro"}, "one_hot"),
    ("F1Score", {"average": "macro", "threshold": 0.5}, "multi_binary"),
    ("F1Score", {"average": "weighted", "threshold": 0.3}, "multi_binary"),
    ("FBetaScore", {"beta": 2.0, "average": "macro"}, "one_hot"),
    ("FBetaScore", {"beta": 0.5, "threshold": 0.5}, "multi_binary"),
    ("RootMeanSquaredError", {}, "real"),
    ("RootMeanSquaredError", {}, "real_3d"),
    ("MeanAbsolutePercentageError", {}, "real"),
    ("MeanSquaredLogarithmicError", {}, "positive"),
    ("CosineSimilarity", {}, "real"),
    ("CosineSimilarity", {}, "real_3d"),
    ("LogCoshError", {}, "real"),
    ("R2Score", {}, "real"),
    ("R2Score", {"class_aggregation": "variance_weighted_average"}, "real"),
    ("R2Score", {"class_aggregation": None}, "real"),
    ("R2Score", {"num_regressors": 2}, "real"),
    ("Hinge", {}, "multi_binary"),
    ("Hinge", {}, "pm_one"),
    ("SquaredHinge", {}, "multi_binary"),
    ("SquaredHinge", {}, "pm_one"),
    ("CategoricalHinge", {}, "one_hot"),
    ("KLDivergence", {}, "one_hot"),
    ("Poisson", {}, "positive"),
]


def _keras_name(name):
    return re.sub(r"_\d+$", "", name)  # Keras uniquifies default names; jnet does not


def run_parity_case(keras, rng, case, weighted):
    """Keras's stateful metric vs jnet's (eager, and pure state under jit when weighted)."""
    cls_name, kwargs, data = case
    keras_metric = getattr(keras.metrics, cls_name)(**kwargs)
    metric = getattr(M, cls_name)(**kwargs)
    assert metric.name == _keras_name(keras_metric.name)
    batches = make_batches(data, rng, weighted)
    update, result = jax.jit(metric.update), jax.jit(metric.result)
    state = metric.init_for(batches[0][0], batches[0][1])
    for i, (y_true, y_pred, weight) in enumerate(batches):
        keras_metric.update_state(y_true, y_pred, sample_weight=weight)
        metric.update_state(y_true, y_pred, sample_weight=weight)
        expected = np.asarray(keras_metric.result())
        close(metric.result(), expected, f"eager, after batch {i}")
        if weighted:  # one jit pass per case keeps the file fast
            state = update(state, y_true, y_pred, weight)
            close(result(state), expected, f"jit, after batch {i}")
    # Reset keeps the state's shapes and zeroes it, as Keras's reset_state does.
    metric.reset_state()
    keras_metric.reset_state()
    for zero, fresh in zip(
        jax.tree_util.tree_leaves(metric.state),
        jax.tree_util.tree_leaves(metric.init_for(batches[0][0], batches[0][1])),
        strict=True,
    ):
        assert zero.shape == fresh.shape and not np.any(np.asarray(zero))
    y_true, y_pred, weight = batches[1]
    keras_metric.update_state(y_true, y_pred, sample_weight=weight)
    metric.update_state(y_true, y_pred, sample_weight=weight)
    close(metric.result(), keras_metric.result(), "after reset")


def case_id(case):
    name, kwargs, data = case
    return "-".join([name, data, *(f"{k}={v}" for k, v in kwargs.items())])


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_metric_matches_keras_eager_and_jit(keras, rng, case, weighted):
    run_parity_case(keras, rng, case, weighted)


@pytest.mark.parametrize(
    "case",
    [
        ("AUC", {}, "multi_binary"),
        ("AUC", {"multi_label": True, "num_labels": 3, "curve": "PR"}, "multi_binary"),
        ("Precision", {"thresholds": [0.1, 0.5]}, "multi_binary"),
        ("F1Score", {"average": "macro", "num_classes": C}, "one_hot"),
        ("R2Score", {"num_classes": 3}, "real"),
        ("SparseTopKCategoricalAccuracy", {"k": 2}, "sparse"),
    ],
    ids=case_id,
)
def test_merge_equals_one_stream_and_scan_compiles_once(rng, case):
    cls_name, kwargs, data = case
    metric = getattr(M, cls_name)(**kwargs)
    a, b, c = make_batches(data, rng, weighted=True)
    one = metric.init()
    for batch in (a, b, c):
        one = metric.update(one, *batch)
    left = metric.update(metric.update(metric.init(), *a), *b)
    right = metric.update(metric.init(), *c)
    merged = metric.merge(left, right)
    close(metric.result(merged), metric.result(one), rtol=1e-5)
    # A stacked scan over equal-sized batches: one trace, the same numbers as eager updates.
    y_true = np.stack([a[0]] * 3)
    y_pred = np.stack([a[1]] * 3)
    weight = np.stack([a[2]] * 3)
    traces = []

    @jax.jit
    def run(batches):
        traces.append(1)
        state, _ = jax.lax.scan(lambda s, bt: (metric.update(s, *bt), None), metric.init(),
                                batches)
        return metric.result(state)

    scanned = run((y_true, y_pred, weight))
    run((y_true, y_pred, weight * 2.0))
    assert len(traces) == 1
    eager = metric.init()
    for _ in range(3):
        eager = metric.update(eager, *a)
    close(scanned, metric.result(eager), rtol=1e-5)


def test_shape_dependent_metrics_need_a_class_count():
    for metric in [M.R2Score(), M.F1Score(), M.AUC(multi_label=True)]:
        with pytest.raises(errors.JnetValueError, match="init_for"):
            metric.init()
    assert M.F1Score(average="micro").init().true_positives.shape == ()
    state = M.R2Score().init_for(np.zeros((2, 5)), np.zeros((2, 5)))
    assert state.sum.shape == (5,)
    with pytest.raises(errors.JnetValueError, match="2D inputs"):
        M.R2Score().init_for(np.zeros((2, 5, 1, 1)), np.zeros((2, 5, 1, 1)))


def test_bad_arguments_raise_like_keras():
    with pytest.raises(errors.JnetValueError, match=r"\[0, 1\]"):
        M.Precision(thresholds=[0.5, 1.5])
    with pytest.raises(errors.JnetValueError, match="num_thresholds"):
        M.AUC(num_thresholds=1)
    with pytest.raises(errors.JnetValueError, match="curve"):
        M.AUC(curve="XYZ")
    with pytest.raises(errors.JnetValueError, match="average"):
        M.F1Score(average="mean")
    with pytest.raises(errors.JnetValueError, match="beta"):
        M.FBetaScore(beta=2)
    with pytest.raises(errors.JnetValueError, match="threshold"):
        M.F1Score(threshold=1.5)
    with pytest.raises(errors.JnetValueError, match="class_aggregation"):
        M.R2Score(class_aggregation="mean")
    with pytest.raises(errors.JnetValueError, match="`k`"):
        M.TopKCategoricalAccuracy(k=0)


@pytest.mark.parametrize("fn_name", ["top_k_categorical_accuracy",
                                     "sparse_top_k_categorical_accuracy"])
def test_top_k_functions_match_keras_with_ties(keras, fn_name):
    y_pred = np.array([[0.3, 0.3, 0.3, 0.1], [0.1, 0.2, 0.3, 0.4], [np.nan, 1, 0, 0]],
                      np.float32)
    labels = np.array([2, 0, 0])
    y_true = np.eye(C, dtype=np.float32)[labels] if fn_name.startswith("top") else labels
    for k in (1, 2, 3):
        expected = getattr(keras.metrics, fn_name)(y_true, y_pred, k=k)
        close(getattr(M, fn_name)(y_true, y_pred, k=k), expected, f"k={k}")


# ---------------------------------------------------------------------------------------------
# Every loss usable as a metric
# ---------------------------------------------------------------------------------------------

LOSS_NAMES = ["huber", "log_cosh", "kld", "binary_focal_crossentropy",
              "categorical_focal_crossentropy", "mean_absolute_percentage_error", "hinge",
              "kl_divergence", "poisson", "cosine_similarity", "squared_hinge"]


@pytest.mark.parametrize("name", LOSS_NAMES)
def test_loss_names_resolve_as_metrics(keras, rng, name):
    metric = M.resolve(name)
    assert metric.name == name
    y_true, y_pred, weight = make_batches("multi_binary", rng, weighted=True)[0]
    metric.update_state(y_true, y_pred, sample_weight=weight)
    if name in M._REGISTRY:  # a Keras metric name: Keras's number
        from keras.src.trainers.compile_utils import get_metric

        keras_metric = get_metric(name, y_true, y_pred)
        assert keras_metric.name == name
        keras_metric.update_state(y_true, y_pred, sample_weight=weight)
        close(metric.result(), keras_metric.result(), rtol=1e-5)
    else:  # jnet extension: the weighted running mean of the loss function
        assert isinstance(metric, M.MeanMetricWrapper)
        values = np.asarray(L.get(name)(y_true, y_pred))
        close(metric.result(), np.sum(values * weight) / np.sum(weight), rtol=1e-5)


def test_loss_functions_as_metric_objects():
    for fn in [L.huber, L.mean_squared_error, L.binary_crossentropy]:
        metric = M.resolve(fn)
        assert isinstance(metric, M.MeanMetricWrapper) and metric.name == fn.__name__
    names = [M.resolve(m).name for m in ["hinge", L.huber, "kl_divergence", "auc", "AUC",
                                         "precision", "top_k_categorical_accuracy"]]
    assert names == ["hinge", "huber", "kl_divergence", "auc", "AUC", "precision",
                     "top_k_categorical_accuracy"]


def test_auc_from_logits_equals_sigmoid_of_probabilities(rng):
    y_true = rng.integers(0, 2, size=(20, 1))
    z = rng.normal(0, 2, size=(20, 1)).astype(np.float32)
    a, b = M.AUC(from_logits=True), M.AUC()
    a.update_state(y_true, z)
    b.update_state(y_true, jax.nn.sigmoid(jnp.asarray(z)))
    close(a.result(), b.result())


def test_r2_adjusted_falls_back_with_a_warning(keras, rng):
    y_true, y_pred, _ = make_batches("real", rng, weighted=False)[0]
    metric, keras_metric = M.R2Score(num_regressors=100), keras.metrics.R2Score(num_regressors=100)
    metric.update_state(y_true, y_pred)
    keras_metric.update_state(y_true, y_pred)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = metric.result()
    assert caught and "Falling back" in str(caught[0].message)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        close(value, keras_metric.result())
