"""Type aliases shared across jnet, for readers more than for checkers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jax

Array = jax.Array
PRNGKey = jax.Array
Params = Mapping[str, Any]
Variables = Mapping[str, Any]
Batch = tuple[Any, ...]
Logs = dict[str, Any]
Shape = tuple[int | None, ...]
