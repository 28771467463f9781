"""Rows for Keras's elementwise numpy ops (jnet/ops/_numpy_elementwise.py and the private
modules it re-exports): every name on float32 and on integers (Keras's result dtypes), with
broadcasting, negative numbers, empty arrays, float16 and bfloat16 rows where Keras takes them.
"""

import ml_dtypes
import numpy as np

from ops_table import Case, bools, floats, ints, positive

F = floats(3, 4)
F_ROW = floats(4)
F_COL = floats(3, 1)
F16 = floats(3, 4, dtype="float16")
BF16 = floats(3, 4).astype(ml_dtypes.bfloat16)
INT = ints(3, 4)
INT_ROW = ints(4)
I8 = ints(3, 4, dtype="int8")
U8 = ints(3, 4, dtype="uint8", low=0, high=9)
B = bools(3, 4)
B2 = bools(3, 4)
POS = positive(3, 4)
POS_I = ints(3, 4, low=1, high=9)
UNIT = floats(3, 4, low=-0.9, high=0.9)
ABOVE_ONE = floats(3, 4, low=1.1, high=3.0)
EMPTY = floats(0, 3)
SPECIAL = np.array([1.0, -0.0, 0.0, np.inf, -np.inf, np.nan, -2.5, 2.5], "float32")
COMPLEX = (floats(5) + 1j * floats(5)).astype("complex64")

_WEAK = (
    "a Python int is weak (keeps the array's dtype) as on Keras's JAX backend and in its "
    "compute_output_spec; Keras's TF backend converts it to int32 first"
)

# -- float functions of one array: integers give floatx() ------------------------------------
# name -> (float input, grad row?)
_FLOAT_FUNCTIONS = {
    "angle": (F, False),
    "arccos": (UNIT, True),
    "arccosh": (ABOVE_ONE, True),
    "arcsin": (UNIT, True),
    "arcsinh": (F, True),
    "arctan": (F, True),
    "arctanh": (UNIT, True),
    "cbrt": (F, False),
    "ceil": (F, False),
    "cos": (F, True),
    "cosh": (F, True),
    "deg2rad": (F, True),
    "exp": (F, True),
    "exp2": (F, True),
    "expm1": (F, True),
    "floor": (F, False),
    "i0": (F, True),
    "log": (POS, True),
    "log10": (POS, True),
    "log1p": (POS, True),
    "log2": (POS, True),
    "rad2deg": (F, True),
    "reciprocal": (POS, True),
    "sin": (F, True),
    "sinc": (F, True),
    "sinh": (F, True),
    "sqrt": (POS, True),
    "tan": (UNIT, True),
    "tanh": (F, True),
}

CASES = []
for _name, (_x, _grad) in _FLOAT_FUNCTIONS.items():
    CASES.append(Case(_name, (_x,), id="float32", grad=_grad, rtol=1e-5))
    CASES.append(Case(_name, (_x.astype("float16"),), id="float16", rtol=2e-3, atol=2e-3))
    CASES.append(Case(_name, (EMPTY,), id="empty"))
    if _name in ("arccos", "arcsin", "arctanh", "tan"):
        continue  # integers outside the domain give NaN on both sides: not informative
    _ints = POS_I if _x is POS else (ints(3, 4, low=1, high=4) if _x is ABOVE_ONE else INT)
    if _name == "reciprocal":
        # Keras's TF backend keeps integers (tf.math.reciprocal of int32 is integer division);
        # its JAX backend and compute_output_spec give floats, as jnet.
        CASES.append(Case(_name, (_ints,), id="int32", note="TF backend keeps ints",
                          reference=lambda x: (1.0 / x).astype("float32")))
    else:
        CASES.append(Case(_name, (_ints,), id="int32", rtol=1e-5))
CASES += [
    Case("exp", (B,), id="bool"),
    Case("sqrt", (U8,), id="uint8"),
    Case("floor", (I8,), id="int8"),
    Case("sin", (BF16,), id="bfloat16", rtol=1e-2, atol=1e-2),
    Case("exp", (BF16,), id="bfloat16", rtol=1e-2, atol=1e-2),
    Case("angle", (COMPLEX,), id="complex", dtype=False,
         note="Keras says complex64 for angle of complex; both backends give float32"),
    Case("log", (SPECIAL,), id="special", atol=0),
    Case("sinc", (np.array([0.0, 0.5, -1.0], "float32"),), id="zero", grad=True),
]

