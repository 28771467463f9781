"""The table of bad inputs and the errors they get: the data behind ``docs/errors.md``.

Each :class:`Case` is a line of code a user might write, the jnet exception it raises and a
regular expression its message matches. ``tests/test_error_table.py`` runs every case;
``python tests/error_table.py`` rewrites ``docs/errors.md`` from this table (a test checks
that the file is up to date).

The code of a case runs with these names defined (see :func:`namespace`):

* ``np``, ``jnet``, ``L`` (``jnet.layers``), ``E`` (``jnet.errors``);
* ``model()``: ``Sequential([Dense(4, relu, input_shape=(3,)), Dense(1)])``, not compiled;
* ``compiled(loss='mse', metrics=None)``: the same, compiled with SGD;
* ``classifier(loss='sparse_categorical_crossentropy')``: ``Dense(3, softmax,
  input_shape=(2,))`` compiled with Adam;
* ``stack(*layers, input_shape, loss='mse')``: a compiled ``Sequential`` of ``layers``;
* ``x``, ``y``: 8 samples of shape (3,) and (1,) (float32, all ones); ``x2``: 4 samples of
  shape (2,).
"""

from __future__ import annotations

import pathlib
import sys
from typing import NamedTuple

import numpy as np

import jnet
from jnet import errors as E
from jnet import layers as L

DOC = pathlib.Path(__file__).resolve().parent.parent / "docs" / "errors.md"


class Case(NamedTuple):
    """One bad input: ``code`` raises ``error`` with a message matching ``match``."""

    area: str
    what: str
    code: str
    error: type[Exception]
    match: str


V, T = E.JnetValueError, E.JnetTypeError
U, NC, NB = E.UnknownIdentifierError, E.NotCompiledError, E.NotBuiltError

_FIT = "fit, evaluate, predict"
_DATA = "data"
_LABELS = "labels"
_ARGS = "fit arguments"
_COMPILE = "compile and identifiers"
_LAYERS = "layer arguments"
_SHAPES = "shapes met while building"
_OTHER = "optimizers, losses, config"
_FILES = "datasets and downloads"

