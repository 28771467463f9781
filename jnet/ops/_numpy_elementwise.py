"""Keras's elementwise numpy ops: arithmetic, comparisons, logic, bitwise, rounding, math
functions and predicates (``keras.ops.numpy``)."""

__all__: list[str] = []
