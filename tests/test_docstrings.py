"""Every docstring example in jnet runs and prints what it shows."""

import doctest
import importlib
import pkgutil

import numpy as np
import pytest

import jnet

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(jnet.__path__, prefix="jnet.")
    if info.name not in ("jnet.losses", "jnet.metrics")  # run by their own test files
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(
        module, extraglobs={"np": np}, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    )
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
