"""Keras's applications: pretrained image architectures as functional models.

Each constructor takes Keras's arguments (``include_top``, ``weights``, ``input_tensor``,
``input_shape``, ``pooling``, ``classes``, ``classifier_activation``, and the model's own),
builds the network from jnet layers with Keras's layer names and order (so
``model.get_layer('block5_conv3')`` works and a Keras ``.weights.h5`` or legacy ``.h5`` file
loads), and gives it its weights: None (random), ``'imagenet'`` (Keras's published file,
fetched into Keras's cache ``~/.keras/models`` with its checksum) or a path. Each family's
submodule (``jnet.applications.vgg16``, ``.resnet50``, ...) also has the
``preprocess_input`` and ``decode_predictions`` that go with it.

Building one of these networks takes seconds of CPU, so the examples that build one are shown
but skipped by the doctest run; tests/test_applications.py builds and checks them.

Example:
    >>> import numpy as np, jnet
    >>> model = jnet.applications.VGG16(weights=None, include_top=False,  # doctest: +SKIP
    ...                                 input_shape=(32, 32, 3), pooling="avg")
    >>> x = jnet.applications.vgg16.preprocess_input(np.full((1, 32, 32, 3), 128.0, "float32"))
    >>> model.predict(x, verbose=0).shape  # doctest: +SKIP
    (1, 512)
"""

from jnet.applications import convnext as convnext
from jnet.applications import densenet as densenet
from jnet.applications import efficientnet as efficientnet
from jnet.applications import efficientnet_v2 as efficientnet_v2
from jnet.applications import imagenet_utils as imagenet_utils
from jnet.applications import inception_resnet_v2 as inception_resnet_v2
from jnet.applications import inception_v3 as inception_v3
from jnet.applications import mobilenet as mobilenet
from jnet.applications import mobilenet_v2 as mobilenet_v2
from jnet.applications import mobilenet_v3 as mobilenet_v3
from jnet.applications import nasnet as nasnet
from jnet.applications import resnet as resnet
from jnet.applications import resnet50 as resnet50
from jnet.applications import resnet_v2 as resnet_v2
from jnet.applications import vgg16 as vgg16
from jnet.applications import vgg19 as vgg19
from jnet.applications import xception as xception
from jnet.applications.convnext import ConvNeXtBase as ConvNeXtBase
from jnet.applications.convnext import ConvNeXtLarge as ConvNeXtLarge
from jnet.applications.convnext import ConvNeXtSmall as ConvNeXtSmall
from jnet.applications.convnext import ConvNeXtTiny as ConvNeXtTiny
from jnet.applications.convnext import ConvNeXtXLarge as ConvNeXtXLarge
from jnet.applications.densenet import DenseNet121 as DenseNet121
from jnet.applications.densenet import DenseNet169 as DenseNet169
from jnet.applications.densenet import DenseNet201 as DenseNet201
from jnet.applications.efficientnet import EfficientNetB0 as EfficientNetB0
from jnet.applications.efficientnet import EfficientNetB1 as EfficientNetB1
from jnet.applications.efficientnet import EfficientNetB2 as EfficientNetB2
from jnet.applications.efficientnet import EfficientNetB3 as EfficientNetB3
from jnet.applications.efficientnet import EfficientNetB4 as EfficientNetB4
from jnet.applications.efficientnet import EfficientNetB5 as EfficientNetB5
from jnet.applications.efficientnet import EfficientNetB6 as EfficientNetB6
from jnet.applications.efficientnet import EfficientNetB7 as EfficientNetB7
from jnet.applications.efficientnet_v2 import EfficientNetV2B0 as EfficientNetV2B0
from jnet.applications.efficientnet_v2 import EfficientNetV2B1 as EfficientNetV2B1
from jnet.applications.efficientnet_v2 import EfficientNetV2B2 as EfficientNetV2B2
from jnet.applications.efficientnet_v2 import EfficientNetV2B3 as EfficientNetV2B3
from jnet.applications.efficientnet_v2 import EfficientNetV2L as EfficientNetV2L
from jnet.applications.efficientnet_v2 import EfficientNetV2M as EfficientNetV2M
from jnet.applications.efficientnet_v2 import EfficientNetV2S as EfficientNetV2S
from jnet.applications.inception_resnet_v2 import InceptionResNetV2 as InceptionResNetV2
from jnet.applications.inception_v3 import InceptionV3 as InceptionV3
from jnet.applications.mobilenet import MobileNet as MobileNet
from jnet.applications.mobilenet_v2 import MobileNetV2 as MobileNetV2
from jnet.applications.mobilenet_v3 import MobileNetV3Large as MobileNetV3Large
from jnet.applications.mobilenet_v3 import MobileNetV3Small as MobileNetV3Small
from jnet.applications.nasnet import NASNetLarge as NASNetLarge
from jnet.applications.nasnet import NASNetMobile as NASNetMobile
from jnet.applications.resnet import ResNet50 as ResNet50
from jnet.applications.resnet import ResNet101 as ResNet101
from jnet.applications.resnet import ResNet152 as ResNet152
from jnet.applications.resnet_v2 import ResNet50V2 as ResNet50V2
from jnet.applications.resnet_v2 import ResNet101V2 as ResNet101V2
from jnet.applications.resnet_v2 import ResNet152V2 as ResNet152V2
from jnet.applications.vgg16 import VGG16 as VGG16
from jnet.applications.vgg19 import VGG19 as VGG19
from jnet.applications.xception import Xception as Xception

__all__ = [
    "VGG16",
    "VGG19",
    "DenseNet121",
    "DenseNet169",
    "DenseNet201",
    "MobileNet",
    "MobileNetV2",
    "MobileNetV3Large",
    "MobileNetV3Small",
    "ResNet50",
    "ResNet50V2",
    "ResNet101",
    "ResNet101V2",
    "ResNet152",
    "ResNet152V2",
    "densenet",
    "imagenet_utils",
    "mobilenet",
    "mobilenet_v2",
    "mobilenet_v3",
    "resnet",
    "resnet50",
    "resnet_v2",
    "vgg16",
    "vgg19",
    # part B (p5)
    "ConvNeXtBase",
    "ConvNeXtLarge",
    "ConvNeXtSmall",
    "ConvNeXtTiny",
    "ConvNeXtXLarge",
    "EfficientNetB0",
    "EfficientNetB1",
    "EfficientNetB2",
    "EfficientNetB3",
    "EfficientNetB4",
    "EfficientNetB5",
    "EfficientNetB6",
    "EfficientNetB7",
    "EfficientNetV2B0",
    "EfficientNetV2B1",
    "EfficientNetV2B2",
    "EfficientNetV2B3",
    "EfficientNetV2L",
    "EfficientNetV2M",
    "EfficientNetV2S",
    "InceptionResNetV2",
    "InceptionV3",
    "NASNetLarge",
    "NASNetMobile",
    "Xception",
    "convnext",
    "efficientnet",
    "efficientnet_v2",
    "inception_resnet_v2",
    "inception_v3",
    "nasnet",
    "xception",
]
