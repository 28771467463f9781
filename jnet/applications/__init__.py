"""Keras's applications: pretrained image architectures as functional models.

Each constructor takes Keras's arguments (``include_top``, ``weights``, ``input_tensor``,
``input_shape``, ``pooling``, ``classes``, ``classifier_activation``, and the model's own),
builds the network from jnet layers with Keras's layer names and order (so
``model.get_layer('block5_conv3')`` works and a Keras ``.weights.h5`` or legacy ``.h5`` file
loads), and gives it its weights: None (random), ``'imagenet'`` (Keras's published file,
fetched into Keras's cache ``~/.keras/models`` with its checksum) or a path. Each family's
submodule (``jnet.applications.vgg16``, ``.resnet50``, ...) also has the
``preprocess_input`` and ``decode_predictions`` that go with it.

Example:
    >>> import numpy as np, jnet
    >>> model = jnet.applications.VGG16(weights=None, include_top=False,
    ...                                 input_shape=(32, 32, 3), pooling="avg")
    >>> x = jnet.applications.vgg16.preprocess_input(np.full((1, 32, 32, 3), 128.0, "float32"))
    >>> model.predict(x, verbose=0).shape
    (1, 512)
"""

from jnet.applications import imagenet_utils as imagenet_utils
from jnet.applications import vgg16 as vgg16
from jnet.applications import vgg19 as vgg19
from jnet.applications.vgg16 import VGG16 as VGG16
from jnet.applications.vgg19 import VGG19 as VGG19

__all__ = [
    "VGG16",
    "VGG19",
    "imagenet_utils",
    "vgg16",
    "vgg19",
]
