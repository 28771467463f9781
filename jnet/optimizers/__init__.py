"""Keras's optimizers as optax transformations that reproduce Keras's numbers.

Each optimizer is a Keras-style object (``SGD``, ``Adam``, ``AdamW``, ``RMSprop``,
``Adagrad``, ``Adamax``, ``Nadam``, ``Adadelta``, ``Ftrl``, ``Lion``, ``Lamb``, ``Adafactor``,
``Muon``, ``ScheduleFreeAdamW``, and ``MultiOptimizer`` over an ``OptimizerMap``: Keras's
arguments, defaults and ``get_config``) whose ``build()`` returns an
``optax.GradientTransformation``. The same transformations are available as functions
(``keras_sgd``, ``keras_adam``, ...). Keras's learning-rate schedules live in
:mod:`jnet.optimizers.schedules`; any callable ``step -> lr`` (an optax schedule too) is
accepted as ``learning_rate``. Their updates follow
Keras's order of operations, so ``optax.apply_updates(params, updates)`` gives Keras's weights
bit for bit. The learning rate lives in the state: :func:`get_learning_rate` and
:func:`set_learning_rate` read and overwrite it without recompiling.

Example:
    >>> import jax.numpy as jnp
    >>> import optax
    >>> import jnet.optimizers
    >>> tx = jnet.optimizers.get("adam").build()
    >>> params = {"w": jnp.ones(3)}
    >>> state = tx.init(params)
    >>> updates, state = tx.update({"w": jnp.ones(3)}, state, params)
    >>> params = optax.apply_updates(params, updates)
    >>> int(jnet.optimizers.get_iterations(state))
    1
"""

from jnet.optimizers import schedules as schedules
from jnet.optimizers._adadelta import Adadelta as Adadelta
from jnet.optimizers._adadelta import AdadeltaSlots as AdadeltaSlots
from jnet.optimizers._adadelta import keras_adadelta as keras_adadelta
from jnet.optimizers._adafactor import Adafactor as Adafactor
from jnet.optimizers._adafactor import AdafactorSlots as AdafactorSlots
from jnet.optimizers._adafactor import keras_adafactor as keras_adafactor
from jnet.optimizers._adagrad import Adagrad as Adagrad
from jnet.optimizers._adagrad import AdagradSlots as AdagradSlots
from jnet.optimizers._adagrad import keras_adagrad as keras_adagrad
from jnet.optimizers._adam import Adam as Adam
from jnet.optimizers._adam import AdamSlots as AdamSlots
from jnet.optimizers._adam import AdamW as AdamW
from jnet.optimizers._adam import keras_adam as keras_adam
from jnet.optimizers._adam import keras_adamw as keras_adamw
from jnet.optimizers._adamax import Adamax as Adamax
from jnet.optimizers._adamax import AdamaxSlots as AdamaxSlots
from jnet.optimizers._adamax import keras_adamax as keras_adamax
from jnet.optimizers._checks import LearningRate as LearningRate
from jnet.optimizers._checks import Schedule as Schedule
from jnet.optimizers._ftrl import Ftrl as Ftrl
from jnet.optimizers._ftrl import FtrlSlots as FtrlSlots
from jnet.optimizers._ftrl import keras_ftrl as keras_ftrl
from jnet.optimizers._get import REGISTRY as REGISTRY
from jnet.optimizers._get import deserialize as deserialize
from jnet.optimizers._get import get as get
from jnet.optimizers._get import serialize as serialize
from jnet.optimizers._lamb import Lamb as Lamb
from jnet.optimizers._lamb import LambSlots as LambSlots
from jnet.optimizers._lamb import keras_lamb as keras_lamb
from jnet.optimizers._lion import Lion as Lion
from jnet.optimizers._lion import LionSlots as LionSlots
from jnet.optimizers._lion import keras_lion as keras_lion
from jnet.optimizers._live import link_state as link_state
from jnet.optimizers._loss_scale import LossScaleOptimizer as LossScaleOptimizer
from jnet.optimizers._loss_scale import LossScaleState as LossScaleState
from jnet.optimizers._loss_scale import loss_scale as loss_scale
from jnet.optimizers._multi import MultiOptimizer as MultiOptimizer
from jnet.optimizers._multi import MultiOptimizerState as MultiOptimizerState
from jnet.optimizers._multi import OptimizerMap as OptimizerMap
from jnet.optimizers._muon import Muon as Muon
from jnet.optimizers._muon import MuonSlots as MuonSlots
from jnet.optimizers._muon import keras_muon as keras_muon
from jnet.optimizers._nadam import Nadam as Nadam
from jnet.optimizers._nadam import NadamSlots as NadamSlots
from jnet.optimizers._nadam import keras_nadam as keras_nadam
from jnet.optimizers._optimizer import OptaxOptimizer as OptaxOptimizer
from jnet.optimizers._optimizer import Optimizer as Optimizer
from jnet.optimizers._rmsprop import RMSprop as RMSprop
from jnet.optimizers._rmsprop import RMSpropSlots as RMSpropSlots
from jnet.optimizers._rmsprop import keras_rmsprop as keras_rmsprop
from jnet.optimizers._schedule_free import ScheduleFreeAdamW as ScheduleFreeAdamW
from jnet.optimizers._schedule_free import ScheduleFreeSlots as ScheduleFreeSlots
from jnet.optimizers._schedule_free import (
    keras_schedule_free_adamw as keras_schedule_free_adamw,
)
from jnet.optimizers._sgd import SGD as SGD
from jnet.optimizers._sgd import SGDSlots as SGDSlots
from jnet.optimizers._sgd import keras_sgd as keras_sgd
from jnet.optimizers._state import OptimizerState as OptimizerState
from jnet.optimizers._state import get_iterations as get_iterations
from jnet.optimizers._state import get_learning_rate as get_learning_rate
from jnet.optimizers._state import set_learning_rate as set_learning_rate
from jnet.optimizers._transformation import UpdateRule as UpdateRule
from jnet.optimizers._transformation import keras_transformation as keras_transformation

__all__ = [
    "Adadelta",
    "AdadeltaSlots",
    "Adafactor",
    "AdafactorSlots",
    "Adagrad",
    "AdagradSlots",
    "Adam",
    "AdamSlots",
    "AdamW",
    "Adamax",
    "AdamaxSlots",
    "Ftrl",
    "FtrlSlots",
    "Lamb",
    "LambSlots",
    "LearningRate",
    "Lion",
    "LossScaleOptimizer",
    "LossScaleState",
    "LionSlots",
    "MultiOptimizer",
    "MultiOptimizerState",
    "Muon",
    "MuonSlots",
    "Nadam",
    "NadamSlots",
    "OptaxOptimizer",
    "Optimizer",
    "OptimizerMap",
    "OptimizerState",
    "REGISTRY",
    "RMSprop",
    "RMSpropSlots",
    "SGD",
    "SGDSlots",
    "ScheduleFreeAdamW",
    "ScheduleFreeSlots",
    "Schedule",
    "UpdateRule",
    "deserialize",
    "get",
    "get_iterations",
    "get_learning_rate",
    "keras_adadelta",
    "keras_adafactor",
    "keras_adagrad",
    "keras_adam",
    "keras_adamax",
    "keras_adamw",
    "keras_ftrl",
    "keras_lamb",
    "keras_lion",
    "keras_muon",
    "keras_nadam",
    "keras_rmsprop",
    "keras_schedule_free_adamw",
    "keras_sgd",
    "link_state",
    "loss_scale",
    "keras_transformation",
    "schedules",
    "serialize",
    "set_learning_rate",
]
