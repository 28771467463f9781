"""Keras's ``keras.utils.model_to_dot`` and ``plot_model``: a model's layers as a Graphviz graph.

The graph is built as data first (:func:`model_graph`: nodes with Keras's HTML-table labels,
edges, nested models as clusters, the graph attributes Keras sets), then written either as DOT
text by :func:`dot_source` (pure Python, no dependency) or as Keras's ``pydot.Dot`` by
:func:`model_to_dot` (``pydot`` is an optional dependency, in the ``[plot]`` extra).
:func:`plot_model` renders the graph to an image file, which needs pydot and Graphviz's ``dot``
program, as in Keras; without them it raises a :class:`jnet.errors.MissingExtraError` saying
what to install.

Example:
    >>> import jnet
    >>> model = jnet.Sequential([jnet.Input((4,)), jnet.layers.Dense(2, name="hidden"),
    ...                          jnet.layers.Dense(1, name="out")])
    >>> graph = model_graph(model)
    >>> [label_title(attrs["label"]) for _, attrs in graph.nodes]
    ['hidden (Dense)', 'out (Dense)']
    >>> len(graph.edges)
    1
    >>> dot_source(graph).splitlines()[0]
    'digraph G {'
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
from typing import Any

from jnet import activations, errors, symbolic
from jnet.models.functional import Functional
from jnet.models.model import Model
from jnet.models.sequential import Sequential

__all__ = ["DotGraph", "dot_source", "label_title", "model_graph", "model_to_dot", "plot_model"]


@dataclasses.dataclass
class DotGraph:
    """A graph as data: what Keras puts into its ``pydot.Dot`` (or ``pydot.Cluster`` for a
    nested model, ``cluster=True``).

    Attributes:
        name: the graph's name (``'G'``, or the nested model's name for a cluster).
        attributes: graph attributes (``rankdir``, ``dpi``, ``splines``, ...).
        node_defaults: default node attributes (``shape='record'``).
        nodes: ``(node id, attributes)`` pairs, in the order Keras adds them.
        edges: ``(source id, destination id, attributes)`` triples, each pair once.
        subgraphs: nested models drawn as clusters (``expand_nested=True``).
        cluster: whether this graph is a cluster of another.

    Example:
        >>> graph = DotGraph()
        >>> a, b = object(), object()
        >>> graph.add_edge(a, b); graph.add_edge(a, b)
        >>> len(graph.edges), graph.edges[0][2]
        (1, {'penwidth': '2'})
    """

    name: str = "G"
    attributes: dict[str, Any] = dataclasses.field(default_factory=dict)
    node_defaults: dict[str, Any] = dataclasses.field(default_factory=dict)
    nodes: list[tuple[str, dict[str, Any]]] = dataclasses.field(default_factory=list)
    edges: list[tuple[str, str, dict[str, Any]]] = dataclasses.field(default_factory=list)
    subgraphs: list[DotGraph] = dataclasses.field(default_factory=list)
    cluster: bool = False

    def add_edge(self, source: Any, destination: Any) -> None:
        """Keras's ``add_edge``: one edge per (source, destination) pair, ``penwidth=2``."""
        src, dst = str(id(source)), str(id(destination))
        if all((s, d) != (src, dst) for s, d, _ in self.edges):
            self.edges.append((src, dst, {"penwidth": "2"}))


def _shape_text(tensors: Any) -> str:
    if tensors is None:
        return "?"
    if isinstance(tensors, dict):
        text = ", ".join(f"{k}: {tuple(v.shape)}" for k, v in tensors.items())
    elif isinstance(tensors, list | tuple):
        text = str([tuple(t.shape) for t in tensors])
    else:
        text = str(tuple(tensors.shape))
    return text.replace("}", "").replace("{", "")


def _symbolic(layer: Any, attribute: str) -> Any:
    """``layer.input``/``layer.output`` (a nested model's: of its first call, else its own
    inputs/outputs), or None where there is none."""
    try:
        if not isinstance(layer, Model):
            return getattr(layer, attribute)
        if symbolic.inbound_nodes(layer):
            return symbolic.node_attribute(layer, attribute)
        tensors = layer.inputs if attribute == "input" else layer.outputs
        return tensors[0] if len(tensors) == 1 else tensors
    except (ValueError, AttributeError, errors.JnetError):
        return None


def _activation_name(layer: Any) -> str:
    fn = activations.get(layer.activation)
    return str(getattr(fn, "name", None) or getattr(fn, "__name__", None) or fn)


def _has_weights(layer: Any) -> bool:
    try:
        return layer.count_params() > 0 if isinstance(layer, Model) else bool(layer.weights)
    except (ValueError, AttributeError, errors.JnetError):
        return False


