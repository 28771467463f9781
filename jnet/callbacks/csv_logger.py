""":class:`CSVLogger`: one CSV row of logs per epoch."""

from __future__ import annotations

import collections
import csv
import os
from typing import Any

import numpy as np

from jnet.callbacks._callback import Callback

__all__ = ["CSVLogger"]


class CSVLogger(Callback):
    """Streams each epoch's logs to a CSV file, with Keras's columns and formatting.

    The columns are ``epoch`` then the first epoch's keys sorted; when that epoch has no
    ``val_*`` key, ``val_<key>`` columns are added for every key (filled with ``NA``), as in
    Keras.

    Args:
        filename: the CSV file's path.
        separator: the field separator. Default ``','``.
        append: append to an existing file (writing the header only if it is empty)
            instead of overwriting it. Default False.

    Example:
        >>> import os, tempfile, numpy as np, jnet
        >>> path = os.path.join(tempfile.mkdtemp(), "log.csv")
        >>> model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(1,))])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> _ = model.fit(np.ones((4, 1)), np.ones((4, 1)), epochs=2, verbose=0,
        ...               callbacks=[jnet.callbacks.CSVLogger(path)])
        >>> open(path).readline().strip()
        'epoch,loss,val_loss'
    """

    def __init__(self, filename: str | os.PathLike, separator: str = ",", append: bool = False):
        super().__init__()
        self.sep = separator
        self.filename = os.fspath(filename)
        self.append = append
        self.writer: Any = None
        self.keys: list[str] | None = None
        self.append_header = True
        self.csv_file: Any = None

    def on_train_begin(self, logs=None):
        if self.append:
            if os.path.exists(self.filename):
                with open(self.filename) as f:
                    self.append_header = not bool(len(f.readline()))
            mode = "a"
        else:
            mode = "w"
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
        self.csv_file = open(self.filename, mode, newline="")  # closed in on_train_end
        self.writer = None
        self.keys = None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}

        def handle_value(k):
            is_zero_dim_ndarray = isinstance(k, np.ndarray) and k.ndim == 0
            if isinstance(k, str):
                return k
            if isinstance(k, collections.abc.Iterable) and not is_zero_dim_ndarray:
                return f'"[{", ".join(map(str, k))}]"'
            return k

        if self.keys is None:
            self.keys = sorted(logs.keys())
            if self.keys and not any(key.startswith("val_") for key in self.keys):
                self.keys.extend([f"val_{k}" for k in self.keys])
        if self.writer is None:

            class Dialect(csv.excel):
                delimiter = self.sep

            self.writer = csv.DictWriter(
                self.csv_file, fieldnames=["epoch", *self.keys], dialect=Dialect
            )
            if self.append_header:
                self.writer.writeheader()
        row = collections.OrderedDict({"epoch": epoch})
        row.update((key, handle_value(logs.get(key, "NA"))) for key in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
        self.writer = None
