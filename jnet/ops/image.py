"""``keras.ops.image``: resizing, affine and perspective transforms, patches, colour spaces."""

__all__: list[str] = []
