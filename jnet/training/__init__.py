"""The pure level beneath ``fit``: ``TrainState`` and the train/eval/predict steps.

Beside them: ``inputs`` (the input checks, against an input spec), ``data_adapters`` (every
kind of input as device dispatches), ``runner`` (the epoch loops of fit/evaluate/predict),
``loop`` (the compiled chunks), ``outputs`` (per-output losses and metrics) and ``dispatch``
(the 'auto' steps-per-dispatch probe). Nothing here imports ``models`` or ``callbacks``.
"""

from jnet.training.state import StepSpec as StepSpec
from jnet.training.state import TrainState as TrainState
from jnet.training.steps import compute_logs as compute_logs
from jnet.training.steps import compute_loss as compute_loss
from jnet.training.steps import eval_step as eval_step
from jnet.training.steps import predict_step as predict_step
from jnet.training.steps import train_step as train_step

__all__ = [
    "StepSpec",
    "TrainState",
    "compute_logs",
    "compute_loss",
    "eval_step",
    "predict_step",
    "train_step",
]
