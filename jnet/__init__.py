"""jnet: the Keras workflow rebuilt as pure functions on JAX.

Swap ``import keras`` for ``import jnet``:

    >>> import numpy as np, jnet
    >>> model = jnet.Sequential([jnet.layers.Dense(units=1, input_shape=[1])])
    >>> model.compile(optimizer="sgd", loss="mean_squared_error")
    >>> xs = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0])
    >>> _ = model.fit(xs, 2 * xs - 1, epochs=2, verbose=0)
    >>> model.predict(np.array([10.0]), verbose=0).shape
    (1, 1)
"""

from jnet import activations as activations
from jnet import applications as applications
from jnet import backend as backend
from jnet import callbacks as callbacks
from jnet import compilation_cache as compilation_cache
from jnet import config as config
from jnet import constraints as constraints
from jnet import datasets as datasets
from jnet import distribution as distribution
from jnet import dtype_policies as dtype_policies
from jnet import errors as errors
from jnet import export as export
from jnet import initializers as initializers
from jnet import layers as layers
from jnet import losses as losses
from jnet import metrics as metrics
from jnet import mixed_precision as mixed_precision
from jnet import models as models
from jnet import ops as ops
from jnet import optimizers as optimizers
from jnet import preprocessing as preprocessing
from jnet import random as random
from jnet import regularizers as regularizers
from jnet import symbolic as _symbolic
from jnet import training as training
from jnet import tree as tree
from jnet import utils as utils
from jnet import variables as variables
from jnet.dtype_policies import DTypePolicy as DTypePolicy
from jnet.dtype_policies import FloatDTypePolicy as FloatDTypePolicy
from jnet.initializers import Initializer as Initializer
from jnet.layers import Layer as Layer
from jnet.layers import feature_space as _feature_space
from jnet.layers.input import Input as Input
from jnet.layers.input_spec import InputSpec as InputSpec
from jnet.losses import Loss as Loss
from jnet.metrics import Metric as Metric
from jnet.models import plot as _plot
from jnet.models.model import Model as Model
from jnet.models.sequential import Sequential as Sequential
from jnet.optimizers import Optimizer as Optimizer
from jnet.regularizers import Regularizer as Regularizer
from jnet.saving import _namespaces
from jnet.symbolic import Function as Function
from jnet.symbolic import KerasTensor as KerasTensor
from jnet.symbolic import Operation as Operation
from jnet.symbolic import SymbolicScope as SymbolicScope
from jnet.variables import StatelessScope as StatelessScope
from jnet.variables import Variable as Variable

# Keras's serialization names whose code needs jnet.saving (floor 9) but whose namespaces
# sit below it: the face puts them there (see jnet.saving._namespaces).
layers.serialize = _namespaces.serialize_layer_object
layers.deserialize = _namespaces.deserialize_layer_object
utils.serialize_keras_object = _namespaces.serialize_keras_object
utils.deserialize_keras_object = _namespaces.deserialize_keras_object
del _namespaces

# keras.utils's names whose code sits above jnet.utils (floor 3): the session and dtype helpers
# of jnet.backend, the graph walk of jnet.symbolic, the model plots of jnet.models and the
# FeatureSpace built on jnet.layers' preprocessing layers.
utils.FeatureSpace = _feature_space.FeatureSpace
utils.clear_session = backend.clear_session
utils.is_keras_tensor = backend.is_keras_tensor
utils.standardize_dtype = backend.standardize_dtype
utils.get_source_inputs = _symbolic.get_source_inputs
utils.model_to_dot = _plot.model_to_dot
utils.plot_model = _plot.plot_model
del _feature_space, _plot, _symbolic

__version__ = "0.1.0"


def version() -> str:
    """jnet's version string (as ``keras.version()``).

    Example:
        >>> import jnet
        >>> jnet.version() == jnet.__version__
        True
    """
    return __version__


compilation_cache._enable_on_import()

__all__ = [
    "DTypePolicy",
    "FloatDTypePolicy",
    "Function",
    "Initializer",
    "Input",
    "InputSpec",
    "KerasTensor",
    "Layer",
    "Loss",
    "Metric",
    "Model",
    "Operation",
    "Optimizer",
    "Regularizer",
    "Sequential",
    "StatelessScope",
    "SymbolicScope",
    "Variable",
    "activations",
    "applications",
    "backend",
    "callbacks",
    "compilation_cache",
    "config",
    "constraints",
    "datasets",
    "distribution",
    "dtype_policies",
    "errors",
    "export",
    "initializers",
    "layers",
    "losses",
    "metrics",
    "mixed_precision",
    "models",
    "ops",
    "optimizers",
    "random",
    "regularizers",
    "training",
    "tree",
    "utils",
    "variables",
    "version",
]
