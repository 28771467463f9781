"""Keras's numpy array creation, shape manipulation, indexing and products
(``keras.ops.numpy``)."""

__all__: list[str] = []
