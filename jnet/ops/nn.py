"""``keras.ops.nn``: activations, convolutions, pooling, normalization, losses, attention."""

__all__: list[str] = []
