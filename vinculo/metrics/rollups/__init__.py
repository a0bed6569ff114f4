"""Keeping the roll-ups: what responses add (deltas), folding, rebuilding and checking.

Why a log of deltas folded by a task, instead of updating the roll-ups in the response's
own transaction: every response adds to the rows of its unit *and of every unit above it*
(the company's row of today, for instance). Updated in place by each submission, those few
rows would be locked by every concurrent submission in turn, and each submission would
write a dozen rows. Appending the deltas costs one INSERT; a worker folds thousands of
them at a time (``fold``), where they collapse into few row updates. The log and the
response commit together, and folding deletes what it folded in the same transaction
that applies it, so a change is counted exactly once, whatever crashes or runs twice.
"""

from vinculo.metrics.rollups.deltas import record_response, record_stored, record_written
from vinculo.metrics.rollups.fold import fold, fold_all

__all__ = ["fold", "fold_all", "record_response", "record_stored", "record_written"]
