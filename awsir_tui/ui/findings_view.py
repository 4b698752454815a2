"""`:findings`: the detections over the events at hand, most severe first.

The events are the ones the responder is looking at: the most recent events view's
rows (its store and filter, whatever the source), else the ``--source`` archive the app
was started with, else the last 7 days of Event history in the selected regions (which
can take a while at 2 calls/s per region: progress shows, rows come when it is done).
The detector (built-in rules, ``--rules DIR``, correlations) runs in a worker. Enter
opens the events view on a finding's own events, from the same store, so nothing is
fetched twice; ``K`` keeps the finding in the open case. Rules that could not run are
counted on screen and listed by F1, never dropped in silence; nor are the regions whose
instances could not be read, which leave the credential-theft judgement weaker there.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from rich.console import Console
from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from awsir_tui.aws.cloudtrail import LookupProgress
from awsir_tui.aws.errors import Failure, classify
from awsir_tui.aws.inventory import Inventory, Kind
from awsir_tui.case.session import CaseSession
from awsir_tui.commands.findings import (
    instance_addresses,
    names_account,
    rules_report,
    severity_counts,
)
from awsir_tui.detect import Detector, Finding
from awsir_tui.detect.addresses import OwnAddresses
from awsir_tui.detect.marker import LETTERS
from awsir_tui.events.coverage import failed_regions
from awsir_tui.events.loader import LoadProgress, LoadReport
from awsir_tui.events.record import Event
from awsir_tui.events.sources import (
    ArchiveSource,
    HistorySource,
    LookupFeed,
    Origin,
    Selection,
    StoreSource,
)
from awsir_tui.events.store import EventStore
from awsir_tui.query import EVENT_FIELDS, parse, quote
from awsir_tui.query.times import utc_minute
from awsir_tui.text import clean, count_of
from awsir_tui.ui.base import View, app_of
from awsir_tui.ui.dialogs import HelpScreen
from awsir_tui.ui.ec2_common import inventory_of
from awsir_tui.ui.events_view import EventsView, Named, PlanLine, default_source
from awsir_tui.ui.fitting import longest, shortened
from awsir_tui.ui.load_view import cancel_load
from awsir_tui.ui.time_columns import TimeFormat, time_format
from awsir_tui.ui.virtual_table import Column, VirtualTable

#: Event history searched when no events view is open.
HISTORY_FILTER = "since:7d"
#: Events read from Event history for detections before "N of >N events".
HISTORY_CAP = 100_000
#: Up to this many event IDs, Enter opens the events view filtered with ``id:=``;
#: beyond, a store of the finding's events alone (a filter that long helps nobody).
MAX_ID_FILTER = 50
REFRESH_EVERY = 0.25
#: How long to wait for an events view's Event history read that has not started yet.
FEED_START_GRACE = 5.0
#: Rows of the status line (its CSS max-height): the count must stay within them.
STATUS_ROWS = 2
#: The most of the partial reasons laid out before they are cut to fit.
MAX_REASONS = 2000
#: Severities that stand out in the table and how: by style alone (critical reversed,
#: high bold: both stand out on a terminal without colour too), all four written in
#: lower case as the status line writes them (capitals for two read as inconsistent).
SEVERITY_CLASS = {
    "critical": "findings--critical",
    "high": "findings--high",
    "medium": "findings--medium",
}


def finding_columns(
    kept: Callable[[Finding], bool], findings: Sequence[Finding] = (), local: bool = False
) -> list[Column]:
    """The table's columns; ``kept`` says which findings the open case keeps (``K``):
    the first column marks them, so that a kept one is not kept twice, nor forgotten.
    The times are written as every table writes them (:func:`~.time_columns.time_format`,
    to the minute; ``local``: in this machine's zone, as ``o`` chose in :events), the
    year over all of ``findings``: in every row when they span years (the title gives
    way to the wider times; its pane says it whole), else said once by the status line
    (:func:`findings_year`), not in the headers: ``first 2024 (UTC)`` over ``08-02
    08:23`` took the title 10 cells at 80 columns. A finding of 2023 and 2024 read as
    one moment when both showed ``07-31 13:06``.

    The summary comes right after the title, before the count and the time: it is
    what tells apart two findings of one rule (``RunInstances p3.16xlarge`` and
    ``RunInstances g4dn.12xlarge``; ``GetCallerIdentity by erin`` and ``by
    i-b2547…``), which read as one row at 80 columns when it came last, cut to
    ``Ru…``, or had 18 cells, ``GetCallerIdentity…`` both. One column says when
    (:func:`span`): first and last, the same minute for most findings (one event),
    took 23 cells to say it twice. The severity is its letter, as the events table's
    ``!`` column writes it (the row's style says it too; the status line and ``i`` in
    words), and the count and the ATT&CK technique come after when, off the side at 80
    columns (``l``; ``i`` says both): their 15 cells went to the title and the summary,
    which read ``EC2 serial conso…`` four times over the Stratus logs, each finding's
    instance cut off."""
    times = replace(finding_times(findings, local), years="")
    header = times.header("when")
    when = max([len(header), times.width, *(len(span(times, f)) for f in findings)])
    title = max(TITLE_FLOOR, min(TITLE_WIDTH, TEXT_AND_TIME - when - SUMMARY_FLOOR))
    return [
        Column("kept", "K", 1, lambda f: "K" if kept(f) else ""),
        Column("severity", "!", 1, lambda f: LETTERS.get(f.severity, f.severity[:1])),
        Column("title", "finding", title, lambda f: f.title),
        Column("summary", "summary", max(SUMMARY_FLOOR, TEXT_AND_TIME - when - title),
               lambda f: f.summary),
        Column("when", header, when, lambda f: span(times, f)),
        # Written as every other view writes a count (6,452); 7 cells: up to 999,999.
        Column("events", "events", 7, lambda f: f"{len(f.event_ids):,}"),
        Column("technique", "ATT&CK", 9, lambda f: f.technique),
    ]


def span(times: TimeFormat, finding: Finding) -> str:
    """When ``finding``'s events were, as ``times`` writes them: its first time alone
    when its last is the same minute (one event: most findings), else the first and
    the last, the last's date left out when it is the first's (``12-01 21:14–21:24``)."""
    first, last = times.text(finding.first_time), times.text(finding.last_time)
    if not last or last == first:
        return first
    day, _, minute = last.rpartition(" ")
    return f"{first}\u2013{minute if day and first.startswith(day + ' ') else last}"


#: At 80 columns every column up to "when" fits (a vertical scrollbar included): the
#: title, the summary and the time share these cells. The title has
#: :data:`TITLE_WIDTH` of them, the summary the rest: 40 beside one time, 34 beside a
#: span of one day. A rule's summary names the call, then what differs (the instance,
#: the principal, the address, the instance type asked for): rows of one title are
#: told apart there, ``SendSerialConsoleSSHPublicKey on i-D4…``.
TEXT_AND_TIME = 73
#: The title's cells, where the time leaves the summary more than its floor: titles
#: that begin alike differ within them (``Denied attempt: Windows…``, ``Denied
#: attempt: GPU…``; ``Lambda function opened…``, ``Lambda function code…``).
TITLE_WIDTH = 22
#: The narrowest the summary is made, beside a span over two years' dates.
SUMMARY_FLOOR = 12
#: The narrowest the title is made for the time: local times over a change of summer
#: time (``when (+01/+02)``), or with the year in every row, would leave it little.
TITLE_FLOOR = 8


def finding_times(findings: Sequence[Finding], local: bool) -> TimeFormat:
    """How the table writes the times of ``findings``: to the minute, over all of
    their first and last times."""
    return time_format((t for f in findings for t in (f.first_time, f.last_time)), local,
                       seconds=False)


def findings_year(findings: Sequence[Finding], local: bool) -> str:
    """The year all of ``findings``' times are of, when the rows leave it out and it
    is not this one (``2024``, ``2025-26``), for the status line: ``9 findings of
    2024``; "" otherwise."""
    return finding_times(findings, local).years or ""


def finding_page(finding: Finding, kept: bool) -> Text:
    """Everything a finding says, for ``i``: at 80x24 the pane under the table has
    room for its title and summary, and cut why it matters; the table may cut its
    title to give the times their year. Every string is the rule's or the log's:
    plain, cleaned Text."""
    text = Text()
    text.append(clean(finding.title, 300), style="bold")
    if kept:
        text.append("  K: kept in the case", style="bold green")
    facts = [("severity", finding.severity),
             ("ATT&CK", finding.technique), ("rule", finding.rule_id),
             ("events", f"{len(finding.event_ids):,}"),
             ("first", full_minute(finding.first_time)),
             ("last", full_minute(finding.last_time))]
    for label, value in facts:
        if value:
            text.append(f"\n{label:<9}", style="dim")
            text.append(clean(value, 200))
    text.append("\n\n" + clean(finding.summary, 2000))
    if finding.detail:
        text.append("\n\nwhy it matters\n", style="bold")
        text.append(clean(finding.detail, 4000))
    text.append("\n\nEsc closes this page; then Enter on the finding's row opens its "
                "events and K keeps it in the case.", style="dim")
    return text


def full_minute(value: datetime | None) -> str:
    """``2026-11-28 17:36 UTC``: a finding's time with its year, for its page."""
    return f"{utc_minute(value)} UTC" if value else ""


class FindingRows:
    """The findings as a table source (they are few: a list is enough)."""

    def __init__(self, findings: Sequence[Finding] = ()) -> None:
        self.findings = list(findings)

    def count(self) -> int:
        return len(self.findings)

    def fetch(self, offset: int, limit: int) -> Sequence[Finding]:
        return self.findings[offset : offset + limit]


class FindingsTable(VirtualTable):
    """The findings table: one colour per severity on top of the virtual table."""

    DEFAULT_CSS = """
    FindingsTable > .findings--critical { color: $error; text-style: bold reverse; }
    FindingsTable > .findings--high { color: $error; text-style: bold; }
    FindingsTable > .findings--medium { color: $warning; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = VirtualTable.COMPONENT_CLASSES | set(
        SEVERITY_CLASS.values()
    )


@dataclass
class Scope:
    """Which events the detector runs over, and how to say so on screen (:attr:`label`)."""

    selection: Selection
    archive: ArchiveSource | None = None
    #: The selection is an events view's: its feed is that view's to run, not ours.
    borrowed: bool = False
    #: The filter the selection answers ("" = every event).
    filter: str = ""
    #: What the selection's store holds (an archive's name, an Event history read):
    #: a finding's events are a filter over it, and so is whatever is typed there.
    store_label: str = ""

    @property
    def label(self) -> str:
        """What the findings are over, as the scope line says it: an events view's rows
        (and its filter) of its store, else the store itself."""
        if not self.borrowed:
            return self.store_label
        shown = f" ({self.filter})" if self.filter else ""
        return f"the events view's rows{shown} of {self.store_label}"

    def drilled(self) -> Origin:
        """What fills these events, for a view of some of them (a finding's): its
        exports then say, as the events view's would, whether they are all there."""
        return self.selection.drilled(self.filter)


def fitted_status(
    partial: Sequence[str], count: Text, width: int, console: Console, lead: Text | None = None
) -> Text:
    """``[<lead> · ]partial: <reasons> · <count>``, the reasons cut (with ``…``) so that
    the whole keeps to :data:`STATUS_ROWS` rows of ``width``: they come first, so that no
    long count pushes them out, and 17 regions throttled, or an earlier load's path, must
    not push the count out in turn (the status has two rows at 80 columns). ``lead`` (that
    the findings are an earlier list's) comes before all and is never cut."""
    said = clean("; ".join(partial), MAX_REASONS)

    def line(reasons: str) -> Text:
        text = Text(overflow="ellipsis")
        if lead is not None:
            text.append_text(lead)
            text.append(" \u00b7 ", style="dim")
        if partial:
            text.append(f"partial: {reasons}", style="yellow")
            text.append(" \u00b7 ", style="dim")
        return text.append_text(count)

    def fits(keep: int) -> bool:
        return len(line(shortened(said, keep)).wrap(console, width)) <= STATUS_ROWS

    return line(shortened(said, longest(len(said), fits)))


class StatusRows(PlanLine):
    """A line under the table (the scope, the status, the unread regions), wrapped to its
    CSS max-height and ending in ``…`` when cut there: Textual drops the rows past it
    with no mark, and a scope or a region list cut so reads as if it said everything."""

    MAX_LINES = STATUS_ROWS


def same_rows(one: Selection, other: Selection) -> bool:
    """Whether two selections are the same list: one store, one filter; not only the
    same object. The case reopens :findings before the events view beneath has its rows,
    so the run takes every event of the archive itself (waiting for its load); that
    view's rows, every event of the same store, were called "an earlier list", and r
    found the same findings over the same events."""
    return one.store is other.store and (one.where, one.params) == (other.where, other.params)


def ids_filter(event_ids: Iterable[str]) -> str:
    """``id:=a,b,c``: exactly these events (each ID quoted if it needs it)."""
    return "id:=" + ",".join(quote(event_id) for event_id in event_ids)


def filling_archive(selection: Selection) -> ArchiveSource | None:
    """The archive whose load fills ``selection``'s store (its own, or the one of the
    view it was drilled down from), if any: L may go on with it after the findings."""
    origin = selection.origin
    return origin.archive if origin is not None else None


def named_finding(finding: Finding) -> Named:
    """How the events view names a finding's events (its filter lists their IDs)."""
    about = ", ".join(part for part in (
        f"ATT&CK {finding.technique}" if finding.technique else "",
        finding.severity, f"rule {finding.rule_id}" if finding.rule_id else "") if part)
    return Named("finding", finding.title, len(finding.event_ids), about)


def same_finding(findings: Sequence[Finding], earlier: Finding) -> int:
    """Where ``earlier`` is among ``findings`` of a run over more events: the same rule
    with an event in common (it may have more now), else the same rule's first; the
    first row when neither is there."""
    same_rule = [n for n, finding in enumerate(findings) if finding.rule_id == earlier.rule_id]
    shared = set(earlier.event_ids)
    return next((n for n in same_rule if shared & set(findings[n].event_ids)),
                same_rule[0] if same_rule else 0)


class FindingsView(View):
    """Detections over the events at hand: severity, technique, counts, Enter for events."""

    crumb = "findings"
    works_on_events_beneath = True
    BASE_HELP = """
Findings of the detections (built-in Sigma rules, the --rules folder, and correlations
such as an instance role's key used from another address) over the events at hand: the
last events view's rows, else the --source archive, else 7 days of Event history in
the selected regions. Most severe first, the ! column its letter (C critical, H high,
M medium, L low, as the events table marks their events); critical and high stand out
(critical reversed, high in bold).

A runs them over all the events at hand instead of the events view's rows (the
--source archive, else 7 days of Event history): a finding counted over one filter's
rows (one instance's events) may have more events elsewhere.

Enter opens the finding's events in the events view, under the finding's title (their
filter, the events' IDs, is in its ? and its exports' coverage). i shows the whole
finding (the pane under the table cuts why it matters at 80x24). The table's "when"
is the finding's first event's time, and its last's after a dash when it is another
minute (12-01 21:14–21:24); in UTC or local time as o chose in :events, their year
in the status line when it is not this one, or in every row when the findings span
years. The summary, before it, tells two findings of one rule apart (who, from where).
The count of events and the ATT&CK technique come after it, past the right edge at 80
columns: l scrolls to them (i says both).
K keeps the finding (and its events on the timeline) in the open case. r runs the detections again:
:findings brings this view back as it was, and when the events list has changed since,
its status line says first that the findings are an earlier list's, naming it. When the
load went on since they ran (L after C; for a finding's events, the load that was still
running), the findings run again by themselves over what it loaded (waiting for it, as
at first), the cursor kept on the finding it was on; over an earlier list, the status
line says first that new events were loaded since, and r runs them.

C cancels what runs: the archive's load or this view's Event history read (the
detections then run over the events read so far), or the detections themselves (the
findings are those of the events judged so far, said partial).
"""
    help_text = BASE_HELP
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("K", "keep", "Keep in case", id="findings.keep", key_display="K"),
        Binding("i", "info", "Whole finding", id="findings.info"),
        Binding("r", "rerun", "Rerun", id="findings.rerun"),
        Binding("A", "all_events", "All events", id="findings.all"),
        Binding("C", "cancel", "Cancel", id="findings.cancel", show=False),
    ]
    DEFAULT_CSS = """
    FindingsView #findings-scope { height: auto; max-height: 2; color: $text-muted; }
    FindingsView #findings-status { height: auto; max-height: 2; }
    FindingsView #findings-instances { height: auto; max-height: 2; color: $warning; }
    FindingsView #findings-problems {
        height: auto; max-height: 1; color: $warning; text-wrap: nowrap; text-overflow: ellipsis;
    }
    /* 3 rows under the border: PlanLine's MAX_LINES, the last ending in … when cut. */
    FindingsView #findings-detail { height: 4; border-top: solid $panel; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.help_text = self.BASE_HELP
        self.scope: Scope | None = None
        self.detector: Detector | None = None
        self.findings: list[Finding] = []
        self.events_read = 0
        #: Why the events the findings are over are not all of them (an archive's).
        self._partial: list[str] = []
        #: That C stopped the detections part way ("" when they judged every event).
        self._cut = ""
        #: The report of the load the findings were run over (the archive's filling
        #: their store, :func:`filling_archive`): another now, or none while it runs,
        #: when L went on with the load since (:meth:`_loaded_since`).
        self._run_load: LoadReport | None = None
        #: The finding the cursor was on as the load's follow-up run began: its new
        #: list keeps the cursor there (a run by r starts at the top, as one asked for).
        self._followed: Finding | None = None
        self.running = False
        self._progress: LookupProgress | None = None
        #: The archive's events stored so far, as the worker last counted them.
        self._so_far: int | None = None
        self._phase = ""
        self._dirty = False
        self._cancel = threading.Event()
        #: C while the detections run: they stop, and what they found so far is shown.
        self._stop_detections = threading.Event()
        #: Events the detections judged so far, and of how many (None: not running yet).
        self._judged: tuple[int, int] | None = None
        #: A: the detections run over all the events at hand, not the events view's.
        self.all_events = False
        #: The findings the open case keeps (K), as the table marks them.
        self.kept: set[Finding] = set()
        #: The time zone the table's columns were made for (the app's: ``o`` in :events).
        self._drawn_local = False

    # -- layout -----------------------------------------------------------------------

    def compose_body(self) -> Iterable[Widget]:
        yield StatusRows(id="findings-scope")
        yield StatusRows(id="findings-status")
        yield StatusRows(id="findings-instances")
        yield Static(id="findings-problems")
        # Enter while the detections run: "not yet", not "the list is empty".
        # K and the severity stay in sight when l brings the count and the technique.
        yield FindingsTable(self._columns(), FindingRows(), row_style=self._row_style,
                            reading=lambda: self.running, fixed_columns=2,
                            id="findings-table")
        yield PlanLine(id="findings-detail")

    def _columns(self) -> list[Column]:
        """The columns for the findings shown, their times in the zone the events lists
        show them in (``o`` there)."""
        self._drawn_local = app_of(self).local_time
        return finding_columns(self._is_kept, self.findings, self._drawn_local)

    def on_screen_resume(self) -> None:
        """Back from an events list where ``o`` changed the time zone: the times in
        the one chosen, as the events lists show them."""
        if self.is_mounted and self._drawn_local != app_of(self).local_time:
            self.table.set_columns(self._columns())
        # The year it says is the zone's; and the events list beneath may have changed
        # since the run (:meth:`_earlier_list`), or L gone on with its load.
        self._dirty = True
        self._follow_load()

    def _is_kept(self, finding: Finding) -> bool:
        """Whether the open case keeps ``finding`` (the table's K column)."""
        return finding in self.kept

    @property
    def table(self) -> FindingsTable:
        return self.query_one(FindingsTable)

    @staticmethod
    def _row_style(finding: Finding) -> str:
        return SEVERITY_CLASS.get(finding.severity, "")

    def on_mount(self) -> None:
        self.table.focus()
        self.set_interval(REFRESH_EVERY, self._catch_up)
        self.action_rerun()

    def on_unmount(self) -> None:
        self._stop()

    # -- the events at hand --------------------------------------------------------------

    def _newest_events(self) -> EventsView | None:
        """The newest events view with rows, whose rows a run is over (none after A:
        it runs over all the events at hand)."""
        for screen in reversed(self.app.screen_stack if not self.all_events else ()):
            if isinstance(screen, EventsView) and screen.selection is not None:
                return screen
        return None

    def _scope(self) -> Scope:
        """The newest events view's rows (unless A asked for all the events at hand),
        else the app's archive, else Event history."""
        screen = self._newest_events()
        if screen is not None and screen.selection is not None:
            label = screen.source.label if screen.source is not None else "events"
            # Over an archive still loading, the run waits for it (C cancels the
            # load): it judged the rows stored so far, 693,079 of a million, unsaid.
            loading = screen.source if isinstance(screen.source, ArchiveSource) else None
            return Scope(screen.selection, archive=loading, borrowed=True,
                         filter=screen.filter_text, store_label=label)
        source = default_source(self)
        query = parse("", EVENT_FIELDS)
        if isinstance(source, ArchiveSource):
            return Scope(source.select(query), archive=source, store_label=source.label)
        app = app_of(self)
        history = HistorySource(app.ctx, lambda: list(app.regions), HISTORY_CAP)
        regions = count_of(len(app.regions), "region")
        return Scope(history.select(parse(HISTORY_FILTER, EVENT_FIELDS)), filter=HISTORY_FILTER,
                     store_label=f"Event history {HISTORY_FILTER} in {regions}")

    def _earlier_list(self, also: str = "") -> Text | None:
        """That the findings are an earlier list's, naming it, when a run now would be
        over other rows: `:findings` brings this view back as it was, and the list
        beneath it may have been filtered anew (or another opened, or closed) since.
        Responders took 9 findings over since:3d for the narrower list's; so r, not a
        switch, runs again (a switch never reads again: an Event history read is slow).
        ``also``: what else they lack, said after the list, whose name is cut as much
        shorter: the whole must keep to the status's two rows."""
        scope = self.scope
        if scope is None or self.running:
            return None
        newest = self._newest_events()
        if newest is None and not scope.borrowed:
            return None  # the archive or Event history, as before
        rows = newest.selection if newest is not None else None
        if rows is not None and same_rows(rows, scope.selection):
            return None
        earlier = scope.filter if scope.borrowed and scope.filter else scope.store_label
        now = "the current one" if newest is not None else "all the events at hand"
        named = clean(earlier, 80 - len(also))
        return Text(f"over an earlier list ({named}){also}: r runs over {now}",
                    style="bold yellow")

    def _lead(self) -> Text | None:
        """What the findings are not over, said before all else: new events loaded
        since they ran (:meth:`_loaded_since`), and another list now beneath
        (:meth:`_earlier_list`); r runs them over what is at hand."""
        loaded = self._loaded_since()
        earlier = self._earlier_list(", new events loaded since" if loaded else "")
        if earlier is not None or not loaded:
            return earlier
        return Text("new events loaded since these findings: r runs the detections again",
                    style="bold yellow")

    def _partial_now(self) -> list[str]:
        """Why the findings are partial: C stopped their detections, and what their
        events lacked; after a load went on (:meth:`_loaded_since`, said first by
        :meth:`_lead`) what the store lacks now: "the load was cancelled" is no longer
        so once L has read the rest."""
        cut = [self._cut] if self._cut else []
        scope = self.scope
        if scope is None or not self._loaded_since():
            return cut + self._partial
        return cut + scope.selection.coverage(scope.filter, scope.store_label).caveats()

    def _stop(self) -> None:
        """Stop our worker and our own Event history read (never an events view's)."""
        self._cancel.set()
        scope = self.scope
        if scope is not None and scope.selection.feed is not None and not scope.borrowed:
            scope.selection.feed.cancel.set()

    def action_all_events(self) -> None:
        """A: run over all the events at hand, not only the events view's rows."""
        self.all_events = True
        self.action_rerun()

    def action_rerun(self) -> None:
        """r: read the events at hand again and run every detection over them."""
        self._stop()
        self._cancel = threading.Event()
        self._stop_detections = threading.Event()
        self.scope = self._scope()
        self.running = True
        self._progress = None
        self._so_far = None
        self._judged = None
        self._run_load = self._load_report()
        self._phase = "starting\u2026"
        self._dirty = True
        inventory = self._account_of(self.scope)
        self.detect(self.scope, inventory, app_of(self).options.rules, self._cancel,
                    self._stop_detections)

    def _account_of(self, scope: Scope) -> Inventory | None:
        """The account whose instances' addresses sharpen the credential-theft
        detection: Event history's own, once it answered; for other events (an archive,
        a store) only an account the command line names, as ``awsir-tui findings`` does,
        for the jump box's default role answers too and is rarely the logs' account."""
        app = app_of(self)
        if app.identity is None:
            return None
        if scope.selection.feed is None and not names_account(app.options):
            return None
        return inventory_of(self)

    def on_regions_changed(self, _message: object) -> None:
        """New regions: our own Event history read is redone for them (an events view's
        rows and an archive stay what they were; r reruns over them)."""
        scope = self.scope
        if scope is not None and scope.selection.feed is not None and not scope.borrowed:
            self.action_rerun()

    @work(thread=True, exclusive=True, group="findings-detect", exit_on_error=False)
    def detect(
        self,
        scope: Scope,
        inventory: Inventory | None,
        rules_dir: str | None,
        cancel: threading.Event,
        stop_detections: threading.Event,
    ) -> None:
        """Fetch what is not yet loaded, then run the detector over the whole scope
        (``cancel``: this run is over, show nothing; ``stop_detections``: C, show the
        findings of the events judged so far)."""
        known, unread = self._known_addresses(inventory, cancel)
        if cancel.is_set():
            return
        self._phase = "loading rules\u2026"
        self._dirty = True
        detector = Detector.with_rules_dir(rules_dir, known_ips=known)
        if cancel.is_set():
            return
        self.app.call_from_thread(self._show_rules, detector, rules_dir)
        selection = scope.selection
        if selection.feed is not None and scope.borrowed:
            self._wait_for_feed(selection.feed, cancel)
        elif selection.feed is not None:
            self._phase = "reading Event history\u2026"

            def progressed(progress: LookupProgress) -> None:
                self._progress = progress
                self._dirty = True

            selection.feed.run(progressed)
        elif scope.archive is not None:
            self._wait_for_archive(scope.archive, selection, cancel)
        if cancel.is_set():
            return
        # Before the count: a load going on after it makes the findings stale, said.
        loaded = filling_archive(selection)
        report = loaded.report if loaded is not None else None
        count = selection.count()
        self._phase = "running detections\u2026"
        self._so_far = None
        self._judged = (0, count)
        self._dirty = True

        def judged(done: int) -> None:
            self._judged = (done, count)
            self._dirty = True

        findings = detector.run(selection.store.events(selection.where, selection.params),
                                progress=judged, stop=stop_detections.is_set)
        # What the events lack, as the events view's exports and :stack say it, whatever
        # the source: Event history's cut-off and failed regions (grouped by why), an
        # archive's files not read.
        partial = selection.coverage(scope.filter, scope.store_label).caveats()
        cut = ""
        if detector.judged < count:
            cut = (f"detections cancelled after {detector.judged:,} of "
                   f"{count_of(count, 'event')} (r runs them all)")
            count = detector.judged
        if not cancel.is_set():
            self.app.call_from_thread(self._show_findings, findings, count, unread,
                                      (cut, partial, report))

    def _known_addresses(
        self, inventory: Inventory | None, cancel: threading.Event
    ) -> tuple[dict[str, OwnAddresses], list[tuple[str, Failure]]]:
        """The instances' own addresses, from the account's EC2 inventory: read for the
        regions not read yet, whatever the events' source (an archive's events are the
        account's as much as Event history's); and each region whose instances could
        not be read, with why, in the inventory's order: its instances' keys are judged
        by what the events show alone, which the responder must be told.

        ``{}`` without an account: a folder of logs alone is still judged, by the
        addresses its own events show; ``{}`` too when this run was stopped (r again,
        the view left) before the reads began: its Describe calls would be for nothing."""
        if inventory is None or cancel.is_set():
            return {}, []
        self._phase = "reading the instances' addresses\u2026"
        self._dirty = True
        outcomes = asyncio.run(inventory.load(Kind.INSTANCES))
        failed = {o.region: o.failure for o in outcomes if o.failure is not None}
        unread = [(region, failed[region]) for region in inventory.regions if region in failed]
        return instance_addresses(inventory.cached(Kind.INSTANCES)), unread

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker of this view failed: say so (the last findings stay on screen)."""
        worker: Worker[Any] = event.worker
        if event.state is not WorkerState.ERROR or not worker.group.startswith("findings"):
            return
        if worker.group == "findings-detect":
            self.running = False
            self._phase = ""
            self._dirty = True
        if worker.error is not None:
            app_of(self).notify_failure(worker.group, classify(worker.error))

    def _wait_for_feed(self, feed: LookupFeed, cancel: threading.Event) -> None:
        """An events view still reading Event history: wait until it stops (a view that
        has not started yet gets a few seconds), so the detections see all its rows."""
        self._phase = "waiting for the events view to finish reading\u2026"
        deadline = time.monotonic() + FEED_START_GRACE
        while not cancel.is_set():
            progress = feed.lookup.progress()
            self._progress = progress
            self._dirty = True
            started = progress.pages or progress.regions_done or progress.running
            if not progress.running and (started or time.monotonic() > deadline):
                return
            time.sleep(REFRESH_EVERY)

    def _wait_for_archive(
        self, archive: ArchiveSource, selection: Selection, cancel: threading.Event
    ) -> None:
        """Load the ``--source`` archive if no events view did yet, or wait for its load;
        either way, count what it has stored after each batch, for the status."""
        if not archive.started:
            self._phase = "loading the archive\u2026"
            archive.load(lambda _progress: self._count_so_far(selection, cancel))
            return
        self._phase = "waiting for the archive to load\u2026"
        self._dirty = True
        counted: LoadProgress | None = None
        while archive.report is None and not cancel.is_set():
            progress = archive.progress
            if progress is not counted:  # a batch stored since the last count
                counted = progress
                self._count_so_far(selection, cancel)
            time.sleep(REFRESH_EVERY)

    def _count_so_far(self, selection: Selection, cancel: threading.Event) -> None:
        """Count the events stored so far, here in the worker (see :meth:`_show_status`);
        a stopped run's load, still going, no longer counts for the run after it."""
        if cancel.is_set():
            return
        self._so_far = selection.count()
        self._dirty = True

    # -- showing ------------------------------------------------------------------------

    def _show_rules(self, detector: Detector, rules_dir: str | None) -> None:
        """The rules line (only when some could not run) and their list in F1."""
        self.detector = detector
        report = rules_report(detector, rules_dir)
        problems = self.query_one("#findings-problems", Static)
        problems.display = bool(detector.problems)
        if not detector.problems:
            self.help_text = self.BASE_HELP + "\n\n" + report[0]
            return
        count = len(detector.problems)
        first = detector.problems[0]
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f"{count_of(count, 'rule')} could not run", style="bold")
        line.append(" (F1 lists them): ", style="cyan")
        line.append(f"{clean(Path(first[0]).name, 60)}: {clean(first[1], 80)}")
        problems.update(line)
        # The rules that could not run first: the line above says F1 lists them.
        self.help_text = "\n\n".join(report) + "\n\n" + self.BASE_HELP

    def _show_unread(self, unread: list[tuple[str, Failure]]) -> None:
        """The regions whose instances could not be read, and why, shown with the
        findings they qualify (drawn in the same call): a stolen instance key used there
        is judged without the instance's own addresses, so a theft may rank lower. The
        consequence comes first and the regions are grouped by why: throttling hits many
        regions at once, and the line has two rows."""
        line = self.query_one("#findings-instances", StatusRows)
        line.display = bool(unread)
        text = Text(overflow="ellipsis")
        text.append("instance-credential findings judged without the instances' addresses "
                    f"in {count_of(len(unread), 'region')}", style="bold")
        text.append(f" (instances not read: {'; '.join(failed_regions(unread))})")
        line.show(text)

    def _show_findings(
        self, findings: list[Finding], count: int, unread: list[tuple[str, Failure]],
        over: tuple[str, list[str], LoadReport | None],
    ) -> None:
        """Show a run's findings over ``count`` events; ``over``: how far its
        detections went (:attr:`_cut`), what its events lacked (:attr:`_partial`) and
        the report of the load they came from (:attr:`_run_load`)."""
        self._show_unread(unread)
        self._cut, self._partial, self._run_load = over
        self.findings = findings
        # Their events are marked in every events table now: the correlations'
        # findings (stolen credentials) show there as the single-event rules do.
        app_of(self).marker.remember(findings)
        self.events_read = count
        self.running = False
        self._phase = ""
        self._read_kept()
        self.table.set_columns(self._columns())
        self.table.set_source(FindingRows(findings))
        followed, self._followed = self._followed, None
        if followed is not None:
            self.table.cursor_row = same_finding(findings, followed)
        self._show_status()
        self._show_detail()

    def _catch_up(self) -> None:
        self._follow_load()
        if self._dirty:
            self._dirty = False
            self._show_status()

    def _filling(self) -> ArchiveSource | None:
        """The archive whose load fills the findings' store (:func:`filling_archive`)."""
        return filling_archive(self.scope.selection) if self.scope is not None else None

    def _load_report(self) -> LoadReport | None:
        """The report of the load filling the findings' store now (None: it runs, or
        none fills it)."""
        archive = self._filling()
        return archive.report if archive is not None else None

    def _loaded_since(self) -> bool:
        """Whether the load filling the findings' store went on since they ran (L,
        after C): they lack what it added, and what they said it lacked (the load
        cancelled, files not reached) no longer holds."""
        archive = self._filling()
        return archive is not None and not self.running and archive.report is not self._run_load

    def _follow_load(self) -> None:
        """L went on with the load since the findings ran: run them again, as a first
        :findings over a load does (waiting for it, its progress shown, C cancelling
        it). Not while another view is on top, nor over a list other than theirs
        (:meth:`_earlier_list`: the status says so, and r runs over the new one); and a
        drill-down's run, which waits for no load, once the load is over."""
        scope, archive = self.scope, self._filling()
        if (scope is None or archive is None or self.app.screen is not self
                or not self._loaded_since() or self._earlier_list() is not None
                or (scope.archive is None and archive.loading)):
            return
        self._followed = self.finding_at_cursor()
        self.action_rerun()

    def _show_status(self) -> None:
        """The scope and the status lines. No store query here: it runs on the UI
        thread at every refresh, and a count over an archive loading a million events
        stalls the screen each time; the worker counts (:meth:`_count_so_far`)."""
        self.query_one("#findings-scope", StatusRows).show(self._scope_line())
        status = self.query_one("#findings-status", StatusRows)
        if not self.running:
            count = Text().append(count_of(len(self.findings), "finding"), style="bold")
            year = findings_year(self.findings, self._drawn_local)
            if year:  # the table's headers leave it out (finding_columns)
                count.append(f" of {year}", style="bold")
            read = count_of(self.events_read, "event")
            count.append(f" ({severity_counts(self.findings)}) over {read}")
            width = status.content_region.width or self.app.size.width
            status.show(fitted_status(self._partial_now(), count, width, self.app.console,
                                      self._lead()))
            return
        line = Text(overflow="ellipsis")
        line.append(self._phase, style="yellow")
        progress = self._progress
        if self._judged is not None:
            done, total = self._judged
            line.append(f"  {done:,} of {count_of(total, 'event')} judged")
        elif progress is not None:
            line.append(f"  {progress.summary()}")
        if self._so_far is not None:
            line.append(f"  {count_of(self._so_far, 'event')} so far")
        if self._cancellable():
            line.append("  C: cancel", style="dim")
        status.show(line)

    def _cancellable(self) -> str:
        """What C would stop now ("" for nothing): the archive's load, our own Event
        history read, or the detections (an events view's read is that view's)."""
        scope = self.scope
        if not self.running or scope is None:
            return ""
        if self._judged is not None:
            return "" if self._stop_detections.is_set() else "detections"
        if scope.archive is not None and scope.archive.loading:
            return "load"
        feed = scope.selection.feed
        if feed is not None and not scope.borrowed and feed.lookup.progress().running:
            # Only while it reads: set before its first page (during "starting…"), the
            # cancel made the read get nothing, said as "the events read so far".
            return "history"
        return ""

    def action_cancel(self) -> None:
        """C: stop what runs, keeping what it has (see the help); said at once, for the
        batch or the rule in hand ends first."""
        scope = self.scope
        what = self._cancellable()
        if scope is None or not what:
            self.notify("nothing C can cancel now" if self.running
                        else "nothing to cancel: the detections are done (r runs them again)")
        elif what == "detections":
            self._stop_detections.set()
            self._phase = "cancelling the detections\u2026"
            self.notify("cancelling the detections: the findings so far are kept")
        elif what == "load":
            cancel_load(self, scope.archive)
        elif scope.selection.feed is not None:
            scope.selection.feed.cancel.set()
            self.notify("cancelling the Event history read: the detections run over the "
                        "events read so far")
        self._dirty = True

    def on_resize(self) -> None:
        """The status's reasons are cut to the width: cut them again for the new one."""
        self._dirty = True

    def _scope_line(self) -> Text:
        """Which events the findings are over, on up to two lines; when that is one
        events view's rows, that A widens it (said first, so it is never cut)."""
        line = Text(overflow="ellipsis")
        scope = self.scope
        if scope is not None and scope.borrowed:
            line.append("A: all events", style="bold")
            line.append(" \u00b7 ", style="dim")
        line.append(f"over: {clean(scope.label if scope is not None else '', 300)}")
        return line

    def on_virtual_table_cursor_moved(self, message: VirtualTable.CursorMoved) -> None:
        message.stop()
        self._show_detail()

    def _read_kept(self) -> None:
        """Which findings the open case keeps (it may have kept them in an earlier
        session, or from another :findings)."""
        session = app_of(self).case
        self.kept.clear()
        if session is not None:
            self.kept.update(session.kept_findings())

    def _show_detail(self) -> None:
        """The finding under the cursor in full: its title, summary and why it matters."""
        finding = self.finding_at_cursor()
        text = Text()
        if finding is not None:
            # The title whole: the table's column cuts it at 80 columns.
            text.append(clean(finding.title, 300), style="bold")
            if finding in self.kept:
                text.append("  K: kept in the case", style="bold green")
            text.append("\n" + clean(finding.summary, 400))
            text.append("\n" + clean(finding.detail, 600), style="dim")
        self.query_one("#findings-detail", PlanLine).show(text)

    def action_info(self) -> None:
        """i: the finding under the cursor whole, on a page of its own."""
        finding = self.finding_at_cursor()
        if finding is None:
            self.notify("no finding here")
            return
        self.app.push_screen(HelpScreen(finding_page(finding, finding in self.kept)))

    def finding_at_cursor(self) -> Finding | None:
        row = self.table.row_at_cursor()
        return row if isinstance(row, Finding) else None

    # -- keys ----------------------------------------------------------------------------

    def on_virtual_table_row_selected(self, message: VirtualTable.RowSelected) -> None:
        """Enter: the finding's events, in the events view, from the same store."""
        message.stop()
        finding = message.row
        if not isinstance(finding, Finding) or self.scope is None:
            return
        if not finding.event_ids:
            self.notify("this finding names no event IDs", severity="warning")
            return
        if len(finding.event_ids) <= MAX_ID_FILTER:
            # Its filter (the events' IDs) says which; another typed there, or a pivot
            # from one of them, searches all the store holds: the label must say that.
            source = StoreSource(self.scope.selection.store, self.scope.store_label,
                                 self.scope.drilled())
            app_of(self).open_view("events", filter_text=ids_filter(finding.event_ids),
                                   source=source, named=named_finding(finding))
            return
        self.open_many(finding)

    @work(thread=True, group="findings-open", exit_on_error=False)
    def open_many(self, finding: Finding) -> None:
        """A finding with many events: a store of its events alone (copied in a worker)."""
        assert self.scope is not None
        store = EventStore()
        store.add_events(self._events_of(finding))
        title = f"{count_of(len(finding.event_ids), 'event')} of {finding.title}"
        source = StoreSource(store, title, self.scope.drilled())
        self.app.call_from_thread(app_of(self).open_view, "events", source=source,
                                  named=named_finding(finding))

    def _events_of(self, finding: Finding) -> Iterable[Event]:
        assert self.scope is not None
        return self.scope.selection.store.events(
            "event_id = ANY(?::VARCHAR[])", [list(finding.event_ids)]
        )

    def action_keep(self) -> None:
        """K: keep the finding under the cursor in the open case (and save it)."""
        finding = self.finding_at_cursor()
        if finding is None:
            self.notify("no finding under the cursor", severity="warning")
            return
        session = app_of(self).case
        if session is None:
            self.notify("no case is open, so nothing can be kept (start with --case NAME)",
                        severity="warning")
            return
        if finding in self.kept:
            self._already_kept(finding)
            return
        self.keep(session, finding)

    def _already_kept(self, finding: Finding) -> None:
        self.notify(f"already kept in the case: {clean(finding.title, 80)}")

    @work(thread=True, group="findings-keep", exit_on_error=False)
    def keep(self, session: CaseSession, finding: Finding) -> None:
        """Keep ``finding`` with its events on the timeline, then save (file I/O). The
        session says whether the case had it already (K twice, before the first one
        was shown): it checks under the lock its keeps take, so the answer is sure."""
        try:
            path = session.keep_finding(finding, list(self._events_of(finding)))
        except OSError as exc:
            self.app.call_from_thread(
                self.notify, f"case not saved: {clean(exc, 300)}", severity="error"
            )
            return
        self.app.call_from_thread(self._kept, finding)
        if path is None:
            self.app.call_from_thread(self._already_kept, finding)
            return
        self.app.call_from_thread(
            self.notify, f"kept in the case: {clean(finding.title, 80)} ({clean(path, 120)})"
        )

    def _kept(self, finding: Finding) -> None:
        """Mark ``finding`` kept in the table and the detail."""
        self.kept.add(finding)
        self.table.refresh()
        self._show_detail()
