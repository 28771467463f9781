"""``PyDataset``: Keras's base class for datasets that produce batches in Python.

Subclass it, implement ``__len__`` (the number of batches per epoch) and ``__getitem__``
(batch ``index`` as ``(x, y)`` or ``(x, y, sample_weight)`` numpy arrays, or ``x`` alone for
``predict``), and pass an instance to ``fit``/``evaluate``/``predict``. ``on_epoch_end`` runs
after each epoch (reshuffle there).

``fit(shuffle=True)`` shuffles the order of the batches every epoch, as Keras does; a subclass
that orders its own batches sets the class attribute ``shuffle_batches = False`` (a jnet
extension).

``workers``, ``use_multiprocessing`` and ``max_queue_size`` are accepted for Keras
compatibility; jnet reads batches in the calling thread.

Example:
    >>> import numpy as np
    >>> class Squares(PyDataset):
    ...     def __len__(self):
    ...         return 3
    ...     def __getitem__(self, index):
    ...         x = np.full((4, 1), float(index), np.float32)
    ...         return x, x**2
    >>> data = Squares()
    >>> data.num_batches, float(data[2][1][0, 0])
    (3, 4.0)
"""

from __future__ import annotations

from typing import Any

from jnet import errors

__all__ = ["PyDataset"]


class PyDataset:
    """Base class for Python-side datasets yielding whole batches.

    Args:
        workers: accepted for Keras compatibility (batches are read in this thread).
        use_multiprocessing: accepted for Keras compatibility.
        max_queue_size: accepted for Keras compatibility.
    """

    #: Whether ``fit(shuffle=True)`` may reorder the batches (False: the dataset orders them).
    shuffle_batches: bool = True

    def __init__(self, workers: int = 1, use_multiprocessing: bool = False,
                 max_queue_size: int = 10):
        self.workers = workers
        self.use_multiprocessing = use_multiprocessing
        self.max_queue_size = max_queue_size

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError(
            f"{type(self).__name__} must implement __getitem__(index) returning the batch "
            f"at `index` as (x, y) or (x, y, sample_weight)."
        )

    def __len__(self) -> int:
        raise NotImplementedError(
            f"{type(self).__name__} must implement __len__() returning the number of batches."
        )

    @property
    def num_batches(self) -> int | None:
        """The number of batches per epoch (``len(self)``), or None when unknown."""
        try:
            n = len(self)
        except NotImplementedError:
            return None
        if not isinstance(n, int) or n < 0:
            raise errors.JnetValueError(
                f"{type(self).__name__}.__len__ must return a non-negative integer, "
                f"received {n!r}."
            )
        return n

    def on_epoch_end(self) -> None:
        """Called after every epoch; override to reshuffle."""
