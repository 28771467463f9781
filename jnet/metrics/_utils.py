"""Helpers shared by the metric files (private).

The shape, dtype and naming helpers are the losses' own (``jnet.losses._utils``): metrics and
losses align, cast and name their inputs the same way, as Keras's do.
"""

from __future__ import annotations

from typing import Any

import jax
import numpy as np

from jnet import errors
from jnet.losses._utils import (  # noqa: F401  (re-exported to the metric files)
    EPSILON,
    _as_float,
    _broadcast_pair,
    _divide_no_nan,
    _object_name,
    _snake_case,
    _standardize_dtype,
)

Array = jax.Array


def _check_bool(value: Any, arg: str, what: str) -> bool:
    if not isinstance(value, bool | np.bool_):
        raise errors.JnetTypeError(
            f"{what}: argument `{arg}` must be True or False; received {errors.describe(value)}."
        )
    return bool(value)
