"""Rows for Keras's numpy reductions, statistics, sorting and searching
(jnet/ops/_numpy_reductions.py)."""

from ops_table import Case  # noqa: F401

CASES: list = []

LEFT_OUT: dict[str, str] = {}

PENDING = {
    "all",
    "amax",
    "amin",
    "any",
    "argmax",
    "argmin",
    "argpartition",
    "argsort",
    "average",
    "bincount",
    "corrcoef",
    "count_nonzero",
    "cumprod",
    "cumsum",
    "diff",
    "digitize",
    "histogram",
    "isin",
    "max",
    "mean",
    "median",
    "min",
    "nanargmax",
    "nanargmin",
    "nancumprod",
    "nancumsum",
    "nanmax",
    "nanmean",
    "nanmedian",
    "nanmin",
    "nanpercentile",
    "nanprod",
    "nanquantile",
    "nanstd",
    "nansum",
    "nanvar",
    "nonzero",
    "percentile",
    "prod",
    "ptp",
    "quantile",
    "searchsorted",
    "sort",
    "std",
    "sum",
    "trapezoid",
    "unique",
    "var",
}
