"""What the EC2 list views share: one inventory per app, and the list view itself.

Instances, security groups and key pairs are the same screen with different data: a
filter bar (`/`), a table of AWS objects, a status line saying what each region
answered, sort (`s` next column, `R` reverse), refresh (`r`, keeping filter, sort and
cursor), `y` to copy the row's ID and Enter to drill down. Rows appear region by region
as each answers, so a slow or denied region never blanks the screen; its state shows in
the status line and in the regions view.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Static

from awsir_tui.aws.ec2 import AwsObject
from awsir_tui.aws.ec2_columns import Column
from awsir_tui.aws.inventory import Inventory, Kind, Pivot, RegionState, RegionStatus
from awsir_tui.events.sources import Subject, SubjectKind
from awsir_tui.query import FilterError, Query, compile_predicate, parse
from awsir_tui.query.fields import TAG_KEYWORD, FieldTable
from awsir_tui.query.unmatched import unmatched
from awsir_tui.text import clean, count_of
from awsir_tui.ui.base import Mark, View, app_of
from awsir_tui.ui.ec2_table import PINNED, ObjectTable
from awsir_tui.ui.filter_bar import FilterBar
from awsir_tui.ui.yank import yank

#: What `E` on an empty list has no row for (:func:`~awsir_tui.ui.virtual_table.no_row`).
EVENTS_OF = "open the events of"


def open_resource_events(node: Widget | View, subject: Subject) -> None:
    """`E` on a security group or a key pair: the CloudTrail events naming it, as the
    source can find them (:meth:`~awsir_tui.events.sources.EventSource.scope_of`). A
    group is named by its ID (CreateSecurityGroup, AuthorizeSecurityGroupIngress,
    RunInstances with it); a key pair by its name, the only thing EC2 calls take or log
    (CreateKeyPair, ImportKeyPair, RunInstances with that keyName), in every region, as
    its instances are listed. On Event history that is ``resource:=``, which
    LookupEvents matches on AWS's side, so a few pages are read where a bare word would
    read every event of 90 days at 2 calls/s per region."""
    if subject.value:
        app_of(node).open_view("events", subject=subject)


def inventory_of(node: Widget | View) -> Inventory:
    """The app's one inventory, following the region selection.

    Shared by every EC2 view so that going back, pivoting or opening another list
    reuses what was already read instead of asking every region again.
    """
    return app_of(node).inventory


def no_regions_reason(node: Widget | View) -> str | None:
    """Why the app reads no region, or None while it reads some. With none, a list says
    "0 of 0" and posture "no gaps": a responder handed only logs read that as an account
    checked and clean, when nothing was asked. The reason is the header's."""
    app = app_of(node)
    if app.regions:
        return None
    if app.listing_regions:
        return "the account is still being read"
    if app.identity is not None:  # the account answered; DescribeRegions did not
        return "the account's regions were not listed (:regions lists them)"
    archives = "; archives only" if app.options.sources or app.options.store else ""
    return f"no AWS account ({app.identity_failure}{archives})"


#: What an empty pivot looked for: "no instance" + one of these + the pivot's value,
#: the first alone, the second before "matches FILTER".
_PIVOT_WORDS = {
    "key": ("was launched with key", "launched with key"),
    "group": ("uses group", "using group"),
    "profile": ("has profile", "with profile"),
}

_STATUS_STYLE = {
    RegionStatus.LOADING: "yellow",
    RegionStatus.OK: "",
    RegionStatus.DENIED: "bold red",
    RegionStatus.THROTTLED: "bold yellow",
    RegionStatus.FAILED: "bold red",
}


def regions_text(states: Iterable[RegionState]) -> Text:
    """``2/3 regions · eu-west-1 DENIED · 1 loading…``: answered regions are counted,
    the others named (why in :regions), so the line fits 80 columns with many regions."""
    states = list(states)
    ok = sum(state.status is RegionStatus.OK for state in states)
    loading = sum(state.status is RegionStatus.LOADING for state in states)
    text = Text(f"{ok}/{len(states)} regions", no_wrap=True, overflow="ellipsis")
    for state in states:
        if state.status not in (RegionStatus.OK, RegionStatus.LOADING):
            text.append(" \u00b7 ", style="dim")
            # Why, where it is known (NO CREDENTIALS, TIMEOUT): FAILED alone says nothing.
            text.append(f"{clean(state.region)} {(state.kind or state.status.value).upper()}",
                        style=_STATUS_STYLE[state.status])
    if loading:
        text.append(" \u00b7 ", style="dim")
        text.append(f"{loading} loading\u2026", style=_STATUS_STYLE[RegionStatus.LOADING])
    return text


