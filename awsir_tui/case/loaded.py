"""The loaded events naming the indicators, as the exports carry them.

With events loaded (``--source``, ``--store``), :indicators dates each indicator by the
loaded events naming it as well as by the case's own (:mod:`awsir_tui.events.naming`
counts them). An export that gave the case's span alone handed over first/last seen
and counts that disagreed with what the screen showed; the exports carry these numbers
too, and say which archives and store they were counted in: a store is not part of the
case, and a headless export, which opens none, cannot count them again. Plain data,
kept in the case package: its formatters read no store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from awsir_tui.case.indicator import Indicator


@dataclass(frozen=True, slots=True)
class Loaded:
    """How many loaded events name an indicator, and the first and last time of the
    dated ones (None when none is)."""

    count: int
    first: datetime | None = None
    last: datetime | None = None


#: What an export says of counts made while the load still ran.
SO_FAR = "counted while the load still ran: so far"


@dataclass(frozen=True, slots=True)
class LoadedCounts:
    """The loaded events naming each indicator, by its key, counted in ``where`` (the
    archives and store the session read, as the case names its sources); ``so_far``
    when the load still ran (or had not begun) as they were counted; ``coverage``, the
    verdict an export of those events would give (``COMPLETE``, ``PARTIAL: 3 files
    skipped``...): a count of 0 from an archive read in part is no "never seen". An
    indicator not in ``counts`` has none: its kind has no pivot to the events (a
    fingerprint), as the pane says none."""

    where: str
    counts: Mapping[tuple[str, str], Loaded]
    so_far: bool = False
    coverage: str = ""

    def of(self, indicator: Indicator) -> Loaded | None:
        """The count of ``indicator``, or None when it has none."""
        return self.counts.get(indicator.key)

    def said(self) -> str:
        """Where the counts come from, and whether they are partial, in a line."""
        notes = [note for note in (SO_FAR if self.so_far else "", self.coverage) if note]
        return f"{self.where} ({'; '.join(notes)})" if notes else self.where
