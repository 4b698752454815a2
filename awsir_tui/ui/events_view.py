"""`:events`: one CloudTrail events viewer, whatever the events come from.

Event history (LookupEvents, streamed page by page into an in-memory event store) and
loaded archives (the same store type, queried with SQL) are shown by the same screen:
the filter bar, time presets, drill-down, pivots and export work alike. The table is a
:class:`~awsir_tui.ui.virtual_table.VirtualTable`, so a million rows scroll as fast as
fifty. Two status lines say what ran on AWS and what locally, and how the query goes
(regions done, pages, events, throttles, denied regions, "N of >N events").
"""

from __future__ import annotations

import contextlib
import functools
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from awsir_tui.aws.cloudtrail import LookupProgress
from awsir_tui.detect.marker import EventMarker
from awsir_tui.events.accounts import accounts_note
from awsir_tui.events.coverage import Coverage, held_no_log, sidecar_path
from awsir_tui.events.event_export import ExportStopped, new_export_path, write_events
from awsir_tui.events.loader import HELD_NO_LOG, NO_LOG, LoadReport, found_no_log
from awsir_tui.events.record import Event
from awsir_tui.events.sources import (
    DEFAULT_CAP,
    ArchiveSource,
    EventSource,
    HistorySource,
    Scope,
    Selection,
    StoreSource,
    Subject,
)
from awsir_tui.events.store import SearchInterrupted, StoreError, StoreStopped
from awsir_tui.events.unreadable import (
    files_not_read_whole,
    skipped_files,
    unreadable_sources,
)
from awsir_tui.query import EVENT_FIELDS, FieldTable, FilterError, Query, parse
from awsir_tui.query.parser import with_preset
from awsir_tui.query.times import utc_minute
from awsir_tui.text import clean, count_of
from awsir_tui.ui.base import Unmarked, View, app_of
from awsir_tui.ui.filter_bar import EVENTS_FILTER_HELP, FilterBar
from awsir_tui.ui.pacing import RefreshPacer
from awsir_tui.ui.path_lines import exports_said, path_lines, said_path
from awsir_tui.ui.time_columns import column_of_times, switch_local_time, time_format
from awsir_tui.ui.virtual_table import Column, VirtualTable, no_row, say_no_row

#: Time presets on keys 1-4, as the filter's ``since:`` term.
PRESETS = {"1": "1h", "2": "24h", "3": "7d", "4": "90d"}
#: How often the table and status catch up with a running query (seconds).
REFRESH_EVERY = 0.25


def default_source(view: View) -> EventSource:
    """``--source`` archives (or a ``--store`` file alone, reopened) when the app was
    started with them, else Event history."""
    return app_of(view).session_archive() or history_source(view)


def history_source(view: View) -> HistorySource:
    """Event history of the app's regions, as they are when it reads."""
    app = app_of(view)
    return HistorySource(app.ctx, lambda: list(app.regions), DEFAULT_CAP)


#: The first and last time of the rows a table shows (None: not known yet).
Span = tuple[datetime, datetime]


def time_column(local: bool, span: Span | None) -> Column:
    """The time column for rows from ``span``, as every table writes times
    (:func:`~.time_columns.time_format`): to the second, the year in the header when
    the rows' years let it say them (``2024 (UTC)``), else in each row (19 cells, the
    event name giving way: the seconds order a burst's calls)."""
    return column_of_times("time", None, time_format(span or (), local),
                           lambda e: e.event_time)


def event_columns(
    marker: EventMarker, local: bool = False, span: Span | None = None
) -> list[Column]:
    """The table's columns; ``marker`` judges each row drawn (C/H/M/L: the built-in
    rules and the user's ``--rules``, and every findings run); ``local`` shows times
    in this machine's zone; ``span``, the rows' first and last time, tells whether the
    time needs its year.

    At 80 columns the first five fit: the time, what was called (26: enough to tell
    AuthorizeSecurityGroupIngress from ...Egress; less by what a wider time takes, down
    to 21 beside a year in each row), by whom (19: an instance ID as a role session's
    user name) and from where (an IPv4 address). An error shows the row in red, and
    its code is the first scroll right, before the region and the rest (or the
    detail, Enter).
    """
    when = time_column(local, span)
    return [
        Column("flag", "!", 1, marker.letter),
        when,
        Column("event", "event name", max(21, 40 - when.width), lambda e: e.event_name),
        Column("user", "user name", 19, lambda e: e.user_name),
        Column("ip", "source IP", 15, lambda e: e.source_ip),
        Column("error", "error code", 22, lambda e: e.error_code),
        Column("region", "region", 14, lambda e: e.aws_region),
        Column("source", "event source", 24, lambda e: e.event_source),
        Column("key", "access key", 20, lambda e: e.access_key_id),
        Column("resources", "resources", 80, lambda e: ", ".join(e.resources)),
    ]


def archive_status(archive: ArchiveSource) -> str:
    """Where an archive load stands: files, events, MB and time left, or its summary
    (or, for a ``--store`` file reopened alone, that its events are the ones kept, and
    NO LOG when its loads found none)."""
    if not archive.sources:  # its loads' NO LOG, as the session that ran them said
        no_log = held_no_log(None, (), archive.earlier)
        return f"{NO_LOG} (:load) \u00b7 kept in the store file" if no_log else (
            "kept in the store file")
    if archive.report is not None:
        report = archive.report
        # First, so that 80 columns do not cut them: the status line is what stays. The
        # summary's own "; N undated" comes after the sizes and is cut there. A source
        # that was not there is said as what it is (a mistyped path), not as a file not
        # read whole, as if a log among the rest were damaged.
        warnings = [clean(gone.said(), 200)
                    for gone in unreadable_sources(report, archive.sources)]
        if found_no_log(report, archive.sources):  # "0 events" read as "none happened"
            warnings.append(NO_LOG)
        elif report.no_log:  # an empty folder beside the logs: a wrong path?
            warnings.append(f"{count_of(len(report.no_log), 'source')} with no log")
        if report.differing:  # a sign of tampering: first of all
            warnings.append(f"{count_of(report.differing, 'event ID')} with copies that differ")
        if partly := files_not_read_whole(report, archive.sources):
            warnings.append(f"{count_of(partly, 'file')} not read whole")
        if report.undated:
            warnings.append(f"{report.undated:,} undated")
        first = f"{', '.join(warnings)} (:load) \u00b7 " if warnings else ""
        return first + summary_of(report)
    progress = archive.progress
    if progress is None:
        return "loading\u2026"
    if archive.cancel.is_set():  # seconds with no file read: say why
        return f"cancelled; {progress.stage}\u2026" if progress.stage else "cancelling\u2026"
    if progress.stage:
        return f"every file read; {progress.stage}\u2026"
    eta = progress.eta_seconds
    left = f", {eta:.0f}s left" if eta is not None else ""
    return (
        f"{load_bar(progress.fraction)} {progress.fraction:4.0%} "
        f"{progress.files_done:,}/{progress.files_total:,} files, "
        f"{progress.events:,} stored, "
        f"{progress.bytes_done / 1e6:,.1f} MB{left} (C: cancel)"
    )


#: What is said of a load cancelled in this session (status line, notice, L elsewhere).
CONTINUES = "L continues it"
#: Where L goes on with it, said where L means something else: an events view of
#: other rows (a drill-down's, where L says what they lack), or a dialog on top.
L_ELSEWHERE = "L in :events or :load"
CONTINUES_ELSEWHERE = f"{L_ELSEWHERE} continues it"


def not_reached(archive: ArchiveSource) -> str:
    """What L says, where it does not continue the load (a drill-down's rows, a
    ``--store`` file reopened alone), of an archive whose last load stopped short of
    some files, cancelled or stopped with the app: how many it never read, and how to
    read them: L in the archive's own events view or in ``:load``, or, for a load of an
    earlier session, a load of the same sources; "" when it came to every file, or still
    runs."""
    report = archive.report
    if report is None and not archive.sources and archive.earlier:
        report = archive.earlier[-1].report
    if report is None or not (report.cancelled and report.not_reached):
        return ""
    how = "did not finish (the app stopped during it)" if report.unfinished else "was cancelled"
    then = (CONTINUES_ELSEWHERE if archive.sources else
            "to read them, start awsir-tui again with the same --source (:load names it)")
    return f"the load {how}: {count_of(report.not_reached, 'file')} not read; {then}"