CASES: list[Case] = [
    # -- order of calls ---------------------------------------------------------------------
    Case(_FIT, "fit before compile", "model().fit(x, y)", NC, r"compile\(\) before fit\(\)"),
    Case(_FIT, "evaluate before compile", "model().evaluate(x, y)", NC,
         r"compile\(\) before evaluate"),
    Case(_FIT, "weights before the input shape is known",
         "jnet.Sequential([L.Dense(1)]).get_weights()", NB, r"input_shape=\(\.\.\.\)"),
    Case(_FIT, "count_params before the input shape is known",
         "jnet.Sequential([L.Dense(1)]).count_params()", NB, "has not been built yet"),
    Case(_FIT, "set_weights with the wrong number of arrays",
         "model().set_weights([np.ones((3, 4))])", V, "expects a list of 4 arrays"),
    # -- data -------------------------------------------------------------------------------
    Case(_DATA, "x and y of different lengths", "compiled().fit(np.ones((5, 3)), y)", V,
         "x has 5, y has 8"),
    Case(_DATA, "sample_weight of another length",
         "compiled().fit(x, y, sample_weight=np.ones(3))", V, "sample_weight has 3"),
    Case(_DATA, "features of the wrong size", "compiled().fit(np.ones((2, 4)), y[:2])", V,
         r"expects shape \(None, 3\), got \(2, 4\)"),
    Case(_DATA, "images into an MLP (needs Flatten)",
         "stack(L.Dense(10), input_shape=(784,)).fit(np.ones((32, 28, 28)), np.ones((32, 10)))",
         V, r"expects shape \(None, 784\), got \(32, 28, 28\) from x\. Add "
            r"jnet\.layers\.Flatten\(\)"),
    Case(_DATA, "a rank too many", "compiled().predict(np.ones((2, 3, 3)))", V,
         r"Add Flatten\(\) before it"),
    Case(_DATA, "a single sample without its batch axis", "compiled().predict(np.ones(3))", V,
         r"expects shape \(None, 3\), got \(3,\)"),
    Case(_DATA, "a scalar", "compiled().predict_on_batch(3.0)", V, "must have a batch axis"),
    Case(_DATA, "y missing", "compiled().fit(x)", V, "y is None"),
    Case(_DATA, "x missing", "compiled().fit(None, y)", V, "x is None"),
    Case(_DATA, "strings as x", "compiled().fit(np.array([['a', 'b', 'c']] * 8), y)", T,
         "x must be numeric, received .* dtype <U1"),
    Case(_DATA, "strings as y", "compiled().fit(x, np.array(['cat'] * 8))", T,
         "y must be numeric"),
    Case(_DATA, "a file name as x", "compiled().predict('data.csv')", T, "x must be numeric"),
    Case(_DATA, "Python objects", "compiled().fit(np.array([object()] * 8), y)", V,
         "holds Python objects"),
    Case(_DATA, "ragged lists", "compiled().predict([[1.0, 2.0, 3.0], [1.0]])", V,
         "rectangular"),
    Case(_DATA, "complex numbers", "compiled().predict(np.ones((2, 3), np.complex64))", T,
         "must be real-valued"),
    Case(_DATA, "an image folder split without a seed",
         "jnet.utils.image_dataset_from_directory('.', validation_split=0.2, subset='training')",
         V, "you must provide a `seed`"),
    Case(_DATA, "an image folder that does not exist",
         "jnet.utils.image_dataset_from_directory('no/such/folder')", V,
         "must be an existing folder"),
    Case(_DATA, "load_img of a folder", "jnet.utils.load_img('.')", V,
         "must be a regular file"),
    Case(_DATA, "split_dataset without sizes", "jnet.utils.split_dataset(np.ones(4))", V,
         "at least one of the `left_size` or `right_size`"),
    Case(_DATA, "no samples (fit)", "compiled().fit(np.ones((0, 3)), np.ones((0, 1)))", V,
         r"empty \(0 samples\)"),
    Case(_DATA, "no samples (evaluate)",
         "compiled().evaluate(np.ones((0, 3)), np.ones((0, 1)))", V, r"empty \(0 samples\)"),
    Case(_DATA, "no samples (predict)", "compiled().predict(np.ones((0, 3)))", V,
         "no batches"),
    Case(_DATA, "an empty generator", "compiled().fit(iter([]))", V, "generator .* is empty"),
    Case(_DATA, "NaN in x", "compiled().fit(np.where(np.eye(8, 3) > 0, np.nan, 1.0), y)", V,
         r"x contains 3 NaN and 0 infinite value\(s\); the first is x\[0, 0\] = nan"),
    Case(_DATA, "infinity in y", "compiled().fit(x, np.full((8, 1), np.inf))", V,
         r"y contains 0 NaN and 8 infinite"),
    Case(_DATA, "NaN in sample_weight",
         "compiled().fit(x, y, sample_weight=np.full(8, np.nan))", V,
         "sample_weight contains 8 NaN"),
    Case(_DATA, "NaN in x (predict)", "compiled().predict(np.full((2, 3), np.nan))", V,
         r"jnet\.config\.set_check_finite\(False\)"),
    Case(_DATA, "NaN in x (evaluate)", "compiled().evaluate(np.full((8, 3), np.nan), y)", V,
         "x contains 24 NaN"),
    Case(_DATA, "float64 too large for float32",
         "compiled().fit(np.full((8, 3), 1e300), y)", V, "float32 overflow"),
    Case(_DATA, "NaN in validation_data",
         "compiled().fit(x, y, validation_data=(np.full((2, 3), np.nan), y[:2]))", V,
         "x contains 6 NaN"),
    Case(_DATA, "NaN in a generator's batch",
         "compiled().fit(iter([(x, y), (np.full((8, 3), np.nan), y)]))", V,
         "Batch 1 from the generator: x contains 24 NaN"),
    Case(_DATA, "a batch of another feature size from a generator",
         "compiled().fit(iter([(x, y), (np.ones((8, 4)), y)]))", V,
         r"Batch 1 from the generator: Input 0 of layer 'dense' expects shape \(None, 3\)"),
    Case(_DATA, "y given with a generator", "compiled().fit(iter([(x, y)]), y)", V,
         "y must not be given"),
    Case(_DATA, "a generator batch without targets", "compiled().fit(iter([(x,)]))", V,
         "it has no targets"),
    # -- labels -----------------------------------------------------------------------------
    Case(_LABELS, "one-hot labels with sparse_categorical_crossentropy",
         "classifier().fit(x2, np.eye(3)[[0, 1, 2, 0]])", V,
         "looks one-hot. Use loss='categorical_crossentropy'"),
    Case(_LABELS, "integer labels with categorical_crossentropy",
         "classifier('categorical_crossentropy').fit(x2, np.array([0, 1, 2, 0]))", V,
         r"received y_true of shape \(4,\) and y_pred of shape \(4, 3\)"),
    Case(_LABELS, "a label >= the number of classes",
         "classifier().fit(x2, np.array([0, 1, 3, 2]))", V,
         r"labels must be in \[0, 3\) .* from 0 to 3"),
    Case(_LABELS, "a negative label", "classifier().evaluate(x2, np.array([0, -1, 2, 2]))", V,
         r"labels must be in \[0, 3\)"),
    Case(_LABELS, "fractional labels with a sparse loss",
         "classifier().fit(x2, np.array([0.0, 0.5, 1.0, 2.0]))", V, "non-integer label 0.5"),
    Case(_LABELS, "a label out of range, loss given as an object",
         "classifier(jnet.losses.SparseCategoricalCrossentropy()).fit(x2, np.array([0, 1, 7, 2]))",
         V, r"labels must be in \[0, 3\)"),
    Case(_LABELS, "a token index >= Embedding's input_dim",
         "stack(L.Embedding(5, 2), L.Flatten(), L.Dense(1), input_shape=(3,))"
         ".fit(np.full((4, 3), 7), np.ones((4, 1)))", V,
         r"takes token indices in \[0, 5\) .* largest index \+ 1 = 8"),
    Case(_LABELS, "a negative token index",
         "stack(L.Embedding(5, 2), L.Flatten(), L.Dense(1), input_shape=(3,))"
         ".predict(np.full((4, 3), -1))", V, r"indices from -1 to -1"),
    Case(_LABELS, "class_weight missing a class",
         "classifier().fit(x2, np.array([0, 1, 2, 0]), class_weight={0: 1.0, 1: 2.0})", V,
         r"no weight for classes \[2\]"),
    Case(_LABELS, "class_weight not a dict",
         "classifier().fit(x2, np.array([0, 1, 2, 0]), class_weight=[1.0, 2.0, 3.0])", T,
         "class_weight must be a dict"),
    Case(_LABELS, "targets of another shape than the output",
         "stack(L.Conv2D(2, 3), input_shape=(4, 4, 1)).fit(np.ones((4, 4, 4, 1)), "
         "np.ones((4, 1)))", V, r"y has shape \(4, 1\) but the model's output has shape "
                                r"\(None, 2, 2, 2\); the loss would broadcast"),
    # labels checked in their own dtype, targets that only broadcast by accident (issue 24)
    Case(_LABELS, "an int64 label past 2**31 (would wrap to another class)",
         "classifier().fit(x2, np.array([0, 1, 2**32 + 1, 2], np.int64))", V,
         r"labels must be in \[0, 3\) for a model with 3 outputs, received labels from 0 to "
         r"4294967297"),
    Case(_LABELS, "a uint64 label past 2**63",
         "classifier().fit(x2, np.array([0, 1, 2**63 + 1, 2], np.uint64))", V,
         r"from 0 to 9223372036854775809"),
    Case(_LABELS, "an int64 target past int32 with any loss",
         "compiled().fit(x, np.full((8, 1), 2**40, np.int64))", V,
         r"y holds the integer value 1099511627776, which does not fit int32"),
    Case(_LABELS, "a label out of range for a sparse metric",
         "m = classifier(); m.compile(optimizer='sgd', loss=lambda t, p: (p * p).sum(-1), "
         "metrics=['sparse_categorical_accuracy']); m.fit(x2, np.array([0, 1, 9, 2]))", V,
         r"sparse_categorical_accuracy: labels must be in \[0, 3\)"),
    Case(_LABELS, "mse on targets (n, 5) for an output (n, 1)",
         "compiled().fit(x, np.ones((8, 5)))", V,
         r"y has shape \(8, 5\) but the model's output has shape \(None, 1\); the loss would "
         r"broadcast .* give the last layer 5 units"),
    Case(_LABELS, "categorical_crossentropy on a 1-unit output (always 0)",
         "stack(L.Dense(1, activation='softmax'), input_shape=(3,), "
         "loss='categorical_crossentropy').fit(x, y)", V,
         r"on an output of 1 unit is always 0 .* loss='binary_crossentropy'"),
    Case(_LABELS, "binary_crossentropy on labels {0, 2}",
         "stack(L.Dense(1, activation='sigmoid'), input_shape=(3,), "
         "loss='binary_crossentropy').fit(x, 2 * (np.arange(8) % 2))", V,
         r"takes labels in \[0, 1\], received labels \{0, 2\}"),
    Case(_LABELS, "binary_crossentropy on labels {-1, 1}",
         "stack(L.Dense(1, activation='sigmoid'), input_shape=(3,), "
         "loss='binary_crossentropy').fit(x, np.array([-1.0, 1.0] * 4))", V,
         r"received labels \{-1, 1\}.* y = \(y > 0\)"),
    Case(_LABELS, "a fractional token index for Embedding",
         "stack(L.Embedding(5, 2), L.Flatten(), L.Dense(1), input_shape=(3,))"
         ".predict(np.full((4, 3), 1.5))", V,
         r"fractional index 1\.5 \(Keras would truncate it to 1 silently\)"),
    Case(_LABELS, "class_weight with a negative weight",
         "classifier().fit(x2, np.array([0, 1, 2, 0]), class_weight={0: -1.0, 1: 1.0, 2: 1.0})",
         V, r"class_weight\[0\] must be a finite number >= 0, received -1\.0"),
    Case(_LABELS, "class_weight with a NaN weight",
         "classifier().fit(x2, np.array([0, 1, 2, 0]), class_weight={0: 1.0, 1: np.nan, 2: 1.0})",
         V, r"class_weight\[1\] must be a finite number >= 0, received nan"),
    Case(_LABELS, "class_weight keyed by class names",
         "classifier().fit(x2, np.array([0, 1, 2, 0]), class_weight={'cat': 1.0, 'dog': 2.0})",
         V, r"keys must be class indices \(integers >= 0\), received the key 'cat'"),
    # -- fit arguments ----------------------------------------------------------------------
    Case(_ARGS, "batch_size=0", "compiled().fit(x, y, batch_size=0)", V,
         "batch_size must be a positive integer, received 0"),
    Case(_ARGS, "batch_size=2.5", "compiled().fit(x, y, batch_size=2.5)", V,
         "batch_size must be a positive integer, received 2.5"),
    Case(_ARGS, "batch_size=True (a bool is not an int)",
         "compiled().fit(x, y, batch_size=True)", V, "a bool is not a count"),
    Case(_ARGS, "batch_size='32'", "compiled().fit(x, y, batch_size='32')", V,
         "received '32'"),
    Case(_ARGS, "epochs=-1", "compiled().fit(x, y, epochs=-1)", V,
         "epochs must be a non-negative integer, received -1"),
    Case(_ARGS, "epochs=True", "compiled().fit(x, y, epochs=True)", V,
         "epochs must be a non-negative integer, received True"),
    Case(_ARGS, "epochs=1.5", "compiled().fit(x, y, epochs=1.5)", V, "received 1.5"),
    Case(_ARGS, "initial_epoch=-1", "compiled().fit(x, y, initial_epoch=-1)", V,
         "initial_epoch must be a non-negative integer"),
    Case(_ARGS, "validation_split=1.5", "compiled().fit(x, y, validation_split=1.5)", V,
         r"validation_split must be a float in \[0, 1\), received 1.5"),
    Case(_ARGS, "validation_split=True", "compiled().fit(x, y, validation_split=True)", V,
         "received True"),
    Case(_ARGS, "validation_split leaving no training data",
         "compiled().fit(x, y, validation_split=0.9)", V, "leaves no training samples"),
    Case(_ARGS, "validation_split with a generator",
         "compiled().fit(iter([(x, y)]), validation_split=0.5)", V,
         "only supported for arrays"),
    Case(_ARGS, "steps_per_epoch=0", "compiled().fit(x, y, steps_per_epoch=0)", V,
         "steps_per_epoch must be a positive integer"),
    Case(_ARGS, "steps_per_epoch=True", "compiled().fit(x, y, steps_per_epoch=True)", V,
         "a bool is not a count"),
    Case(_ARGS, "validation_freq=0", "compiled().fit(x, y, validation_freq=0)", V,
         "validation_freq must be a positive integer"),
    Case(_ARGS, "verbose=3", "compiled().fit(x, y, verbose=3)", V,
         "verbose must be 'auto', 0, 1, 2, True, False or None"),
    Case(_ARGS, "shuffle='yes'", "compiled().fit(x, y, shuffle='yes')", T,
         "shuffle must be True, False or 'batch'"),
    Case(_ARGS, "validation_data not a tuple",
         "compiled().fit(x, y, validation_data=np.ones(3))", V,
         r"validation_data must be a tuple \(x_val, y_val\)"),
    Case(_ARGS, "a callback that is not a Callback", "compiled().fit(x, y, callbacks=[3])", T,
         "callbacks must be jnet.callbacks.Callback instances"),
    Case(_ARGS, "predict batch_size=0", "compiled().predict(x, batch_size=0)", V,
         "batch_size must be a positive integer"),
    Case(_ARGS, "evaluate steps=-1", "compiled().evaluate(x, y, steps=-1)", V,
         "steps must be a positive integer"),
    Case(_DATA, "model(x) on the wrong feature count",
         "m = model(); m(np.ones((2, 4), np.float32))", V,
         r"Input 0 of layer 'dense.*' expects shape \(None, 3\), got \(2, 4\) from x"),
    Case(_DATA, "model(x) on a rank too many",
         "m = model(); m(np.ones((2, 3, 3), np.float32))", V,
         r"expects shape \(None, 3\), got \(2, 3, 3\) from x\. Add Flatten\(\)"),
    # -- compile and identifiers ------------------------------------------------------------
    Case(_COMPILE, "a misspelt optimizer", "model().compile(optimizer='adamm', loss='mse')", U,
         r"Unknown optimizer: 'adamm'\. Did you mean 'adam'\?.*'sgd'"),
    Case(_COMPILE, "a misspelt loss",
         "model().compile(optimizer='sgd', loss='mean_squared_eror')", U,
         "Did you mean 'mean_squared_error'"),
    Case(_COMPILE, "a misspelt metric",
         "model().compile(optimizer='sgd', loss='mse', metrics=['acuracy'])", U,
         "Did you mean 'accuracy'"),
    Case(_COMPILE, "an optimizer that is not one",
         "model().compile(optimizer=3, loss='mse')", T,
         "Could not interpret optimizer identifier: 3"),
    Case(_COMPILE, "a loss that is not one", "model().compile(optimizer='sgd', loss=3)", T,
         "Could not interpret loss identifier 3"),
    Case(_COMPILE, "a metric that is not one",
         "model().compile(optimizer='sgd', loss='mse', metrics=[3])", T,
         "Could not interpret metric identifier 3"),
    Case(_COMPILE, "no loss", "model().compile(optimizer='sgd')", V, "compile\\(\\) needs a loss"),
    Case(_COMPILE, "optimizer=None", "model().compile(optimizer=None, loss='mse')", V,
         "compile\\(\\) needs an optimizer"),
    Case(_COMPILE, "metrics as a string",
         "model().compile(optimizer='sgd', loss='mse', metrics='mae')", T,
         r"metrics must be a list.*metrics=\['mae'\]"),
    Case(_COMPILE, "steps_per_execution=0",
         "model().compile(optimizer='sgd', loss='mse', steps_per_execution=0)", V,
         "steps_per_execution must be a positive integer or 'auto'"),
    Case(_COMPILE, "steps_per_execution=True",
         "model().compile(optimizer='sgd', loss='mse', steps_per_execution=True)", V,
         "received True"),
    Case(_COMPILE, "metrics dict naming an output the model does not have",
         "model().compile(optimizer='sgd', loss='mse', metrics={'output': ['mae']})", V,
         r"metrics has keys \['output'\] that are not output names of the model; its only "
         r"output is 'dense.*'"),
    Case(_COMPILE, "jnet.activations.get of an unknown name", "jnet.activations.get('rellu')",
         U, r"Unknown activation: 'rellu'\. Did you mean 'relu'"),
    Case(_COMPILE, "jnet.initializers.get of an unknown name",
         "jnet.initializers.get('he_normall')", U, "Did you mean 'he_normal'"),
    Case(_COMPILE, "jnet.losses.get of an unknown name", "jnet.losses.get('hubber')", U,
         "Did you mean 'huber'"),
    Case(_COMPILE, "jnet.metrics.get of an unknown name", "jnet.metrics.get('precission')", U,
         "Did you mean '[Pp]recision'"),
    Case(_COMPILE, "jnet.optimizers.get of an unknown name", "jnet.optimizers.get('rmsprob')",
         U, "Did you mean 'rmsprop'"),
    Case(_COMPILE, "a misspelt activation in a layer", "L.Dense(3, activation='rellu')", U,
         "Did you mean 'relu'"),
    Case(_COMPILE, "a misspelt initializer in a layer",
         "L.Dense(3, kernel_initializer='glorot_uniformm')", U,
         "Did you mean 'glorot_uniform'"),
    Case(_COMPILE, "an unknown padding", "L.Conv2D(2, 3, padding='foo')", V,
         "Conv2D: unknown padding 'foo'; expected one of 'valid', 'same'"),
    Case(_COMPILE, "an unknown pooling padding", "L.MaxPooling2D(2, padding='full')", V,
         "padding must be one of 'valid', 'same'"),
    Case(_COMPILE, "an unknown data_format", "L.Conv2D(2, 3, data_format='channel_last')", V,
         "data_format must be 'channels_last', 'channels_first' or None"),
    Case(_COMPILE, "an unknown RandomFlip mode", "L.RandomFlip('diagonal')", U,
         "Valid mode names: 'horizontal'"),
    # -- layer arguments --------------------------------------------------------------------
    Case(_LAYERS, "Rescaling(scale=nan)", "L.Rescaling(float('nan'))", V,
         r"Rescaling: scale must be finite \(as float32\), received nan"),
    Case(_LAYERS, "a misspelt keyword argument", "L.Dense(3, activaton='relu')", T,
         r"Dense received unknown keyword argument\(s\) 'activaton' \(did you mean "
         r"'activation'\?\)"),
    Case(_LAYERS, "an unknown keyword argument", "L.LSTM(4, foo=1)", T,
         r"LSTM received unknown keyword argument\(s\) 'foo'\. LSTM takes: .*units"),
    Case(_LAYERS, "Dense(0)", "L.Dense(0)", V,
         "Dense: units must be a positive integer, received 0"),
    Case(_LAYERS, "Dense(-3)", "L.Dense(-3)", V, "received -3"),
    Case(_LAYERS, "Dense(2.5)", "L.Dense(2.5)", V, "received 2.5"),
    Case(_LAYERS, "Dense(True)", "L.Dense(True)", V, "received True"),
    Case(_LAYERS, "Dense(use_bias='yes')", "L.Dense(3, use_bias='yes')", T,
         "Dense: use_bias must be True or False, received 'yes'"),
    Case(_LAYERS, "Conv2D(kernel_size=-1)", "L.Conv2D(2, kernel_size=-1)", V,
         "kernel_size must be a positive integer or a tuple of 2 positive integers"),
    Case(_LAYERS, "Conv2D(filters=0)", "L.Conv2D(0, 3)", V,
         "filters must be a positive integer, received 0"),
    Case(_LAYERS, "Conv2D(strides=0)", "L.Conv2D(2, 3, strides=0)", V,
         "strides must be a positive integer"),
    Case(_LAYERS, "Conv2D(dilation_rate=0)", "L.Conv2D(2, 3, dilation_rate=0)", V,
         "dilation_rate must be a positive integer"),
    Case(_LAYERS, "Conv1D with a 2-D kernel", "L.Conv1D(2, (3, 3))", V,
         r"a tuple of 1 positive integer, received \(3, 3\)"),
    Case(_LAYERS, "Conv2D(use_bias=1.0)", "L.Conv2D(2, 3, use_bias=1.0)", T,
         "use_bias must be True or False"),
    Case(_LAYERS, "DepthwiseConv2D(depth_multiplier=0)",
         "L.DepthwiseConv2D(3, depth_multiplier=0)", V, "depth_multiplier must be a positive"),
    Case(_LAYERS, "Conv2DTranspose(output_padding=-1)",
         "L.Conv2DTranspose(2, 3, output_padding=-1)", V,
         "output_padding must be a non-negative integer"),
    Case(_LAYERS, "Dropout(rate=1.5)", "L.Dropout(rate=1.5)", V,
         r"Dropout: rate must be a float in \[0, 1\], received 1.5"),
    Case(_LAYERS, "Dropout(-0.1)", "L.Dropout(-0.1)", V, "received -0.1"),
    Case(_LAYERS, "SpatialDropout2D(2.0)", "L.SpatialDropout2D(2.0)", V, "rate must be"),
    Case(_LAYERS, "GaussianNoise(-1)", "L.GaussianNoise(-1)", V, "stddev must be"),
    Case(_LAYERS, "MaxPooling2D(pool_size=0)", "L.MaxPooling2D(0)", V,
         "pool_size must be a positive integer"),
    Case(_LAYERS, "MaxPooling2D(strides=0)", "L.MaxPooling2D(2, strides=0)", V,
         "strides must be a positive integer"),
    Case(_LAYERS, "AveragePooling1D(-1)", "L.AveragePooling1D(-1)", V,
         "pool_size must be a positive integer, received -1"),
    Case(_LAYERS, "LSTM(units=0)", "L.LSTM(0)", V,
         "LSTM: units must be a positive integer, received 0"),
    Case(_LAYERS, "GRU(2.5)", "L.GRU(2.5)", V, "GRU: units must be a positive integer"),
    Case(_LAYERS, "SimpleRNN(-1)", "L.SimpleRNN(-1)", V, "received -1"),
    Case(_LAYERS, "LSTM(dropout=2)", "L.LSTM(2, dropout=2)", V,
         r"dropout must be a float in \[0, 1\)"),
    Case(_LAYERS, "LSTM(return_sequences='yes')", "L.LSTM(2, return_sequences='yes')", T,
         "return_sequences must be True or False"),
    Case(_LAYERS, "LSTM(stateful=True)", "L.LSTM(2, stateful=True)", V,
         "stateful=True is not supported"),
    Case(_LAYERS, "Embedding(input_dim=0)", "L.Embedding(input_dim=0, output_dim=3)", V,
         "input_dim must be a positive integer, received 0"),
    Case(_LAYERS, "Embedding(output_dim=0)", "L.Embedding(3, 0)", V,
         "output_dim must be a positive integer"),
    Case(_LAYERS, "Embedding without output_dim", "L.Embedding(3)", T,
         "missing required argument 'output_dim'"),
    Case(_LAYERS, "Embedding(mask_zero=1)", "L.Embedding(3, 2, mask_zero=1)", T,
         "mask_zero must be True or False"),
    Case(_LAYERS, "BatchNormalization(momentum=2)", "L.BatchNormalization(momentum=2)", V,
         r"momentum must be a number in \[0, 1\]"),
    Case(_LAYERS, "BatchNormalization(epsilon=-1)", "L.BatchNormalization(epsilon=-1)", V,
         "epsilon must be a positive number"),
    Case(_LAYERS, "BatchNormalization(axis='a')", "L.BatchNormalization(axis='a')", T,
         "axis must be an integer"),
    Case(_LAYERS, "LayerNormalization(epsilon=-1.0)", "L.LayerNormalization(epsilon=-1.0)", V,
         "epsilon must be a positive number"),
    Case(_LAYERS, "Reshape with two -1", "L.Reshape((-1, -1))", V, "at most one -1"),
    Case(_LAYERS, "Reshape((-2, 3))", "L.Reshape((-2, 3))", V,
         "target_shape must be a tuple of positive integers"),
    Case(_LAYERS, "Flatten(data_format='foo')", "L.Flatten(data_format='foo')", V,
         "data_format must be one of"),
    Case(_LAYERS, "Rescaling('a')", "L.Rescaling('a')", V, "scale must be a number"),
    Case(_LAYERS, "RandomRotation('a')", "L.RandomRotation('a')", V, "factor must be"),
    Case(_LAYERS, "RandomZoom(-2.0)", "L.RandomZoom(-2.0)", V, "height_factor must be"),
    Case(_LAYERS, "Masking('a')", "L.Masking('a')", V, "mask_value must be a number"),
    Case(_LAYERS, "TimeDistributed(3)", "L.TimeDistributed(3)", V,
         "layer must be a jnet layer"),
    Case(_LAYERS, "Bidirectional(Dense)", "L.Bidirectional(L.Dense(3))", V,
         "layer must be a recurrent layer"),
    Case(_LAYERS, "Bidirectional(merge_mode='foo')",
         "L.Bidirectional(L.LSTM(3), merge_mode='foo')", V, "merge_mode must be one of"),
    Case(_LAYERS, "Input(shape=(0,))", "jnet.Input(shape=(0,))", V,
         "shape must be a tuple of positive integers"),
    Case(_LAYERS, "input_shape='a'", "L.Dense(3, input_shape='a')", V,
         "input_shape must be a tuple of positive integers"),
    Case(_LAYERS, "Sequential of a non-layer", "jnet.Sequential([3])", T,
         "Only jnet layers can be added to a Sequential model"),
    Case(_LAYERS, "Lambda(3)", "L.Lambda(3)", T, "function must be callable"),
    Case(_LAYERS, "TextVectorization(max_tokens=0)", "L.TextVectorization(max_tokens=0)", V,
         "max_tokens"),
    Case(_LAYERS, "Dense(dtype='mixed_int8')", "L.Dense(2, dtype='mixed_int8')", V,
         r"Dense: dtype: Cannot convert 'mixed_int8' to a mixed precision DTypePolicy"),
    Case(_LAYERS, "SpectralNormalization(power_iterations=0)",
         "L.SpectralNormalization(L.Dense(2), power_iterations=0)", V,
         "power_iterations should be an integer greater than zero"),
    Case(_LAYERS, "JaxLayer(call_fn) with params but no init_fn",
         "L.JaxLayer(lambda params, inputs: inputs)", V, "cannot all be `None`"),
    Case(_LAYERS, "JaxLayer(call_fn) with an unknown argument",
         "L.JaxLayer(lambda inputs, key: inputs)", V, "unsupported argument in `call_fn`"),
    Case(_LAYERS, "FlaxLayer of a non-module", "L.FlaxLayer('mlp')", T, "flax.linen.Module"),
    Case(_LAYERS, "ReversibleEmbedding(logit_soft_cap=-1)",
         "L.ReversibleEmbedding(5, 2, logit_soft_cap=-1.0)", V, "logit_soft_cap must be"),
    Case(_LAYERS, "a path matching two DTypePolicyMap patterns",
         "jnet.dtype_policies.DTypePolicyMap(policy_map={'a.*': 'float16', '.*b': "
         "'float16'})['ab']", V, "matches multiple dtype policy"),
    # -- shapes met while building ----------------------------------------------------------
    Case(_SHAPES, "a kernel larger than the image",
         "stack(L.Conv2D(2, 3), L.Flatten(), L.Dense(1), input_shape=(2, 2, 1))"
         ".fit(np.ones((4, 2, 2, 1)), np.ones((4, 1)))", V,
         "too small for kernel_size=\\(3, 3\\).*padding='same'"),
    Case(_SHAPES, "a pool larger than the image",
         "stack(L.MaxPooling2D(3), L.Flatten(), L.Dense(1), input_shape=(2, 2, 1))"
         ".fit(np.ones((4, 2, 2, 1)), np.ones((4, 1)))", V, "smaller than pool_size"),
    Case(_SHAPES, "an LSTM on 2-D data",
         "stack(L.LSTM(2), L.Dense(1), input_shape=(3,)).fit(x, y)", V,
         "LSTM expects inputs of rank 3"),
    Case(_SHAPES, "a Reshape that changes the size",
         "stack(L.Reshape((4, 2)), L.Flatten(), L.Dense(1), input_shape=(6,))"
         ".fit(np.ones((4, 6)), np.ones((4, 1)))", V, "The total size must be unchanged"),
    Case(_SHAPES, "a layer too large to allocate (no process abort)",
         "jnet.Sequential([L.Dense(10**12)]).predict(x)", V,
         r"Layer 'dense\w*' \(Dense\) asks for 16000000000000 bytes of weights"),
    # -- optimizers, losses, config ---------------------------------------------------------
    Case(_OTHER, "SGD(learning_rate=-1)", "jnet.optimizers.SGD(learning_rate=-1)", V,
         "learning_rate` must be a float >= 0"),
    Case(_OTHER, "SGD(momentum=2)", "jnet.optimizers.SGD(momentum=2)", V,
         r"momentum` must be a float in \[0, 1\]"),
    Case(_OTHER, "Adam(beta_1=1.5)", "jnet.optimizers.Adam(beta_1=1.5)", V,
         r"beta_1` must be a float in \[0, 1\)"),
    Case(_OTHER, "Adam(learning_rate='a')", "jnet.optimizers.Adam(learning_rate='a')", T,
         "or a schedule callable"),
    Case(_OTHER, "tf.keras's RMSprop(lr=0.001)", "jnet.optimizers.RMSprop(lr=0.001)", V,
         "name it learning_rate"),
    Case(_OTHER, "a TensorLayout naming an axis the mesh lacks",
         "jnet.distribution.TensorLayout((None, 'modle'), jnet.distribution.DeviceMesh("
         "(1,), ['model'], jnet.distribution.list_devices()[:1]))", V,
         r"name \['modle'\], which the device mesh does not have"),
    Case(_OTHER, "ModelParallel given a dict for layout_map",
         "jnet.distribution.ModelParallel(layout_map={'dense.*kernel': (None, 'model')})", T,
         "layout_map must be a jnet.distribution.LayoutMap, received"),
    Case(_OTHER, "LayoutMap given a shape instead of a DeviceMesh",
         "jnet.distribution.LayoutMap((2, 4))", T,
         "device_mesh must be a jnet.distribution.DeviceMesh, received"),
    Case(_OTHER, "Muon(exclude_layers='out') (a string, not a list)",
         "jnet.optimizers.Muon(exclude_layers='out')", T,
         "exclude_layers` must be a list of strings"),
    Case(_OTHER, "MultiOptimizer whose map gives a name, not an optimizer",
         "m = model(); m.compile(optimizer="
         "jnet.optimizers.MultiOptimizer(lambda v: 'adam'), loss='mse'); m.fit(x, y, verbose=0)",
         T, "The optimizer for variable '.*' must be a jnet optimizer"),
    Case(_OTHER, "a loss's unknown reduction",
         "jnet.losses.MeanSquaredError(reduction='foo')", V,
         "Invalid value for argument `reduction`"),
    Case(_OTHER, "MeanIoU(num_classes='3')", "jnet.metrics.MeanIoU(num_classes='3')", T,
         "argument `num_classes` must be an int; received '3'"),
    Case(_OTHER, "IoU with a target class id out of range",
         "jnet.metrics.IoU(num_classes=2, target_class_ids=[0, 2])", V,
         r"target class id 2 is out of range, which is \[0, 2\)"),
    Case(_OTHER, "CTC with labels that are not (batch, max_length)",
         "jnet.losses.CTC()(np.ones((2,)), np.zeros((2, 5, 3)))", V,
         r"expected to be a tensor of shape `\(batch_size, max_length\)`"),
    Case(_OTHER, "set_check_finite('no')", "jnet.config.set_check_finite('no')", T,
         "enabled must be True or False"),
    Case(_OTHER, "model.save('m.h5') (Keras 2's model format)", "model().save('m.h5')", V,
         r"Keras 2's legacy model format.*model\.save\('m\.keras'\)"),
    Case(_OTHER, "a Lambda layer saved to a '.keras' archive",
         "stack(L.Lambda(lambda t: t * 2, name='dbl'), input_shape=(3,)).save('m.keras')",
         jnet.saving.KerasExportError, r"layer 'dbl' \(Lambda\).*never writes code"),
    # -- datasets and downloads ---------------------------------------------------------------
    Case(_FILES, "get_file without origin", "jnet.utils.get_file('data.npz')", V,
         'specify the "origin" argument'),
    Case(_FILES, "get_file with a path as fname",
         "jnet.utils.get_file('sub/data.npz', origin='https://example.com/data.npz')", V,
         "paths are no longer accepted as the `fname` argument"),
    Case(_FILES, "get_file(hash_algorithm='sha1')",
         "jnet.utils.get_file(origin='https://example.com/d.npz', hash_algorithm='sha1')", V,
         r"hash_algorithm must be one of \('auto', 'sha256', 'md5'\), received 'sha1'"),
    Case(_FILES, "cifar100.load_data('medium')", "jnet.datasets.cifar100.load_data('medium')",
         V, '`label_mode` must be one of `"fine"`, `"coarse"`'),
    Case(_FILES, "boston_housing.load_data(test_split=1)",
         "jnet.datasets.boston_housing.load_data(test_split=1)", V,
         "Invalid `test_split` argument: 1. It must be between 0 and 1"),
    Case(_FILES, "FeatureSpace used before adapt",
         "jnet.utils.FeatureSpace({'x': 'string_categorical'})({'x': ['a']})", V,
         r"call \.adapt\(dataset\) on the FeatureSpace"),
    Case(_FILES, "KerasFileEditor of a '.h5' model",
         "jnet.saving.KerasFileEditor('model.h5')", V,
         r"expected a '\.keras' or '\.weights\.h5' file"),
    Case(_FILES, "ExportArchive.write_out without endpoints",
         "jnet.export.ExportArchive().write_out('served')", V,
         r"no endpoints have been set yet\. Call add_endpoint\(\)"),
    Case(_OTHER, "LossScaleOptimizer(opt, dynamic=False)",
         "jnet.mixed_precision.LossScaleOptimizer(jnet.optimizers.SGD(), dynamic=False)", V,
         "no longer supports `dynamic=False`"),
]


