"""`:timeline`: the case's story in one list, oldest first: the events marked (`m`) and
those of the findings kept (`K`), the notes (`N`), the findings themselves and the
account-changing calls the app attempted (forensic snapshots and images: made, failed,
declined or refused).

Until this view the timeline and the notes lived only in the exports: `N` said "note
saved" and nothing showed it. The case keeps a few fields of each event, not its
record (:class:`awsir_tui.case.model.TimelineEntry`), so Enter on an event opens the
events view on its ID, where Enter shows the record (or the view says the source no
longer has it: :func:`not_found`); on a note or a finding it shows it whole. The pane
under the table shows every field the exports write of the row under the cursor: at
80 columns the table has room for time, what and the outcome (who beside them where
it fits whole); `l` lays the columns out again from the next one, with the room the
first gave up (who, then why).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import DataTable, Static

from awsir_tui.case.action import WHY, Action
from awsir_tui.case.export import NO_TIME, seen_text
from awsir_tui.case.model import Note, TimelineEntry
from awsir_tui.case.secrets import safe_text
from awsir_tui.detect.finding import Finding
from awsir_tui.query.times import as_utc
from awsir_tui.text import clean, count_of
from awsir_tui.ui.base import TextScroll, View, app_of, cell
from awsir_tui.ui.detail_pane import (
    DetailedTableView,
    DetailPane,
    FieldLines,
    field_lines,
    joined,
)
from awsir_tui.ui.events_detail import bounded_pivot
from awsir_tui.ui.events_view import default_source
from awsir_tui.ui.findings_view import ids_filter
from awsir_tui.ui.fitting import (
    NARROWEST,
    fitted_widths,
    natural_widths,
    show_rows,
    table_room,
)
from awsir_tui.ui.registry import make_view
from awsir_tui.ui.time_columns import time_format

#: One row of the timeline: an event of the case's timeline, a note, a kept finding, an
#: account-changing call attempted.
Item = TimelineEntry | Note | Finding | Action
#: The order of items at the same second: what happened, what was found, what was
#: done, what was said.
_KIND_ORDER = {TimelineEntry: 0, Finding: 1, Action: 2, Note: 3}
#: What the pane says while the case's timeline is empty.
EMPTY_HINT = """m on an event (in :events or on its page) puts it on the timeline
K in :findings keeps a finding, and its events
N writes a note on the case"""
#: Where an item of unknown time sorts (after every known one).
_NEVER = datetime.min.replace(tzinfo=UTC)


def item_time(item: Item, times: dict[str, datetime]) -> datetime | None:
    """When ``item`` happened: an event's time, a note's writing, a finding's first
    event (its own first time, else the earliest of its events on the timeline, whose
    times are ``times`` by event ID; None when neither is known)."""
    if isinstance(item, Finding):
        if item.first_time is not None:
            return item.first_time
        known = [times[event_id] for event_id in item.event_ids if event_id in times]
        return min(known, default=None)
    return item.time


def in_order(
    entries: Iterable[TimelineEntry], notes: Iterable[Note], findings: Iterable[Finding],
    actions: Iterable[Action] = (),
) -> list[tuple[datetime | None, Item]]:
    """Every item with its time, oldest first (UTC; an incident reads from its start),
    stable (notes written in one second keep their order); a finding whose time is not
    known goes last."""
    entries = list(entries)
    times = {entry.event_id: as_utc(entry.time) for entry in entries}
    items: list[Item] = [*entries, *findings, *actions, *notes]
    return sorted(((item_time(item, times), item) for item in items), key=_order)


def _order(pair: tuple[datetime | None, Item]) -> tuple[bool, datetime, int]:
    """Known times first, by instant (a naive time, from a hand-edited case, is UTC)."""
    when, item = pair
    return when is None, as_utc(when) if when else _NEVER, _KIND_ORDER[type(item)]


#: The table's columns, and those of free text that give way to fit at 80 columns.
#: The outcome, the error code the timeline exists to show, comes right after what was
#: called, whole (``InstanceLimi…`` and ``Client.Unaut…`` were cut with who in sight
#: before it). Who follows, and keeps an instance ID whole (a stolen role's calls are
#: made by the instance's session, named by it: cut, as ``i-b2547952490…``, it no
#: longer told the compromised instance from its neighbours): beside long codes at 80
#: columns it is one `l` away, and the pane says it. What gives way where it must,
#: down to :data:`CUT_NAME`: a name cut there still says which call it was. At 80
#: columns the first :data:`IN_SIGHT` must show: who, where it does not fit whole, and
#: why are pushed past the edge (`l`). The time's header is
#: :meth:`~.time_columns.TimeFormat.header`'s.
COLUMNS = ("time", "what", "outcome", "who", "why")
FREE_TEXT = (1, 2, 3, 4)
IN_SIGHT = 3
#: The narrowest "what" is made: a finding's title or a note's text longer than the
#: names gives way down to them, or to this (cut at 16, DescribeInstances and
#: DescribeInstanceStatus read alike).
WHAT_FLOOR = 16
#: The narrowest a longer name is made for who and the outcome (the common names run
#: to about 25, the longest to about 40): 23 letters and ``…``,
#: ``AuthorizeSecurityGroupI…`` (Ingress, not Egress), ``DescribeInstanceAttribu…``,
#: ``DescribeInstanceInforma…``.
CUT_NAME = 24
#: The narrowest who is made: an instance's session (the user name of a stolen role's
#: calls) whole, ``i-`` and 17 hex digits, as the events table shows it.
WHO_FLOOR = 19
#: The widest the outcome is made for the longest error code shown (AWS's run to about
#: 40: ``Client.UnauthorizedOperation`` is 28); a longer one, which no AWS code is, is
#: cut. Time, what at its narrowest and such an outcome fit 80 columns with a vertical
#: scrollbar: 14 + 24 + 40 and a gap of 2 after each. The room left beside them goes
#: to the names, then to who (whole or not at all), not to why.
OUTCOME_MOST = 40


def in_sight(first: int) -> range:
    """The columns that must show with column ``first`` at the left edge: up to the
    outcome (who and why past the edge where they do not fit beside them); scrolled,
    as many from ``first`` (after `l`, who is sized to show beside what and the
    outcome)."""
    return range(first, min(len(COLUMNS), first + IN_SIGHT))


def floors(
    shown: Iterable[Item], natural: Sequence[int], room: int, first: int = 0,
    home: Sequence[int] = (),
) -> list[int]:
    """The narrowest each column is made for ``shown``, whose columns are ``natural``
    wide, when those :func:`in_sight` from ``first`` have ``room`` cells (their gaps
    left out): the outcome its longest error code whole (up to :data:`OUTCOME_MOST`);
    who :data:`WHO_FLOOR`, or as wide as a kept finding's technique, which it shows
    (``T1552.0…`` was another technique); what every name whole up to
    :data:`CUT_NAME`; why a few letters. Set by the room, not left to the widest-first
    fitting, which cut a name or an error code to leave why (past the edge when there
    is no room) in sight.

    The room left beside those goes, at the left edge, to what, up to its longest
    name. Scrolled (`l`), each column keeps at least its width there, ``home`` (a name
    whole, then cut after `l`, read as another call)."""
    shown = list(shown)
    names = [cell(item.event_name if isinstance(item, TimelineEntry) else action_what(item))
             .cell_len for item in shown if isinstance(item, TimelineEntry | Action)]
    techniques = [cell(item.technique).cell_len for item in shown
                  if isinstance(item, Finding)]
    longest = max([WHAT_FLOOR, *names])
    least = [natural[0], min(longest, CUT_NAME), min(natural[2], OUTCOME_MOST),
             max([WHO_FLOOR, *techniques]), NARROWEST]
    sight = in_sight(first)
    for index in sight:
        if index < min(len(home), IN_SIGHT):
            least[index] = max(least[index], home[index])
    spare = room - sum(min(natural[i], least[i]) for i in sight)
    for index, most in [(1, min(longest, natural[1]))]:
        if index in sight:
            grow = max(0, min(spare, most - min(natural[index], least[index])))
            least[index] = max(least[index], min(natural[index], least[index]) + grow)
            spare -= grow
    return least


def column_widths(
    shown: Sequence[Item], headers: Sequence[str], natural: Sequence[int], room: int,
    gap: int, first: int = 0,
) -> list[int]:
    """The columns' widths in ``room`` cells (each followed by ``gap``), column
    ``first`` at the left edge. Those before it keep the first screen's widths (h
    brings them back as they were); from it the columns are fitted afresh, the last
    widened with blanks to end at the right edge, so that the table scrolls to put
    ``first`` at the left one."""
    def fitted(start: int, home: Sequence[int] = ()) -> list[int]:
        sight = in_sight(start)
        least = floors(shown, natural, room - gap * len(sight), start, home)
        return fitted_widths(
            natural[start:], [i - start for i in FREE_TEXT if i >= start], room, gap,
            [max(cell_len(header), floor) for header, floor in
             zip(headers[start:], least[start:], strict=True)],
            len(sight))

    widths = fitted(0)
    if first:
        widths = [*widths[:first], *fitted(first, widths)]
    widths[-1] += max(0, room - sum(widths[first:]) - gap * (len(widths) - first))
    return widths


def _who(entry: TimelineEntry) -> str:
    """Who made the call, as short as it is known: the user name, else the ARN."""
    return entry.user or entry.user_arn or entry.principal or entry.access_key


def acted_as(action: Action) -> str:
    """Who attempted ``action``, short: the ARN's resource (``user/responder``,
    ``assumed-role/IR/session``); the pane says the ARN whole."""
    return action.who.split(":", 5)[-1] if action.who.startswith("arn:") else action.who


def action_what(action: Action) -> str:
    """What ``action`` acted on and what it made (``vol-… → snap-…``, 46 cells: whole
    at 80 columns beside the time and ``ok``), the call itself only when it made
    nothing: with it, 63 cells read ``vol-… → snap-4a92a013e0e0688c4 (Cre…``. What it
    made says the call (a snapshot, an image); why and the pane name it."""
    if action.created:
        return f"{action.resource or '-'} → {action.created}"
    return action.what


def row_cells(time: str, item: Item) -> tuple[Text, ...]:
    """The row's cells: time (as written), what, outcome, who, why (each clean, plain
    Text). A note, which has no name, caller nor outcome, says its text in "what" (in
    sight at 80 columns, where why is not) and "note" as its outcome, so that it is
    told from an event's row without its style."""
    if isinstance(item, TimelineEntry):
        outcome = item.outcome_text
        return (cell(time), cell(item.event_name, 80),
                cell(outcome, 80, "" if outcome == "ok" else "yellow"), cell(_who(item), 80),
                cell(safe_text(item.why), 80))  # a value marked in it may say a secret
    if isinstance(item, Action):
        outcome = item.outcome_text
        return (cell(time), cell(action_what(item), 80),
                cell(outcome, 80, "" if outcome == "ok" else "yellow"),
                cell(acted_as(item), 80), cell(f"{WHY}: {item.operation}", 80))
    if isinstance(item, Finding):
        return (cell(time), cell(item.title, 80, "bold"), cell(item.severity),
                cell(item.technique),
                cell(f"finding kept: {count_of(len(item.event_ids), 'event')}", 80))
    return (cell(time), cell(safe_text(item.text), 80, "italic"), cell("note", 16, "italic"),
            cell(""), cell(""))


