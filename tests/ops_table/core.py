"""Rows for the core ops (``keras/src/ops/core.py``)."""

from ops_table import Case, floats, ints

CASES = [
    Case("cast", (floats(3, 4), "int32"), id="float-to-int"),
    Case("cast", (ints(5), "float32"), id="int-to-float"),
    Case("convert_to_tensor", (floats(2, 3),), jit=False),
    Case("convert_to_tensor", ([1, 2, 3],), id="list-of-ints", jit=False),
]

LEFT_OUT: dict[str, str] = {}

PENDING = {
    "associative_scan",
    "cond",
    "convert_to_numpy",
    "custom_gradient",
    "dtype",
    "fori_loop",
    "is_tensor",
    "map",
    "rearrange",
    "saturate_cast",
    "scan",
    "scatter",
    "scatter_update",
    "shape",
    "slice",
    "slice_update",
    "stop_gradient",
    "switch",
    "unstack",
    "vectorized_map",
    "while_loop",
}
