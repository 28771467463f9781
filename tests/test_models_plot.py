"""model_to_dot / plot_model: Keras's node labels (compared with Keras's own label maker), its
edges and clusters, the DOT text written without pydot, and the errors without pydot or
Graphviz."""

import sys
import types

import pytest

import jnet
from jnet.models import plot


def _graph(lib):
    x = lib.Input((3,), name="x")
    d = lib.layers.Dense(3, activation="relu", name="d")(x)
    added = lib.layers.Add(name="add")([d, x])
    inner = lib.Sequential([lib.Input((3,)), lib.layers.Dense(4, name="i1"),
                            lib.layers.Dense(2, name="i2")], name="inner")
    return lib.Model(x, inner(added), name="outer")


@pytest.fixture(scope="module")
def model():
    return _graph(jnet)


def _titles(graph):
    return [plot.label_title(attrs["label"]) for _, attrs in graph.nodes]


def _edges(graph, model):
    names = {}
    for layer in [*model._operations, *model.get_layer("inner").layers]:
        names[str(id(layer))] = layer.name
    return [(names[s], names[d]) for s, d, _ in graph.edges]


@pytest.mark.parametrize("flags", [
    {"show_shapes": True, "show_dtype": True, "show_layer_names": True,
     "show_layer_activations": True, "show_trainable": True},
    {"show_shapes": False, "show_dtype": False, "show_layer_names": False,
     "show_layer_activations": False, "show_trainable": False},
])
def test_labels_are_keras_labels(keras, model, flags):
    from keras.src.utils.model_visualization import make_layer_label

    theirs = {layer.name: make_layer_label(layer, **flags) for layer in _graph(keras).layers}
    for layer in model.layers:
        assert plot.make_layer_label(layer, **flags) == theirs[layer.name], layer.name


def test_graph_nodes_edges_and_clusters(model):
    graph = plot.model_graph(model)
    assert _titles(graph) == ["x (InputLayer)", "d (Dense)", "add (Add)", "inner (Sequential)"]
    assert _edges(graph, model) == [("x", "d"), ("d", "add"), ("x", "add"), ("add", "inner")]
    assert graph.attributes == {"rankdir": "TB", "concentrate": True, "dpi": 200,
                                "splines": "ortho"}
    assert graph.node_defaults == {"shape": "record"}
    nested = plot.model_graph(model, expand_nested=True, rankdir="LR")
    assert _titles(nested) == ["x (InputLayer)", "d (Dense)", "add (Add)"]
    (cluster,) = nested.subgraphs
    assert cluster.cluster and cluster.attributes["label"] == "inner"
    assert _titles(cluster) == ["i1 (Dense)", "i2 (Dense)"]
    assert _edges(cluster, model) == [("i1", "i2")]
    assert _edges(nested, model)[-1] == ("add", "i1")  # into the cluster's first layer


def test_dot_source_is_graphviz_text(model):
    text = plot.dot_source(plot.model_graph(model, expand_nested=True))
    lines = text.splitlines()
    assert lines[:6] == ["digraph G {", "rankdir=TB;", "concentrate=true;", "dpi=200;",
                         "splines=ortho;", "node [shape=record];"]
    assert lines[-1] == "}" and 'subgraph cluster_inner {' in lines
    assert sum("->" in line for line in lines) == 5  # 4 around the cluster, 1 inside
    assert text.count("[label=<<table") == 5


def test_a_subclassed_model_is_one_node():
    class Tower(jnet.Model):
        def __init__(self):
            super().__init__()
            self.dense = jnet.layers.Dense(1)

        def call(self, x):
            return self.dense(x)

    tower = Tower()
    tower.build((None, 2))
    assert _titles(plot.model_graph(tower)) == ["tower (Tower)"]


def test_bad_calls_are_clear_errors(model):
    with pytest.raises(ValueError, match="has not yet been built"):
        plot.model_graph(jnet.Sequential([jnet.layers.Dense(1)]))
    with pytest.raises(TypeError, match="model_to_dot expects a jnet model, received"):
        plot.model_graph(jnet.layers.Dense(1))
    with pytest.raises(ValueError, match="Unrecognized keyword arguments: {'colour': 1}"):
        jnet.utils.model_to_dot(model, colour=1)
    with pytest.raises(ValueError, match="layer_range` is no longer supported"):
        jnet.utils.plot_model(model, layer_range=["a", "b"])


def test_without_pydot_or_graphviz(model, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "pydot", None)
    with pytest.raises(jnet.errors.MissingExtraError,
                       match=r"model_to_dot\(\) needs pydot.*pip install 'jnet\[plot\]'"):
        jnet.utils.model_to_dot(model)
    monkeypatch.setitem(sys.modules, "pydot", types.ModuleType("pydot"))
    monkeypatch.setattr(plot.shutil, "which", lambda name: None)
    target = str(tmp_path / "m.png")
    with pytest.raises(jnet.errors.MissingExtraError,
                       match=rf"plot_model\(to_file='{target}'\) needs Graphviz's dot program"):
        jnet.utils.plot_model(model, to_file=target)


def test_model_to_dot_with_pydot(model):
    pydot = pytest.importorskip("pydot")
    dot = jnet.utils.model_to_dot(model, show_shapes=True, rankdir="LR")
    assert isinstance(dot, pydot.Dot) and dot.get_rankdir() == "LR"
    graph = plot.model_graph(model, show_shapes=True)
    assert [n.get_name() for n in dot.get_nodes() if n.get_name() != "node"] == [
        i for i, _ in graph.nodes]
    assert len(dot.get_edges()) == 4
    cluster = jnet.utils.model_to_dot(model, expand_nested=True).get_subgraphs()[0]
    assert cluster.get_label() == "inner"
