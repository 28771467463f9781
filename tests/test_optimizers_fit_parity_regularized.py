"""Training parity with clipping and weight decay, for the rest of Keras's optimizers.

The runs of tests/test_optimizers_fit_parity.py (same model, data and tolerances) with
``clipnorm`` / ``clipvalue`` / ``global_clipnorm`` and ``weight_decay`` added.
"""

import pytest
from test_optimizers_fit_parity import case_id, fit_and_compare

OPTIMIZERS = [
    ("Adagrad", {"learning_rate": 0.05, "clipnorm": 1.0, "weight_decay": 0.01}),
    ("Adamax", {"learning_rate": 0.02, "clipvalue": 0.5, "weight_decay": 0.01}),
    ("Nadam", {"learning_rate": 0.01, "global_clipnorm": 1.0, "weight_decay": 0.01}),
    ("Adadelta", {"learning_rate": 1.0, "clipnorm": 1.0, "weight_decay": 0.01}),
    ("Ftrl", {"learning_rate": 0.05, "clipvalue": 0.5, "weight_decay": 0.01}),
    ("Lion", {"learning_rate": 0.002, "global_clipnorm": 1.0, "weight_decay": 0.01}),
    ("Lamb", {"learning_rate": 0.02, "clipnorm": 1.0, "weight_decay": 0.01}),
    ("Adafactor", {"learning_rate": 0.02, "clipvalue": 0.5, "weight_decay": 0.01}),
    ("AdamW", {"learning_rate": 0.01, "weight_decay": 0.1, "global_clipnorm": 1.0}),
]


@pytest.mark.parametrize("name,kwargs", OPTIMIZERS, ids=[case_id(n, kw) for n, kw in OPTIMIZERS])
def test_fit_losses_match_keras_with_clipping_and_weight_decay(keras, rng, name, kwargs):
    fit_and_compare(keras, rng, name, kwargs)
