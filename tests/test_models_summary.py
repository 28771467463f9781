"""``summary()`` fits the terminal as Keras's does: the same table at 60 and 120 columns."""

import pytest

import jnet
from jnet.models import summary


def _graph(lib):
    a = lib.Input(shape=(4,), name="a")
    b = lib.Input(shape=(5,), name="b")
    mixed = lib.layers.Concatenate(name="mixed")([lib.layers.Dense(3, name="shared")(a), b])
    return lib.Model([a, b], lib.layers.Dense(2, name="out")(mixed), name="graph")


def _chain(lib):
    return lib.Sequential([lib.Input(shape=(6,)), lib.layers.Dense(8, name="hidden"),
                           lib.layers.Dense(3, name="logits")], name="chain")


def _text(model):
    lines = []
    model.summary(print_fn=lambda line, *a, **k: lines.append(line))
    return "\n".join(lines).rstrip()


@pytest.mark.parametrize("build", [_chain, _graph])
@pytest.mark.parametrize("columns", [60, 120])
def test_summary_fits_the_terminal_as_keras_does(build, columns, keras, monkeypatch):
    monkeypatch.setenv("COLUMNS", str(columns))  # shutil.get_terminal_size reads it first
    ktext, jtext = _text(build(keras)), _text(build(jnet))
    width = max(len(line) for line in jtext.splitlines())
    # Keras's default line: 88 (108 with 'Connected to'), or the terminal less 4.
    assert width == min(88 if build is _chain else 108, columns - 4)
    assert jtext == ktext


def test_a_too_narrow_line_is_a_clear_error():
    with pytest.raises(ValueError, match="line_length=10 gives a column 3 characters wide"):
        summary.column_widths(10, None, 4)
