"""`:evidence`: the forensic copies F and I made, and whether each has completed.

A snapshot is "pending" for minutes, an AMI too, and the "evidence made" notice is
gone in 30 s: before handing evidence over or letting anyone terminate the instance,
the responder follows them here. Every selected region is read in parallel; one that
fails (denied, throttled, unreachable) is named in the status line and the others'
copies stay. While some copy is pending and the view is on screen it reads again by
itself (:data:`FOLLOW_EVERY`), and stops when none is, or when the view is left.
A read updates the rows in place: the columns scrolled to (`l`) and the cursor's row
stay, as the responder reads `copies` and `case` at 80 columns while it follows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState, get_current_worker

from awsir_tui.aws.errors import Failure, classify
from awsir_tui.aws.evidence import (
    DONE_STATES,
    UNREAD,
    Copy,
    Disk,
    ReadFailure,
    RegionCopies,
    newest_first,
    scan_evidence,
    still_pending,
)
from awsir_tui.query.times import as_utc, formatted, utc_minute
from awsir_tui.text import clean, count_of
from awsir_tui.ui.base import TableView, app_of, cell
from awsir_tui.ui.cursor_table import CursorTable
from awsir_tui.ui.ec2_common import no_regions_reason
from awsir_tui.ui.forensics import case_name
from awsir_tui.ui.time_columns import time_format
from awsir_tui.ui.yank import yank

#: Seconds between reads while some copy is pending (EC2 takes minutes per snapshot).
FOLLOW_EVERY = 15.0
FAILED = "bold red"
PENDING = "yellow"
DONE = "green"
#: Rows kept from a region's earlier answer while its latest read failed.
STALE = "dim"
#: The columns, made once: a read updates rows (``made``'s header names the year).
#: When made before what it copies and the case, whose name (``account-123456789012``)
#: pushed the time past 80 columns as ``12-0``; the region last (the line under the
#: table says it).
COLUMNS = ("ID", "state", "made", "copies", "case", "region")
#: The leading columns that stay in sight as `l` scrolls the others: the ID, what a
#: responder hands over, and its state. Scrolled with the rest, `l` hid the ID.
FIXED = 2
#: The kinds of copy, each listed by a read of its own that may fail alone.
KINDS = ("snapshot", "image")


def follows(copies: Iterable[Copy], on_screen: bool) -> bool:
    """Whether the view reads again by itself: some copy is still pending, and the
    responder is looking (a view left, or under a dialog, asks AWS for no one)."""
    return on_screen and still_pending(copies)


def utc_now() -> datetime:
    """Now, in UTC: when a read answered (a test moves it to another day)."""
    return datetime.now(UTC)


def as_of_time(when: datetime) -> str:
    """``11:08`` when ``when`` is of today (UTC), else ``2026-11-30 11:08``: a case
    reopened the next day must not read yesterday's rows as this morning's."""
    if as_utc(when).date() == utc_now().date():
        return formatted(as_utc(when), "%H:%M")
    return utc_minute(when)


def state_style(copy: Copy) -> str:
    """Failed copies in red, pending ones in yellow, whole ones in green."""
    if copy.failed:
        return FAILED
    if copy.pending:
        return PENDING
    return DONE if copy.state in DONE_STATES else PENDING


def disk_state(image: Copy, disk: Disk) -> tuple[str, str]:
    """An image's block-device snapshot's state and its style. One not found among the
    account's is not known yet while the image is pending (EC2 is still making it),
    and missing (red) once the image is done."""
    if disk.state == UNREAD:
        return UNREAD, STALE
    if disk.state:
        return disk.state, state_style(Copy("snapshot", disk.snapshot_id, "", disk.state))
    if image.pending:
        return "not listed yet", PENDING
    return "not found", FAILED


def short_source(copy: Copy) -> str:
    """What it copies: the device (``xvda``) or ``image``, and the instance's (or
    volume's) ID whole. Cut to its end (``i-…90b7fe51``) it was no ID to paste or
    compare; whole it still fits at 80 columns beside the copy's ID, state and time."""
    what = "image" if copy.kind == "image" else copy.device.removeprefix("/dev/")
    whose = copy.instance or copy.volume
    return " ".join(word for word in (what, whose) if word) or "?"