def make_layer_label(layer: Any, *, show_layer_names: bool, show_layer_activations: bool,
                     show_dtype: bool, show_shapes: bool, show_trainable: bool) -> str:
    """Keras's node label: an HTML table with the layer's name and class, then the rows the
    ``show_*`` flags ask for.

    Example:
        >>> import jnet
        >>> label = make_layer_label(jnet.layers.Dense(2, name="d"), show_layer_names=True,
        ...                          show_layer_activations=False, show_dtype=False,
        ...                          show_shapes=False, show_trainable=False)
        >>> label_title(label), label.startswith("<<table")
        ('d (Dense)', True)
    """
    class_name = type(layer).__name__
    table = '<<table border="0" cellborder="1" bgcolor="black" cellpadding="10">'
    colspan = max(1, int(show_dtype) + int(show_trainable) + (2 if show_shapes else 0))
    title = f"<b>{layer.name}</b> ({class_name})" if show_layer_names else f"<b>{class_name}</b>"
    table += (f'<tr><td colspan="{colspan}" bgcolor="black"><font point-size="16" '
              f'color="white">{title}</font></td></tr>')
    if show_layer_activations and getattr(layer, "activation", None) is not None:
        table += (f'<tr><td bgcolor="white" colspan="{colspan}"><font point-size="14">'
                  f"Activation: <b>{_activation_name(layer)}</b></font></td></tr>")
    cols = []
    output = _symbolic(layer, "output")
    if show_shapes:
        if class_name != "InputLayer":
            cols.append('<td bgcolor="white"><font point-size="14">Input shape: '
                        f"<b>{_shape_text(_symbolic(layer, 'input'))}</b></font></td>")
        cols.append('<td bgcolor="white"><font point-size="14">Output shape: '
                    f"<b>{_shape_text(output)}</b></font></td>")
    if show_dtype:
        dtype = getattr(output, "dtype", None) if output is not None else None
        cols.append('<td bgcolor="white"><font point-size="14">Output dtype: '
                    f"<b>{dtype or '?'}</b></font></td>")
    if show_trainable and _has_weights(layer):
        if layer.trainable:
            cols.append('<td bgcolor="forestgreen"><font point-size="14" color="white">'
                        "<b>Trainable</b></font></td>")
        else:
            cols.append('<td bgcolor="firebrick"><font point-size="14" color="white">'
                        "<b>Non-trainable</b></font></td>")
    if cols:
        table += f"<tr>{''.join(cols)}</tr>"
    return table + "</table>>"


def label_title(label: str) -> str:
    """The first row of a node label as plain text (``'dense (Dense)'``), for reading a graph.

    Example:
        >>> label_title('<<table><tr><td><font><b>d</b> (Dense)</font></td></tr></table>>')
        'd (Dense)'
    """
    first = label.split("</tr>")[0]
    return re.sub(r"<[^>]*>", "", first).strip()


def _node(layer: Any, flags: dict[str, bool]) -> tuple[str, dict[str, Any]]:
    return str(id(layer)), {"label": make_layer_label(layer, **flags), "fontname": "Helvetica",
                            "border": "0", "margin": "0"}


def model_graph(model: Any, show_shapes: bool = False, show_dtype: bool = False,
                show_layer_names: bool = True, rankdir: str = "TB", expand_nested: bool = False,
                dpi: int = 200, subgraph: bool = False, show_layer_activations: bool = False,
                show_trainable: bool = False, splines: str = "ortho") -> DotGraph:
    """The graph :func:`model_to_dot` draws, as a :class:`DotGraph` (arguments as there).

    Example:
        >>> import jnet
        >>> x = jnet.Input((3,), name="x")
        >>> model = jnet.Model(x, jnet.layers.Dense(1, name="y")(x))
        >>> graph = model_graph(model, rankdir="LR")
        >>> [label_title(a["label"]) for _, a in graph.nodes], graph.attributes["rankdir"]
        (['x (InputLayer)', 'y (Dense)'], 'LR')
    """
    if not isinstance(model, Model):
        raise errors.JnetTypeError(
            f"model_to_dot expects a jnet model, received {errors.describe(model)}."
        )
    if not model.built:
        raise errors.JnetValueError(
            f"Model {model.name!r} has not yet been built. Build the model first by calling "
            f"build() or by calling the model on a batch of data."
        )
    if isinstance(model, Sequential) and model.input_shape is not None:
        model._symbolic_graph()  # the layers' symbolic inputs and outputs (shapes, dtypes)
    if subgraph:
        graph = DotGraph(name=model.name, cluster=True,
                         attributes={"style": "dashed", "label": model.name, "labeljust": "l"})
    else:
        graph = DotGraph(attributes={"rankdir": rankdir, "concentrate": True, "dpi": dpi,
                                     "splines": splines}, node_defaults={"shape": "record"})
    flags = {"show_layer_names": show_layer_names, "show_layer_activations":
             show_layer_activations, "show_dtype": show_dtype, "show_shapes": show_shapes,
             "show_trainable": show_trainable}
    if isinstance(model, Sequential):
        layers = model.layers
    elif isinstance(model, Functional):
        layers = model._operations
    else:  # a subclassed model: one node, as Keras draws it
        graph.nodes.append(_node(model, flags))
        return graph
    for layer in layers:
        if expand_nested and isinstance(layer, Functional | Sequential):
            graph.subgraphs.append(model_graph(
                layer, show_shapes, show_dtype, show_layer_names, rankdir, expand_nested,
                subgraph=True, show_layer_activations=show_layer_activations,
                show_trainable=show_trainable,
            ))
        else:
            graph.nodes.append(_node(layer, flags))
    if isinstance(model, Sequential):
        for a, b in zip(layers, layers[1:], strict=False):
            graph.add_edge(_last(a) if expand_nested else a, _first(b) if expand_nested else b)
        return graph
    for layer in layers:
        for node in symbolic.inbound_nodes(layer):
            if id(node) not in model._node_ids:
                continue
            for tensor in node.input_tensors:
                history = tensor._keras_history
                if history is None:
                    continue
                source = history.layer
                if expand_nested:
                    graph.add_edge(_last(source), _first(layer))
                else:
                    graph.add_edge(source, layer)
    return graph


