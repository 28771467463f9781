"""SensitivityAtSpecificity, SpecificityAtSensitivity, PrecisionAtRecall, RecallAtPrecision
against Keras 3 on TensorFlow (the check of ``test_metrics_catalogue.py``).
"""

import pytest
from test_metrics_catalogue import case_id, run_parity_case

CASES = [
    ("SensitivityAtSpecificity", {"specificity": 0.6}, "binary_col"),
    ("SensitivityAtSpecificity", {"specificity": 0.3, "num_thresholds": 1}, "binary_col"),
    ("SpecificityAtSensitivity", {"sensitivity": 0.7, "num_thresholds": 2}, "binary_col"),
    ("SpecificityAtSensitivity", {"sensitivity": 0.4, "class_id": 1}, "one_hot"),
    ("PrecisionAtRecall", {"recall": 0.5}, "multi_binary"),
    ("PrecisionAtRecall", {"recall": 0.8, "num_thresholds": 5}, "multi_binary"),
    ("RecallAtPrecision", {"precision": 0.6}, "multi_binary"),
]


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_rate_metric_matches_keras_eager_and_jit(keras, rng, case, weighted):
    run_parity_case(keras, rng, case, weighted)


@pytest.mark.parametrize(
    "cls_name, arg",
    [("SensitivityAtSpecificity", "specificity"), ("SpecificityAtSensitivity", "sensitivity"),
     ("PrecisionAtRecall", "recall"), ("RecallAtPrecision", "precision")],
)
def test_rate_at_rate_config_round_trip(keras, cls_name, arg):
    from jnet import errors
    from jnet import metrics as M

    metric = getattr(M, cls_name)(0.25, num_thresholds=9, class_id=1)
    keras_metric = getattr(keras.metrics, cls_name)(0.25, num_thresholds=9, class_id=1)
    expected = {**keras_metric.get_config(), "name": metric.name}
    assert metric.get_config() == expected
    rebuilt = M.deserialize(M.serialize(metric))
    assert type(rebuilt) is type(metric) and rebuilt.get_config() == metric.get_config()
    with pytest.raises(errors.JnetValueError, match=arg):
        getattr(M, cls_name)(1.5)
