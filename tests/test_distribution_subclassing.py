"""DataParallel on 8 simulated CPU devices with subclassed models gives one device's numbers.

One subprocess (tests/distribution_worker.py ``subclassing``) fits, on one device and under
``DataParallel()``, 62 samples in batches of 12 with sample weights and shuffling (every batch
uneven over 8 devices): (a) a model overriding ``train_step`` in Keras's JAX form, (b) a model
holding a Keras-style layer whose non-trainable weight counts the rows seen in training (its
``assign`` in ``call`` carried through the compiled step). Histories, evaluation, predictions
and final weights, the counter included, agree within 1e-5 relative.
"""

import pytest
from _distribution import assert_same_numbers, run_worker


@pytest.fixture(scope="module")
def result():
    return run_worker("subclassing")


@pytest.mark.parametrize("kind", ["custom_step", "counter"])
def test_data_parallel_matches_one_device(result, kind):
    assert result["devices"] == 8
    assert_same_numbers(result[kind]["data_parallel"], result[kind]["single"],
                        f"{kind} DataParallel")


def test_the_counter_counts_every_row_once(result):
    rows = result["counter"]["data_parallel"]["weights"][2]
    assert rows == pytest.approx(2 * 62)  # 2 epochs of 62 samples, no padding rows