def namespace() -> dict[str, object]:
    """The names a case's code runs with (see the module docstring)."""

    def model():
        return jnet.Sequential([L.Dense(4, activation="relu", input_shape=(3,)), L.Dense(1)])

    def compiled(loss="mse", metrics=None):
        m = model()
        m.compile(optimizer="sgd", loss=loss, metrics=metrics)
        return m

    def classifier(loss="sparse_categorical_crossentropy"):
        m = jnet.Sequential([L.Dense(3, activation="softmax", input_shape=(2,))])
        m.compile(optimizer="adam", loss=loss)
        return m

    def stack(*layers, input_shape, loss="mse"):
        m = jnet.Sequential([L.InputLayer(shape=input_shape), *layers])
        m.compile(optimizer="sgd", loss=loss)
        return m

    return {
        "np": np, "jnet": jnet, "L": L, "E": E, "model": model, "compiled": compiled,
        "classifier": classifier, "stack": stack,
        "x": np.ones((8, 3), np.float32), "y": np.ones((8, 1), np.float32),
        "x2": np.ones((4, 2), np.float32),
    }


def run(case: Case) -> None:
    """Runs a case's code (``verbose=0`` is implied: no progress bars)."""
    exec(compile(case.code, f"<error table: {case.what}>", "exec"), namespace())


