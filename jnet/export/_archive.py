"""``ExportArchive``: several serving endpoints in one TensorFlow SavedModel, as
``keras.export.ExportArchive``.

Each endpoint is a function of JAX arrays (``model``, ``lambda x: model(x)``, or any
function calling tracked jnet layers) with an input signature; ``write_out`` converts each
with ``jax2tf`` (native serialization, a polymorphic batch axis, as ``model.export`` does),
saves them as ``tf.function``s under their names, and makes the first one
``serving_default`` unless an endpoint has that name. ``tf.saved_model.load(path)`` serves
them without jnet. Variable collections become lists of ``tf.Variable`` on the artifact.

Differences from Keras: the weights of the functions are baked into each endpoint as
constants when ``write_out`` runs (as in ``model.export``), rather than held as shared
``tf.Variable``s; and ``track`` is needed only for Keras's API (a jnet layer's weights reach
the endpoint through the function that calls it).

Example:
    >>> import os, tempfile, numpy as np, jnet
    >>> model = jnet.Sequential([jnet.layers.Dense(2, input_shape=(3,))])
    >>> archive = jnet.export.ExportArchive()
    >>> archive.track(model)
    >>> _ = archive.add_endpoint("serve", model, input_signature=[
    ...     jnet.layers.InputSpec(shape=(None, 3), dtype="float32")])
    >>> path = os.path.join(tempfile.mkdtemp(), "saved")
    >>> archive.write_out(path, verbose=False)  # doctest: +SKIP
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from jnet import errors
from jnet.export._export import _dim_names

__all__ = ["ExportArchive"]


def _spec(item: Any, where: str) -> tuple[tuple, str]:
    """``(shape, dtype name)`` of one input spec: a jnet ``InputSpec`` or ``Input``, a
    ``tf.TensorSpec``, a ``jax.ShapeDtypeStruct``, or a bare shape (float32)."""
    if isinstance(item, tuple | list) and all(d is None or isinstance(d, int) for d in item):
        return tuple(item), "float32"
    shape = getattr(item, "shape", None)
    if shape is None:
        raise errors.JnetValueError(
            f"ExportArchive.add_endpoint: {where} must be a spec with a shape (an InputSpec, "
            f"a tf.TensorSpec or a shape tuple such as (None, 3)), received {item!r}."
        )
    shape = shape.as_list() if hasattr(shape, "as_list") else shape
    dtype = getattr(item, "dtype", None) or "float32"
    dtype = getattr(dtype, "name", None) or str(dtype)
    if any(d is not None and not isinstance(d, int | np.integer) for d in shape) or not shape:
        raise errors.JnetValueError(
            f"ExportArchive.add_endpoint: {where} needs a shape of sizes or None with a batch "
            f"axis first, received {tuple(shape)!r}."
        )
    return tuple(None if d is None else int(d) for d in shape), np.dtype(dtype).name


class ExportArchive:
    """Collects endpoints and variables and writes them as one SavedModel, as
    ``keras.export.ExportArchive``.

    Example:
        >>> import jnet
        >>> archive = jnet.export.ExportArchive()
        >>> model = jnet.Sequential([jnet.layers.Dense(2, input_shape=(3,))])
        >>> archive.track(model)
        >>> fn = archive.add_endpoint("serve", model, input_signature=[(None, 3)])
        >>> archive.endpoint_names
        ['serve']
    """

    def __init__(self) -> None:
        self._endpoints: dict[str, tuple[Any, list[tuple[tuple, str]], dict[str, Any]]] = {}
        self._collections: dict[str, list[tuple[str, np.ndarray, bool]]] = {}
        self._tracked: list[Any] = []

    @property
    def endpoint_names(self) -> list[str]:
        """The endpoints' names, in the order they were added."""
        return list(self._endpoints)

    def track(self, resource: Any) -> None:
        """Tracks a built jnet layer or model whose functions the endpoints call.

        Args:
            resource: a built jnet layer or model.

        Example:
            >>> import jnet
            >>> try:
            ...     jnet.export.ExportArchive().track(jnet.layers.Dense(2))
            ... except jnet.errors.NotBuiltError as e:
            ...     print(str(e)[:54])
            ExportArchive.track: the layer provided has not yet be
        """
        if not hasattr(type(resource), "variables"):
            raise errors.JnetValueError(
                "ExportArchive.track: expected a jnet Layer or Model, received "
                f"{type(resource).__name__}."
            )
        try:
            variables = resource.variables
        except Exception:  # noqa: BLE001 - flax: a layer outside any model holds nothing
            variables = None
        has = getattr(resource, "_has_variables", None)
        if variables is None or (callable(has) and not has()):
            raise errors.NotBuiltError(
                f"ExportArchive.track: the layer provided has not yet been built "
                f"({type(resource).__name__} {getattr(resource, 'name', '')!r}); build it "
                f"(call it, or model.build(shape)) before export."
            )
        self._tracked.append(resource)

    def add_endpoint(self, name: str, fn: Any, input_signature: Any = None, **kwargs: Any):
        """Adds ``fn`` as the endpoint ``name``.

        Args:
            name: the endpoint's name (an attribute of the loaded SavedModel).
            fn: a function of JAX arrays (a jnet model, or a function calling jnet layers).
            input_signature: a list of specs, one per positional argument: jnet
                ``InputSpec``s, ``tf.TensorSpec``s or shapes such as ``(None, 3)`` (float32);
                ``None`` axes take any size.
            **kwargs: ``jax2tf_kwargs``: extra ``jax2tf.convert`` arguments, as Keras.

        Returns:
            ``fn``.

        Example:
            >>> import jnet
            >>> archive = jnet.export.ExportArchive()
            >>> _ = archive.add_endpoint("double", lambda x: 2 * x, [(None, 4)])
            >>> try:
            ...     archive.add_endpoint("double", lambda x: x, [(None, 4)])
            ... except jnet.errors.JnetValueError as e:
            ...     print(str(e)[28:])
            endpoint name 'double' is already taken.
        """
        if not isinstance(name, str) or not name.isidentifier():
            raise errors.JnetValueError(
                f"ExportArchive.add_endpoint: name must be a Python identifier, received "
                f"{name!r}."
            )
        if name in self._endpoints:
            raise errors.JnetValueError(
                f"ExportArchive.add_endpoint: endpoint name {name!r} is already taken."
            )
        if not callable(fn):
            raise errors.JnetTypeError(
                f"ExportArchive.add_endpoint: fn must be callable, received {fn!r}."
            )
        if input_signature is None:
            raise errors.JnetValueError(
                "ExportArchive.add_endpoint: input_signature is needed to give the shape and "
                "dtype of fn's arguments, e.g. input_signature=[jnet.layers.InputSpec("
                "shape=(None, 224, 224, 3), dtype='float32')]."
            )
        if not isinstance(input_signature, list | tuple):
            input_signature = [input_signature]
        specs = [_spec(item, f"input_signature[{i}]") for i, item in enumerate(input_signature)]
        extra = kwargs.pop("jax2tf_kwargs", None) or {}
        kwargs.pop("is_static", None)
        if kwargs:
            raise errors.JnetTypeError(
                f"ExportArchive.add_endpoint got unexpected arguments {sorted(kwargs)}."
            )
        self._endpoints[name] = (fn, specs, dict(extra))
        return fn

    def track_and_add_endpoint(self, name: str, resource: Any, input_signature: Any,
                               **kwargs: Any):
        """:meth:`track` ``resource`` and add it (its ``__call__``) as the endpoint ``name``.

        Args:
            name: the endpoint's name.
            resource: a built jnet layer or model.
            input_signature: as :meth:`add_endpoint`.
            **kwargs: as :meth:`add_endpoint`.

        Example:
            >>> import jnet
            >>> model = jnet.Sequential([jnet.layers.Dense(2, input_shape=(3,))])
            >>> archive = jnet.export.ExportArchive()
            >>> archive.track_and_add_endpoint("serve", model, [(None, 3)]) is model
            True
        """
        self.track(resource)
        return self.add_endpoint(name, resource, input_signature, **kwargs)

    def add_variable_collection(self, name: str, variables: Any) -> None:
        """Stores ``variables`` as the list ``name`` of ``tf.Variable``s on the artifact.

        Args:
            name: the attribute's name.
            variables: a list, tuple or set of jnet ``Variable``s (or arrays).

        Example:
            >>> import numpy as np, jnet
            >>> archive = jnet.export.ExportArchive()
            >>> archive.add_variable_collection("v", [jnet.Variable(np.ones(2))])
            >>> try:
            ...     archive.add_variable_collection("w", np.ones(2))
            ... except jnet.errors.JnetValueError as e:
            ...     print(str(e)[39:])
            expected variables to be a list/tuple/set, received ndarray.
        """
        if not isinstance(variables, list | tuple | set):
            raise errors.JnetValueError(
                "ExportArchive.add_variable_collection: expected variables to be a "
                f"list/tuple/set, received {type(variables).__name__}."
            )
        collected = []
        for i, v in enumerate(variables):
            value = getattr(v, "value", v)
            try:
                array = np.asarray(value)
            except Exception:  # noqa: BLE001 - anything that is not an array
                array = np.asarray(None)
            if not (np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_):
                raise errors.JnetValueError(
                    f"ExportArchive.add_variable_collection: variables[{i}] must be a jnet "
                    f"Variable or an array, received {type(v).__name__}."
                )
            vname = getattr(v, "name", None) or f"{name}_{i}"
            collected.append((str(vname), array, bool(getattr(v, "trainable", True))))
        self._collections[name] = collected

    def write_out(self, filepath: str | os.PathLike, options: Any = None,
                  verbose: bool = True) -> None:
        """Writes the endpoints and variable collections as a TensorFlow SavedModel.

        Args:
            filepath: the SavedModel's folder.
            options: a ``tf.saved_model.SaveOptions``.
            verbose: print the endpoints written (default True).

        Example:
            >>> import jnet
            >>> try:
            ...     jnet.export.ExportArchive().write_out("never")
            ... except jnet.errors.JnetValueError as e:
            ...     print(str(e)[25:])
            no endpoints have been set yet. Call add_endpoint().
        """
        if not self._endpoints:
            raise errors.JnetValueError(
                "ExportArchive.write_out: no endpoints have been set yet. Call add_endpoint()."
            )
        try:
            import tensorflow as tf
            from jax.experimental import jax2tf
        except ImportError as e:
            raise errors.JnetValueError(
                f"ExportArchive.write_out writes a TensorFlow SavedModel and needs TensorFlow "
                f"({e}); install tensorflow, or use model.export(path, format='jax')."
            ) from None
        module = tf.Module()
        signatures = {}
        for name, (fn, specs, extra) in self._endpoints.items():
            shapes = [shape for shape, _ in specs]
            poly = ["(" + ", ".join(dims) + ")" for dims in _dim_names(shapes)]
            options_ = {"polymorphic_shapes": poly, "with_gradient": False, **extra}
            signature = [tf.TensorSpec([None, *shape[1:]], dtype, name=f"{name}_{i}")
                         for i, (shape, dtype) in enumerate(specs)]
            endpoint = tf.function(jax2tf.convert(fn, **options_), input_signature=signature,
                                   autograph=False)
            setattr(module, name, endpoint)
            signatures[name] = endpoint.get_concrete_function()
        if "serving_default" not in signatures:
            signatures["serving_default"] = signatures[next(iter(self._endpoints))]
        for name, collected in self._collections.items():
            setattr(module, name, [tf.Variable(a, trainable=t, name=v.replace("/", "_"))
                                   for v, a, t in collected])
        tf.saved_model.save(module, os.fspath(filepath), signatures=signatures,
                            options=options)
        if verbose:
            lines = [f"* Endpoint {name!r}: inputs "
                     + ", ".join(f"{shape} {dtype}" for shape, dtype in specs)
                     for name, (_, specs, _) in self._endpoints.items()]
            print(f"Saved artifact at '{os.fspath(filepath)}'. The following endpoints are "
                  f"available:\n\n" + "\n".join(lines))