# -- dtype-keeping ops of one array ----------------------------------------------------------
CASES += [
    Case("abs", (F,), grad=True),
    Case("abs", (I8,), id="int8"),
    Case("abs", (U8,), id="uint8"),
    Case("absolute", (F,), grad=True),
    Case("absolute", (INT,), id="int32"),
    Case("absolute", (BF16,), id="bfloat16"),
    Case("fabs", (F,)),
    Case("fabs", (INT,), id="int32"),
    Case("fabs", (F16,), id="float16"),
    Case("negative", (F,), grad=True),
    Case("negative", (I8,), id="int8"),
    Case("negative", (EMPTY,), id="empty"),
    Case("sign", (F,)),
    Case("sign", (INT,), id="int32"),
    Case("sign", (SPECIAL[:3],), id="zeros"),
    Case("signbit", (SPECIAL[:5],), id="special"),
    Case("signbit", (INT,), id="int32"),
    Case("signbit", (B,), id="bool"),
    Case("square", (F,), grad=True),
    Case("square", (I8,), id="int8"),
    Case("square", (B,), id="bool"),
    Case("round", (np.array([0.5, 1.5, 2.5, -0.5, -1.7], "float32"),), id="halves"),
    Case("round", (F,), kwargs={"decimals": 2}, id="decimals", rtol=1e-5),
    Case("round", (INT * 37,), kwargs={"decimals": -1}, id="int-negative"),
    Case("round", (INT,), kwargs={"decimals": 2}, id="int-positive"),
    Case("trunc", (F,)),
    Case("trunc", (INT,), id="int32"),
    Case("clip", (F, -0.5, 0.5), grad=True),
    Case("clip", (INT, -2, 3), id="int32"),
    Case("clip", (B, 0, 1), id="bool"),
    Case("clip", (F16, -1.0, 1.0), id="float16"),
    Case("nan_to_num", (SPECIAL,)),
    Case("nan_to_num", (SPECIAL,), kwargs={"nan": 1.0, "posinf": 9.0, "neginf": -9.0},
         id="values"),
    Case("nan_to_num", (INT,), id="int32"),
    Case("copy", (F,)),
    Case("copy", (I8,), id="int8"),
    Case("conj", (COMPLEX,)),
    Case("conj", (F,), id="real"),
    Case("conjugate", (COMPLEX,)),
    Case("real", (COMPLEX,)),
    Case("real", (F,), id="float32"),
    Case("imag", (COMPLEX,)),
    Case("imag", (F,), id="float32"),
]

# -- arithmetic of two arrays ----------------------------------------------------------------
for _name in ("add", "subtract", "multiply", "maximum", "minimum"):
    CASES += [
        Case(_name, (F, F_ROW), id="broadcast", grad=True),
        Case(_name, (F_COL, F_ROW), id="outer"),
        Case(_name, (INT, INT_ROW), id="int32"),
        Case(_name, (I8, U8), id="int8-uint8"),
        Case(_name, (I8, 3), id="int8-pyint"),
        Case(_name, (INT, 1.5), id="int32-pyfloat"),
        Case(_name, (F16, 2.0), id="float16-pyfloat"),
        Case(_name, (F16, F), id="float16-float32"),
        Case(_name, (EMPTY, F_ROW[:3]), id="empty"),
    ]
