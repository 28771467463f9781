"""Model parallelism, Keras 3 style: ``ModelParallel`` shards weights by a ``LayoutMap``.

Under it, ``fit``, ``evaluate`` and ``predict`` put each weight on the
``jax.sharding.NamedSharding`` its layout names (weights no key matches are replicated), each
optimizer slot (Adam's moments...) like its weight, and split each batch over the mesh's
batch axis; ``jax.jit`` (GSPMD) partitions the compiled step and inserts the collectives.
The numbers are one device's (up to the order of floating-point sums).

Example:
    >>> import jax, numpy as np, jnet
    >>> from jnet.distribution import DeviceMesh, LayoutMap, ModelParallel
    >>> mesh = DeviceMesh((1, 1), ["batch", "model"], jax.devices()[:1])
    >>> layout_map = LayoutMap(mesh)
    >>> layout_map[".*dense.*kernel"] = (None, "model")
    >>> model = jnet.Sequential([jnet.layers.Dense(4, input_shape=(3,))])
    >>> model.compile(optimizer="adam", loss="mse")
    >>> with ModelParallel(layout_map=layout_map).scope():
    ...     h = model.fit(np.ones((8, 3)), np.zeros((8, 4)), batch_size=4, verbose=0)
    >>> model.variables["params"]["dense"]["kernel"].sharding.mesh.axis_names
    ('batch', 'model')
"""

from __future__ import annotations

from typing import Any

from jax.sharding import NamedSharding

from jnet import errors
from jnet.distribution._distribution import Distribution
from jnet.distribution._layout_map import LayoutMap

__all__ = ["ModelParallel"]


class ModelParallel(Distribution):
    """Shards the weights per a :class:`LayoutMap` and the batches over the batch axis
    (Keras's ``ModelParallel``).

    The layout map's keys match Keras's ``variable.path`` of each weight (see
    :class:`LayoutMap`): ``'dense/kernel'``, ``'multi_head_attention/query/kernel'``, and
    ``'sequential/dense/kernel'`` in a ``Sequential``. Weights are placed when ``fit``,
    ``evaluate`` or ``predict`` starts (Keras places them when they are created in the
    scope); a layout whose rank is not the weight's, or whose mesh axis does not divide the
    dimension it splits, is an error naming the weight (Keras leaves the latter to JAX).

    Args:
        layout_map: the :class:`LayoutMap`; its mesh is the distribution's.
        batch_dim_name: the mesh axis the batch is split over; default the mesh's first.
        auto_shard_dataset: Keras's flag; jnet reads each process's arrays as its own shard
            (see :class:`Distribution`).
        **kwargs: ``device_mesh=`` (Keras's older form), accepted when it is the layout
            map's mesh.

    Example:
        >>> import jax
        >>> from jnet.distribution import DeviceMesh, LayoutMap
        >>> mesh = DeviceMesh((1, 1), ["batch", "model"], jax.devices()[:1])
        >>> layout_map = LayoutMap(mesh)
        >>> layout_map["dense.*kernel"] = (None, "model")
        >>> dist = ModelParallel(layout_map=layout_map, batch_dim_name="batch")
        >>> dist.variable_sharding("dense/kernel", (3, 4)).spec
        P(None, 'model')
        >>> dist.variable_sharding("dense/bias", (4,)).spec
        P()
    """

    replicates_weights = False

    def __init__(
        self,
        *,
        layout_map: LayoutMap | None = None,
        batch_dim_name: str | None = None,
        auto_shard_dataset: bool = True,
        **kwargs: Any,
    ):
        device_mesh = kwargs.pop("device_mesh", None)
        if kwargs:
            raise errors.unknown_arguments("ModelParallel", kwargs, ["device_mesh"])
        if layout_map is None:
            raise errors.JnetValueError(
                "ModelParallel needs layout_map=, a jnet.distribution.LayoutMap."
            )
        if not isinstance(layout_map, LayoutMap):
            raise errors.JnetTypeError(
                f"ModelParallel: layout_map must be a jnet.distribution.LayoutMap, received "
                f"{errors.describe(layout_map)}."
            )
        if device_mesh is not None and device_mesh is not layout_map.device_mesh:
            raise errors.JnetValueError(
                f"ModelParallel: device_mesh={device_mesh!r} is not the layout map's mesh "
                f"{layout_map.device_mesh}; leave it out (the layout map's is used)."
            )
        super().__init__(layout_map.device_mesh, batch_dim_name, auto_shard_dataset)
        self._layout_map = layout_map
        self._shardings: dict[tuple[str, tuple[int, ...]], NamedSharding] = {}
        replicas = self.device_mesh.axis_size(self.batch_axis)
        if self.multi_process and self.num_processes > replicas and (
            self.num_processes % replicas
        ):
            raise errors.JnetValueError(
                f"ModelParallel: with more processes ({self.num_processes}) than model "
                f"replicas (the batch axis's {replicas} devices), the processes must divide "
                f"by the replicas."
            )

    @property
    def layout_map(self) -> LayoutMap:
        """The :class:`LayoutMap`."""
        return self._layout_map

    @property
    def num_model_replicas(self) -> int:
        """How many copies of the model there are: the batch axis's size."""
        return self.device_mesh.axis_size(self.batch_axis)

    def get_tensor_layout(self, path: str) -> Any:
        """The layout map's layout of ``path``, or None."""
        return self._layout_map[path]

    def variable_sharding(self, path: str, shape: tuple[int, ...]) -> NamedSharding:
        """The sharding of the weight at ``path`` of this shape: its layout's, or replicated
        when no key of the layout map matches ``path``."""
        key = (path, shape)
        sharding = self._shardings.get(key)
        if sharding is None:
            sharding = self._shardings[key] = self._resolve(path, shape)
        return sharding

    def _resolve(self, path: str, shape: tuple[int, ...]) -> NamedSharding:
        layout = self._layout_map[path]
        if layout is None:
            return self.replicated
        if len(layout.axes) != len(shape):
            raise errors.JnetValueError(
                f"ModelParallel: the layout {layout.axes} has {len(layout.axes)} axes, but "
                f"the weight {path!r} has shape {shape}."
            )
        for dim, (size, axis) in enumerate(zip(shape, layout.axes, strict=True)):
            if axis is not None and size % self.device_mesh.axis_size(axis):
                raise errors.JnetValueError(
                    f"ModelParallel: the weight {path!r} of shape {shape} cannot be split on "
                    f"its dimension {dim} ({size}) over the mesh axis {axis!r} of "
                    f"{self.device_mesh.axis_size(axis)} devices: it must divide the dimension."
                )
        return layout.sharding
