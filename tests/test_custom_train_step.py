"""Overridden ``train_step`` / ``test_step`` / ``predict_step`` / ``compute_loss``: run, or
refused with a jnet error; never silently ignored."""

from __future__ import annotations

import numpy as np
import pytest

import jnet


def _functional(cls, units=1, features=3):
    inputs = jnet.Input(shape=(features,))
    return cls(inputs, jnet.layers.Dense(units)(inputs))


class _TensorFlowForm(jnet.Model):
    def train_step(self, data):  # Keras's TensorFlow/PyTorch form: (self, data)
        return {}


def test_tensorflow_form_train_step_is_refused_at_fit():
    model = _functional(_TensorFlowForm)
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(jnet.errors.JnetTypeError, match="train_step"):
        model.fit(np.zeros((4, 3), np.float32), np.zeros((4, 1), np.float32), verbose=0)