CASES += [
    Case("add", (BF16, F), id="bfloat16-float32"),
    Case("multiply", (B, B2), id="bool", reference=np.multiply,
         note="Keras's TF backend has no bool Mul; its JAX backend and NumPy give bool AND"),
    Case("maximum", (SPECIAL, 0.0), id="nan"),
    Case("fmax", (F, F_ROW)),
    Case("fmax", (SPECIAL, SPECIAL[::-1].copy()), id="nan"),
    Case("fmax", (INT, 0), id="int32"),
    Case("fmin", (F, F_ROW)),
    Case("fmin", (SPECIAL, SPECIAL[::-1].copy()), id="nan"),
    Case("fmin", (I8, U8), id="int8-uint8"),
]
for _name in ("divide", "true_divide"):
    CASES += [
        Case(_name, (F, POS[0]), id="broadcast", grad=True, rtol=1e-6),
        Case(_name, (INT, POS_I), id="int32"),
        Case(_name, (I8, 2), id="int8-pyint"),
        Case(_name, (F16, 3.0), id="float16-pyfloat", rtol=1e-3),
        Case(_name, (B, POS_I), id="bool-int32"),
    ]
CASES += [
    Case("divide_no_nan", (F, np.array([0.0, 2.0, -1.0, 0.0], "float32")), grad=True),
    Case("divide_no_nan", (INT, np.where(INT_ROW == 0, 1, 0).astype("int32")), id="int32"),
    Case("divide_no_nan", (F16, 0.0), id="float16-zero"),
    Case("floor_divide", (F, F_ROW), rtol=1e-5),
    Case("floor_divide", (INT, POS_I), id="int32"),
    Case("floor_divide", (-I8, 3), id="int8-pyint"),
    Case("mod", (F, POS), rtol=1e-5, atol=1e-5),
    Case("mod", (INT, POS_I), id="int32"),
    Case("mod", (INT, -3), id="negative-divisor"),
    Case("mod", (B, np.ones((3, 4), bool)), id="bool"),
    Case("fmod", (F, POS), rtol=1e-5, atol=1e-5),
    Case("fmod", (INT, POS_I), id="int32"),
    Case("fmod", (-INT_ROW, 3), id="negative"),
    Case("power", (POS, F), grad=True, rtol=1e-5),
    Case("power", (INT, np.abs(INT_ROW) % 4), id="int32"),
    Case("power", (F, 2), id="pyint", rtol=1e-6),
    Case("power", (I8, 2), id="int8-pyint"),
    Case("power", (POS, 0.5), id="pyfloat", rtol=1e-6),
]

# -- float functions of two arrays -----------------------------------------------------------
for _name in ("arctan2", "logaddexp", "logaddexp2", "hypot"):
    CASES += [
        Case(_name, (F, F_ROW), id="broadcast", grad=True, rtol=1e-5),
        Case(_name, (INT, INT_ROW), id="int32", rtol=1e-5),
        Case(_name, (F16, F16[0]), id="float16", rtol=2e-3, atol=2e-3),
        Case(_name, (EMPTY, F_ROW[:3]), id="empty"),
    ]
CASES += [
    Case("arctan2", (F, 2.0), id="pyfloat", rtol=1e-5),
    Case("logaddexp", (SPECIAL[:5], SPECIAL[3:8]), id="special", rtol=1e-5),
    Case("heaviside", (np.array([-1.0, 0.0, 2.0, 0.0], "float32"), 0.5)),
    Case("heaviside", (INT, F_ROW), id="broadcast"),
    Case("heaviside", (INT, INT_ROW), id="int32"),
    Case("heaviside", (F16, F16), id="float16"),
    Case("nextafter", (F, F_ROW), reference=lambda a, b: np.nextafter(a, b),
         note="Keras's TF backend computes in float64 then rounds back to x1 for float32"),
    Case("nextafter", (np.float32(1.0), np.float32(2.0)), id="one",
         reference=lambda a, b: np.nextafter(a, b), note="as above"),
    Case("ldexp", (F, INT_ROW)),
    Case("ldexp", (INT, INT_ROW), id="int32"),
    Case("ldexp", (F16, ints(3, 4, low=-3, high=4)), id="float16"),
    Case("gcd", (INT * 6, INT_ROW * 4)),
    Case("gcd", (I8, U8), id="int8-uint8"),
    Case("gcd", (INT, 0), id="zero"),
    Case("lcm", (INT, INT_ROW)),
    Case("lcm", (I8, 4), id="int8-pyint", dtype=False, note=_WEAK),
]

