"""Pacing a refresh that costs more than the refresh interval.

While an archive loads, the events view re-sorts its filter after new rows land, so
that they show. Over a million events a full-text sort takes about half a second of
the same two cores the load needs: re-sorting on every 0.25 s tick would spend most of
the load on sorts the next batch makes stale. A :class:`RefreshPacer` spaces the
refreshes by a multiple of what the last one cost, so a cheap one (a field filter, a
small store) still runs on every tick, and an expensive one takes a bounded share.
"""

from __future__ import annotations

#: A refresh may take at most 1 / (1 + SPACING) of the time while the pacer applies.
SPACING = 3.0
#: How often a view counting the events of a read or load still running (:stack,
#: :indicators) looks whether to count again: as the pacer allows, and once it is done
#: (seconds).
FOLLOW_EVERY = 0.5


class RefreshPacer:
    """When the next refresh may start, from when the last one ran and what it cost."""

    def __init__(self, spacing: float = SPACING) -> None:
        self.spacing = spacing
        self._next = float("-inf")

    def may_start(self, now: float) -> bool:
        """Whether a refresh may start at ``now`` (the first one always may)."""
        return now >= self._next

    def ran(self, started: float, ended: float) -> None:
        """A refresh ran from ``started`` to ``ended``: the next waits ``spacing`` times
        as long after it ended."""
        self._next = ended + self.spacing * max(0.0, ended - started)