def filter_help(fields: FieldTable) -> str:
    """The help's paragraph on filtering, from the view's own fields (never out of date)."""
    names = [f"{spec.name}:" for spec in fields if spec.kind != "time"]
    if fields.tags:
        names.append(f"{TAG_KEYWORD}:K=V")
    if fields.time:
        names += [f"{fields.time}:2019-08-09 (that day, UTC)", f"{fields.time}:*", "since:2h",
                  "after:2019-08-09", "before:2019-08-10T12:00Z"]
    return (f"/ filters: {' '.join(names)}. field:value contains, field:=value is exact, "
            "field:* has a value (is true, for true/false fields such as "
            "used:), -term (or NOT term) negates, a OR b (operators in upper case), "
            "bare words match anywhere.")


class Ec2ListView(View):
    """A filterable, sortable list of one kind of EC2 object across selected regions."""

    kind: ClassVar[Kind]
    fields: ClassVar[FieldTable]
    columns: ClassVar[list[Column]]
    noun: ClassVar[str] = "objects"
    #: One of :attr:`noun`, for the line an empty list shows ("no instance matches…").
    one: ClassVar[str] = "object"
    #: The indicator kind of :meth:`indicator_value` (``instance-id``...).
    indicator_kind: ClassVar[str]
    #: What a row is to `E` (groups, key pairs: :meth:`action_resource_events`).
    events_kind: ClassVar[SubjectKind]
    #: The inventory's :attr:`~Inventory.changes` when the rows were drawn.
    _drawn_changes = 0
    #: A filter worth trying in this list, shown in the empty filter bar.
    filter_example: ClassVar[str]
    #: The header of the list's time column (launch, creation): the list opens sorted on
    #: it, newest first, because what the attacker made minutes ago is what a responder
    #: looks for (`R` flips it).
    newest: ClassVar[str | None] = None
    #: How many leading columns stay at the left edge while the others scroll.
    pinned: ClassVar[int] = PINNED

    AUTO_FOCUS = "#ec2-table"
    DEFAULT_CSS = """
    Ec2ListView #ec2-status { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    Ec2ListView #ec2-empty { display: none; height: 1fr; }
    Ec2ListView.-empty #ec2-empty { display: block; }
    Ec2ListView.-empty #ec2-table { height: 1; }
    Ec2ListView #ec2-row { display: none; height: auto; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", id="filter.open", key_display="/"),
        Binding("s", "sort", "Sort", id="list.sort"),
        # R, not S: S on an instance (its page, its row) lists the instances sharing
        # its security group, and a responder pressing it on the list flipped the
        # newest-first order unawares.
        Binding("R", "reverse", "Reverse", id="list.reverse", show=False),
        Binding("r", "refresh", "Refresh", id="list.refresh"),
        Binding("y", "yank", "Yank", id="list.yank"),
    ]

    def __init__(self, filter_text: str = "", pivot: Pivot | None = None) -> None:
        super().__init__()
        self.help_text = f"{self.help_text.strip()}\n\n{filter_help(self.fields)}"
        self.filter_text = filter_text
        self.pivot = pivot
        #: The filter as parsed (the view asks which fields it names).
        self.filter_query = Query()
        self.predicate: Callable[[Any], bool] = lambda _: True
        self.by_region: dict[str, list[AwsObject]] = {}
        #: True once every selected region has answered the last load (or refresh).
        self.loaded = False
        if pivot is not None:
            self.crumb = f"{self.crumb} {pivot.label}"

    # --- what subclasses say --------------------------------------------------------

    @staticmethod
    def key_of(item: AwsObject) -> str:
        raise NotImplementedError

    def fields_unknown(self) -> frozenset[str]:
        """Fields whose values are not all read yet: an empty list never blames them."""
        return frozenset()

    def style_of(self, item: AwsObject) -> str:
        """A row's style (e.g. red for open-to-world); plain by default."""
        return ""

    def open_item(self, item: AwsObject) -> None:
        """Enter on a row."""

    @staticmethod
    def indicator_value(item: AwsObject) -> str:
        """The value `m` keeps as an indicator for a row (its ID or name)."""
        raise NotImplementedError

    def action_resource_events(self) -> None:
        """`E` (groups, key pairs): the CloudTrail events naming the row's ID or name."""
        item = self.table.row_to(EVENTS_OF)
        if item is not None:
            open_resource_events(self, Subject(self.events_kind, self.indicator_value(item)))

    def row_note(self, item: AwsObject) -> Text | None:
        """A line (more if need be) under the table on the row under the cursor, for
        what its column cannot show whole at 80 columns (a key pair's fingerprint);
        None: no line."""
        return None

    def mark_at_cursor(self) -> Mark | None:
        """The row's ID or name, of this list's kind, seen in the row's region; seen
        when the data dates the object (an instance's LaunchTime, its last start; a key
        pair's creation), which the case's first seen then shows."""
        item = self.table.current()
        if item is None:
            return None
        began = item.get("LaunchTime") or item.get("CreateTime")
        return Mark(self.indicator_value(item), self.noun, self.indicator_kind,
                    str(item.get("Region", "")),
                    seen=began if isinstance(began, datetime) else None)

    # --- layout -----------------------------------------------------------------------

    def compose_body(self) -> Iterable[Widget]:
        yield FilterBar(f"filter, e.g. {self.filter_example}")
        yield ObjectTable(self.columns, self.key_of, self.style_of, pinned=self.pinned,
                          reading=lambda: not self.loaded, id="ec2-table")
        yield Static(id="ec2-empty")
        yield Static(id="ec2-row")
        yield Static(id="ec2-status")

    @property
    def table(self) -> ObjectTable:
        return self.query_one(ObjectTable)

    def on_mount(self) -> None:
        if self.newest:
            self.table.sort_by(self.newest_column(), reverse=True)
        if self.filter_text:
            self._set_filter(self.filter_text)
        self.load()

    # --- loading ----------------------------------------------------------------------

    @work(exclusive=True, group="ec2-list", exit_on_error=False)
    async def load(self, refresh: bool = False) -> None:
        """Every selected region, concurrently; each region's rows shown as it answers."""
        app = app_of(self)
        inventory = inventory_of(self)
        self.loaded = False
        self.by_region = {r: v for r, v in self.by_region.items() if r in inventory.regions}
        self._show_status()
        async for outcome in inventory.stream(self.kind, refresh=refresh):
            state = next(s for s in inventory.states(self.kind) if s.region == outcome.region)
            app.set_region_status(outcome.region, f"{self.noun}: {state.summary}")
            if outcome.failure is not None:
                app.notify_failure(f"{self.noun} in {outcome.region}", outcome.failure)
                self.by_region.pop(outcome.region, None)
            else:
                self.by_region[outcome.region] = outcome.value or []
            self.render_rows()
        self.loaded = True
        self._show_status()

    def on_regions_changed(self, _message: object) -> None:
        """The selection changed in :regions: read the new set."""
        self.load()

    def all_items(self) -> list[AwsObject]:
        """Everything loaded, in the selection's region order, before filtering."""
        regions = app_of(self).regions
        items = [item for region in regions for item in self.by_region.get(region, [])]
        if self.pivot is not None:
            items = [item for item in items if self.pivot.matches(item)]
        return items

    def render_rows(self) -> None:
        """Filter what is loaded and show it (the table keeps sort and cursor)."""
        self._drawn_changes = inventory_of(self).changes
        self.table.show([item for item in self.all_items() if self.predicate(item)])
        self._show_status()

    def on_screen_resume(self) -> None:
        """Back to the list: an instance its page read again meanwhile (`r`, or after
        F/I: :meth:`Inventory.read_again`) is shown as read then, from the lists the
        inventory holds now."""
        inventory = inventory_of(self)
        if not self.loaded or self._drawn_changes == inventory.changes:
            return
        for region in list(self.by_region):
            fresh = inventory.cached_in(self.kind, region)
            if fresh is not None:
                self.by_region[region] = fresh
        self.table.forget_cells()  # drawn by ID: the same ID now has other values
        self.render_rows()

    def status_note(self) -> Text | None:
        """What the view adds to the status line (e.g. a field it could not read)."""
        return None

    def _show_status(self) -> None:
        """``37 of 43 instances · 2/3 regions · eu-west-1 DENIED · /filter · sort ...``,
        and what a pivot spans (``key name searched in 1 of 17 regions``); with no region
        to read, why (``no instances read: no AWS account (no credentials)``)."""
        line = Text(no_wrap=True, overflow="ellipsis")
        reason = no_regions_reason(self)
        if reason is None:
            shown, total = self.table.row_count, len(self.all_items())
            line.append(f"{shown} of {total} {self.noun}", style="bold")
            line.append(" \u00b7 ", style="dim")
            line.append_text(regions_text(inventory_of(self).states(self.kind)))
        else:  # "0 of 0" with no region asked reads as an account with none
            line.append(f"no {self.noun} read: {reason}", style="bold yellow")
        app = app_of(self)
        scope = self.pivot.scope(app.regions, [
            info.name for info in app.known_regions if info.enabled]) if self.pivot else ""
        if scope:
            line.append(f" \u00b7 {scope}", style="cyan")
        note = self.status_note()
        if note is not None:
            line.append("  ")
            line.append_text(note)
        if self.filter_text:
            line.append("  /" + clean(self.filter_text, 60), style="cyan")
        if self.table.sort_column is not None:
            header = self.columns[self.table.sort_column][0]
            arrow = "\u2193" if self.table.sort_reverse else "\u2191"
            line.append(f"  sort {header} {arrow}", style="dim")
        self.query_one("#ec2-status", Static).update(line)
        empty = self.empty_text() if reason is None and self.loaded else None
        self.set_class(empty is not None, "-empty")
        self.query_one("#ec2-empty", Static).update(empty or "")

    def empty_text(self) -> Text | None:
        """Under the headers of a list left empty once every region answered, what was
        looked for and that nothing matched (``no instance was launched with key
        old-jenkins in 17 regions``, ``no instance matches ip:999.1.1.1 in 17
        regions``); None while it has rows. Headers alone, with "0 of 0" far below,
        read as a list still loading or broken."""
        if self.table.row_count:
            return None
        states = inventory_of(self).states(self.kind)
        answered = sum(state.status is RegionStatus.OK for state in states)
        if not answered:  # nothing was read: not an answer, and not to be read as one
            return Text(f"no region answered: nothing was read ({count_of(len(states), 'region')}"
                        " failed: :regions says why, r reads them again)", style="bold red")
        where = (f"in {count_of(answered, 'region')}" if answered == len(states) else
                 f"in the {answered} of {count_of(len(states), 'region')} that answered")
        text = Text(f"no {self.one}", style="bold")
        if self.pivot is not None:
            alone, before_filter = _PIVOT_WORDS[self.pivot.field]
            text.append(f" {before_filter if self.filter_text else alone} ")
            text.append(clean(self.pivot.named, 80), style="cyan")  # as its crumb says it
        if self.filter_text:
            text.append(" matches ")
            text.append(clean(self.filter_text, 80), style="cyan")
        text.append(f" {where}")
        hint = ("/ changes the filter" if self.filter_text else
                "esc goes back" if self.pivot is not None else "r reads them again")
        text.append(f"  ({hint})", style="dim")
        typo = unmatched(self.filter_query, self.fields, self.all_items(),
                         unknown=self.fields_unknown())
        if typo is not None:  # a typo reads as a false negative: say what is there
            text.append("\n" + clean(typo.said(), 300), style="yellow")
        return text

    # --- keys -------------------------------------------------------------------------

    def action_filter(self) -> None:
        self.query_one(FilterBar).open(self.filter_text)

    def _set_filter(self, text: str) -> bool:
        """Compile ``text`` for this view; on error keep the last good rows and say why."""
        bar = self.query_one(FilterBar)
        try:
            query = parse(text, self.fields)
            predicate = compile_predicate(query, self.fields)
        except FilterError as error:
            bar.refuse(text, error)
            return False
        self.filter_text, self.filter_query, self.predicate = text, query, predicate
        bar.text = text
        return True

    def on_filter_bar_applied(self, message: FilterBar.Applied) -> None:
        message.stop()
        if self._set_filter(message.text):
            self.render_rows()
            self.table.focus()

    def action_sort(self) -> None:
        """`s`: sort by the next column (ID, Name, State, ...), ascending."""
        current = self.table.sort_column
        column = 0 if current is None else (current + 1) % len(self.columns)
        header = self.table.sort_by(column, reverse=False)
        self._show_status()
        self.notify(f"sorted by {header}", timeout=1.5)

    def newest_column(self) -> int:
        """The index of the :attr:`newest` column (the first column if there is none)."""
        headers = [header for header, _ in self.columns]
        return headers.index(self.newest) if self.newest else 0

    def action_reverse(self) -> None:
        """`R`: flip the order of the current sort (a list with a time column opens
        sorted on it, newest first; any other is taken as sorted by its first column)."""
        table = self.table
        table.sort_by(table.sort_column or 0, reverse=not table.sort_reverse)
        self._show_status()

    def action_refresh(self) -> None:
        """`r`: ask every region again; filter, sort and cursor stay."""
        if self.filter_text:
            self._set_filter(self.filter_text)  # moves a since:2h window to now
        self.table.forget_cells()
        self.load(refresh=True)

    def action_yank(self) -> None:
        """`y`: the row's ID (a key pair's name), as `m` would mark it."""
        item = self.table.row_to("copy")
        value = self.indicator_value(item) if item is not None else ""
        if value:
            yank(self, value, clean(value, 60))

    def on_object_table_moved(self, message: ObjectTable.Moved) -> None:
        """The line of :meth:`row_note` follows the cursor; no row, no line."""
        message.stop()
        note = self.row_note(message.item) if message.item is not None else None
        line = self.query_one("#ec2-row", Static)
        line.display = note is not None
        line.update(note or "")

    def on_object_table_selected(self, message: ObjectTable.Selected) -> None:
        message.stop()
        self.open_item(message.item)