# -- comparisons and predicates --------------------------------------------------------------
for _name in ("equal", "not_equal", "greater", "greater_equal", "less", "less_equal"):
    CASES += [
        Case(_name, (F, F_ROW), id="broadcast"),
        Case(_name, (INT, INT_ROW), id="int32"),
        Case(_name, (INT, 0.5), id="int32-pyfloat"),
        Case(_name, (I8, U8), id="int8-uint8"),
        Case(_name, (F16, F), id="float16-float32"),
        Case(_name, (EMPTY, 0.0), id="empty"),
    ]
CASES += [
    Case("equal", (B, B2), id="bool"),
    Case("equal", (SPECIAL, SPECIAL), id="nan"),
    Case("isclose", (F, F + 1e-7)),
    Case("isclose", (F, F_ROW), id="broadcast"),
    Case("isclose", (F, F + 1e-3), kwargs={"rtol": 1e-2, "atol": 1e-3}, id="tolerances"),
    Case("isclose", (INT, INT_ROW), id="int32"),
    Case("isclose", (SPECIAL, SPECIAL), kwargs={"equal_nan": True}, id="equal_nan",
         reference=lambda a, b, equal_nan: np.isclose(a, b, equal_nan=equal_nan),
         note="Keras's TF backend calls inf - inf not close; NumPy and its JAX backend do"),
    Case("allclose", (F, F + 1e-7)),
    Case("allclose", (F, F + 1e-2), id="false"),
    Case("allclose", (INT, INT), id="int32"),
    Case("allclose", (SPECIAL, SPECIAL), kwargs={"equal_nan": True}, id="equal_nan"),
]
for _name in ("isfinite", "isinf", "isnan", "isneginf", "isposinf"):
    CASES += [
        Case(_name, (SPECIAL,)),
        Case(_name, (SPECIAL.astype("float16"),), id="float16"),
        Case(_name, (INT,), id="int32"),
    ]
CASES += [
    Case("isreal", (COMPLEX.real.astype("complex64") + np.array([0, 1j, 0, 0, 1j], "complex64"),)),
    Case("isreal", (F,), id="float32"),
]

# -- logic, where, select --------------------------------------------------------------------
for _name in ("logical_and", "logical_or", "logical_xor"):
    CASES += [
        Case(_name, (B, B2)),
        Case(_name, (INT, INT_ROW), id="int32"),
        Case(_name, (F, B[0]), id="float-bool-broadcast"),
    ]
CASES += [
    Case("logical_not", (B,)),
    Case("logical_not", (INT,), id="int32"),
    Case("logical_not", (F,), id="float32"),
    Case("where", (B, F, F_ROW), grad=False),
    Case("where", (B[0], INT, 0.5), id="broadcast-pyfloat"),
    Case("where", (INT, I8, U8), id="int-condition"),
    Case("where", (B, 1, 0), id="pyints"),
    Case("where", (INT,), id="nonzero", jit=False, vmap=False,
         note="one argument: nonzero, whose output shape depends on the values (no vmap)"),
    Case("select", ([F > 0.5, F < -0.5], [F, -F]), id="float32"),
    Case("select", ([INT > 0, INT < 0], [INT, INT * 10], -1), id="int32-default"),
    Case("select", ([B], [F_ROW], 0.5), id="broadcast"),
]

# -- bitwise ---------------------------------------------------------------------------------
for _name in ("bitwise_and", "bitwise_or", "bitwise_xor"):
    CASES += [
        Case(_name, (INT, INT_ROW)),
        Case(_name, (I8, U8), id="int8-uint8"),
        Case(_name, (U8, 3), id="uint8-pyint", dtype=False, note=_WEAK),
    ]
for _name in ("bitwise_invert", "bitwise_not"):
    CASES += [Case(_name, (INT,)), Case(_name, (U8,), id="uint8"), Case(_name, (I8,), id="int8")]
for _name in ("bitwise_left_shift", "left_shift", "bitwise_right_shift", "right_shift"):
    CASES += [
        Case(_name, (INT, np.abs(INT_ROW))),
        Case(_name, (I8, 2), id="int8-pyint"),
        Case(_name, (U8, U8 % 4), id="uint8"),
    ]

LEFT_OUT: dict[str, str] = {}

PENDING: set = set()
