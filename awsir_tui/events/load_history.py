"""The loads a store file holds the events of, kept in it with what each left out.

A ``--store`` file reopened alone (the case picked up the next day, or handed to a
colleague) used to say that what its events cover could not be told: the reports of
the loads that filled it lived only in the session that ran them. Each load now keeps
its :class:`~awsir_tui.events.loader.LoadReport` in the store (``loads`` table, see
:meth:`EventStore.record_load`; a load the app quit or was killed during is kept as
unfinished, its report as written when it started), and a later session reads them
back: an export says COMPLETE when every load read every file of its sources, and
names the files an earlier load skipped, or the load that was cancelled or did not
finish, when not.

A problem of an earlier load is settled by a later load of the same sources (or more)
that read everything: its events are in the store now. The report is kept as JSON of
the dataclass, read back leniently (a field unknown to this version is ignored, one
missing takes its default), so a store outlives changes to the report.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from typing import Any

import duckdb

from awsir_tui.events.loader import STDIN, FileProblem, LoadReport, found_no_log
from awsir_tui.events.store import EventStore
from awsir_tui.query.times import utc_stamp


@dataclass(frozen=True, slots=True)
class StoredLoad:
    """One load of the store: when it finished, what it read from, what it did."""

    #: When it finished; for a load that did not (``report.unfinished``), when it started.
    finished: datetime
    sources: tuple[str, ...]
    report: LoadReport
    #: False for the loads of a store file made before loads were kept (or a report
    #: that cannot be read back): what they left out is not known.
    recorded: bool = True

    def label(self) -> str:
        """``<sources> (loaded <time>)``, for a coverage reason or line; ``<sources>
        (started <time>, did not finish)`` for a load the app stopped during, which
        "loaded" would pass off as done, and its start time as when it ended."""
        if not self.recorded:
            return "loads whose reports were not kept (made by an earlier awsir-tui)"
        sources = ', '.join(self.sources) or '(no source)'
        if self.report.unfinished:
            return f"{sources} (started {utc_stamp(self.finished)}, did not finish)"
        return f"{sources} (loaded {utc_stamp(self.finished)})"

    def held_no_log(self) -> bool:
        """Whether this load found no CloudTrail log among its sources
        (:func:`~awsir_tui.events.loader.found_no_log`): it brought no event."""
        return self.recorded and found_no_log(self.report, self.sources)

    def read_everything(self) -> bool:
        """Whether this load read every file of its sources whole (not only a time
        range or some regions of them)."""
        report = self.report
        return self.reached_everything() and not report.not_read_whole

    def reached_everything(self) -> bool:
        """Whether this load came to every file of its sources (not cancelled, not
        bounded), whole or not: what an earlier load left out it read, except the files
        it could not read either, which its own report names."""
        report = self.report
        return self.recorded and not report.cancelled and not report.bounds


def stored_loads(store: EventStore) -> list[StoredLoad]:
    """Every load kept in ``store``, oldest first. A report that cannot be read back
    (damaged, or written by hand: the file is the responder's, and evidence), or a
    table that cannot be read, is a load not recorded: what it left out is not known;
    so are reports that each say the load found no log while the store holds events."""
    try:
        rows = store.loads()
    except duckdb.Error:
        return [StoredLoad(datetime.now(UTC), (), LoadReport(), recorded=False)]
    loads = []
    for finished, sources, text in rows:
        try:
            report = _report_from(json.loads(text))
        except (ValueError, TypeError):
            loads.append(StoredLoad(finished, (), LoadReport(), recorded=False))
            continue
        loads.append(StoredLoad(finished, tuple(str(s) for s in sources), report))
    if loads and all(load.held_no_log() for load in loads) and store.count():
        # Not the reports of the loads that brought its events (damaged, or the events
        # of an awsir-tui that kept no report): NO LOG is not said over them.
        return [replace(load, report=LoadReport(), recorded=False) for load in loads]
    return loads


def _places(load: StoredLoad) -> set[str]:
    """Where a load's sources are on disk, links resolved (a URL as it is): loads keep
    a source as typed, and stores written before that kept where its link pointed. The
    same folder, named either way, is the same source."""
    return {source if "://" in source else os.path.realpath(source)
            for source in load.sources}


def unsettled(loads: Sequence[StoredLoad]) -> list[StoredLoad]:
    """The recorded loads whose missing events no later load of the same sources (or
    more) brought in by coming to every file: what still makes the store's events
    partial. A later load that could not read some file either settles the earlier one
    all the same, and stays unsettled itself, naming that file: a cancelled load
    otherwise stayed "cancelled" for ever in a folder with one damaged file. A load of
    what was piped in (:data:`~awsir_tui.events.loader.STDIN`) is settled by none:
    a later pipe is not the same one. (Loads not recorded make the events unknown:
    :func:`any_unrecorded`.)"""
    left = []
    for index, earlier in enumerate(loads):
        if earlier.read_everything() or not earlier.recorded:
            continue
        settled = STDIN not in earlier.sources and any(
            later.reached_everything() and _places(earlier) <= _places(later)
            for later in loads[index + 1:]
        )
        if not settled:
            left.append(earlier)
    return left


def any_unrecorded(loads: Sequence[StoredLoad]) -> bool:
    """Whether some of the store's events came from loads whose reports it lacks."""
    return any(not load.recorded for load in loads)


def _report_from(data: object) -> LoadReport:
    """A :class:`LoadReport` from its JSON, ignoring fields this version does not know;
    a known field of the wrong type makes it unreadable (ValueError)."""
    if not isinstance(data, dict):
        raise ValueError("not a load report")
    defaults = LoadReport()
    values: dict[str, object] = {}
    for spec in fields(LoadReport):
        if spec.name not in data:
            continue
        value, default = data[spec.name], getattr(defaults, spec.name)
        if spec.name == "differing_ids":
            value = [_of_type(item, str) for item in _of_type(value, list)]
        elif isinstance(default, list):  # the file lists: skipped, partial, ignored
            value = [_problem(item) for item in _of_type(value, list)]
        elif isinstance(default, float):
            value = float(_of_type(value, (int, float)))
        else:
            value = _of_type(value, type(default))
        values[spec.name] = value
    return LoadReport(**values)  # type: ignore[arg-type]


def _problem(item: object) -> FileProblem:
    """A :class:`FileProblem` from its JSON; ``kind`` may be absent (a store kept
    before loads tagged what kept a source from being read)."""
    if not isinstance(item, dict) or not (
            {"source", "reason", "kept"} <= set(item) <= {"source", "reason", "kept", "kind"}):
        raise ValueError("not a file problem")
    return FileProblem(_of_type(item["source"], str), _of_type(item["reason"], str),
                       _of_type(item["kept"], int), _of_type(item.get("kind", ""), str))


def _of_type(value: Any, kind: type | tuple[type, ...]) -> Any:
    """``value`` if it is of ``kind`` (a bool is not an int here), else ValueError."""
    if isinstance(value, bool) and kind is not bool:
        raise ValueError("a flag where a number or text belongs")
    if not isinstance(value, kind):
        raise ValueError(f"{type(value).__name__} where a report has {kind}")
    return value
