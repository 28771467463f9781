"""DataParallel fit compiles during its first epoch only (8 simulated devices, uneven
batches, a partial last batch and validation; then a second fit)."""

from _distribution import run_worker


def test_no_recompilation_after_the_first_epoch():
    counts = run_worker("recompile")["at_epoch_begin"]
    # counts before epochs 0..3 of the first fit, after it, and after a second fit
    first_epoch_done = counts[1]
    assert counts[1:] == [first_epoch_done] * (len(counts) - 1), counts
