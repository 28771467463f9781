"""Devices and layouts: ``DeviceMesh``, ``TensorLayout``, ``distribute_tensor``, device counts.

A :class:`DeviceMesh` is a named grid of devices (a ``jax.sharding.Mesh``); a
:class:`TensorLayout` names, for each dimension of a tensor, the mesh axis it is split over
(None: not split), and becomes a ``jax.sharding.NamedSharding`` on its mesh.

Example:
    >>> import jax
    >>> mesh = DeviceMesh((1, 1), ["batch", "model"], jax.devices()[:1])
    >>> layout = TensorLayout((None, "model"), mesh)
    >>> layout.sharding.spec
    P(None, 'model')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec

from jnet import errors

__all__ = ["DeviceMesh", "TensorLayout", "distribute_tensor", "get_device_count", "list_devices"]


def list_devices(device_type: str | None = None) -> list[Any]:
    """All devices of every process (``jax.devices(device_type)``), as Keras's ``list_devices``.

    Args:
        device_type: ``'cpu'``, ``'gpu'`` or ``'tpu'``; default the default backend's.

    Example:
        >>> len(list_devices()) >= 1
        True
    """
    return list(jax.devices(device_type.lower()) if device_type else jax.devices())


def get_device_count(device_type: str | None = None) -> int:
    """How many devices of one type there are, over every process (Keras's
    ``get_device_count``); never a mix of types.

    Args:
        device_type: ``'cpu'``, ``'gpu'`` or ``'tpu'``; default the default backend's (an
            accelerator when there is one, else the CPU).

    Example:
        >>> get_device_count() == len(list_devices())
        True
    """
    return len(list_devices(device_type))


class DeviceMesh:
    """A named grid of devices (Keras's ``DeviceMesh``): a ``jax.sharding.Mesh``.

    Args:
        shape: the grid's shape, e.g. ``(8,)`` for data parallelism or ``(2, 4)`` for data
            and model axes together.
        axis_names: one name per axis, e.g. ``['batch', 'model']``.
        devices: the devices, as many as the grid holds; default all (``jax.devices()``).

    Example:
        >>> mesh = DeviceMesh((1, 1), ["batch", "model"], jax.devices()[:1])
        >>> mesh.axis_names, mesh.shape
        (('batch', 'model'), (1, 1))
    """

    def __init__(
        self, shape: Sequence[int], axis_names: Sequence[str], devices: Sequence[Any] | None = None
    ):
        shape = tuple(int(s) for s in shape)
        axis_names = tuple(str(a) for a in axis_names)
        if len(shape) != len(axis_names) or not shape:
            raise errors.JnetValueError(
                f"DeviceMesh: shape and axis_names must have the same (non-zero) length, "
                f"received shape={shape} and axis_names={list(axis_names)}."
            )
        if len(set(axis_names)) != len(axis_names):
            raise errors.JnetValueError(
                f"DeviceMesh: axis_names must be distinct, received {list(axis_names)}."
            )
        devices = list(jax.devices() if devices is None else np.asarray(devices).reshape(-1))
        if int(np.prod(shape)) != len(devices):
            raise errors.JnetValueError(
                f"DeviceMesh: shape {shape} holds {int(np.prod(shape))} devices, received "
                f"{len(devices)} devices."
            )
        self.shape = shape
        self.axis_names = axis_names
        self.devices = np.array(devices, dtype=object).reshape(shape)
        self.jax_mesh = Mesh(self.devices, axis_names)

    @property
    def backend_mesh(self) -> Mesh:
        """The ``jax.sharding.Mesh`` (Keras's name for it)."""
        return self.jax_mesh

    def axis_size(self, name: str) -> int:
        """How many devices the axis ``name`` spans."""
        return self.shape[self.axis_names.index(name)]

    def __repr__(self) -> str:
        return f"<DeviceMesh shape={self.shape} axis_names={list(self.axis_names)}>"


class TensorLayout:
    """How a tensor is split over a :class:`DeviceMesh` (Keras's ``TensorLayout``).

    Args:
        axes: one entry per tensor dimension: the name of the mesh axis the dimension is split
            over, or None (not split; the tensor is copied over the axes it names none of).
        device_mesh: the mesh; may be set later, once (a :class:`LayoutMap` sets its own).

    Example:
        >>> mesh = DeviceMesh((1,), ["model"], jax.devices()[:1])
        >>> TensorLayout(("model", None), mesh).sharding.spec
        P('model', None)
    """

    def __init__(self, axes: Sequence[str | None], device_mesh: DeviceMesh | None = None):
        if isinstance(axes, str) or not isinstance(axes, Sequence):
            raise errors.JnetTypeError(
                f"TensorLayout: axes must be a tuple of mesh axis names or None, one per "
                f"dimension, received {errors.describe(axes)}."
            )
        for axis in axes:
            if axis is not None and not isinstance(axis, str):
                raise errors.JnetTypeError(
                    f"TensorLayout: each entry of axes must be a mesh axis name or None, "
                    f"received {errors.describe(axis)} in axes={tuple(axes)}."
                )
        self._axes = tuple(axes)
        self._device_mesh: DeviceMesh | None = None
        if device_mesh is not None:
            self.device_mesh = device_mesh

    @property
    def axes(self) -> tuple[str | None, ...]:
        """The mesh axis of each dimension (None: not split)."""
        return self._axes

    @property
    def device_mesh(self) -> DeviceMesh | None:
        """The mesh, or None while unset."""
        return self._device_mesh

    @device_mesh.setter
    def device_mesh(self, device_mesh: DeviceMesh) -> None:
        if self._device_mesh is not None:
            raise errors.JnetValueError(
                f"TensorLayout: the device mesh is already set ({self._device_mesh}); it "
                f"cannot be replaced."
            )
        if not isinstance(device_mesh, DeviceMesh):
            raise errors.JnetTypeError(
                f"TensorLayout: device_mesh must be a jnet.distribution.DeviceMesh, received "
                f"{errors.describe(device_mesh)}."
            )
        unknown = [a for a in self._axes if a is not None and a not in device_mesh.axis_names]
        if unknown:
            raise errors.JnetValueError(
                f"TensorLayout: axes {self._axes} name {unknown}, which the device mesh does "
                f"not have; its axes are {list(device_mesh.axis_names)}."
            )
        self._device_mesh = device_mesh

    @property
    def sharding(self) -> NamedSharding:
        """The ``jax.sharding.NamedSharding`` of this layout on its mesh."""
        if self._device_mesh is None:
            raise errors.JnetValueError(
                f"TensorLayout{self._axes} has no device mesh: pass device_mesh, or put it in "
                f"a LayoutMap."
            )
        return NamedSharding(self._device_mesh.jax_mesh, PartitionSpec(*self._axes))

    backend_layout = sharding  # Keras's name

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, TensorLayout)
            and self._axes == other._axes
            and self._device_mesh is other._device_mesh
        )

    def __hash__(self) -> int:
        return hash((self._axes, id(self._device_mesh)))

    def __repr__(self) -> str:
        return f"<TensorLayout axes={self._axes}, device_mesh={self._device_mesh}>"