def details_text(copy: Copy, full: bool) -> Text:
    """The lines under the table for the row under the cursor: what it copies, its
    region (the table's last column, past 80 columns), its case and description, why
    EC2 says it failed; ``full`` (Enter) adds an image's block-device snapshots, each
    with its state, or a snapshot's :func:`snapshot_text`."""
    text = Text()
    volume = f" ({copy.volume})" if copy.instance and copy.volume else ""
    text.append(clean(f"{copy.kind} {copy.copy_id} copies {copy.source}{volume} in "
                      f"{copy.region}", 200), style="bold")
    text.append(clean(f"; case {copy.case or '?'}; {copy.description}", 300))
    if copy.reason:
        text.append("\n")
        text.append(clean(copy.reason, 300), style=state_style(copy))
    if not full:
        text.append(f"  Enter: its {'snapshots' if copy.kind == 'image' else 'details'}",
                    style="dim")
        return text
    if copy.kind != "image":
        text.append("\n")
        return text.append_text(snapshot_text(copy))
    for disk in copy.disks:
        text.append("\n")
        text.append(clean(f"  {disk.device} {disk.snapshot_id} ", 120))
        word, style = disk_state(copy, disk)
        text.append(clean(word, 30), style=style)
    if not copy.disks:
        text.append("\n  no block-device snapshot listed yet", style=PENDING)
    return text


def snapshot_text(copy: Copy) -> Text:
    """Enter on a snapshot: its state and progress, when EC2 began it, and what it
    copies, each named (volume, device, instance): the line above runs them together,
    the row has the device's short name alone."""
    text = Text("state ")
    state = " ".join(word for word in (copy.state or "?", copy.progress) if word)
    text.append(clean(state, 40), style=state_style(copy))
    text.append(f", started {utc_minute(copy.made) or '?'} UTC")
    copies = ", ".join(f"{label} {value or '?'}" for label, value in (
        ("volume", copy.volume), ("device", copy.device), ("instance", copy.instance)))
    return text.append("\n").append(clean(copies, 160))


def _key(copy: Copy) -> str:
    """A row's key: its region and its ID (unique within the region)."""
    return f"{copy.region}/{copy.copy_id}"


