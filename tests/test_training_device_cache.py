"""The device copies kept between ``fit`` calls: reused only while the array is unchanged."""

import gc

import numpy as np
import pytest

import jnet
from jnet.training import device_cache


def _copied(values, alignment: int = 4) -> np.ndarray:
    """``values`` as float32 at an address ``alignment`` past a multiple of 64: XLA:CPU copies
    such a buffer in ``device_put`` (as it does most large arrays), and aliases a 64-byte
    aligned one (``alignment=0``)."""
    values = np.asarray(values, np.float32)
    raw = np.empty(values.nbytes + 64, np.uint8)
    offset = (alignment - raw.ctypes.data) % 64
    array = raw[offset : offset + values.nbytes].view(np.float32).reshape(values.shape)
    array[...] = values
    return array


@pytest.fixture(autouse=True)
def _empty_cache():
    device_cache.clear()
    yield
    device_cache.clear()


def test_the_same_unchanged_array_reuses_its_device_copy():
    x = _copied(np.arange(12).reshape(4, 3))
    first = device_cache.put(x)
    assert device_cache.put(x) is first
    np.testing.assert_array_equal(np.asarray(first), x)


def test_an_array_edited_in_place_is_copied_again():
    x = _copied(np.arange(12).reshape(4, 3))
    first = device_cache.put(x)
    x[3, 2] = -1.0
    second = device_cache.put(x)
    assert second is not first
    assert float(second[3, 2]) == -1.0
    x[0, 0] = np.nan  # NaN compares equal to itself bit for bit: the copy is kept
    third = device_cache.put(x)
    assert device_cache.put(x) is third


def test_an_equal_but_distinct_array_gets_its_own_copy():
    x = _copied(np.ones((5, 2)))
    assert device_cache.put(x.copy()) is not device_cache.put(x)


def test_an_aliased_array_is_not_kept_alive():
    x = _copied(np.zeros(16), alignment=0)
    device = device_cache.put(x)
    assert device.unsafe_buffer_pointer() == x.ctypes.data  # no copy made: nothing to keep
    assert len(device_cache._entries) == 0


def test_copies_are_dropped_with_their_arrays_and_bounded():
    arrays = [_copied(np.full((3,), i)) for i in range(device_cache.MAX_ENTRIES + 3)]
    for a in arrays:
        device_cache.put(a)
    assert len(device_cache._entries) == device_cache.MAX_ENTRIES
    del arrays, a
    gc.collect()
    assert len(device_cache._entries) == 0


def test_fit_sees_arrays_edited_between_calls(rng):
    x = rng.normal(size=(64, 4)).astype(np.float32)
    y = rng.normal(size=(64, 1)).astype(np.float32)
    model = jnet.Sequential([jnet.Input((4,)), jnet.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, epochs=1, verbose=0)
    y *= 10.0  # in place: the kept device copy is stale and must not be used
    kept = model.evaluate(x, y, verbose=0)
    fresh = model.evaluate(x.copy(), y.copy(), verbose=0)
    assert kept == fresh