def summary_of(report: LoadReport, here: bool = True) -> str:
    """``report``'s summary, a load cancelled in this session saying that L goes on
    with it (:meth:`ArchiveSource.load` ``again``): ``here``, where it is read, else in
    which views (:func:`continues_here`)."""
    if report.unfinished:
        return report.summary()
    return report.summary(f" ({CONTINUES if here else CONTINUES_ELSEWHERE})")


def continues_here(screen: object) -> bool:
    """Whether L on ``screen`` goes on with the session's archive load: in an events
    view of the archive (:meth:`EventsView.action_no_more`) and in any other view (the
    app's L, :func:`continue_archive_load`); not in an events view of other rows (a
    drill-down's, Event history's), whose L is theirs, nor in a dialog. The notice
    that a load ended is read on whatever view is on top, and a responder presses L
    where it says "L continues it"."""
    if isinstance(screen, EventsView):
        return isinstance(screen.source, ArchiveSource) and bool(screen.source.sources)
    return isinstance(screen, View)


def continue_archive_load(view: View, follow: str = "") -> Worker[None] | None:
    """L outside the archive's events view (``:load``, ``:stack``…): go on with the
    session's archive load as L there does, by the events view that loads it (the
    lowest: the one `:events` keeps), whose rows, progress, C and notice at the end
    are the first part's; ``follow``, said after "continuing the load: …", where to
    watch it. Returns its worker, or None when nothing goes on (said why).

    With no such view open (:findings loaded the archive, :events never opened), the
    view `:events` keeps is pushed over ``view`` for it and goes on there: its rows,
    progress and C are the load's, as the first part's would have been, and Esc comes
    back to where L was pressed, a drill-down's events beneath left as they were. L once
    said "open :events: L there continues it", where the notice had said L does."""
    app = app_of(view)
    archive = app.archive
    if archive is None:  # (L is offered only over one: the app's and :load's check_action)
        view.notify("no archive: L continues the load of the --source archives")
        return None
    loader = _archive_view(view, archive)
    if loader is None:
        app.push_events_view()
        loader = _archive_view(view, archive)
    if loader is None:  # (not an archive session's :events: never, with an archive)
        view.notify("open :events: L there continues the archive's load")
        return None
    return loader.continue_load(archive, follow)


def _archive_view(view: View, archive: ArchiveSource) -> EventsView | None:
    """The lowest events view of ``archive`` open (the one `:events` keeps), if any;
    one pushed a moment ago takes its source as it mounts (:func:`default_source`)."""
    return next((screen for screen in app_of(view).screen_stack
                 if isinstance(screen, EventsView)
                 and (screen.source or default_source(screen)) is archive), None)


def typed_range(query: Query) -> str:
    """A filter's time bounds as read, in UTC, to the minute: ``2024-08-02 04:23–04:24Z``
    (the second date only when it differs), ``after 2024-08-02 04:23Z``."""
    after, before = (utc_minute(t) for t in (query.after, query.before))
    if after and before:
        end = before[11:] if before[:10] == after[:10] else before
        return f"{after}\u2013{end}Z"
    return f"after {after}Z" if after else f"before {before}Z"


def load_bar(fraction: float, width: int = 10) -> str:
    """A bar of ``width`` cells, filled in eighths: in the status line, so that a
    load's progress costs no table row at 80x24."""
    eighths = round(max(0.0, min(1.0, fraction)) * width * 8)
    full, part = divmod(eighths, 8)
    bar = "\u2588" * full + (" \u258f\u258e\u258d\u258c\u258b\u258a\u2589"[part] if part else "")
    return bar.ljust(width, "\u2591")


def row_style(event: Event) -> str:
    """Failed calls (and records that are not valid JSON) stand out."""
    return "virtual-table--error" if event.error_code or event.parse_error else ""


@functools.lru_cache(maxsize=8)
def keeps(text: str, terms: str) -> bool:
    """Whether the filter ``text`` is ``terms``, or ``terms`` AND more typed after: rows
    still all of what ``terms`` name. An OR after them (``id:=a,b OR name:X``) parses
    as one clause with them and widens the rows past it. No ``terms`` (a store of the
    subject's events alone): any filter keeps to them.

    Kept for the last few filters asked: each redraw of the status line (up to 4 a
    second while rows come in) asks it once or twice, and an answer parses three
    texts (the filter, the subject's terms, what follows them)."""
    if text == terms or not terms:
        return True
    if not text.startswith(f"{terms} "):
        return False
    try:
        clauses = [len(parse(part, EVENT_FIELDS).clauses)
                   for part in (text, terms, text[len(terms):])]
    except FilterError:
        return False
    return clauses[0] == clauses[1] + clauses[2]


class PlanLine(Static):
    """The plan: what ran on AWS and what is re-checked here, with the filter and the
    source. Wrapped to at most :attr:`MAX_LINES` lines (a pivot's filter of several
    event IDs, or a long ``--source`` path, would take more), the last one ending in
    ``…`` when it is cut: a plan cut silently reads as if it said everything. ``?``
    shows the whole plan and filter (:meth:`EventsView.help_intro`)."""

    MAX_LINES = 3

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.plan = Text()

    def show(self, plan: Text) -> None:
        """Draw ``plan``, unless it is what is drawn (the status is redrawn 4 times a
        second while a read runs; the plan seldom changes)."""
        if plan == self.plan:
            return
        self.plan = plan
        self.update(plan)

    def render(self) -> Text:
        width = self.content_region.width or self.app.size.width
        lines = self.plan.wrap(self.app.console, max(1, width))
        if self.plan.no_wrap:  # one line cut with … (Textual would wrap it all the same)
            return Text("\n").join(lines)
        if len(lines) <= self.MAX_LINES:
            return self.plan
        kept = list(lines)[: self.MAX_LINES]
        last = kept[-1]
        last.rstrip()
        last.truncate(max(0, width - 1))
        last.append("\u2026")
        return Text("\n").join(kept)


@dataclass(frozen=True, slots=True)
class Named:
    """What an events view's rows are when their filter only lists them: Enter on a
    finding opened its events under ``id:=`` and 17 event IDs, which took four rows of
    80x24 and the breadcrumb, and named the finding nowhere, its export's coverage
    included. While the filter keeps that list (terms typed after it narrow it), the
    breadcrumb says ``events of finding``, the plan line the finding's title, and ``?``
    and the coverage :attr:`about` it too. The filter stays as it was: it is what
    selects the rows, and ``/`` edits it."""

    #: What the rows are of: ``finding``.
    kind: str
    #: Its title.
    title: str
    #: How many events it names.
    count: int
    #: What else names it (``ATT&CK T1552.005, rule …``), for ``?`` and the coverage.
    about: str = ""

    def said(self) -> str:
        """``finding: <title> (<about>)``, whole: for ``?`` and the coverage."""
        about = f" ({self.about})" if self.about else ""
        return f"{self.kind}: {self.title}{about}"


