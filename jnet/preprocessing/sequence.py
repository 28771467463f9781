"""Keras's ``keras.preprocessing.sequence``: ``pad_sequences``.

Example:
    >>> pad_sequences([[1, 2, 3]], maxlen=2).tolist()
    [[2, 3]]
"""

from jnet.utils.sequence import pad_sequences as pad_sequences

__all__ = ["pad_sequences"]
