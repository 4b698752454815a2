"""`:stack`: the threat hunter's move — count the loaded events by one or two fields.

Rare values are where attackers hide: the one access key used from a second IP, the
user agent seen twice, the error only one principal hits. This view counts the events of
the most recent events view (Event history results or a whole archive) grouped by any one
or two fields, biggest first, and a timeline of events per time bucket. Enter on a group
or a bucket opens the events behind it, answered from the same store without a new
query to AWS.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from awsir_tui.case.secrets import redact_text
from awsir_tui.detect.addresses import is_ip
from awsir_tui.events.coverage import Coverage
from awsir_tui.events.loader import UNDATED_FILTER
from awsir_tui.events.record import EPOCH, FIRST_USABLE_TIME
from awsir_tui.events.sources import Selection, StoreSource
from awsir_tui.events.stacking import NO_VALUE, SEVERAL_RESOURCES, STACK_FIELDS
from awsir_tui.query import quote
from awsir_tui.query.times import utc_minute, utc_stamp
from awsir_tui.text import clean, count_of
from awsir_tui.ui.base import Mark, TableView, Unmarked, app_of, cell
from awsir_tui.ui.fitting import fill_table, longest, shortened
from awsir_tui.ui.pacing import FOLLOW_EVERY, RefreshPacer
from awsir_tui.ui.time_columns import switch_local_time, time_format
from awsir_tui.ui.typeahead import RefillsTable
from awsir_tui.ui.yank import yank

_NAMES = list(STACK_FIELDS)
#: The fields whose groups `m` keeps as indicators, by the kind the field tells (None:
#: the value's shape tells it, a resource being an ARN, an instance ID, a bucket...).
MARK_KINDS: dict[str, str | None] = {
    "user_name": "user",
    "access_key_id": "access-key",
    "source_ip": "ip",
    "user_agent": "user-agent",
    "resources": None,
}
#: What the other fields' values are, which `m` refuses to keep: what was done, where,
#: how it ended, to whom. Kept, each went into the case as an indicator of kind "other"
#: (``RunInstances``), and into the export's list of values to grep the logs for.
NOT_INDICATORS = {
    "event_name": "an event name (what was done)",
    "aws_region": "a region (where)",
    "error_code": "an error code (how a call ended)",
    "event_source": "an event source (the service called)",
    "user_type": "an identity type (what kind of caller)",
    "account_id": "an account (whose resources the calls reached)",
}
#: How `m` ends a refusal: what it keeps here, and where an event of the group is kept.
MARKS_HERE = "m marks a user, key, ip, agent or resource; Enter opens its events, m keeps one"
#: What x and E, keys of the events and EC2 views, say here, where they do nothing.
NOT_HERE = {
    "x": "x exports events: Enter opens this group's events, x there exports them",
    "E": "E lists a resource's events: here Enter opens this group's events",
}
BAR_WIDTH = 20
#: The cells a field's values need to be read whole, which a column of that field keeps
#: while another gives way (a count by two fields at 80 columns): an event name ~30
#: (``GetFoundationModelAvailability``), an IPv4 address 15, an instance ID as a user
#: name 19, an access key 20. Free text (agents, ARNs, sources) has no such width.
WHOLE_WIDTH = {
    "event_name": 30,
    "user_name": 19,
    "access_key_id": 20,
    "source_ip": 15,
    "aws_region": 14,
    "user_type": 13,
    "account_id": 12,
}


def group_term(column: str, value: object) -> str:
    """The filter term that selects one group (an empty value means the field is empty)."""
    field = STACK_FIELDS[column]
    if value is None or value == "":
        return f"-{field}:*"
    return f"{field}:={quote(str(value))}"


#: (longest span, bucket as the store takes it, its width): readable row counts.
BUCKETS = (
    (timedelta(hours=6), "5 minutes", timedelta(minutes=5)),
    (timedelta(days=3), "1 hour", timedelta(hours=1)),
    (timedelta(days=180), "1 day", timedelta(days=1)),
    (timedelta.max, "1 week", timedelta(weeks=1)),
)
#: A timeline bucket whose count may lack events: one before the time from which the
#: rows are complete (only the events of the regions that had read that far back), or
#: any bucket when what is missing has no known time (:func:`partial_before`).
PARTIAL_MARK = "~"
#: :func:`partial_before` when every bucket may lack events.
EVERY_BUCKET = datetime.max.replace(tzinfo=UTC)

#: A run of more empty buckets than this between two events is one row, not one a bucket.
LONGEST_EMPTY_RUN = 5


#: No CloudTrail record is older: the service began on 2013-11-13. A time before it
#: (year 1) is damage or forgery, and must not stretch the timeline's buckets.
CLOUDTRAIL_BEGAN = datetime(2013, 11, 1, tzinfo=UTC)


def possible_before() -> datetime:
    """No record can be dated after this: the start of the day after tomorrow (UTC),
    a day's margin for a skewed clock, whole days so that the filter ``after:`` that
    shows the events left out reads as a date."""
    tomorrow = datetime.now(UTC) + timedelta(days=2)
    return tomorrow.replace(hour=0, minute=0, second=0, microsecond=0)


#: The buckets `w` steps through, each wider than the last shown (one too narrow for
#: the span is widened: :func:`chosen_bucket`), after the widest the narrowest.
BUCKET_CHOICES = (
    ("1 minute", timedelta(minutes=1)),
    ("5 minutes", timedelta(minutes=5)),
    ("1 hour", timedelta(hours=1)),
    ("1 day", timedelta(days=1)),
    ("1 week", timedelta(weeks=1)),
)
#: Most buckets a chosen width may cut the span into: a minute over a year of events
#: is 525,600 rows to count and draw.
MOST_BUCKETS = 5_000


def bucket_for(start: datetime, end: datetime) -> tuple[str, timedelta]:
    """A timeline bucket that gives a readable number of rows for this time span."""
    return next((name, width) for limit, name, width in BUCKETS if end - start <= limit)


def chosen_bucket(chosen: str, start: datetime, end: datetime) -> tuple[str, timedelta, str]:
    """The bucket `w` chose (``chosen``), or the narrowest wider one that cuts the span
    into at most :data:`MOST_BUCKETS`, and what was widened, said ('' if nothing)."""
    names = [name for name, _ in BUCKET_CHOICES]
    wider = BUCKET_CHOICES[names.index(chosen):]
    # A week always fits: the timeline keeps to the years since CloudTrail began.
    name, width = next(((n, w) for n, w in wider if (end - start) / w <= MOST_BUCKETS),
                       wider[-1])
    return name, width, ("" if name == chosen
                         else f"{chosen} would make over {MOST_BUCKETS:,} buckets")


@dataclass(frozen=True, slots=True)
class EmptyRun:
    """Consecutive empty buckets of the timeline, shown as one row."""

    start: datetime
    buckets: int


def with_empty_buckets(
    rows: Sequence[tuple[datetime, int]], width: timedelta, longest: int = LONGEST_EMPTY_RUN
) -> list[tuple[datetime | EmptyRun, int]]:
    """The timeline ``rows`` (the store's: non-empty buckets of ``width``, in order)
    with the empty buckets between them: as rows of 0, or a run longer than
    ``longest`` as one :class:`EmptyRun` row. A quiet hour is what a responder looks
    for; left out, it would not show at all. Rows stay few: at most ``longest + 1`` per
    bucket that has events."""
    filled: list[tuple[datetime | EmptyRun, int]] = []
    for index, (start, count) in enumerate(rows):
        if index:
            previous = rows[index - 1][0] + width
            empty = round((start - previous) / width)
            if empty > longest:
                filled.append((EmptyRun(previous, empty), 0))
            else:
                filled += [(previous + width * step, 0) for step in range(empty)]
        filled.append((start, count))
    return filled


def span_text(span: timedelta) -> str:
    """``3 days 4 h``, ``2 h 5 min``, ``35 min``: how long a run of empty buckets lasts."""
    minutes = int(span.total_seconds()) // 60
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{days} day{'s' if days != 1 else ''}" if days else "",
             f"{hours} h" if hours else "", f"{minutes} min" if minutes else ""]
    return " ".join(part for part in parts if part) or "0 min"


def value_cell(value: object) -> Text:
    """A group's value (a time: a bucket's start); no value as a dim :data:`NO_VALUE`,
    italic so that it never reads as a value of that name."""
    if value is None or value == "":
        return cell(NO_VALUE, style="dim italic")
    return cell(utc_minute(value) if isinstance(value, datetime) else shown_value(value), 60)


def shown_value(value: object) -> str:
    """A group's value as the screen and a yank give it: a user agent is the caller's
    to write, and one carrying a session token or a password (``curl
    X-Amz-Security-Token=…``) showed it whole, where the headless ``stack`` and every
    export redact it. (Enter's filter matches the value itself.)"""
    return redact_text(str(value))


def bucket_start(value: object) -> datetime | None:
    """When a timeline row's bucket, or its run of empty buckets, begins."""
    if isinstance(value, EmptyRun):
        return value.start
    return value if isinstance(value, datetime) else None


def bar(count: int, largest: int, most: int = BAR_WIDTH) -> Text:
    """A proportional bar of at most ``most`` cells, so the odd small group stands
    out at a glance."""
    width = max(1, round(most * count / largest)) if largest and count else 0
    return Text("\u2588" * width, style="cyan")


class StatusLine(Static):
    """The count's status, in at most :attr:`MAX_LINES` lines: ``partial: `` and why
    (``partial``), ``head`` (the title), ``cut`` (the filter), then ``tail`` (the count,
    the timeline's note). A pivot's filter of a finding's 17 event IDs took 9 of 24 rows;
    it is cut first, then the reasons (17 throttled regions fill 3 lines alone), each
    with ``…`` and only when cut, so that "partial" and how many events stay in sight
    (``?`` shows the whole filter: :meth:`StackView.help_intro`)."""

    MAX_LINES = 3

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.parts = ("", "", "", "")

    def show(self, head: str, cut: str = "", tail: str = "", partial: str = "") -> None:
        self.parts = (clean(head), clean(cut), clean(tail), clean(partial))
        self.refresh(layout=True)

    def render(self) -> Text:
        width = max(1, self.content_region.width or self.app.size.width)
        head, cut, tail, partial = self.parts

        def fits(text: str) -> bool:
            return len(Text(text).wrap(self.app.console, width)) <= self.MAX_LINES

        def shown(reasons: str, filter_: str) -> str:
            said = f"partial: {reasons} \u00b7 " if partial else ""
            return f"{said}{head}{filter_}{tail}"

        filter_, reasons = cut, partial
        if not fits(shown(reasons, filter_)):
            kept = longest(len(cut), lambda n: fits(shown(partial, shortened(cut, n))))
            filter_ = shortened(cut, kept)
        if not fits(shown(reasons, filter_)):
            kept = longest(len(partial), lambda n: fits(shown(shortened(partial, n), filter_)))
            reasons = shortened(partial, kept)
        text = Text(shown(reasons, filter_), style="dim")
        wrapped = list(text.wrap(self.app.console, width))
        if len(wrapped) <= self.MAX_LINES:
            return text
        # A title and count longer than the lines themselves (a very narrow terminal):
        # their start, cut.
        last = wrapped[self.MAX_LINES - 1]
        last.rstrip()
        last.truncate(max(0, width - 1))
        last.append("\u2026")
        return Text("\n").join(wrapped[: self.MAX_LINES])


def partial_before(coverage: Coverage) -> datetime | None:
    """Before when the timeline's buckets may lack events (None: none do;
    :data:`EVERY_BUCKET`: all). Only an Event history read that stopped short, with every
    region answering, places what it left out in time: each region read newest first,
    so every event after its ``complete_after`` is in. What else leaves events out has
    no time a bucket could be told by: a failed region's events are missing at every
    time; an archive's files load in folder order (account, region, day), not time
    order, so a cancelled load's unread files, or a file skipped, may hold any hour
    (and hours past the last bucket); a read or load still running adds anywhere."""
    if not coverage.partial():
        return None
    read = coverage.read
    if read is not None and not read.running and not read.failures:
        return read.complete_after
    return EVERY_BUCKET


def partial_note(coverage: Coverage, before: datetime | None) -> str:
    """The timeline status's word on its :data:`PARTIAL_MARK` ("" when none is shown):
    which buckets, and why there, so that a drop is not read as a quiet time."""
    if before is None:
        return ""
    if before != EVERY_BUCKET:
        return f"{PARTIAL_MARK}: before {before:%m-%d %H:%M:%S}, part of the events"
    read = coverage.read
    if read is None:
        report = coverage.report
        files_left = coverage.load_running or (
            report is not None and (report.cancelled or bool(report.not_read_whole)))
        why = ("the files not read may hold any time" if files_left
               else "an earlier load of the store left events out: partial: says what")
    elif read.running:
        why = "the read still runs"
    else:
        why = "a failed region's events are missing at every time"
        if read.complete_after is not None:  # the cap's cut-off, lost in the marks
            why += f"; before {read.complete_after:%m-%d %H:%M:%S}, other regions' too"
    return f"{PARTIAL_MARK}: every bucket may lack events ({why})"


@dataclass(frozen=True, slots=True)
class Grouping:
    """What a count is by: one or two fields, or (``timeline``) time buckets of
    ``bucket``, which the count chooses from the events' time span."""

    fields: tuple[str, ...]
    timeline: bool
    bucket: timedelta = timedelta(hours=1)
    #: The bucket `w` asked for ('' when the span chooses).
    chosen: str = ""


def count_rows(
    selection: Selection, grouping: Grouping
) -> tuple[list[tuple[object, ...]], Grouping, str, int]:
    """The rows of ``grouping`` over ``selection`` (its bucket chosen from the events'
    span, for a timeline), their title and how many events match: one scan of the
    events, as the count and the span come from the order the events view sorted
    (:meth:`EventStore.extent`); with a full-text term at 1M events a scan is ~1.3 GB."""
    store, where, params = selection.store, selection.where, selection.params
    if grouping.timeline:
        total, span = store.extent(where, params)
        title_end = ""
        first, before = CLOUDTRAIL_BEGAN, possible_before()
        if span and (span[0] < first or span[1] >= before):
            # Undated events (kept as 1970-01-01) put 55 years of empty buckets before
            # the real ones, and one dated 9999 416,016 weeks after them: left out of
            # the timeline, and said, with the filter that shows them.
            all_events = total
            undated = (store.count(*store.dated(where, params, EPOCH, FIRST_USABLE_TIME))
                       if span[0] < FIRST_USABLE_TIME else 0)
            future = store.count(*store.dated(where, params, before)) if span[1] >= before else 0
            where, params = store.dated(where, params, first, before)
            total, span = store.extent(where, params)
            # Each with a filter that can be typed: "before:A, after:B" was read as one
            # time and refused, and no filter ORs two time bounds.
            notes = [f"{count_of(undated, 'undated event')} left out: {UNDATED_FILTER}"
                     ] if undated else []
            if early := all_events - total - undated - future:
                notes.append(f"{count_of(early, 'event')} before CloudTrail began left out: "
                             f"before:{first:%Y-%m-%d}")
            if future:
                notes.append(f"{count_of(future, 'event')} in the future left out: "
                             f"after:{before:%Y-%m-%d}")
            title_end = f" ({'; '.join(notes)})"
        if span and grouping.chosen:
            bucket, width, widened = chosen_bucket(grouping.chosen, *span)
            title_end += f" ({widened})" if widened else ""
        else:
            bucket, width = bucket_for(*span) if span else ("1 hour", timedelta(hours=1))
        rows: list[tuple[object, ...]] = list(
            with_empty_buckets(store.timeline(bucket, where, params), width)
        )
        return rows, replace(grouping, bucket=width), f"events per {bucket}{title_end}", total
    rows = list(store.stack(grouping.fields, where, params))
    title = "count by " + " and ".join(STACK_FIELDS[f] for f in grouping.fields)
    if "resources" in grouping.fields:  # the counts add up to more than the events
        title += f" ({SEVERAL_RESOURCES})"
    return rows, grouping, title, selection.count()


class StackView(RefillsTable, TableView):
    """Counts of the loaded events by one or two fields, or per time bucket. The keys
    typed after f, F, t or r act on the new count's table: they wait for it."""

    REFILLING_ACTIONS = frozenset(
        {"first_field", "second_field", "timeline", "bucket_width", "recount"})

    crumb = "stack"
    works_on_events_beneath = True
    help_text = """
Counts the events of the most recent events view (its current filter) grouped by one
field, or two. f picks the first field, F the second (or none), t switches to the
timeline (events per time bucket: chosen from the span; w steps it through 1 minute, 5
minutes, 1 hour, 1 day, 1 week, each wider than the last, a width that would make over
5,000 buckets widened and said, then round again). Enter opens the events of a group or
bucket, taken from the same store: no new call to AWS. Groups are sorted biggest first: G goes to
the rarest, where an attacker hides, and g back to the top. A timeline count marked ~
may lack events (a read stopped short, a region failed, a load cancelled): a drop there
is not a quiet time, and the status says which buckets and why. o gives each bucket's
start in this machine's zone or UTC, as in the events lists (a bucket is cut in UTC all
the same: a day from 00:00 UTC; Enter's filter gives UTC times). Back on :stack after the
events view's filter changed, it counts the new filter's rows; r counts again. y copies
the group's value (its first field's, as m marks it; a bucket's start time). m marks it
as an indicator of its field's kind: a user, key, ip, agent or resource; a name, region,
error, source, type or account is none, and m says so. x and E work on events: Enter
opens the group's, where they do.

Fields: event name, user, access key, source IP, region, error code, user agent,
event source, resources (an event counts under each resource it names, and one that
names none under (none)), identity type, account (an organization trail holds every
member account's logs).
"""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_group", "Events", id="stack.open", priority=True),
        Binding("f", "first_field", "Field", id="stack.field"),
        Binding("F", "second_field", "2nd field", id="stack.field2"),
        Binding("t", "timeline", "Timeline", id="stack.timeline"),
        Binding("w", "bucket_width", "Bucket", id="stack.bucket", show=False),
        Binding("r", "recount", "Recount", id="stack.recount"),
        Binding("y", "yank", "Yank value", id="stack.yank", show=False),
        Binding("o", "local_time", "UTC/local", id="stack.local", show=False),
        # Keys of the views a responder comes from: silent here, they read as broken.
        Binding("x", "not_here('x')", show=False, id="stack.no_export"),
        Binding("E", "not_here('E')", show=False, id="stack.no_events"),
    ]

    def __init__(self, selection: Selection | None = None, base_filter: str = "") -> None:
        super().__init__()
        self.selection = selection
        self.base_filter = base_filter
        #: Opened by `:stack` (no selection given): it counts the newest events view's
        #: rows, and follows that view's filter when it comes back (on_screen_resume).
        self.follows_events_view = selection is None
        #: What f, g and t asked for; the rows on screen may still be the previous
        #: grouping's (a count of a million events takes a moment): see ``shown``.
        self.fields: list[str] = ["event_name"]
        self.timeline_mode = False
        #: The timeline's bucket `w` chose ('' when the span chooses).
        self.bucket_choice = ""
        self.rows: list[tuple[object, ...]] = []
        self.shown = Grouping(("event_name",), timeline=False)
        #: The rows on screen were counted while the read or load still ran: counted
        #: again as it goes on, and when it is done (:meth:`_follow_read`).
        self.counted_loading = False
        #: The last count's failure, as its notice said it: a load's paced recounts
        #: that fail alike say it once (the status keeps saying it), not each time.
        self._failure_said = ""
        #: Whether the timeline on screen gives its times in this machine's zone (`o`).
        self._drawn_local = False
        #: The count running (:meth:`recount`), if any: a load's next count waits for it.
        self._counting: Worker[None] | None = None
        #: Spaces the counts that show the rows a running load adds (see ui.pacing).
        self._recounts = RefreshPacer()
        #: Timeline buckets starting before this are partial (see :data:`PARTIAL_MARK`).
        self.partial_before: datetime | None = None
        #: Enter came while the count f, F or t asked for runs: it opens a row of that
        #: count's table once shown, not one of the table being left.
        self._open_when_shown = False
        #: What the rows on screen lacked when counted (their coverage's caveats).
        self._counted_partial = ""

    DEFAULT_CSS = """
    StackView #stack-table { height: 1fr; }
    StackView #stack-detail { height: auto; max-height: 3; }
    """

    def compose_body(self) -> Iterable[Widget]:
        yield StatusLine(id="stack-status")
        yield DataTable(id="stack-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="stack-detail")

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        """The cursor's group whole under the table: at 80 columns a resource's ARN or
        an agent is cut (``arn:aws:iam::307578594326:role/stratus-red-te…``), and two
        groups of one account's roles read alike. On the timeline, the bucket's whole
        span in UTC (what Enter's filter takes) and the key to another width: the line
        stayed blank there, and `w` is in no footer at 80 columns."""
        detail = self.query_one("#stack-detail", Static)
        row = self.query_one(DataTable).cursor_row
        if not 0 <= row < len(self.rows):
            detail.update("")
            return
        *values, count = self.rows[row]
        if self.shown.timeline:
            detail.update(self._bucket_detail(values[0], int(str(count))))
            return
        said = Text(no_wrap=False)
        for field, value in zip(self.shown.fields, values, strict=False):
            said.append(f"{STACK_FIELDS[field]}: ", style="dim")
            said.append_text(value_cell(value) if value in (None, "") else
                             Text(clean(shown_value(value), 400)))
            said.append("  ")
        said.append(count_of(int(str(count)), "event"), style="bold")
        detail.update(said)

    def _bucket_detail(self, value: object, count: int) -> Text:
        """``2024-08-01 00:00 to 2024-08-02 00:00 UTC  97 events  (w: another bucket
        width)``; a run of empty buckets from its start to its end."""
        start = bucket_start(value)
        if start is None:
            return Text("")
        buckets = value.buckets if isinstance(value, EmptyRun) else 1
        end = start + self.shown.bucket * buckets
        said = Text(f"{utc_minute(start)} to {utc_minute(end)} UTC  ", style="dim")
        said.append(count_of(count, "event"), style="bold")
        said.append("  (w: another bucket width)", style="dim")
        return said

    def on_mount(self) -> None:
        if self.follows_events_view:
            self._adopt_events_view()
        self._recount()
        self.set_interval(FOLLOW_EVERY, self._follow_read)

    def _follow_read(self) -> None:
        """Timer: the events counted while they were still arriving have all arrived
        (or the read stopped): count them again, so that no count says "loading" or
        shows a read's first pages as if they were all. While they still arrive, count
        them again as often as the count's cost leaves room for: a stack opened early in
        a 30 s load showed its first files' counts, and their file count, till the end.
        A stack opened before the events view under it had rows (a case reopened on
        `:stack`) counts them once that view has them."""
        if self.selection is None and self.follows_events_view:
            self._adopt_events_view()
            if self.selection is not None:
                self._recount()
            return
        selection = self.selection
        if not self.counted_loading or selection is None:
            return
        if not selection.is_filling():
            self.counted_loading = False
            self._recount()
        elif ((self._counting is None or self._counting.is_finished)
              and self._recounts.may_start(time.monotonic())):
            self._recount(said=False)  # "counting…" twice a second would hide the status

    def on_screen_resume(self) -> None:
        """Back to a kept `:stack`: if the events view's filter changed meanwhile, count
        its rows now, not the ones it showed when the stack was opened (View's own
        handler runs too: Textual calls each class's)."""
        if self.is_mounted and self.rows and self._drawn_local != app_of(self).local_time:
            self._redraw()  # `o` pressed in an events list meanwhile
        if self.follows_events_view and self.is_mounted:
            counted = (self.selection, self.base_filter)
            self._adopt_events_view()
            if (self.selection, self.base_filter) != counted or self._coverage_moved():
                self._recount()

    def _coverage_moved(self) -> bool:
        """Whether what the rows lack changed since they were counted: L went on with a
        cancelled load meanwhile, in the events view below, and a timeline kept from
        before still marked every bucket partial."""
        selection = self.selection
        if selection is None or not self.rows:
            return False
        now = "; ".join(selection.coverage(self.base_filter, "the store").caveats())
        return now != self._counted_partial

    def action_recount(self) -> None:
        """r: count again (the events view's current filter; a load may have added rows)."""
        if self.follows_events_view:
            self._adopt_events_view()
        self._recount()

    def _adopt_events_view(self) -> None:
        """Take the selection of the newest events view in the stack of screens: the
        one under this view, or, for a stack opened before any had rows (a case
        reopened on `:stack`), one opened above it since."""
        for screen in reversed(self.app.screen_stack):
            if screen is self:
                continue
            selection = getattr(screen, "selection", None)
            if isinstance(selection, Selection):
                self.selection = selection
                self.base_filter = str(getattr(screen, "filter_text", ""))
                return

    def help_intro(self) -> str:
        """``?`` says the whole filter counted: the status cuts a long one with ``…``."""
        return f"Filter: {clean(self.base_filter, 4000)}" if self.base_filter else ""

    def _status(self, head: str, cut: str = "", tail: str = "", partial: str = "") -> None:
        """Say them (see :class:`StatusLine`: ``cut`` is cut first, then ``partial``)."""
        self.query_one(StatusLine).show(head, cut, tail, partial)

    def _recount(self, said: bool = True) -> None:
        """Count what f, g and t now ask for; the rows on screen stay until it is done
        (``said``: the status says "counting…" meanwhile)."""
        if self.selection is not None and said:
            self._status("counting\u2026")
            self._failure_said = ""  # asked for: its failure is news, even the same one
        self._counting = self.recount(self._requested())

    @work(thread=True, exclusive=True, group="stack", exit_on_error=False)
    def recount(self, grouping: Grouping) -> None:
        """Count in DuckDB (a thread: a million events take a moment)."""
        selection = self.selection
        if selection is None:
            self.app.call_from_thread(
                self._status, "no events loaded: open :events (or start with --source) first"
            )
            self.app.call_from_thread(self.table_shown)  # none will come
            return
        # Before the count: rows arriving meanwhile are a bonus, never a gap unsaid.
        started = time.monotonic()
        loading = selection.is_filling()
        coverage = selection.coverage(self.base_filter, "the store")
        try:
            rows, grouping, title, total = count_rows(selection, grouping)
        finally:  # what it cost, failed or not, spaces the next count of a load
            self._recounts.ran(started, time.monotonic())
        head = f"{title} of " if self.base_filter else title
        tail = f" \u00b7 {count_of(total, 'event')}"
        # First: at 80 columns the title and a long filter must not push it out.
        partial = "; ".join(coverage.caveats())
        before = partial_before(coverage)
        if grouping.timeline and before is not None:
            tail += f" \u00b7 {partial_note(coverage, before)}"
        status = (head, self.base_filter, tail, partial)
        self.app.call_from_thread(self._show, rows, grouping, status, loading, before)

    def _requested(self) -> Grouping:
        """The grouping f, g and t last asked for (its bucket is the count's to choose)."""
        return Grouping(tuple(self.fields), self.timeline_mode,
                        chosen=self.bucket_choice if self.timeline_mode else "")

    def _is_requested(self, grouping: Grouping) -> bool:
        """Whether ``grouping`` is what f, F and t last asked for (its bucket aside)."""
        return replace(grouping, bucket=timedelta(hours=1)) == self._requested()

    def _show(
        self, rows: list[tuple[object, ...]], grouping: Grouping, status: tuple[str, str, str, str],
        loading: bool = False, partial_before: datetime | None = None,
    ) -> None:
        if not self._is_requested(grouping):
            return  # an older count, finished after a newer one was asked for
        table = self.query_one(DataTable)
        # The same count again (a load's new rows, r): the cursor stays on its group,
        # which the new counts may have moved, not sent to the top twice a second.
        same = (grouping.fields, grouping.timeline) == (self.shown.fields, self.shown.timeline)
        row = table.cursor_row
        on = self.rows[row][:-1] if same and 0 <= row < len(self.rows) else None
        self.rows, self.shown = rows, grouping
        self._counted_partial = status[3]
        self._failure_said = ""
        self.counted_loading, self.partial_before = loading, partial_before
        self._fill()
        if on is not None:
            groups = [counted[:-1] for counted in rows]
            table.move_cursor(row=groups.index(on) if on in groups else row)
        self._status(*status)
        self.table_shown()
        if self._open_when_shown:
            self._open_when_shown = False
            self._open_group()

    def _fill(self) -> None:
        """The table of the rows shown, sized to the screen (again on a resize)."""
        grouping, rows = self.shown, self.rows
        largest = max((int(str(row[-1])) for row in rows), default=0)
        # A bucket's start in the zone `o` chose; the buckets are cut in UTC all the same.
        self._drawn_local = app_of(self).local_time
        times = time_format((bucket_start(row[0]) for row in rows if grouping.timeline),
                            self._drawn_local, seconds=False)
        cells: list[list[Text]] = []
        for row in rows:
            *values, count = row
            if isinstance(values[0], EmptyRun):
                run = values[0]
                quiet = span_text(grouping.bucket * run.buckets)
                cells.append([
                    cell(times.text(run.start)), self._count_cell(run.start, 0),
                    cell(f"\u2014 {run.buckets:,} empty buckets ({quiet}) \u2014", style="dim"),
                ])
                continue
            number = int(str(count))
            if not grouping.timeline:
                # Two fields' values need the room more than a bar needs its precision.
                longest_bar = BAR_WIDTH // len(values)
                cells.append([self._count_cell(None, number), *map(value_cell, values),
                              bar(number, largest, longest_bar)])
                continue
            start = values[0] if isinstance(values[0], datetime) else None
            cells.append([cell(times.text(start)), self._count_cell(start, number),
                          bar(number, largest)])
        table = self.query_one(DataTable)
        if grouping.timeline:
            fill_table(table, [times.header("from"), "events", ""], cells, [2])
        else:  # the counts first: two wide fields pushed them past 80 columns
            names = [STACK_FIELDS[f] for f in grouping.fields]
            floors = [0, *(WHOLE_WIDTH.get(f, 0) for f in grouping.fields)]
            fill_table(table, ["events", *names, ""], cells, range(1, len(names) + 1), floors)
        self._show_detail()

    def on_resize(self) -> None:
        """The columns are sized to the width: size them again for the new one."""
        if self.rows:
            self._redraw()

    def _redraw(self) -> None:
        """The rows shown drawn again (a new width, a new zone), the cursor kept."""
        table = self.query_one(DataTable)
        row = table.cursor_row
        self._fill()
        table.move_cursor(row=row)

    def action_local_time(self) -> None:
        """o: the timeline's times in UTC or this machine's zone, as in the events lists."""
        switch_local_time(self)
        if self.rows:
            self._redraw()

    def _count_cell(self, start: datetime | None, number: int) -> Text:
        """A count; a timeline bucket's that may lack events is marked partial (``~``):
        a read's cap or a load cancelled, not a quiet time, may have made it small."""
        before = self.partial_before
        # At ``before`` itself too: a read is complete strictly after its time (a page
        # may end within that second).
        if start is not None and before is not None and start <= before:
            return Text(f"{PARTIAL_MARK}{number:,}", style="yellow", justify="right")
        return Text(f"{number:,}", justify="right")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A count that failed says so, rather than 'counting…' for ever; the rows of
        the last count stay."""
        if event.worker.group == "stack" and event.state is WorkerState.ERROR:
            self._status(f"count failed: {event.worker.error}")
            said = f"stack: {clean(event.worker.error, 300)}"
            if said != self._failure_said:  # a load's paced recounts failed alike each time
                self.notify(said, severity="error")
                self._failure_said = said
            self._open_when_shown = False
            self.table_shown()  # the keys held for it act on the last count's rows

    def action_first_field(self) -> None:
        """Cycle the first field, past the second one: "key and key" counted each key
        against itself."""
        others = [name for name in _NAMES if name not in self.fields[1:]]
        self.fields[0] = others[(others.index(self.fields[0]) + 1) % len(others)]
        self.timeline_mode = False
        self._recount()

    def action_second_field(self) -> None:
        """Cycle the second field through every other field, then back to none."""
        choices = [name for name in _NAMES if name != self.fields[0]]
        current = self.fields[1] if len(self.fields) > 1 else None
        index = choices.index(current) + 1 if current in choices else 0
        self.fields = [self.fields[0]] + ([choices[index]] if index < len(choices) else [])
        self.timeline_mode = False
        self._recount()

    def action_timeline(self) -> None:
        self.timeline_mode = not self.timeline_mode
        self._recount()

    def action_bucket_width(self) -> None:
        """w: the timeline's next bucket wider than the one shown, after the widest the
        narrowest (the span's own choice first); from a count by fields, the timeline at
        the bucket last chosen. It stepped through the names from the one chosen: a
        minute too narrow for the span showed 5 minutes twice in a row, and the span's
        own bucket came round twice a cycle (QA: a press that does nothing)."""
        if self.timeline_mode:
            shown = self.shown.bucket if self.shown.timeline and self.bucket_choice else None
            wider = [name for name, width in BUCKET_CHOICES
                     if shown is not None and width > shown]
            self.bucket_choice = wider[0] if wider else BUCKET_CHOICES[0][0]
        self.timeline_mode = True
        self._recount()

    def group_filter(self, row: tuple[object, ...]) -> str:
        """The filter (base filter plus the group's terms) that selects one row's events,
        by the grouping the row was counted by (f, g or t may have asked for another)."""
        shown = self.shown
        if shown.timeline:
            # A bucket with events (Enter on an empty one or a quiet run opens nothing).
            start = row[0]
            assert isinstance(start, datetime)
            end = start + shown.bucket
            terms = [f"after:{utc_stamp(start)}", f"before:{utc_stamp(end)}"]
        else:
            terms = [group_term(f, v) for f, v in zip(shown.fields, row[:-1], strict=True)]
        return " ".join([self.base_filter, *terms]).strip()

    def action_open_group(self) -> None:
        """Enter (priority: over the table's own): the group's events, once the keys
        typed before it have moved the cursor."""
        self.after_keys(self._open_group)

    def _open_group(self) -> None:
        if not self._is_requested(self.shown):
            self._open_when_shown = True  # (keys held past the hold's clock: a slow count)
            return
        row_index = self.query_one(DataTable).cursor_row
        if self.selection is None or not 0 <= row_index < len(self.rows):
            return
        if self.shown.timeline and self.rows[row_index][-1] == 0:
            self.notify("no events in this time (an empty bucket)")
            return
        # Its rows are the events view's: what fills them (a read, a load) goes with them.
        origin = self.selection.drilled(self.base_filter)
        source = StoreSource(self.selection.store, "a :stack group", origin)
        app_of(self).open_view(
            "events", filter_text=self.group_filter(self.rows[row_index]), source=source,
            pivot=True,
        )

    def _group_value(self) -> object:
        """The value of the group under the cursor (its first field's)."""
        return self.rows[self.query_one(DataTable).cursor_row][0]

    def unmarked(self, mark_again: Callable[[], object]) -> Unmarked:
        """Why `m` kept nothing from the group under the cursor (the groups are all
        read: nothing to mark later)."""
        return Unmarked(self._not_markable())

    def _not_markable(self) -> str:
        """Why `m` keeps nothing from the group under the cursor ('' when it keeps its
        value): a bucket, or a field that is no indicator (:data:`NOT_INDICATORS`), or a
        source that is a service's name, not an address (``ec2.amazonaws.com``)."""
        if not 0 <= self.query_one(DataTable).cursor_row < len(self.rows):
            return "no group here: nothing to mark"
        if self.shown.timeline:
            return f"a time bucket is no indicator: {MARKS_HERE}"
        column = self.shown.fields[0]
        value = self._group_value()
        if value is None or value == "":
            return f"this group has no {STACK_FIELDS[column]}: nothing to mark"
        if column in NOT_INDICATORS or column not in MARK_KINDS:  # a field added later too
            what = NOT_INDICATORS.get(column, f"a {STACK_FIELDS[column]}")
            return f"{what} is no indicator: {MARKS_HERE}"
        if MARK_KINDS[column] == "ip" and not is_ip(str(value)):
            return f"{clean(value, 40)} is a service's name, not an address: nothing to mark"
        return ""

    def mark_at_cursor(self) -> Mark | None:
        """The group's value, of the kind its field tells (:data:`MARK_KINDS`); None
        where :meth:`_not_markable` says why."""
        if self._not_markable():
            return None
        column = self.shown.fields[0]
        return Mark(str(self._group_value()), f"stack by {STACK_FIELDS[column]}",
                    kind=MARK_KINDS[column])

    def action_yank(self) -> None:
        """y: the value of the group under the cursor, the first field's (as `m` marks
        it), or a timeline bucket's start as ``after:`` reads it."""
        row_index = self.query_one(DataTable).cursor_row
        if not 0 <= row_index < len(self.rows):
            return
        value = self.rows[row_index][0]
        if isinstance(value, EmptyRun):
            value = value.start
        if isinstance(value, datetime):
            yank(self, utc_stamp(value), utc_stamp(value))
            return
        if value is None or value == "":
            field = STACK_FIELDS[self.shown.fields[0]]
            self.notify(f"this group has no {field}: nothing to yank", severity="warning")
            return
        yank(self, clean(shown_value(value)), clean(shown_value(value), 60))

    def action_not_here(self, key: str) -> None:
        """x, E: say why they do nothing here (see :data:`NOT_HERE`)."""
        self.notify(NOT_HERE[key], severity="warning")