class EventsView(View):
    """CloudTrail events: filter, drill down, pivot, export."""

    shows_events = True
    #: What its filter takes (`:events X` is checked against them at the `:` prompt).
    fields: ClassVar[FieldTable] = EVENT_FIELDS

    #: Focus by AUTO_FOCUS, not focus() in on_mount: a focus() that lands after a modal
    #: (the `:` switcher) opened on top would steal the keys typed into it.
    AUTO_FOCUS = "#events-table"

    crumb = "events"
    # Concatenated, not str.format: a brace written in this text later broke it.
    help_text = """
CloudTrail events, newest first. On Event history the planner sends one term (and the
time range) to LookupEvents in every selected region, paced at 2 calls/s per region,
and re-checks the whole filter here; the status lines say which part ran where.
""" + EVENTS_FILTER_HELP + """
/ over a pivot's events (E, Enter on a value, an indicator, a finding, a role, a
:stack group) keeps the pivot's
terms, the cursor after them: a term typed narrows them; Ctrl+U clears them. Any
other filter comes selected: typed over (End keeps it).
Enter opens an event; Esc comes back; y copies its event ID. E opens the events
of the row's instance, as E on the event's page does: the caller's instance when an
instance role's session made the call, else the one instance the event names (it
says which, or why there is none). Failed calls are in red; the ! column says when
a detection flags the event (C critical, H high, M medium, L low): the built-in rules
and your --rules, and the findings of every :findings run (over this list or another:
a finding stays marked), the worst of them. A refused call (denied, or its key
rejected) ranks a level lower than the same call done, as its finding does, until a
:findings run finds it in one with calls that worked; a call failed otherwise (a quota,
a bad parameter) got past the permission check and keeps its rule's level, as its
finding does, titled "Failed attempt".
1-4: the last 1h, 24h, 7d, 90d: 4 reads all Event history keeps, as no since: does,
from 90 days less an hour ago (a start AWS would move between pages breaks its paging;
the plan line says the start). A pivot from an event's page on what LookupEvents
cannot look up (an IP, an agent, an account) reads every event of the day either side
of it; the status line says so (±1 day of the event) until 1-4 or a typed time changes
it. L: more after "N of >N events". o: UTC or local time
(the header says the zone, the offsets the rows were turned to, and the year when the
rows are not all of this one: 2024, or 2025-26 over a new year; rows over more than
half a year each say their year, to the minute; Enter shows the second).
x / X: export the whole filtered set as JSONL (raw records) / CSV, one at a time.
C: cancel a running export (no file is left), query or archive load (what arrived
stays; L goes on with a cancelled query or load). Over an archive, L reads the files
its load has not read yet, with the same progress and C, and tries again those it
skipped (an S3 object denied, a download failed, a file not readable: readable after
a fix, it is read then); a file read in part (damaged) is not read again. With every
file read, L says there is nothing to continue. L in :load, and in any view where L
means nothing else (:stack, :findings...), goes on with the load the same way, here.
Started again with the same --source
and --store, the load reads only the files the store does not hold whole (not
reached, delivered since, or changed). r: run the filter again.
"""
    # The time presets are said in the filter bar's hint, not the footer: at 80
    # columns their four entries pushed Export and Quit off it.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", id="filter.open", key_display="/"),
        Binding("1", "preset('1')", "1h", id="events.1h", show=False),
        Binding("2", "preset('2')", "24h", id="events.24h", show=False),
        Binding("3", "preset('3')", "7d", id="events.7d", show=False),
        Binding("4", "preset('4')", "90d", id="events.90d", show=False),
        Binding("L", "more", "Load more", id="events.more"),
        Binding("L", "no_more", "Load more", show=False),
        Binding("o", "local_time", "UTC/local", id="events.local", show=False),
        Binding("x", "export('jsonl')", "Export", id="events.export_jsonl"),
        Binding("X", "export('csv')", "Export CSV", id="events.export_csv", show=False),
        Binding("r", "rerun", "Rerun", id="events.rerun", show=False),
        Binding("C", "cancel", "Cancel load", id="events.cancel", show=False),
        Binding("y", "yank", "Yank ID", id="events.yank", show=False),
        # Out of the footer: at 80 columns it took the room of q Quit (its help says it;
        # the event's page, where it began, shows it).
        Binding("E", "instance_events", "Instance events", id="events.instance_events",
                show=False),
    ]

    DEFAULT_CSS = """
    EventsView #events-plan { height: auto; max-height: 3; color: $text-muted; }
    EventsView #events-progress { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    EventsView #events-table { scrollbar-size-horizontal: 0; }
    EventsView #events-columns {
        height: 1; text-wrap: nowrap; text-overflow: ellipsis; color: $text-muted;
        display: none;
    }
    EventsView #events-columns.-hidden-columns { display: block; }
    """

    def __init__(
        self,
        filter_text: str = "",
        subject: Subject | None = None,
        source: EventSource | None = None,
        named: Named | None = None,
        pivot: bool = False,
        pivot_terms: str = "",
    ) -> None:
        super().__init__()
        #: ``filter_text`` when it is a pivot's (Enter on a value, a role's events),
        #: which ``/`` keeps while the filter still does (:meth:`action_filter`); or
        #: ``pivot_terms``, a pivot's list the case reopens, narrowed since it opened.
        self._pivot_terms = pivot_terms or (filter_text if pivot else "")
        #: What these events were opened for (`E` on an instance, a group, a key pair),
        #: and the terms scoping them to it, which are the source's (:meth:`_scope_to`,
        #: once the source is known); or the finding ``named`` and its filter.
        self._scope: tuple[str, Scope] | None = None
        self._subject = subject
        self._named = named
        if named is not None:
            self._scope = (named.kind, Scope(filter_text))
        self.filter_text = filter_text
        self._name_crumb()
        self.source = source
        self.current_query: Query | None = None
        self.selection: Selection | None = None
        #: The time zone the table's columns were made for (o in another list changes
        #: the app's: see :meth:`on_screen_resume`).
        self._drawn_local = False
        #: The first and last time of the rows shown: the time column's year depends on it.
        self._span: Span | None = None
        self._progress: LookupProgress | None = None
        #: The running query or load brought rows (the timer shows them).
        self._dirty = False
        self._note = ""
        #: What the export does or did, on the status line: before the read's counts
        #: while it runs (C cancels it), when it was cancelled and when what it wrote is
        #: PARTIAL; after them once it wrote a complete export (before them, at 80
        #: columns "exported … to events-….jsonl" pushed the counts off the line; the
        #: notice says it whole, and ? the file's path).
        self._export_note = ""
        self._export_first = False
        #: The rows the export was of: its note stands with them only. After `/` (or
        #: `:events FILTER`) "PARTIAL exported 2,000 events" read as the verdict on
        #: another list, its filter cut off at 80 columns (the notice and ? keep it).
        self._export_of: Selection | None = None
        #: How many events the export wrote: its note stands while the list holds as
        #: many (L on a capped read, or a load going on, grows the same rows).
        self._export_rows: int | None = None
        #: The last export's file, said whole by ?.
        self._exported: Path | None = None
        #: The running export's stop (C), None when none runs: one at a time.
        self._export_stop: threading.Event | None = None
        #: Only the note changed (an export's progress): the timer redraws the status
        #: line, not the rows; a reload per export tick re-sorted a million rows.
        self._note_changed = False
        self._reported: set[str] = set()
        #: The store sort running for this view (sort_rows), if any.
        self._search: Worker[None] | None = None
        #: The Event history read running for this view (fetch), if any.
        self._fetch: Worker[None] | None = None
        #: The filter of the rows on screen (a search may still run for a newer one).
        self._shown_filter: tuple[str, Query | None] = ("", None)
        #: A filter whose search failed: ``/`` reopens it, so the typing is not lost.
        self._failed_filter: str | None = None
        #: Spaces the re-sorts that show rows a running load adds (see ui.pacing).
        self._resorts = RefreshPacer()
        #: The archive load this view started or went on with (L), if any.
        self._archive_load: Worker[None] | None = None

    # -- layout -----------------------------------------------------------------------

    def compose_body(self) -> Iterable[Widget]:
        yield FilterBar("filter, e.g. user:i-0abc error:* since:24h (1-4: last 1h/24h/7d/90d)")
        yield PlanLine(id="events-plan")
        yield Static(id="events-progress")
        self._drawn_local = self.local_time
        # The marker and the time stay when h/l scroll the rest: the error code and the
        # region, one l away, are read beside their row's time.
        yield VirtualTable(event_columns(app_of(self).marker, self._drawn_local),
                           row_style=row_style, reading=self._reading, fixed_columns=2,
                           id="events-table")
        yield Static(id="events-columns")

    @property
    def table(self) -> VirtualTable:
        return self.query_one(VirtualTable)

    #: The filter given and what the table says when its read ends with no row.
    _missing = ("", "")

    def say_if_none(self, text: str) -> None:
        """Say ``text`` in the table when the read of the filter given ends with no
        row, while it is the filter: events the case keeps, gone from the source (Event
        history's 90 days, an archive not loaded), read as a bare "0 events"."""
        self._missing = (self.filter_text, text)

    @property
    def local_time(self) -> bool:
        """Times in this machine's zone (o): the app's, so that every events list of
        the session shows them as the responder last chose, a pivot's or a :stack
        group's as much as the one o was pressed in."""
        return app_of(self).local_time

    def on_screen_resume(self) -> None:
        """Back from :findings: the rows drawn are marked by its findings now; back from
        another events list, where o may have changed the time zone, in the one chosen."""
        if self.is_mounted:
            if self._drawn_local != self.local_time:
                self._set_columns()
                self._show_status()
            self.table.refresh()

    def on_mount(self) -> None:
        if self.source is None:
            self.source = default_source(self)
        if self._subject is not None and self._subject.value:
            self._scope_to(self._subject)
        # h/l, and the vertical scrollbar's coming or going (it narrows the table); new
        # columns and widths say so themselves (_set_columns, on_resize). Not the
        # table's virtual size, which grows with every batch of rows a read brings.
        for moved in ("scroll_x", "show_vertical_scrollbar"):
            self.watch(self.table, moved, self._hidden_columns_moved, init=False)
        self._hidden_columns_moved()
        self.set_interval(REFRESH_EVERY, self._catch_up)
        self.run_filter(self.filter_text)
        if isinstance(self.source, ArchiveSource):
            self.source.hold()
            if self.source.sources and not self.source.started:
                self._archive_load = self.load_archive(self.source)

    def history_events(self) -> int:
        """The events its rows hold from Event history (LookupEvents): lost on quitting."""
        feed = self.selection.feed if self.selection is not None else None
        return feed.lookup.progress().matched if feed is not None else 0

    def on_unmount(self) -> None:
        """Leaving (Esc, or quitting): stop this view's reads so no thread outlives it.

        The LookupEvents query is this view's alone. The archive load is shared: it is
        cancelled (keeping what loaded) only when the last events view showing it goes.
        """
        if self.selection is not None and self.selection.feed is not None:
            self.selection.feed.close()
        if isinstance(self.source, ArchiveSource) and self.source.release() == 0:
            self.source.cancel.set()

    @work(thread=True, group="events-archive", exit_on_error=False)
    def load_archive(self, archive: ArchiveSource, again: bool = False) -> None:
        """Load ``--source`` into the store (``again``: go on with the load, L); rows
        appear as batches land."""

        def progressed(_progress: object) -> None:
            self._dirty = True

        report = archive.load(progressed, again=again)
        selection = self.selection
        if self.is_attached and selection is not None and selection.feed is None:
            with contextlib.suppress(SearchInterrupted):  # a search is sorting anew
                selection.prepare()  # scrolling anywhere is then a lookup by row ID
        self._dirty = True
        gone = unreadable_sources(report, archive.sources)
        problems = [*skipped_files(report, archive.sources), *report.partial]
        no_log = found_no_log(report, archive.sources)
        lines = [clean(unreadable.said(), 200) for unreadable in gone]
        lines += [f"{clean(p.source, 80)}: {HELD_NO_LOG} ({clean(p.reason)})"
                  for p in report.no_log]
        lines += [f"{clean(p.source, 80)}: {clean(p.reason, 120)}" for p in problems[:3]]
        if len(problems) > 3:
            lines.append(f"\u2026 and {len(problems) - 3} more")
        if problems or gone:
            lines.append(":load lists every file left out, and why")
        identity = getattr(self.app, "identity", None)
        others = ""
        with contextlib.suppress(StoreError):  # closed or stopped: the app is quitting
            others = accounts_note(archive.store.stack(["account_id"], limit=1000),
                                   identity.account if identity is not None else "")

        def said(here: bool) -> str:
            """The notice, its L said as it works in the view it is read on."""
            key = "L" if here else L_ELSEWHERE
            retry = ([f"{key} tries the {count_of(len(report.skipped), 'skipped one')} "
                      "again" if not report.cancelled else f"{key} tries the skipped ones "
                      "again too"] if report.skipped else [])
            first = [NO_LOG] if no_log else []
            return "\n".join([*first, summary_of(report, here), *lines, *retry,
                              *([others] if others else [])])

        severity = ("warning" if problems or gone or report.no_log or no_log
                    else "information")
        self.app.call_from_thread(self._say_loaded, said, severity)
        self._say_integrity(archive)

    def _say_loaded(self, said: Callable[[bool], str], severity: SeverityLevel) -> None:
        """The notice that the load ended, on the UI thread: the view on top then is
        where it is read, and its "L continues it" must be what L does there
        (:func:`continues_here`)."""
        self.notify(said(continues_here(self.app.screen)), severity=severity)

    def _say_integrity(self, archive: ArchiveSource) -> None:
        """When the folders hold the trail's digest files: whether the logs are as
        CloudTrail delivered them, said as the load ends, not only on `:load` (which
        the responder may never open)."""
        check = archive.check_integrity()
        if check is None or not self.is_attached:  # (left meanwhile: :load shows it)
            return
        if check.intact():
            severity: SeverityLevel = "information"
        else:
            severity = "error" if check.altered() else "warning"
        self.app.call_from_thread(
            self.notify, f"{check.summary()}\n:load lists what, and each chain's span",
            title="logs against their digests", severity=severity,
            timeout=30 if check.altered() else 10)

    # -- querying ---------------------------------------------------------------------

    def run_filter(self, text: str) -> bool:
        """Parse and run ``text``; on a bad filter keep the current rows and say why."""
        bar = self.query_one(FilterBar)
        try:
            query = parse(text, EVENT_FIELDS)
            assert self.source is not None
            selection = self.source.select(query)
        except FilterError as error:
            bar.refuse(text, error)
            return False
        bar.text = text
        self.filter_text = text
        self._name_crumb()
        self.current_query = query
        self._failed_filter = None
        self._start(selection)
        return True

    def _scope_to(self, subject: Subject) -> None:
        """The filter given, after the source's terms for every event of ``subject``;
        what they cannot find there (Event history: a call naming it only in its
        request) said now, and in the status line and `?` while they stay."""
        assert self.source is not None
        scope = self.source.scope_of(subject)
        self.filter_text = f"{scope.filter_text} {self.filter_text}".strip()
        self._scope = (subject.value, scope)
        self._name_crumb()
        if scope.brief:
            self.notify(clean(scope.brief, 200), title=f"events of {clean(subject.value, 30)}",
                        timeout=8)

    def _scoped(self) -> tuple[str, Scope, str] | None:
        """What the filter still scopes the rows to, its scope, and the terms typed
        after it; None once it was typed over."""
        if self._scope is None:
            return None
        subject, scope = self._scope
        text, terms = self.filter_text, scope.filter_text
        if not keeps(text, terms):
            return None
        return subject, scope, text[len(terms):].strip()

    def place_pivot_terms(self) -> str:
        """The pivot's terms while the filter keeps them, when `:events` with them and
        the filter lists these rows again (the case reopens the list so, and `/` there
        keeps them as here); '' for any other list: one of a subject's or a finding's
        events (made from more than text), or a store of one read's events (a :stack
        group's over Event history), which `:events` would read from AWS instead."""
        terms, source = self._pivot_terms, self.source
        scoped = self._scope is not None or self._subject is not None
        if not terms or scoped or not keeps(self.filter_text, terms):
            return ""
        archive = app_of(self).archive
        remade = (source is None or isinstance(source, HistorySource)
                  or (archive is not None and isinstance(source, StoreSource)
                      and source.store is archive.store))
        return terms if remade else ""

    def _naming(self, filter_text: str) -> Named | None:
        """What the rows of ``filter_text`` are, when the view was opened on a finding
        and the filter still lists its events (see :class:`Named`)."""
        named, scope = self._named, self._scope
        if named is None or scope is None or not keeps(filter_text, scope[1].filter_text):
            return None
        return named

    def _name_crumb(self) -> None:
        """The breadcrumb names what the rows answer now: a pivot's filter typed over
        must not stay there above the rows of another (``events of i-…`` while the
        filter still scopes them to the instance)."""
        scoped = self._scoped()
        if scoped is not None:
            subject, _, rest = scoped
            self.set_crumb(f"events of {clean(subject, 30)} {clean(rest)}".strip())
        else:
            self.set_crumb(f"events {clean(self.filter_text)}".strip())

    def _start(self, selection: Selection) -> None:
        """Show ``selection``, cancelling whatever the previous query still fetched.

        Event history rows stream in; a store's rows are sorted first, off the UI
        thread, while the previous rows stay on screen (:meth:`sort_rows`).
        """
        previous = self.selection
        self.selection = selection
        self._progress = None
        self._note = ""
        self._reported = set()
        if previous is not None and previous.feed is not None:
            previous.feed.close()
        if selection.feed is not None:
            lookup = selection.feed.lookup  # Event history: at most 90 days old
            if lookup.beyond is not None:  # the status line says it short; this whole
                self.notify(lookup.beyond.reason(), severity="warning", timeout=10)
            self._show_span((lookup.start, lookup.end), selection)
            self._set_rows(selection)
            self._fetch = self.fetch(selection)
        else:
            selection.store.interrupt_sorts()  # the previous search, if still sorting
            self._search = self.sort_rows(selection)
        self._show_status()
        self.refresh_bindings()

    def _set_rows(self, selection: Selection, count: int | None = None) -> None:
        """Put ``selection``'s rows on the table, and remember the filter they answer:
        after a failed search the view goes back to it (:meth:`_keep_shown_rows`)."""
        self.table.set_source(selection, count)
        self._shown_filter = (self.filter_text, self.current_query)

    @work(thread=True, exclusive=True, group="events-search", exit_on_error=False)
    def sort_rows(
        self, selection: Selection, anchor: Event | None = None, cursor: int = 0
    ) -> None:
        """Run a store query once (count and order, see :meth:`Selection.prepare`): a
        full-text search over a million archived events takes about half a second, and
        the keys must keep working meanwhile. The table then shows it, with the cursor
        on ``anchor`` (the row it was on, at ``cursor``, before a load added rows)."""
        started = time.monotonic()
        try:
            try:
                count = selection.prepare()
            except SearchInterrupted:
                if self.selection is not selection:
                    return  # this view's newer search stopped it
                count = selection.prepare()  # another view's search did: ours is wanted
            position = selection.position_of(anchor) if anchor is not None else None
        finally:  # what it cost, failed or not, spaces the next re-sort of a load
            self._resorts.ran(started, time.monotonic())
        self.app.call_from_thread(self._show_rows, selection, position, cursor, count)

    @work(thread=True, exclusive=True, group="events-span", exit_on_error=False)
    def find_span(self, selection: Selection) -> None:
        """The first and last time of a store's rows, for the time column: from the
        order :meth:`sort_rows` kept, two rows read. Rows not sorted (a load wrote since)
        are left to the next sort, which calls this again: counting them would scan."""
        if not selection.is_sorted():
            return
        count, span = selection.store.extent(selection.where, selection.params)
        if span is not None:
            self.app.call_from_thread(self._show_span, span, selection)
        query = self.current_query
        if count == 0 and query is not None and (query.after or query.before):
            # A time bound over old logs (4, the 90 days, on a 2024 archive): say when
            # the events are, or "0 events" reads as "nothing happened".
            _all, held = selection.store.extent()
            if held is not None:
                self.app.call_from_thread(self._show_empty_hint, held, selection, query)

    def _show_empty_hint(self, held: Span, selection: Selection, query: Query) -> None:
        """Why a time-bounded filter found nothing: when the store's events are. Or,
        with local times on screen and the bounds within the store's days, that the
        times typed were read as UTC: a time copied off the local column and typed
        back found nothing, and "the store holds" named a range holding it."""
        if selection is not self.selection:
            return
        first, last = (f"{utc_minute(t)}Z" for t in held)
        within = ((query.after is None or query.after <= held[1])
                  and (query.before is None or query.before >= held[0]))
        if self.local_time and within:
            self._note = f"0 events {typed_range(query)}: typed times are UTC, not local"
        else:
            # Short enough for both ends at 80 columns, "local time" before it too: the
            # longer wording cut the end, the half that says how recent the logs are.
            self._note = f"0 events then: the store holds {first}\u2013{last}"
        self._show_status()

    def _show_rows(self, selection: Selection, position: int | None = None,
                   cursor: int = 0, count: int | None = None) -> None:
        """Show ``selection``'s rows as they are now; the cursor goes from row ``cursor``
        to ``position`` (its event's place now), unless a key moved it meanwhile.
        ``count``: from the sort, so the UI thread does not count (a scan during a load)."""
        if self.selection is not selection:
            return
        if selection.feed is None:
            self.find_span(selection)
        table = self.table
        if table.source is selection:
            table.reload(count=count)
        else:
            self._set_rows(selection, count)
        if position is not None and table.cursor_row == cursor:
            table.cursor_row = position
        self._report_regions()
        self._show_status()

    @work(thread=True, exclusive=True, group="events-lookup", exit_on_error=False)
    def fetch(self, selection: Selection) -> None:
        """Run the selection's LookupEvents feed; the table catches up on a timer."""
        feed = selection.feed
        assert feed is not None

        def progressed(progress: LookupProgress) -> None:
            if self.selection is selection:
                self._progress = progress
                self._dirty = True

        feed.run(progressed)
        if self.selection is selection:
            self._dirty = True

    def on_worker_state_changed(self, message: Worker.StateChanged) -> None:
        """A worker that died says so: a silent failure would look like "no events"."""
        if message.state is WorkerState.ERROR:
            error = message.worker.error
            where = message.worker.group.replace("events-", "")
            self.notify(f"{where} failed: {clean(error, 300)}", severity="error")
            self._note = f"{where} failed"
            if where != "search":
                self._dirty = True
                return
            shown = self.table.source
            if isinstance(shown, Selection):
                self._keep_shown_rows(shown)
            self._show_status()  # not dirty: that would sort again at once, and fail

    def _keep_shown_rows(self, shown: Selection) -> None:
        """After a failed search the view is what the screen shows: the rows, their
        filter (for presets, rerun and the next ``/``), and ``/`` offers the failed
        filter's text again to edit or retry."""
        self._failed_filter = self.filter_text
        self.selection = shown
        self.filter_text, self.current_query = self._shown_filter
        self._name_crumb()
        self.query_one(FilterBar).text = self.filter_text
        self._note = "search failed (/ to edit it)"

    def _catch_up(self) -> None:
        """Timer: redraw rows and status if the running query brought anything."""
        if self._note_changed:
            self._note_changed = False
            self._show_status()
        if not self._dirty:
            return
        table, selection = self.table, self.selection
        if self._search is not None and not self._search.is_finished:
            self._show_status()  # the load's progress; rows once the sort is done
            return
        self._dirty = False
        if selection is None or table.source is not selection:  # a failed search
            self._show_status()
            return
        # Rows stream in anywhere in time order: keep the cursor on the event being read.
        # (peek: the UI thread never reads the store; a row not read yet has no anchor.)
        row = table.peek_row(table.cursor_row) if table.cursor_row > 0 else None
        anchor = row if isinstance(row, Event) else None
        # The count as sorted, checked and taken at once: a load may write in between.
        count = selection.sorted_count() if selection.feed is None else None
        if selection.feed is None and (anchor is not None or count is None):
            # A load added rows: count, order and place them off the UI thread (over a
            # million events a full-text count, or finding the cursor's row, takes ~1 s),
            # as often as the load leaves room for (the load's own status still moves).
            if self._loading() and not self._resorts.may_start(time.monotonic()):
                self._dirty = True
                self._show_status()
                return
            self._search = self.sort_rows(selection, anchor, table.cursor_row)
            return
        position = selection.position_of(anchor) if anchor else None
        self._show_rows(selection, position, table.cursor_row, count)

    def _loading(self) -> bool:
        """Whether an archive load is adding rows to this view's store now."""
        return isinstance(self.source, ArchiveSource) and self.source.loading

    def _history_read_runs(self) -> bool:
        """Whether this view's Event history read runs, from ``starting…`` on: before
        its thread's first call, which the lookup's progress (and so
        :meth:`Selection.is_filling`) does not count as running yet."""
        selection, fetch = self.selection, self._fetch
        return (selection is not None and selection.feed is not None
                and fetch is not None and not fetch.is_finished)

    def _reading(self) -> bool:
        """Whether rows may still come to the list shown: an archive loading, a search
        sorting them (``searching…``), Event history read (from ``starting…`` on: E,
        then Enter at once, was told the list was empty), or rows arrived that the next
        catch-up shows. A key on no row says so
        (:func:`~awsir_tui.ui.virtual_table.no_row`): Enter, y, m."""
        selection, search = self.selection, self._search
        if selection is None:
            return False
        sorting = selection.feed is None and search is not None and not search.is_finished
        return self._loading() or self._dirty or sorting or self._history_read_runs()

    def _report_regions(self) -> None:
        """A denied or failed region: one notification, and its status in :regions; once
        the read stops, every other region's there too: what it matched (``+``: the read
        stopped short of the rest) and how often it was throttled."""
        progress, selection = self._progress, self.selection
        if progress is None:
            return
        app = app_of(self)
        for region, failure in progress.failures:
            if region not in self._reported:
                self._reported.add(region)
                app.set_region_status(region, f"events: {failure.kind.value}")
                app.notify_failure(f"events in {region}", failure)
        feed = selection.feed if selection is not None else None
        if feed is None or progress.running:
            return
        failed = {region for region, _failure in progress.failures}
        short = "+" if progress.capped or progress.cancelled else ""
        # A filtered read (a pivot's ±1 day, a user) counts what it asked for: said as
        # all events, its 0 read as "nothing happened in this region".
        what = "filtered events" if self.filter_text.strip() else "events"
        for region in feed.lookup.regions:
            if region not in failed:
                throttled = feed.throttled[region]
                slowed = f", throttled {throttled:,}\u00d7" if throttled else ""
                app.set_region_status(
                    region, f"{what}: {feed.matched[region]:,}{short}{slowed}")

    def _show_status(self) -> None:
        selection = self.selection
        plan = Text(no_wrap=False)
        named = self._naming(self.filter_text)
        if selection is not None and named is not None:
            # One line: the filter, a list of event IDs, said nothing in three (? has it).
            plan = Text(no_wrap=True, overflow="ellipsis")
            plan.append(f"{named.kind}: ", style="bold")
            plan.append(clean(named.title, 200), style="bold")
            plan.append(f" ({count_of(named.count, 'event')})")
            scoped = self._scoped()
            if scoped is not None and scoped[2]:
                plan.append(f" \u00b7 filter {clean(scoped[2], 200)}")
            if self.source is not None:
                plan.append(f"  ({clean(self.source.label)})", style="dim")
        elif selection is not None:
            # The filter first: a long --source path must not push it out of two lines.
            plan.append(clean(selection.explain, 400))
            if self.source is not None:
                plan.append(f"  ({clean(self.source.label)})", style="dim")
        self.query_one("#events-plan", PlanLine).show(plan)
        line = Text(no_wrap=True, overflow="ellipsis")
        progress = self._progress
        archive = ""
        # Why Event history's answer is empty, in the table: the status line's hint
        # alone (try user:I-B2547952) read as a typo's correction.
        # Only of a read that asked every region to the end: one that failed, was
        # cancelled or capped has not shown the event is not there.
        empty = (selection is not None and selection.feed is not None
                 and progress is not None and not progress.running and not progress.matched
                 and not (progress.failures or progress.capped or progress.cancelled)
                 and progress.regions_done == progress.regions)
        said = selection.advice if empty and selection else ""
        searched = (selection is not None and selection.feed is None
                    and self.table.source is selection and not self._loading())
        if (empty or searched) and not (said or self.table.row_count) \
                and self.filter_text == self._missing[0]:
            said = self._missing[1]
        self.table.say_when_empty(said)
        beyond = selection.feed.lookup.beyond if selection and selection.feed else None
        if beyond is not None:
            # A range Event history keeps none or part of: first, where 80 columns cut
            # the counts instead ("0 events" alone read as "nothing happened then").
            line.append(f"{beyond.short()}  ", style="bold red" if beyond.wholly else "yellow")
        if selection is not None and selection.feed is None:
            loads_here = isinstance(self.source, ArchiveSource) and self.source.sources
            if self.table.source is selection:
                if isinstance(self.source, ArchiveSource) and self.source.loading:
                    # The rows are sorted again at intervals: this lags what is loaded,
                    # which the progress says (QA read "757,079 events" beside "every
                    # file read" as events lost).
                    line.append(f"{self.table.row_count:,} shown", style="bold")
                else:
                    line.append(count_of(self.table.row_count, "event"), style="bold")
            else:
                line.append("searching\u2026", style="yellow")
            if not (loads_here or selection.is_filling()):
                # What they lack (a load cut short in an earlier session, or cancelled
                # under a drill-down), as :stack and an export say it; a load of this
                # session says it in its own summary, after.
                partial = self._coverage(selection, self.filter_text).partial()
                if partial:
                    line.append(f"  partial: {clean('; '.join(partial), 120)}", style="yellow")
            if isinstance(self.source, ArchiveSource):
                archive = archive_status(self.source)
        elif progress is not None:
            # What goes on, or what to do next, first: the summary fills 80 columns.
            if progress.running:
                line.append("loading\u2026  ", style="yellow")
            elif progress.capped:
                line.append("L: load more  ", style="cyan")
            elif progress.cancelled:
                line.append("L: go on  ", style="cyan")
            elif not progress.matched and selection and selection.hint:
                line.append(f"{selection.hint}  ", style="yellow")
            elif selection is not None and selection.sent_as:
                # What AWS was asked is not what was typed (name:runinst sent as
                # RunInstances): said beside the rows, once the read stops.
                line.append(f"{selection.sent_as}  ", style="cyan")
            if selection is not None and selection.window:
                # A pivot's day either side, said where the responder reads the rows.
                line.append(f"{selection.window}  ", style="cyan")
            line.append(progress.summary(), style="bold")
            for region, failure in progress.failures:
                line.append(f"  {clean(region)}: {failure.kind.value.upper()}", style="red")
            if self._missed():
                # After the counts: at the cap, 80 columns cut this rather than the
                # boundary's time (the notice and ? say it whole).
                line.append("  other mentions not looked up (?)", style="cyan")
        elif selection is not None:
            line.append("starting\u2026", style="yellow")
        # First the time zone (short) and what just happened (a failed search, an
        # export to watch or to doubt): the archive's status, last, alone fills 80
        # columns after a load. A complete export's note after the counts.
        shown = Text(no_wrap=True, overflow="ellipsis")
        if self.local_time:
            shown.append("local time  ", style="dim")
        # A running export is said over any list (C cancels it); its end with its rows.
        rows = self._export_rows
        export = (self._export_note if self._export_stop is not None
                  or (self.selection is self._export_of
                      and (rows is None or rows == self.table.row_count)) else "")
        first = [self._note, export if self._export_first else ""]
        for note in filter(None, first):
            shown.append(note + "  ", style="green")
        shown.append_text(line)
        if export and not self._export_first:
            shown.append("  " + export, style="green")
        if archive:
            shown.append("  " + archive)
        self.query_one("#events-progress", Static).update(shown)

    def help_intro(self) -> str:
        """``?`` says the whole filter and plan: the plan line may be cut at 3 lines,
        and the filter bar (one line) scrolls a long filter out of sight."""
        selection = self.selection
        if selection is None:
            return ""
        whole = [f"Filter: {clean(self.filter_text, 4000) or '(none: every event)'}",
                 f"Plan: {clean(selection.explain, 4000)}"]
        named = self._naming(self.filter_text)
        if named is not None:
            whole.insert(0, f"Events of {clean(named.said(), 1000)}; the filter lists "
                         f"its {count_of(named.count, 'event')} by ID (/ edits it).")
        if self.source is not None:
            whole.append(f"Source: {clean(self.source.label, 1000)}")
        if missed := self._missed():
            whole.append(clean(missed, 1000))
        if selection.advice:
            whole.append(clean(selection.advice, 1000))
        whole.append(exports_said(app_of(self).export_folder()))
        if self._exported is not None:
            whole.append(f"Last export: {said_path(self._exported)}")
        return "\n\n".join(whole)

    def _missed(self) -> str:
        """What the subject's scope, while the filter keeps it, cannot find here."""
        scoped = self._scoped()
        return scoped[1].missed if scoped is not None else ""

    # -- keys -------------------------------------------------------------------------

    def action_filter(self) -> None:
        """/: the filter to edit. Over a pivot's rows (``events of i-…``, Enter on a
        value, an indicator, a :stack group, a role's events) the keys typed add to its
        terms, which stay (deleted, Ctrl+U, they widen it): typed over, a responder's
        ``name:Run`` narrowing an access key's events listed the whole account's, the
        key gone with nothing saying so.
        Any other filter is typed over (End keeps it)."""
        failed = self._failed_filter
        text = failed if failed is not None else self.filter_text
        pivoted = self._scoped() is not None or (
            bool(self._pivot_terms) and keeps(text, self._pivot_terms))
        kept = failed is None and pivoted
        self.query_one(FilterBar).open(f"{text} " if kept else text, extend=kept)

    def on_filter_bar_applied(self, message: FilterBar.Applied) -> None:
        message.stop()
        self.run_filter(message.text)

    def action_preset(self, key: str) -> None:
        """1/2/3/4: the last hour, day, week, or all Event history keeps (``since:90d``
        reads from where no ``since:`` does:
        :func:`~awsir_tui.events.lookup_source.kept_by_history`)."""
        query = self.current_query or parse("", EVENT_FIELDS)
        self.run_filter(with_preset(query, PRESETS[key]))

    def action_cancel(self) -> None:
        """C: stop the running export, LookupEvents query or archive load; keep what
        arrived (an export leaves no file)."""
        if self._export_stop is not None:
            self._export_stop.set()
            return
        if isinstance(self.source, ArchiveSource) and self.source.report is None:
            self.source.cancel.set()
            self._show_status()  # at once: the load's next progress may be seconds away
        elif (self.selection is not None and self.selection.feed is not None
              and self.selection.feed.lookup.progress().running):
            self.selection.feed.cancel.set()
            # QA pressed C and saw nothing say so, nor how to go on.
            self.notify("Event history read cancelled: the events read stay; L goes on "
                        "from where each region stopped, r reads again from the start")
        else:  # QA pressed C with nothing running, and nothing said so
            self.notify("nothing to cancel: no export, query or load is running")

    def action_rerun(self) -> None:
        self.run_filter(self.filter_text)

    def on_regions_changed(self, _message: object) -> None:
        """The selection changed in :regions: Event history asks the new set."""
        if isinstance(self.source, HistorySource):
            self.action_rerun()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """L (load more) is for Event history; over a store it goes on with the
        archive's load, or says why there is nothing to (QA pressed it and nothing
        happened)."""
        if action in ("more", "no_more"):
            history = self.selection is None or self.selection.feed is not None
            return history if action == "more" else not history
        return super().check_action(action, parameters)

    def action_no_more(self) -> None:
        """L over a store: nothing pages in. Over the session's archive it goes on with
        a load cancelled (C), or one that skipped files (:meth:`_continue_load`).
        Elsewhere the store holds every event its load stored, or its last load stopped
        short of some files, which L says then (QA cancelled a load, pressed L, and was
        told the store held every event it was given)."""
        if isinstance(self.source, ArchiveSource) and self.source.sources:
            self.continue_load(self.source)
            return
        selection = self.selection
        origin = selection.origin if selection is not None else None
        unread = not_reached(origin.archive) if origin and origin.archive else ""
        self.notify(unread or "nothing more to load: L pages Event history in, and this "
                    "store holds every event it was given")

    def continue_load(self, archive: ArchiveSource, follow: str = "") -> Worker[None] | None:
        """L over the archive (here, or in another view: :func:`continue_archive_load`):
        read the files its load did not (C stopped it) and try the skipped ones again,
        with the progress, rows and C of the first part; ``follow`` is said after what
        it reads. Returns the load's worker, None when nothing is to continue."""
        running = self._archive_load is not None and not self._archive_load.is_finished
        if running or archive.loading:
            self.notify(f"still loading: C cancels the load, and {CONTINUES} then")
            return None
        left = archive.to_continue()
        if not left:
            self.notify("nothing to continue: the load came to every file of the archive "
                        "and read each it could (:load lists any read in part)")
            return None
        self.notify(f"continuing the load: {left}{follow}")
        self._note = ""
        worker: Worker[None] = self.load_archive(archive, again=True)
        self._archive_load = worker
        return worker

    def action_more(self) -> None:
        """L: fetch the next batch after "N of >N events", or go on with a read
        cancelled short of it."""
        selection = self.selection
        if selection is None or selection.feed is None:
            return
        if selection.feed.lookup.progress().running:
            self.notify("still loading; L again once it stops")
            return
        if not selection.feed.lookup.more_available:
            self.notify("every matching event is loaded")
            return
        if selection.feed.lookup.progress().capped:
            selection.feed.more(DEFAULT_CAP)
        else:  # cancelled short of the cap: go on to it
            selection.feed.resume()
        # A note stands first in the status: the read going on matters now (an export's
        # note is kept apart, :attr:`_export_note`, and placed by its own state).
        self._note = ""
        self._fetch = self.fetch(selection)

    def action_local_time(self) -> None:
        """o: times in UTC or in this machine's zone, in every events list from now on."""
        switch_local_time(self)
        self._set_columns()
        self._show_status()

    def _set_columns(self) -> None:
        """The columns for the time zone chosen and the rows' span."""
        self._drawn_local = self.local_time
        self.table.set_columns(event_columns(app_of(self).marker, self.local_time, self._span))
        self._hidden_columns_moved()

    def on_resize(self) -> None:
        self._hidden_columns_moved()

    def _hidden_columns_moved(self) -> None:
        """Say the hidden columns once the table is laid out as it now is."""
        self.call_after_refresh(self._show_hidden_columns)

    def _show_hidden_columns(self) -> None:
        """The line under the table names the columns off its sides and the key to
        them. It was the table's horizontal scrollbar, whose thumb's colours some
        terminals do not show: a stray ``▌`` at about column 26 was all QA saw of it,
        and nothing said that the error code was one ``l`` away."""
        tables = self.query(VirtualTable)
        if not tables:  # the view left (Esc) before its layout came: nothing to say
            return
        before, after = tables.first().columns_out_of_sight()
        sides = ([f"h \u2190 {', '.join(c.label for c in before)}"] if before else []) + (
            [f"l \u2192 {', '.join(c.label for c in after)}"] if after else [])
        line = self.query_one("#events-columns", Static)
        line.set_class(bool(sides), "-hidden-columns")
        line.update(Text("   ".join(sides)))

    def _show_span(self, span: Span, selection: Selection) -> None:
        """``selection``'s rows are from ``span``: the time column says the year if it
        must (if they are still the rows shown)."""
        if selection is self.selection and span != self._span:
            self._span = span
            self._set_columns()

    def on_virtual_table_row_selected(self, message: VirtualTable.RowSelected) -> None:
        from awsir_tui.ui.events_detail import EventDetailView

        message.stop()
        self.app.push_screen(EventDetailView(message.row, self.source))

    def event_at_cursor(self) -> Event | None:
        """`m` puts the event under the cursor on the case's timeline."""
        event = self.table.peek_row(self.table.cursor_row)
        return event if isinstance(event, Event) and event.event_id else None

    def unmarked(self, mark_again: Callable[[], object]) -> Unmarked:
        """`m` on a row whose block the reader is still reading (at once after a load,
        or after a jump with G) is done once it is read, as Enter is: it found no event
        and said so, and the responder had to press m again at the right moment. On a
        list with no row yet, a load or a lookup still reading: say so, not "nothing"
        or "empty"."""
        table = self.table
        if not table.row_count:
            return Unmarked(no_row("mark", self._reading()))
        if table.peek_row(table.cursor_row) is None and table.when_read(mark_again):
            return Unmarked("this row is still being read: it is marked once it shows",
                            later=True)
        return Unmarked("")

    def action_yank(self) -> None:
        """y: the event ID under the cursor, as y copies the ID in the other lists (its
        page yanks any value of it, Y the whole record)."""
        from awsir_tui.ui.yank import yank

        event = self.event_at_cursor()
        if event is None and not self.table.row_count:
            say_no_row(self, "copy", self._reading())
        elif event is None:
            self.notify("no event ID here (a row still being read has none yet)")
        else:
            yank(self, event.event_id, "the event ID")

    def action_instance_events(self) -> None:
        """E: the events of the instance of the event under the cursor, chosen and said
        as E on the event's page does (:func:`~.events_detail.event_instance`), from
        where that page would look (:func:`~.events_detail.pivot_source`). A responder
        pressed it on a row and nothing happened: it was bound on the page only."""
        from awsir_tui.ui.events_detail import event_instance, pivot_source

        table = self.table
        if not table.row_count:
            say_no_row(self, "open the instance of", self._reading())
            return
        event = table.peek_row(table.cursor_row)
        if not isinstance(event, Event):  # its block still being read: done once read
            if table.when_read(self.action_instance_events):
                self.notify("this row is still being read: its instance opens once it shows")
            return
        instance, why = event_instance(event, "Enter opens the event, E there on the one "
                                       "to follow")
        self.notify(why)
        if instance is not None:
            subject = Subject("instance", instance)
            self.app.push_screen(EventsView(subject=subject,
                                            source=pivot_source(self, self.source)))

    # -- export -----------------------------------------------------------------------

    def action_export(self, fmt: str) -> None:
        """x / X: the whole filtered set (not only what is on screen) to JSONL / CSV.

        While Event history or an archive is still being read the set is not whole
        yet: ask first. Either way the export's coverage file says what it holds."""
        selection = self.selection
        if selection is None:
            return
        if self._export_stop is not None:  # a second x wrote a second whole file
            self.notify("an export is still being written (C cancels it)", severity="warning")
            return
        filter_text = self.filter_text
        # From starting… on: pressed at once after E, x wrote a file of 0 events unasked.
        if not (selection.is_filling() or self._history_read_runs()):
            self._start_export(selection, fmt, filter_text)
            return
        from awsir_tui.ui.dialogs import Confirm

        still = self._coverage(selection, filter_text).partial()

        question = Text()
        question.append("The events are still being read", style="bold")
        question.append(f": {'; '.join(still)}.\n\nAn export holds only the events "
                        "read by the time you answer (this was asked at "
                        f"{count_of(self.table.row_count, 'event')}); its coverage file "
                        "(beside it) says whether it is whole. Or wait until the read is "
                        "done, and export then.")

        def answered(yes: bool | None) -> None:
            if yes and self.selection is selection and self._export_stop is None:
                self._start_export(selection, fmt, filter_text)

        self.app.push_screen(Confirm(question, yes="Export what has arrived"), answered)

    def _start_export(self, selection: Selection, fmt: str, filter_text: str) -> None:
        """Say so at once (at 1M events the first rows come after seconds of sorting)
        and start the export, which C can stop."""
        self._export_stop, self._export_of = threading.Event(), selection
        self._export_rows = None
        self._export_note, self._export_first = "export starting\u2026 (C cancels it)", True
        self._show_status()
        self.export(selection, fmt, filter_text, self._export_stop)

    def _coverage(self, selection: Selection, filter_text: str) -> Coverage:
        """What ``selection``'s rows hold of what ``filter_text`` asked, and, for a
        finding's events, which finding: its filter is a list of event IDs."""
        label = self.source.label if self.source is not None else "the store"
        coverage = selection.coverage(filter_text, label)
        named = self._naming(filter_text)
        return replace(coverage, named=named.said()) if named is not None else coverage

    @work(thread=True, group="events-export", exit_on_error=False)
    def export(
        self, selection: Selection, fmt: str, filter_text: str, stop: threading.Event
    ) -> None:
        """Write the selection's events (a thread; it goes on if the view is left), and
        their coverage beside them, until ``stop`` (C) or the app quits."""
        try:
            self._export(selection, fmt, filter_text, stop)
        finally:
            self._export_stop = None

    def _export(
        self, selection: Selection, fmt: str, filter_text: str, stop: threading.Event
    ) -> None:
        total = selection.count()
        app = app_of(self)
        path = new_export_path(app.export_folder(), "events", fmt)

        # Before the rows are read: rows arriving meanwhile are a bonus, never a gap.
        coverage = self._coverage(selection, filter_text)
        with app.exporting() as quitting:

            def progressed(done: int) -> None:
                if quitting.is_set():  # the quit stops it as C does
                    stop.set()
                self._export_note = f"exporting {done:,}/{total:,} \u2192 {path.name} (C cancels)"
                self._note_changed = True

            try:
                count = write_events(
                    selection.store.events(selection.where, selection.params, "event_time DESC"),
                    path,
                    fmt,
                    progressed,
                    stop,
                    coverage,
                )
            except (ExportStopped, StoreStopped, OSError) as exc:
                if quitting.is_set():
                    return  # stopped by the quit, which warned first
                if stop.is_set():
                    # After the counts: nothing to watch any more (the toast said it).
                    self._export_note, self._export_first = (
                        "export cancelled: nothing written", False)
                    self._note_changed = True
                    return
                why = "its query was replaced" if isinstance(exc, StoreStopped) else exc
                # Not "exporting…" (C cancels) for ever: the last progress stood there.
                self._export_note, self._export_first = (
                    f"export failed, nothing written: {clean(why, 40)}", False)
                self._note_changed = True
                with contextlib.suppress(RuntimeError):  # the app has closed meanwhile
                    app.call_from_thread(
                        app.notify, f"export failed, nothing written: {clean(why, 300)}",
                        severity="error",
                    )
                return
        verdict, state = coverage.verdict(), coverage.state()
        # PARTIAL or UNKNOWN: the status line and the notice stay until read.
        doubtful = state != "COMPLETE"
        read = coverage.read
        if read is not None and (read.capped or read.cancelled):
            # A drill-down has no L: the read it shows rows of is its parent's.
            does = "loads more" if read.capped else "goes on"
            verdict += f" (L {does})" if selection.feed else f" (L in the view below {does})"
        # The file's name (the notice says its folder). The filter it was of: the view
        # may show another one by now.
        of = f"({clean(filter_text, 40)}) " if filter_text else "(every event) "
        if (named := self._naming(filter_text)) is not None:  # not its first event IDs
            of = f"(of the {clean(named.kind)}) "
        note = f"exported {count_of(count, 'event')} {of}to {path.name}"
        # All three at once: a redraw between them drew a PARTIAL export as complete.
        self._export_note, self._exported, self._export_first, self._export_rows = (
            f"{state} {note}" if doubtful else note, path, doubtful, count)
        self._note_changed = True
        beside = sidecar_path(path).name[len(path.name):]
        self.app.call_from_thread(
            self.notify,
            f"{count_of(count, 'event')} written to\n{path_lines(path)}\n{verdict}\n"
            f"coverage: same name + {beside}",
            severity="warning" if doubtful else "information",
            timeout=20 if doubtful else 5,
        )