def _first(layer: Any) -> Any:
    """The layer a nested model's cluster starts with (its first input's, or first layer)."""
    while isinstance(layer, Functional | Sequential):
        layer = (layer.inputs[0]._keras_history.layer if isinstance(layer, Functional)
                 else layer.layers[0])
    return layer


def _last(layer: Any) -> Any:
    """The layer a nested model's cluster ends with (its first output's)."""
    while isinstance(layer, Functional | Sequential):
        layer = (layer.outputs[0]._keras_history.layer if isinstance(layer, Functional)
                 else layer.layers[-1])
    return layer


def _quote(value: Any) -> str:
    text = str(value).lower() if isinstance(value, bool) else str(value)
    if text.startswith("<") and text.endswith(">"):
        return text  # an HTML label
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*|-?\d+(\.\d+)?", text):
        return text
    return '"' + text.replace('"', '\\"') + '"'


def _attrs(attributes: dict[str, Any]) -> str:
    return ", ".join(f"{k}={_quote(v)}" for k, v in attributes.items())


def dot_source(graph: DotGraph) -> str:
    """The graph as DOT text (Graphviz's language), written without pydot.

    Example:
        >>> graph = DotGraph(attributes={"rankdir": "LR"}, nodes=[("1", {"label": "a"}),
        ...                  ("2", {"label": "b"})], edges=[("1", "2", {"penwidth": "2"})])
        >>> print(dot_source(graph))
        digraph G {
        rankdir=LR;
        1 [label=a];
        2 [label=b];
        1 -> 2 [penwidth=2];
        }
    """
    lines = [f"subgraph {_quote('cluster_' + graph.name)} {{" if graph.cluster
             else f"digraph {_quote(graph.name)} {{"]
    lines += [f"{k}={_quote(v)};" for k, v in graph.attributes.items()]
    if graph.node_defaults:
        lines.append(f"node [{_attrs(graph.node_defaults)}];")
    lines += [f"{_quote(i)} [{_attrs(a)}];" for i, a in graph.nodes]
    lines += [dot_source(sub) for sub in graph.subgraphs]
    lines += [f"{_quote(s)} -> {_quote(d)} [{_attrs(a)}];" for s, d, a in graph.edges]
    return "\n".join([*lines, "}"])


def _to_pydot(pydot: Any, graph: DotGraph) -> Any:
    if graph.cluster:
        dot = pydot.Cluster(graph_name=graph.name, style=graph.attributes["style"])
        for key in ("label", "labeljust"):
            dot.set(key, graph.attributes[key])
    else:
        dot = pydot.Dot()
        for key, value in graph.attributes.items():
            dot.set(key, value)
        dot.set_node_defaults(**graph.node_defaults)
    for node_id, attributes in graph.nodes:
        node = pydot.Node(node_id, label=attributes["label"])
        for key in ("fontname", "border", "margin"):
            node.set(key, attributes[key])
        dot.add_node(node)
    for sub in graph.subgraphs:
        dot.add_subgraph(_to_pydot(pydot, sub))
    for src, dst, attributes in graph.edges:
        edge = pydot.Edge(src, dst)
        edge.set("penwidth", attributes["penwidth"])
        dot.add_edge(edge)
    return dot


