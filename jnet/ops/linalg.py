"""``keras.ops.linalg``: decompositions, solvers, norms."""

__all__: list[str] = []
