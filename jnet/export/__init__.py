"""Models for serving without their Python code: ``model.export`` and :func:`load`.

* ``model.export('m.jaxexport')`` writes the inference function, weights included, as a
  ``jax.export`` StableHLO artifact with a symbolic batch dimension;
  ``jnet.export.load('m.jaxexport')`` returns a callable that runs it on numpy input of any
  batch size, needing only JAX (no layer or model code).
* ``model.export('dir', format='tf_saved_model')`` writes a TensorFlow SavedModel through
  ``jax2tf`` (TensorFlow needed), served as Keras's exports are: ``serve`` and the
  ``serving_default`` signature.
* :class:`ExportArchive` (Keras's) writes several endpoints and variable collections into one
  SavedModel.

Example:
    >>> import os, tempfile, numpy as np, jnet
    >>> model = jnet.Sequential([jnet.layers.Dense(2, input_shape=(3,))])
    >>> path = os.path.join(tempfile.mkdtemp(), "m.jaxexport")
    >>> model.export(path, verbose=False)
    >>> jnet.export.load(path)(np.ones((7, 3))).shape
    (7, 2)
"""

from jnet.export._archive import ExportArchive as ExportArchive
from jnet.export._artifact import ExportedModel as ExportedModel
from jnet.export._artifact import ExportFormatError as ExportFormatError
from jnet.export._artifact import load as load
from jnet.export._export import export_model as export_model

__all__ = ["ExportArchive", "ExportFormatError", "ExportedModel", "export_model", "load"]
