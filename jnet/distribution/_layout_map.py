"""``LayoutMap``: variable paths (regular expressions) to tensor layouts, as Keras's.

Example:
    >>> import jax
    >>> from jnet.distribution import DeviceMesh
    >>> layout_map = LayoutMap(DeviceMesh((1, 1), ["batch", "model"], jax.devices()[:1]))
    >>> layout_map[".*dense.*kernel"] = (None, "model")
    >>> layout_map["sequential/dense_1/kernel"].axes
    (None, 'model')
    >>> layout_map["sequential/dense_1/bias"] is None
    True
"""

from __future__ import annotations

import collections
import re
from collections.abc import Iterator, MutableMapping

from jnet import errors
from jnet.distribution._mesh import DeviceMesh, TensorLayout

__all__ = ["LayoutMap"]


class LayoutMap(MutableMapping):
    """A dict from variable paths to :class:`TensorLayout` whose keys are regular expressions
    (Keras's ``LayoutMap``).

    ``layout_map[path]`` returns the layout stored under ``path`` itself, else the one whose
    key matches the whole path (``re.fullmatch``, as Keras 3), else None; a path that several
    keys match is an error. A tuple (or list) of axis names is stored as a
    ``TensorLayout`` on this map's mesh.

    The paths are Keras's ``variable.path``: ``'<layer>/<weight>'`` with nested layers joined
    by ``'/'`` (``'multi_head_attention/query/kernel'``), under ``'<model>/'`` for a
    ``Sequential`` (``'sequential/dense_1/bias'``), as Keras names them.

    Args:
        device_mesh: the :class:`DeviceMesh` every layout of the map lies on.

    Example:
        >>> import jax
        >>> mesh = DeviceMesh((1, 1), ["batch", "model"], jax.devices()[:1])
        >>> layout_map = LayoutMap(mesh)
        >>> layout_map["dense.*kernel"] = (None, "model")
        >>> layout_map.get("dense_2/kernel").axes
        (None, 'model')
    """

    def __init__(self, device_mesh: DeviceMesh):
        if not isinstance(device_mesh, DeviceMesh):
            raise errors.JnetTypeError(
                f"LayoutMap: device_mesh must be a jnet.distribution.DeviceMesh, received "
                f"{errors.describe(device_mesh)}."
            )
        self._layout_map: collections.OrderedDict[str, TensorLayout] = collections.OrderedDict()
        self._device_mesh = device_mesh

    @property
    def device_mesh(self) -> DeviceMesh:
        """The mesh of every layout in the map."""
        return self._device_mesh

    def __getitem__(self, key: str) -> TensorLayout | None:
        if key in self._layout_map:
            return self._layout_map[key]
        matches = [pattern for pattern in self._layout_map if re.fullmatch(pattern, key)]
        if len(matches) > 1:
            raise errors.JnetValueError(
                f"LayoutMap: the path {key!r} matches several keys {matches}; each variable "
                f"path must match at most one key."
            )
        return self._layout_map[matches[0]] if matches else None

    def __setitem__(self, key: str, layout: TensorLayout | tuple | list) -> None:
        if not isinstance(key, str):
            raise errors.JnetTypeError(
                f"LayoutMap keys are regular expressions over variable paths (strings), "
                f"received {errors.describe(key)}."
            )
        if key in self._layout_map:
            raise errors.JnetValueError(
                f"LayoutMap: the key {key!r} is already set to {self._layout_map[key]}; keys "
                f"must not repeat."
            )
        try:
            re.compile(key)
        except re.error as error:
            raise errors.JnetValueError(
                f"LayoutMap: the key {key!r} is not a regular expression ({error})."
            ) from None
        if isinstance(layout, tuple | list):
            layout = TensorLayout(tuple(layout))
        if not isinstance(layout, TensorLayout):
            raise errors.JnetTypeError(
                f"LayoutMap[{key!r}] must be a TensorLayout or a tuple of axis names, "
                f"received {errors.describe(layout)}."
            )
        if layout.device_mesh is None:
            layout.device_mesh = self._device_mesh
        elif layout.device_mesh is not self._device_mesh:
            raise errors.JnetValueError(
                f"LayoutMap[{key!r}]: the layout lies on {layout.device_mesh}, not on the "
                f"map's {self._device_mesh}."
            )
        self._layout_map[key] = layout

    def __delitem__(self, key: str) -> None:
        del self._layout_map[key]

    def __len__(self) -> int:
        return len(self._layout_map)

    def __iter__(self) -> Iterator[str]:
        return iter(self._layout_map)

    def __repr__(self) -> str:
        return f"<LayoutMap {dict(self._layout_map)}>"