def item_text(when: datetime | None, item: Item) -> FieldLines:
    """Everything the case holds of ``item``, one field a line, as the exports write it
    (a long one wrapped whole: the pane under the list scrolls, J/K)."""
    time = seen_text(when)
    if isinstance(item, TimelineEntry):
        return field_lines([
            ("event", joined((time, item.event_name, item.outcome_text, item.region,
                              item.account))),
            ("who", joined((item.user, item.user_arn))),
            ("from", joined((item.source_ip, item.access_key))),
            ("request", item.request), ("why", item.why), ("event ID", item.event_id),
        ])
    if isinstance(item, Action):
        return field_lines([
            ("action", joined((time, item.operation, item.outcome_text, item.region))),
            ("acted on", item.resource), ("created", item.created), ("who", item.who),
            ("said", item.text),
        ])
    if isinstance(item, Finding):
        return field_lines([
            ("finding", f"{time}  {item.severity}  {item.technique}"), ("title", item.title),
            ("summary", item.summary), ("detail", item.detail),
            ("events", ", ".join(item.event_ids)),
        ])
    return field_lines([("note", time), ("text", item.text)])


def not_found(entry: TimelineEntry, source: str) -> str:
    """What the events view opened on ``entry`` says when ``source`` no longer has it:
    a case outlives Event history's 90 days, and one made from an archive may be
    reopened without it (or, on the demo, an account made afresh at each start)."""
    return (f"Event {entry.event_id} ({entry.event_name or 'no name'}, "
            f"{seen_text(as_utc(entry.time))}) was not found in {source} (Event history "
            "keeps 90 days; an archive, the files given). The case keeps its fields (who, "
            "from where, what it asked, how it ended), not its whole record: Esc, and "
            "the timeline's pane shows them.")


