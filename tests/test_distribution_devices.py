"""Data parallelism on 8 simulated CPU devices gives one device's numbers.

Each case runs tests/distribution_worker.py in a subprocess with
``XLA_FLAGS=--xla_force_host_platform_device_count=8``:

* ``fit``/``evaluate``/``predict`` under ``DataParallel()`` (jit + NamedSharding) against the
  same calls on one device: 62 samples in batches of 12, so every batch is uneven over 8
  devices and the last holds 2 rows (some devices get none), with shuffling; the MLP adds
  sample weights and a confusion-matrix metric (AUC);
* a hand-written ``jax.pmap`` loop over ``jnet.training.train_step(..., axis_name='batch')``
  against ``fit(shuffle=False)``: 64 samples in batches of 16 (2 rows per device); the CNN's
  BatchNormalization takes its moments over the global batch.

Per-epoch losses and metrics, evaluation, predictions and final weights agree within 1e-5
relative.
"""

import pytest
from _distribution import assert_same_numbers, run_worker


@pytest.mark.parametrize("case", ["mlp", "cnn_bn", "lstm"])
def test_data_parallel_and_pmap_match_one_device(case):
    result = run_worker(case)
    assert result["devices"] == 8
    assert_same_numbers(result["data_parallel"], result["single"], f"{case} DataParallel")
    pmapped = result["pmap"]
    assert pmapped["replicas_equal"], "the pmapped replicas drifted apart"
    assert_same_numbers(pmapped, result["single_unshuffled"], f"{case} pmap loop")
    assert set(pmapped["history"]) == set(result["single_unshuffled"]["history"])
