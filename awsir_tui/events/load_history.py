"""The loads a store file holds the events of, kept in it with what each left out.

A ``--store`` file reopened alone (the case picked up the next day, or handed to a
colleague) used to say that what its events cover could not be told: the reports of
the loads that filled it lived only in the session that ran them. Each load now keeps
its :class:`~awsir_tui.events.loader.LoadReport` in the store (``loads`` table, see
:meth:`EventStore.record_load`; a load the app quit during is kept as cancelled), and a
later session reads them back: an export says
COMPLETE when every load read every file of its sources, and names the files an
earlier load skipped or the load that was cancelled when not.

A problem of an earlier load is settled by a later load of the same sources (or more)
that read everything: its events are in the store now. The report is kept as JSON of
the dataclass, read back leniently (a field unknown to this version is ignored, one
missing takes its default), so a store outlives changes to the report.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime

from awsir_tui.events.loader import FileProblem, LoadReport
from awsir_tui.events.store import EventStore
from awsir_tui.query.times import utc_stamp


@dataclass(frozen=True, slots=True)
class StoredLoad:
    """One load of the store: when it finished, what it read from, what it did."""

    finished: datetime
    sources: tuple[str, ...]
    report: LoadReport

    def label(self) -> str:
        """``<sources> (loaded <time>)``, for a coverage reason or line."""
        return f"{', '.join(self.sources) or '(no source)'} (loaded {utc_stamp(self.finished)})"

    def read_everything(self) -> bool:
        """Whether this load read every file of its sources whole (not only a time
        range or some regions of them)."""
        report = self.report
        return not report.cancelled and not report.not_read_whole and not report.bounds


def stored_loads(store: EventStore) -> list[StoredLoad]:
    """Every load kept in ``store``, oldest first; a report that cannot be read back
    (damaged by hand) is kept as a cancelled load: what it left out is not known."""
    loads = []
    for finished, sources, text in store.loads():
        try:
            report = _report_from(json.loads(text))
        except (ValueError, TypeError):
            report = LoadReport(cancelled=True)
        loads.append(StoredLoad(finished, tuple(sources), report))
    return loads


def unsettled(loads: Sequence[StoredLoad]) -> list[StoredLoad]:
    """The loads whose missing events no later load of the same sources (or more)
    brought in by reading everything: what still makes the store's events partial."""
    left = []
    for index, earlier in enumerate(loads):
        if earlier.read_everything():
            continue
        settled = any(
            later.read_everything() and set(earlier.sources) <= set(later.sources)
            for later in loads[index + 1:]
        )
        if not settled:
            left.append(earlier)
    return left


def _report_from(data: object) -> LoadReport:
    """A :class:`LoadReport` from its JSON, ignoring what this version does not know."""
    if not isinstance(data, dict):
        raise ValueError("not a load report")
    values = {}
    for spec in fields(LoadReport):
        if spec.name not in data:
            continue
        value = data[spec.name]
        if isinstance(value, list):  # the file lists: skipped, partial, ignored
            value = [FileProblem(**problem) for problem in value]
        values[spec.name] = value
    return LoadReport(**values)