def distribute_tensor(tensor: Any, layout: Any) -> Any:
    """``tensor`` laid out as ``layout`` says (Keras's ``distribute_tensor``).

    Outside ``jax.jit`` the value is moved (``jax.device_put``); inside, the layout becomes a
    sharding constraint (``jax.lax.with_sharding_constraint``) that GSPMD follows.

    Args:
        tensor: an array (or a traced value inside ``jax.jit``).
        layout: a :class:`TensorLayout` with a mesh, or a ``jax.sharding.Sharding``.

    Example:
        >>> mesh = DeviceMesh((1,), ["model"], jax.devices()[:1])
        >>> out = distribute_tensor(np.ones((2, 4)), TensorLayout((None, "model"), mesh))
        >>> out.sharding.spec
        P(None, 'model')
    """
    if isinstance(layout, TensorLayout):
        sharding = layout.sharding
        if np.ndim(tensor) != len(layout.axes):
            raise errors.JnetValueError(
                f"distribute_tensor: the layout has {len(layout.axes)} axes {layout.axes}, "
                f"received a tensor of shape {tuple(np.shape(tensor))}."
            )
    elif isinstance(layout, jax.sharding.Sharding):
        sharding = layout
    else:
        raise errors.JnetTypeError(
            f"distribute_tensor: layout must be a jnet.distribution.TensorLayout or a "
            f"jax.sharding.Sharding, received {errors.describe(layout)}."
        )
    if isinstance(tensor, jax.core.Tracer):
        return jax.lax.with_sharding_constraint(tensor, sharding)
    return jax.device_put(tensor, sharding)