def _check_kwargs(kwargs: dict[str, Any]) -> None:
    if kwargs.pop("layer_range", None) is not None:
        raise errors.JnetValueError("Argument `layer_range` is no longer supported.")
    if kwargs:
        raise errors.JnetValueError(f"Unrecognized keyword arguments: {kwargs}")


def model_to_dot(model: Any, show_shapes: bool = False, show_dtype: bool = False,
                 show_layer_names: bool = True, rankdir: str = "TB",
                 expand_nested: bool = False, dpi: int = 200, subgraph: bool = False,
                 show_layer_activations: bool = False, show_trainable: bool = False,
                 splines: str = "ortho", **kwargs: Any) -> Any:
    """Converts a model to dot format, as ``keras.utils.model_to_dot``.

    Needs pydot (``pip install 'jnet[plot]'``); :func:`model_graph` and :func:`dot_source`
    give the same graph without it.

    Args:
        model: a jnet model (``Sequential``, functional, or subclassed: one node).
        show_shapes: whether to display shape information.
        show_dtype: whether to display layer dtypes.
        show_layer_names: whether to display layer names.
        rankdir: ``'TB'`` for a vertical plot, ``'LR'`` for a horizontal one.
        expand_nested: whether to expand nested models into clusters.
        dpi: image resolution in dots per inch.
        subgraph: whether to return a ``pydot.Cluster`` (a nested model).
        show_layer_activations: display the activations of layers that have one.
        show_trainable: whether to display if a layer is trainable.
        splines: how edges are drawn (``'ortho'``, ``'curved'``, ``'polyline'``, ``'spline'``,
            ``'line'``).

    Returns:
        A ``pydot.Dot`` (a ``pydot.Cluster`` with ``subgraph=True``).

    Example:
        >>> import jnet
        >>> model = jnet.Sequential([jnet.Input((3,)), jnet.layers.Dense(1)])
        >>> try:
        ...     dot = model_to_dot(model)
        ... except ImportError as e:  # pydot is not installed
        ...     dot = None
        >>> dot is None or dot.get_rankdir() == "TB"
        True
    """
    _check_kwargs(kwargs)
    pydot = errors.require("pydot", "plot", "model_to_dot()")
    graph = model_graph(model, show_shapes, show_dtype, show_layer_names, rankdir,
                        expand_nested, dpi, subgraph, show_layer_activations, show_trainable,
                        splines)
    return _to_pydot(pydot, graph)


def plot_model(model: Any, to_file: str | os.PathLike = "model.png", show_shapes: bool = False,
               show_dtype: bool = False, show_layer_names: bool = False, rankdir: str = "TB",
               expand_nested: bool = False, dpi: int = 200, show_layer_activations: bool = False,
               show_trainable: bool = False, splines: str = "ortho", **kwargs: Any) -> None:
    """Draws a model to an image file, as ``keras.utils.plot_model``.

    Needs pydot (``pip install 'jnet[plot]'``) and Graphviz's ``dot`` program. The file's
    extension picks the format (``.png`` when there is none). In a notebook with IPython,
    returns the image to display, as Keras does.

    Args:
        model: a jnet model.
        to_file: the image file to write (default ``'model.png'``).
        show_shapes, show_dtype, show_layer_names, rankdir, expand_nested, dpi,
            show_layer_activations, show_trainable, splines: as :func:`model_to_dot`
            (``show_layer_names`` defaults to False here, as in Keras).

    Example:
        >>> import jnet
        >>> model = jnet.Sequential([jnet.Input((3,)), jnet.layers.Dense(1)])
        >>> try:
        ...     plot_model(model, to_file="/nonexistent/never-written.png")
        ... except ImportError as e:  # pydot or Graphviz is missing
        ...     print(type(e).__name__)
        ... except OSError:  # both present: the folder does not exist
        ...     print("MissingExtraError")
        MissingExtraError
    """
    _check_kwargs(kwargs)
    errors.require("pydot", "plot", f"plot_model(to_file={str(to_file)!r})")
    if shutil.which("dot") is None:
        raise errors.MissingExtraError(
            f"plot_model(to_file={str(to_file)!r}) needs Graphviz's dot program, which is not "
            f"installed: install Graphviz (https://graphviz.org/download/, e.g. "
            f"`apt-get install graphviz` or `brew install graphviz`)."
        )
    dot = model_to_dot(model, show_shapes=show_shapes, show_dtype=show_dtype,
                       show_layer_names=show_layer_names, rankdir=rankdir,
                       expand_nested=expand_nested, dpi=dpi,
                       show_layer_activations=show_layer_activations,
                       show_trainable=show_trainable, splines=splines)
    to_file = str(to_file)
    extension = os.path.splitext(to_file)[1][1:] or "png"
    dot.write(to_file, format=extension)