class TimelineItemView(View):
    """A note or a finding of the timeline, whole (a long one is cut in the table)."""

    DEFAULT_CSS = "TimelineItemView #timeline-item { padding: 0 1; }"
    help_text = """
One item of the case's timeline, whole: a note with the time it was written, or a
kept finding with its summary, detail and event IDs. Esc goes back to :timeline.
"""

    def __init__(self, when: datetime | None, item: Item) -> None:
        super().__init__()
        self.item = item
        self._when = when
        self.crumb = ("note" if isinstance(item, Note) else
                      "action" if isinstance(item, Action) else "finding")

    def compose_body(self) -> Iterable[Widget]:
        with TextScroll(id="timeline-item-scroll"):
            yield Static(item_text(self._when, self.item), id="timeline-item")

    def on_mount(self) -> None:
        self.query_one(TextScroll).focus()


class TimelineTable(DataTable[Text]):
    """The timeline's rows; Enter opens the one under the cursor. The table's own
    binding (selecting the row), shown in the footer: a priority one on the view would
    run before a `G` typed just ahead of it had moved the cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open", id="timeline.open"),
    ]


class TimelineView(DetailedTableView):
    """`:timeline`: the case's events, findings and notes in one list, oldest first."""

    crumb = "timeline"
    empty_hint = EMPTY_HINT
    help_text = """
The case's timeline, oldest first: the events marked with m (in :events or an
event's page), the events of every finding kept with K in :findings, the kept
findings themselves (at their first event), the notes written with N and every
account-changing call the app attempted (F and I: made, failed, declined or refused;
"forensic action"; the journal file beside the case file keeps every call). Columns:
time (in UTC, or local time after o in :events; the header says which, and the year
when the rows share it), what (the event's name, the finding's title, a note's
text, an action's volume or instance and what it made: vol-… → snap-…, the call's
name only when it made nothing), outcome (the error code, whole, or ok; a finding's
severity; "note"; declined, refused), who (the user, else the caller's ARN; a
finding's technique; the identity an action was attempted as) and why it is there
(marked, flagged: the finding's title; forensic action: the call). Where the screen
is narrow (80 columns) who, where it does not fit whole beside a long error code, and
why go past the right edge: l scrolls a column right and sizes the columns in sight
again, who then why.

The pane below shows all the case holds of the row under the cursor: the caller's ARN,
access key, source IP, account, region, event ID and what the request asked for, as the
exports (x in :indicators) write them. Enter on an event opens the events view on its
ID (Enter there shows its whole record: the case keeps a few fields, not the record;
an event the source no longer has, past Event history's 90 days or not in the archive
given, is said so there); on a note or a finding it shows it whole. The list is read
again each time the view is shown, and after N here. h/l scroll by whole columns (l
while one is cut or past the right edge), J/K the pane.
"""
    DEFAULT_CSS = """
    TimelineView #timeline-table { height: 1fr; }
    TimelineView #timeline-status { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self) -> None:
        super().__init__()
        #: The rows as shown, with their times (the cursor's row indexes this list).
        self._shown: list[tuple[datetime | None, Item]] = []
        #: The column at the left edge (h/l), and whether l has more to show.
        self._first = 0
        self._more = False

    def compose_body(self) -> Iterable[Widget]:
        yield TimelineTable(id="timeline-table", cursor_type="row", zebra_stripes=True)
        yield DetailPane(id="timeline-detail")
        yield Static(id="timeline-status")

    def on_mount(self) -> None:
        self.refresh_rows()

    def on_resize(self) -> None:
        """The columns are sized to the width: size them again for the new one, from
        the first (what a scroll showed may fit the new width from the left edge)."""
        self._first = 0
        self.refresh_rows()

    def action_column_right(self) -> None:
        """l: one column right, while a column in sight is cut or one is past the right
        edge, the columns from it sized afresh: what the first screen cut for the time's
        room (an error code, a long name) shows with it."""
        if self._more and self._first < len(COLUMNS) - 1:
            self._first += 1
            self.refresh_rows()

    def action_column_left(self) -> None:
        """h: one column left, the columns as they were there."""
        if self._first:
            self._first -= 1
            self.refresh_rows()

    def on_screen_resume(self) -> None:
        """Shown again: events were marked, findings kept or notes written meanwhile.
        After the app's `N` prompt closes over this view, the note is saved by a
        callback the app runs next: read the case after it. (View's own handler runs
        too: Textual calls each class's in the MRO.)"""
        self.app.call_next(self.refresh_rows)

    def refresh_rows(self) -> None:
        """Read the case's timeline again, the cursor kept on the item it was on."""
        table = self.query_one(DataTable)
        was = self.current()
        session = app_of(self).case
        entries, notes, findings = session.timeline_notes_findings() if session else ([], [], [])
        actions = session.actions() if session else []
        self._shown = in_order(entries, notes, findings, actions)
        # The times to the second, as the events table's: an incident's calls come
        # seconds apart, and the rows of a second keep the order in_order gives them.
        times = time_format((when for when, _ in self._shown), app_of(self).local_time)
        headers = (times.header(), *COLUMNS[1:])
        rows = [row_cells(times.text(when) or NO_TIME, item) for when, item in self._shown]
        natural = natural_widths(headers, rows)
        room, gap = table_room(table, len(rows)), 2 * table.cell_padding
        widths = column_widths([item for _, item in self._shown], headers, natural, room,
                               gap, self._first)
        show_rows(table, headers, widths, rows)
        # Anything from the left edge on cut, or past the right one: l has more to show.
        self._more = (any(w < n for w, n in zip(widths[self._first:], natural[self._first:],
                                               strict=True))
                      or sum(widths[self._first:]) + gap * (len(widths) - self._first) > room)
        table.call_after_refresh(table.scroll_to, x=sum(widths[:self._first])
                                 + gap * self._first, animate=False, immediate=True)
        items = [item for _, item in self._shown]
        if items:
            table.move_cursor(row=items.index(was) if was in items else min(
                max(table.cursor_row, 0), len(items) - 1))
        self.show_detail()
        self.query_one("#timeline-status", Static).update(
            Text(clean(self._status(len(entries), len(findings), len(notes), len(actions))),
                 style="dim"))

    def _status(self, events: int, findings: int, notes: int, actions: int) -> str:
        session = app_of(self).case
        if session is None:
            return "no case open (the account identity is not known yet)"
        if not events + findings + notes + actions:
            return f"nothing on the timeline of case {session.case.name} yet"
        done = f", {count_of(actions, 'action')}" if actions else ""
        return (f"{count_of(events, 'event')}, {count_of(findings, 'finding')}, "
                f"{count_of(notes, 'note')}{done} in case {session.case.name}")

    def current(self) -> Item | None:
        """The item under the cursor."""
        row = self.query_one(DataTable).cursor_row
        return self._shown[row][1] if 0 <= row < len(self._shown) else None

    def detail(self, row: int) -> FieldLines | None:
        return item_text(*self._shown[row]) if 0 <= row < len(self._shown) else None

    def on_data_table_row_selected(self, message: DataTable.RowSelected) -> None:
        """Enter: an event in the events view (by its ID, from where the app reads
        events), a note or a finding whole."""
        message.stop()
        if not 0 <= message.cursor_row < len(self._shown):
            return
        when, item = self._shown[message.cursor_row]
        if isinstance(item, TimelineEntry):
            source = default_source(self)
            view = make_view("events", filter_text=bounded_pivot(
                self, source, ids_filter([item.event_id]), item.time))
            view.say_if_none(not_found(item, source.label))
            self.app.push_screen(view)
        else:
            self.app.push_screen(TimelineItemView(when, item))
