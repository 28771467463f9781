"""``keras.applications.resnet50``: ResNet50 and its preprocessing (the same objects as in
:mod:`jnet.applications.resnet`).

Example:
    >>> from jnet.applications import resnet, resnet50
    >>> resnet50.ResNet50 is resnet.ResNet50
    True
"""

from jnet.applications.resnet import ResNet50 as ResNet50
from jnet.applications.resnet import decode_predictions as decode_predictions
from jnet.applications.resnet import preprocess_input as preprocess_input

__all__ = ["ResNet50", "decode_predictions", "preprocess_input"]
