"""Keras's ``save_freq=<int>``: act once every N training batches, counted across epochs.

Example:
    >>> every_3 = BatchFrequency(3, last_batch_seen=None)
    >>> [every_3.due(batch) for batch in (0, 1, 2, 3, 0, 1)]  # a new epoch at the second 0
    [False, False, True, False, False, True]
"""

from __future__ import annotations

__all__ = ["BatchFrequency"]


class BatchFrequency:
    """Counts batches between two actions, as ModelCheckpoint and BackupAndRestore count them.

    Args:
        save_freq: act after every ``save_freq`` batches.
        last_batch_seen: the index treated as seen before the first batch (Keras starts
            ModelCheckpoint at None and BackupAndRestore at 0).
    """

    def __init__(self, save_freq: int, last_batch_seen: int | None):
        self.save_freq = save_freq
        self.last_batch_seen = last_batch_seen
        self.seen_since_last_action = 0

    def due(self, batch: int) -> bool:
        """Records that ``batch`` ended; True when ``save_freq`` batches have run since the
        last action (a batch index not above the last one means a new epoch began)."""
        if self.last_batch_seen is None or batch <= self.last_batch_seen:
            added = batch + 1
        else:
            added = batch - self.last_batch_seen
        self.seen_since_last_action += added
        self.last_batch_seen = batch
        if self.seen_since_last_action >= self.save_freq:
            self.seen_since_last_action = 0
            return True
        return False
