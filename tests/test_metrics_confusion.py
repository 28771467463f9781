"""Confusion metrics (TP/FP/TN/FN, Precision, Recall, AUC) against Keras 3 on TensorFlow.

The data, the tolerance and the per-case check are those of ``test_metrics_catalogue.py``.
"""

import pytest
from test_metrics_catalogue import case_id, run_parity_case

CASES = [
    ("TruePositives", {}, "binary_col"),
    ("FalsePositives", {}, "binary_rank1"),
    ("TrueNegatives", {"thresholds": [0.0, 0.3, 0.5, 1.0]}, "multi_binary"),
    ("FalseNegatives", {"thresholds": [0.0, 0.5, 1.0]}, "multi_binary"),
    ("TruePositives", {"thresholds": [0.0, 0.25, 0.5, 0.75, 1.0]}, "multi_binary"),
    ("Precision", {}, "binary_col"),
    ("Precision", {"thresholds": [0.2, 0.7]}, "multi_binary"),
    ("Precision", {"top_k": 2}, "one_hot"),
    ("Precision", {"class_id": 1}, "one_hot"),
    ("Precision", {"top_k": 2, "class_id": 2}, "one_hot"),
    ("Recall", {}, "binary_rank1"),
    ("Recall", {"thresholds": [0.0, 0.5, 1.0]}, "multi_binary"),
    ("Recall", {"top_k": 1}, "one_hot"),
    ("Recall", {"class_id": 0, "thresholds": 0.3}, "one_hot"),
    ("AUC", {}, "binary_col"),
    ("AUC", {"curve": "PR"}, "multi_binary"),
    ("AUC", {"num_thresholds": 7}, "multi_binary"),
    ("AUC", {"summation_method": "minoring"}, "multi_binary"),
    ("AUC", {"summation_method": "majoring", "curve": "PR"}, "multi_binary"),
    ("AUC", {"curve": "PRGAIN"}, "multi_binary"),
    ("AUC", {"thresholds": [0.1, 0.35, 0.8]}, "multi_binary"),
    ("AUC", {"thresholds": [0.25, 0.5, 0.75]}, "multi_binary"),
    ("AUC", {"multi_label": True}, "multi_binary"),
    ("AUC", {"multi_label": True, "curve": "PR", "num_labels": 3}, "multi_binary"),
    ("AUC", {"multi_label": True, "label_weights": [0.2, 0.5, 1.0]}, "multi_binary"),
    ("AUC", {"label_weights": [0.2, 0.5, 1.0]}, "multi_binary"),
    ("AUC", {"from_logits": True}, "binary_logits"),
]


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_confusion_metric_matches_keras_eager_and_jit(keras, rng, case, weighted):
    run_parity_case(keras, rng, case, weighted)