def render() -> str:
    """``docs/errors.md``: every case, grouped by area."""
    lines = [
        "# Errors: what bad input gets",
        "",
        "<!-- Generated from tests/error_table.py by `python tests/error_table.py`; do not edit."
        " tests/test_error_table.py runs every line and checks this file is up to date. -->",
        "",
        "jnet checks what it is given at the public call, before anything is traced, and raises",
        "an exception from `jnet.errors` naming the argument, what was received, what was",
        "expected and how to fix it. Every exception subclasses `ValueError` or `TypeError`",
        "(and `jnet.errors.JnetError`), so `except ValueError:` written for Keras keeps working.",
        "",
        "- `JnetValueError`: a value out of range, of the wrong shape, or inconsistent with",
        "  another. `UnknownIdentifierError` (an unknown name: lists the valid ones and the",
        "  nearest match), `NotCompiledError` and `NotBuiltError` subclass it.",
        "- `JnetTypeError`: a value of the wrong type.",
        "",
        "**NaN and infinity.** `fit`, `evaluate` and `predict` refuse `x`, `y` or",
        "`sample_weight` holding NaN or infinite values (including float64 values that overflow",
        "float32), naming the first one. Call `jnet.config.set_check_finite(False)` to allow",
        "them. The check is one pass over each array as it is cast; streamed data (memmaps,",
        "arrays over 512 MB) is checked chunk by chunk as it is read, so a bad value stops `fit`",
        "at the chunk that holds it, and the file is never read twice.",
        "",
        "**Labels and targets.** `fit` and `evaluate` check targets once per call, on the",
        "host arrays and in their own dtype, before any cast: an int64 or uint64 label past",
        "2**31 is refused rather than wrapped to another class by the cast to int32 (for",
        "sparse losses and metrics, naming the label and the number of classes, as TensorFlow",
        "raises; for any other loss, naming the value). Generator and `tf.data` batches are",
        "checked as they arrive (on the host, before they are sent). Where Keras is silent,",
        "jnet is not: targets whose shape differs from the output's (after Keras's trailing-1",
        "alignment) for an elementwise loss (`mse`, `mae`, `binary_crossentropy`, `hinge`,",
        "...), `categorical_crossentropy` on a 1-unit output (always 0; Keras warns),",
        "`binary_crossentropy` on whole-number labels outside [0, 1] (`{0, 2}`, `{-1, 1}`),",
        "`class_weight` with negative, NaN or infinite weights or keys that are not class",
        "indices, `Rescaling` with a NaN or infinite `scale`/`offset`, fractional `Embedding`",
        "indices (Keras truncates them; whole numbers stored as floats are accepted), a",
        "`compile(metrics={...})` key that is not the output's name, and `model(x)` on the",
        "wrong feature count or rank (Keras raises too, with its own wording) all raise.",
        "Fractional `binary_crossentropy` labels outside [0, 1] (soft targets slightly out",
        "of range) may be intended: they give a `UserWarning`, not an error.",
        "",
        "**A loss that becomes NaN.** `fit` warns once (`jnet.errors.NanLossWarning`), naming",
        "the epoch (and the batch when batch logs are fetched), from the logs it fetches anyway:",
        "no extra host sync per step. `callbacks=[jnet.callbacks.TerminateOnNaN()]` stops",
        "training at the first such batch.",
        "",
        "**Weights too large, and hostile files.** A layer's weights are sized with",
        "`jax.eval_shape` before they are allocated: weights larger than the free memory raise",
        "`JnetValueError` naming the layer and the bytes asked for, instead of aborting the",
        "process. Loaders (`load_model`, `load_weights`) open only regular files (a directory,",
        "FIFO, socket or device is refused at once), refuse JSON or HDF5 nested over 100 / 16",
        "levels, build no more weight bytes than the file carries (a small file declaring large",
        "layers is refused before anything large exists), cap a `.keras` archive's weights by",
        "the model its config declares and a `.weights.h5` dataset by the layer it is for",
        "(`FileFormatError` or `JnetValueError`; `tests/test_saving_hostile.py` holds the",
        "generated files, each refused in under 1 s and 100 MB).",
        "",
        "The code below runs with `L = jnet.layers`, `x`, `y` = 8 samples of shape (3,) and",
        "(1,), `x2` = 4 samples of shape (2,), `model()` an MLP with `input_shape=(3,)`,",
        "`compiled()` the same compiled with `loss='mse'`, `classifier()` a 3-class softmax",
        "layer compiled with `sparse_categorical_crossentropy`, and `stack(*layers,",
        "input_shape=...)` a compiled `Sequential` (see `tests/error_table.py`).",
        "",
        f"{len(CASES)} cases.",
    ]
    areas: list[str] = []
    for case in CASES:
        if case.area not in areas:
            areas.append(case.area)
    for area in areas:
        lines += ["", f"## {area[0].upper()}{area[1:]}", "",
                  "| bad input | code | error | message matches |", "| --- | --- | --- | --- |"]
        for case in CASES:
            if case.area == area:
                lines.append(
                    f"| {_cell(case.what)} | `{_cell(case.code)}` | `{case.error.__name__}` | "
                    f"`{_cell(case.match)}` |"
                )
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


if __name__ == "__main__":
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(render())
    print(f"wrote {DOC} ({len(CASES)} cases)", file=sys.stderr)
