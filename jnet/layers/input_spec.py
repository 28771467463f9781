"""``InputSpec``: the rank, shape and dtype a layer expects of an input, as ``keras.InputSpec``.

A layer can hold one (or a structure of them) and check its inputs with
:func:`assert_input_compatibility`; ``None`` in a shape matches any size.

Example:
    >>> import jnet
    >>> spec = jnet.InputSpec(shape=(None, 28, 28, 1))
    >>> spec
    InputSpec(shape=(None, 28, 28, 1), ndim=4)
    >>> assert_input_compatibility(spec, jnet.Input((28, 28, 1)), "conv")
"""

from __future__ import annotations

from typing import Any

from jnet import _dtypes, errors

__all__ = ["InputSpec", "assert_input_compatibility"]


class InputSpec:
    """Specifies the rank, dtype and shape of an input to a layer.

    Args:
        dtype: the expected dtype, or None.
        shape: the expected shape, batch axis included (``None`` for any size); sets ``ndim``.
        ndim: the expected rank.
        max_ndim: the largest rank accepted.
        min_ndim: the smallest rank accepted.
        axes: a dict mapping integer axes to their required sizes.
        allow_last_axis_squeeze: accept an input of rank N+1 whose last axis is 1, or of rank
            N-1 when the spec's last axis is 1 (default False).
        name: the key of this input when inputs are passed as a dict.
        optional: whether the input may be None (default False).

    Example:
        >>> InputSpec(ndim=2, axes={-1: 8})
        InputSpec(ndim=2, axes={-1: 8})
    """

    def __init__(self, dtype: Any = None, shape: Any = None, ndim: int | None = None,
                 max_ndim: int | None = None, min_ndim: int | None = None,
                 axes: dict[int, int] | None = None, allow_last_axis_squeeze: bool = False,
                 name: str | None = None, optional: bool = False):
        self.dtype = _dtypes.standardize_dtype(dtype) if dtype is not None else None
        if shape is not None:
            self.shape: tuple | None = tuple(None if d is None else int(d) for d in shape)
            self.ndim = len(self.shape)
        else:
            self.shape = None
            self.ndim = ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.name = name
        self.optional = optional
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        try:
            axes = axes or {}
            self.axes = {int(k): axes[k] for k in axes}
        except (ValueError, TypeError):
            raise errors.JnetTypeError(
                f"Argument `axes` must be a dict with integer keys. Received: axes={axes}"
            ) from None
        if self.axes and (self.ndim is not None or self.max_ndim is not None):
            max_dim = (self.ndim if self.ndim else self.max_ndim) - 1
            if max(self.axes) > max_dim:
                raise errors.JnetValueError(
                    f"Axis {max(self.axes)} is greater than the maximum allowed value: {max_dim}"
                )

    def __repr__(self) -> str:
        parts = [
            f"dtype={self.dtype}" if self.dtype else "",
            f"shape={self.shape}" if self.shape else "",
            f"ndim={self.ndim}" if self.ndim else "",
            f"max_ndim={self.max_ndim}" if self.max_ndim else "",
            f"min_ndim={self.min_ndim}" if self.min_ndim else "",
            f"axes={self.axes}" if self.axes else "",
        ]
        return f"InputSpec({', '.join(p for p in parts if p)})"

    def get_config(self) -> dict[str, Any]:
        """Keras's config: dtype, shape, ndim, max_ndim, min_ndim, axes, optional."""
        return {"dtype": self.dtype, "shape": self.shape, "ndim": self.ndim,
                "max_ndim": self.max_ndim, "min_ndim": self.min_ndim, "axes": self.axes,
                "optional": self.optional}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> InputSpec:
        """An ``InputSpec`` from :meth:`get_config`'s dict."""
        return cls(**config)


def assert_input_compatibility(input_spec: Any, inputs: Any, layer_name: str) -> None:
    """Raises a ``JnetValueError`` naming the layer when ``inputs`` (an array or symbolic
    tensor, or a list of them, one per spec) do not meet ``input_spec``.

    Example:
        >>> import numpy as np
        >>> assert_input_compatibility(InputSpec(min_ndim=2), np.zeros(3), "dense")
        Traceback (most recent call last):
            ...
        jnet.errors.JnetValueError: Input 0 of layer "dense" is incompatible with the layer: ...
    """
    if not input_spec:
        return
    specs = list(input_spec) if isinstance(input_spec, list | tuple) else [input_spec]
    xs = list(inputs) if isinstance(inputs, list | tuple) else [inputs]
    if len(xs) != len(specs):
        raise errors.JnetValueError(
            f'Layer "{layer_name}" expects {len(specs)} input(s), but it received {len(xs)} '
            "input tensors."
        )
    for i, (spec, x) in enumerate(zip(specs, xs, strict=True)):
        if spec is None or (x is None and spec.optional):
            continue
        shape = tuple(getattr(x, "shape", ()))
        ndim = len(shape)
        where = f'Input {i} of layer "{layer_name}" is incompatible with the layer: '

        def fail(msg: str, where: str = where, shape: tuple = shape) -> errors.JnetValueError:
            return errors.JnetValueError(f"{where}{msg} Full shape received: {shape}")

        if spec.ndim is not None and not spec.allow_last_axis_squeeze and ndim != spec.ndim:
            raise fail(f"expected ndim={spec.ndim}, found ndim={ndim}.")
        if spec.max_ndim is not None and ndim > spec.max_ndim:
            raise fail(f"expected max_ndim={spec.max_ndim}, found ndim={ndim}.")
        if spec.min_ndim is not None and ndim < spec.min_ndim:
            raise fail(f"expected min_ndim={spec.min_ndim}, found ndim={ndim}.")
        for axis, size in spec.axes.items():
            if size is None or not -ndim <= axis < ndim:
                continue
            if shape[axis] not in (size, None):
                raise fail(f"expected axis {axis} of input shape to have value {size}, but "
                           f"received input with shape {shape}.")
        if spec.shape is not None and ndim == len(spec.shape):
            for want, got in zip(spec.shape, shape, strict=True):
                if want is not None and got is not None and want != got:
                    raise fail(f"expected shape={spec.shape}, found shape={shape}.")
