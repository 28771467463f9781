"""Keras's numpy reductions, statistics, sorting and searching (``keras.ops.numpy``)."""

__all__: list[str] = []
