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


def _big(values) -> np.ndarray:
    """Large enough for the two-thread comparison (several 4 MiB chunks), and copied."""
    return _copied(values)


def test_the_two_thread_comparison_finds_an_edit_anywhere():
    x = _big(np.arange(6 * 2**20, dtype=np.float32))  # 24 MiB: six chunks
    first = device_cache.put(x)
    assert device_cache.put(x) is first
    for index in (0, x.size // 2 - 1, x.size // 2, x.size - 1):
        x[index] += 1.0
        second = device_cache.put(x)
        assert second is not first
        assert float(second[index]) == float(x[index])
        first = second


def test_a_finite_check_is_not_repeated_on_an_unchanged_array(monkeypatch):
    from jnet.training import data

    x = _copied(np.ones((8, 3)))
    data.check_finite(x, "x")
    device_cache.put(x)
    # Now known finite and unchanged: the check must not scan the array again...
    monkeypatch.setattr(np, "isfinite", lambda *a: pytest.fail("scanned again"))
    data.check_finite(x, "x")
    monkeypatch.undo()
    # ...and the put that follows reuses the copy without comparing a second time.
    monkeypatch.setattr(device_cache, "_same", lambda *a: pytest.fail("compared again"))
    device_cache.put(x)
    monkeypatch.undo()


def test_a_nan_written_after_the_check_is_caught(rng):
    x = _copied(np.ones((8, 3)))
    y = np.ones((8, 1), np.float32)
    model = jnet.Sequential([jnet.Input((3,)), jnet.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, epochs=1, verbose=0)
    x[2, 1] = np.nan  # in place, after the copy was kept and found finite
    with pytest.raises(ValueError, match="x contains 1 NaN"):
        model.fit(x, y, epochs=1, verbose=0)


def test_a_verdict_does_not_outlive_the_next_check(monkeypatch):
    """A verification not followed by a put (e.g. predict) must not let a later put skip its
    comparison after an in-place edit, even with the finite check switched off."""
    from jnet.training import data

    x = _copied(np.ones((8, 3)))
    data.check_finite(x, "x")
    first = device_cache.put(x)
    data.check_finite(x, "x")  # verified; no put follows
    x[0, 0] = 5.0
    jnet.config.set_check_finite(False)
    try:
        data.check_finite(x, "x")  # the next fit's check: forgets the old verdict
        second = device_cache.put(x)
    finally:
        jnet.config.set_check_finite(True)
    assert second is not first and float(second[0, 0]) == 5.0
