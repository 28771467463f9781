"""Keras's callbacks: hooks that ``fit``, ``evaluate`` and ``predict`` call.

Subclass :class:`Callback`, or use the built-in ones: :class:`EarlyStopping`,
:class:`ModelCheckpoint`, :class:`LearningRateScheduler`, :class:`ReduceLROnPlateau`,
:class:`TerminateOnNaN`, :class:`CSVLogger`, :class:`BackupAndRestore`,
:class:`TensorBoard`, :class:`LambdaCallback`, :class:`RemoteMonitor`. ``fit`` adds
:class:`History` and :class:`ProgbarLogger` itself. Hooks run in Keras's order with Keras's
``logs`` keys; batch hooks run (and batch logs are fetched from the device) only when some
callback needs them. A callback that sets ``self.model.optimizer.learning_rate`` changes the
rate of the next step without recompiling.

Example:
    >>> import numpy as np, jnet
    >>> model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(1,))])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> stop = jnet.callbacks.EarlyStopping(monitor="loss", patience=2)
    >>> h = model.fit(np.ones((8, 1)), np.ones((8, 1)), epochs=3, verbose=0, callbacks=[stop])
    >>> len(h.epoch)
    3
"""

from jnet.callbacks._callback import Callback as Callback
from jnet.callbacks._callback_list import CallbackList as CallbackList
from jnet.callbacks.backup_and_restore import BackupAndRestore as BackupAndRestore
from jnet.callbacks.csv_logger import CSVLogger as CSVLogger
from jnet.callbacks.early_stopping import EarlyStopping as EarlyStopping
from jnet.callbacks.history import History as History
from jnet.callbacks.lambda_callback import LambdaCallback as LambdaCallback
from jnet.callbacks.learning_rate_scheduler import LearningRateScheduler as LearningRateScheduler
from jnet.callbacks.model_checkpoint import ModelCheckpoint as ModelCheckpoint
from jnet.callbacks.progbar_logger import ProgbarLogger as ProgbarLogger
from jnet.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau as ReduceLROnPlateau
from jnet.callbacks.remote_monitor import RemoteMonitor as RemoteMonitor
from jnet.callbacks.tensorboard import TensorBoard as TensorBoard
from jnet.callbacks.terminate_on_nan import TerminateOnNaN as TerminateOnNaN

__all__ = [
    "BackupAndRestore",
    "CSVLogger",
    "Callback",
    "CallbackList",
    "EarlyStopping",
    "History",
    "LambdaCallback",
    "LearningRateScheduler",
    "ModelCheckpoint",
    "ProgbarLogger",
    "ReduceLROnPlateau",
    "RemoteMonitor",
    "TensorBoard",
    "TerminateOnNaN",
]