class EvidenceView(TableView):
    """Forensic snapshots and images made by this tool, every case, every region."""

    crumb = "evidence"
    help_text = """
The forensic copies awsir-tui made (F, I with --allow-actions), found by the tags it
puts on them, in every selected region, of every case (the open case's first): each
one's ID and state (pending with its progress, completed or available, error or failed
in red), which stay at the left as l and h scroll the others by whole columns: when
made (UTC), what it copies (device and instance), case, region. Enter shows more: a
snapshot's volume, device, instance and start, an image's block-device snapshots and
their states. A region that fails to answer keeps its earlier rows, dimmed, as of the
time the status line gives; a read that fails while the other answers (DescribeImages
denied) is named with its AWS error code, the other's rows shown. While a copy is
pending the view reads again every 15 s by itself, as long as it is on screen. r
reads again, y copies the ID. Hand evidence over, or let the instance go, once
nothing is pending.
"""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "details", "Details", id="evidence.details", priority=True),
        Binding("r", "reload", "Read again", id="evidence.reload"),
        Binding("y", "yank", "Yank ID", id="evidence.yank"),
    ]
    DEFAULT_CSS = """
    EvidenceView #evidence-table { height: 1fr; }
    EvidenceView #evidence-detail { height: auto; max-height: 8; }
    EvidenceView #evidence-summary { height: auto; max-height: 3; }
    """

    def __init__(self) -> None:
        super().__init__()
        #: Each region's copies from its last answer (kept while it is read again).
        self.by_region: dict[str, list[Copy]] = {}
        self.failures: dict[str, Failure] = {}
        #: The reads that failed in a region whose other reads answered (its rows are
        #: theirs): said in the summary.
        self.read_failures: dict[str, tuple[ReadFailure, ...]] = {}
        #: When each (region, kind of copy) was last read: its rows are as of then.
        self.read_at: dict[tuple[str, str], datetime] = {}
        #: The (region, kind) whose rows are from an earlier read, its latest failed:
        #: dimmed, and said to be as of :attr:`read_at`.
        self.stale: set[tuple[str, str]] = set()
        #: Regions asked and not answered yet in the read running now.
        self.waiting: set[str] = set()
        #: Why the last read stopped short ('' when it did not): said in the summary.
        self.broke = ""
        self.rows: list[Copy] = []
        self._timer: Timer | None = None
        #: The copy Enter showed in full (an image's snapshots): kept across reads.
        self._full = ""
        #: What this session had created as the last read began: made since, read on
        #: return.
        self._made_seen: set[str] = set()

    def compose_body(self) -> Iterable[Widget]:
        yield CursorTable(id="evidence-table", cursor_type="row", zebra_stripes=True,
                          fixed_columns=FIXED)
        yield Static(id="evidence-detail")
        yield Static(id="evidence-summary")

    def on_mount(self) -> None:
        self.action_reload()

    def on_regions_changed(self, _message: object) -> None:
        self.action_reload()

    def on_screen_resume(self) -> None:
        """Back on screen: a copy pending when the view was left, or one F or I made
        since its last read (`:` brings the view back as it was, and the notice of
        the copy says this view follows it), is read now. (View's own handler runs
        too: Textual calls each class's in the MRO.)"""
        if self._timer is None and not self.waiting and (
                still_pending(self.rows) or self._made_here() - self._made_seen):
            self.action_reload()

    def _made_here(self) -> set[str]:
        """The IDs of what this session's confirmed calls created (snapshots, images)."""
        return {call.created for call in app_of(self).ctx.guard.calls
                if call.mutating and call.created}

    def on_screen_suspend(self) -> None:
        """Left (or covered by a dialog): no more reads by itself until it is back."""
        self._stop_following()

    def action_reload(self) -> None:
        self._stop_following()
        self._made_seen = self._made_here()
        regions = sorted(app_of(self).regions)
        self.by_region = {r: v for r, v in self.by_region.items() if r in regions}
        self.failures = {}
        self.read_failures = {}
        self.stale = set()
        self.waiting = set(regions)
        self.broke = ""
        self._show()
        self.scan(regions)

    @work(exclusive=True, group="evidence", exit_on_error=False)
    async def scan(self, regions: list[str]) -> None:
        """Every region in parallel; the table redrawn as each one answers. However
        it ends (a failure here or in the redraw, said by
        :meth:`on_worker_state_changed`), its regions are no longer "reading" and a
        pending copy is still followed; unless it was cancelled (a newer read, ``r``,
        replaced it, or the view closed)."""
        waiting = self.waiting
        try:
            async for outcome in scan_evidence(app_of(self).ctx, regions):
                waiting.discard(outcome.region)
                if outcome.failure is not None:
                    self.failures[outcome.region] = outcome.failure
                    self.stale |= {(outcome.region, kind) for kind in KINDS}
                elif outcome.value is not None:
                    self._answered(outcome.region, outcome.value)
                self._show()
        finally:
            waiting.clear()
            if not get_current_worker().is_cancelled:
                self._follow()

    def _answered(self, region: str, answer: RegionCopies) -> None:
        """A region's answer in place of its last; the copies of a read that failed
        while the other answered are kept from the last, as a failed region's are."""
        lost = {read.lost for read in answer.failed} - {""}
        kept = [copy for copy in self.by_region.get(region, ()) if copy.kind in lost]
        self.by_region[region] = [*answer.copies, *kept]
        now = utc_now()
        self.read_at |= {(region, kind): now for kind in KINDS if kind not in lost}
        self.stale |= {(region, kind) for kind in lost}
        if answer.failed:
            self.read_failures[region] = answer.failed

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A read that failed says so, rather than "reading" for ever; the rows of
        the regions that answered stay."""
        worker: Worker[Any] = event.worker
        if worker.group != "evidence" or event.state is not WorkerState.ERROR:
            return
        failure = classify(worker.error or RuntimeError("the read failed"))
        self.broke = clean(f"read failed: {failure}", 200)
        app_of(self).notify_failure("evidence", failure)
        self._show_summary()

    @property
    def following(self) -> bool:
        """Whether a read by itself is due (:data:`FOLLOW_EVERY` after the last)."""
        return self._timer is not None

    def _follow(self) -> None:
        """Read again in :data:`FOLLOW_EVERY` s if :func:`follows` says so: on screen
        is on top (is_active; Textual's is_current holds for the screen right under the
        top one too, and a read that ended after :regions opened over this view went
        on reading by itself under it)."""
        self._stop_following()
        if follows(self.rows, self.is_attached and self.is_active):
            self._timer = self.set_timer(FOLLOW_EVERY, self._read_again)
        self._show_summary()

    def _read_again(self) -> None:
        self._timer = None
        if self.is_active:
            self.action_reload()

    def _stop_following(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _show(self) -> None:
        """The table from every region's last answer, the cursor kept on its copy.
        Rows are updated in place (Textual's clear() scrolls back to the left edge); a
        failed region's earlier rows are dimmed: they are as of its last answer."""
        table: DataTable[Text] = self.query_one(DataTable)
        under = self._copy_at_cursor()
        copies = [c for region in sorted(self.by_region) for c in self.by_region[region]]
        this_case = case_name(self.app)
        self.rows = newest_first(copies, this_case)
        times = time_format((c.made for c in self.rows), local=False, seconds=False)
        labels = [times.header(c) if c == "made" else c for c in COLUMNS]
        if [str(column.label) for column in table.ordered_columns] != labels:
            table.clear(columns=True)  # once, and when the header's year changes
            for label, key in zip(labels, COLUMNS, strict=True):
                table.add_column(label, key=key)
        rows = {_key(copy): self._cells(copy, times.text(copy.made), this_case)
                for copy in self.rows}
        for gone in [row for row in table.rows if row.value not in rows]:
            table.remove_row(gone)
        for key, cells in rows.items():
            if key not in table.rows:
                table.add_row(*cells, key=key)
                continue
            for column, value in zip(COLUMNS, cells, strict=True):
                table.update_cell(key, column, value, update_width=True)
        # Newest first, as self.rows: each row's ID cell is the one just given it.
        order = {id(cells[0]): n for n, cells in enumerate(rows.values())}
        table.sort("ID", key=lambda id_cell: order[id(id_cell)])
        if under is not None and under in [c.copy_id for c in self.rows]:
            table.move_cursor(row=[c.copy_id for c in self.rows].index(under))
        self._show_detail()
        self._show_summary()

    def _cells(self, copy: Copy, made: str, this_case: str) -> tuple[Text, ...]:
        """One row's cells, in :data:`COLUMNS`' order; dimmed when its region failed
        since its rows were read."""
        stale = f" {STALE}" if (copy.region, copy.kind) in self.stale else ""
        return (
            cell(copy.copy_id, 40, style=stale),
            cell(copy.state_word, 30, style=state_style(copy) + stale),
            cell(made, style=stale),
            cell(short_source(copy), 60, style=stale),
            cell(copy.case, 60, style=("bold" if copy.case == this_case else "") + stale),
            cell(copy.region, 30, style=stale),
        )

    def _show_summary(self) -> None:
        """How many copies, how many pending, the regions answered and each failure."""
        summary = Text()
        reason = no_regions_reason(self)
        if reason is not None:
            summary.append(f"nothing read: {reason}", style=FAILED)
            self.query_one("#evidence-summary", Static).update(summary)
            return
        asked = len(self.by_region.keys() | self.failures.keys() | self.waiting)
        pending = sum(c.pending for c in self.rows)
        failed = sum(c.failed for c in self.rows)
        summary.append(f"{len(self.rows):,} {'copy' if len(self.rows) == 1 else 'copies'}")
        if pending:
            summary.append(f", {pending} pending", style=PENDING)
        if failed:
            summary.append(f", {failed} failed", style=FAILED)
        answered = asked - len(self.failures) - len(self.waiting)
        summary.append(f"; {answered} of {count_of(asked, 'region')} answered")
        if self.waiting:
            summary.append(f", {len(self.waiting)} reading", style=PENDING)
        if self.following or (self.waiting and pending):
            summary.append(f"; reading again every {FOLLOW_EVERY:g} s", style=PENDING)
        for region, failure in sorted(self.failures.items()):
            summary.append(clean(f"; {region}{self._as_of(region)} {failure}", 200),
                           style=FAILED)
        for region, reads in sorted(self.read_failures.items()):
            said = ", ".join(str(read) for read in reads)
            summary.append(clean(f"; {region}{self._as_of(region)} {said}", 200),
                           style=FAILED)
        if self.broke:
            summary.append(f"; {self.broke}", style=FAILED)
        self.query_one("#evidence-summary", Static).update(summary)

    def _as_of(self, region: str) -> str:
        """`` (2 rows as of 11:08 UTC)``: the rows on screen of a failed region, or
        of a failed read of it, are from their last answer ('' when it shows none)."""
        kinds = {kind for (where, kind) in self.stale if where == region}
        shown = [c for c in self.by_region.get(region, ()) if c.kind in kinds]
        times = [self.read_at[region, c.kind] for c in shown if (region, c.kind) in self.read_at]
        if not shown or not times:
            return ""
        return f" ({count_of(len(shown), 'row')} as of {as_of_time(min(times))} UTC)"

    def _copy_at_cursor(self) -> str | None:
        table = self.query_one(DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row].copy_id

    def _show_detail(self) -> None:
        table = self.query_one(DataTable)
        detail = self.query_one("#evidence-detail", Static)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            detail.update("")
            return
        copy = self.rows[table.cursor_row]
        detail.update(details_text(copy, copy.copy_id == self._full))

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def action_details(self) -> None:
        """Enter: the row under the cursor in full (an image's snapshots), once the
        keys typed before it have moved the cursor (a priority key: View.after_keys)."""
        self.after_keys(self._details)

    def _details(self) -> None:
        self._full = self._copy_at_cursor() or ""
        self._show_detail()

    def action_yank(self) -> None:
        """y: the ID under the cursor, for the hand-over or the case's notes."""
        copy_id = self._copy_at_cursor()
        if copy_id is None:
            self.notify("no copy here: nothing to copy", severity="warning")
            return
        yank(self, copy_id, copy_id)
