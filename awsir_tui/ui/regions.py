"""`:regions`: every region of the account, which are selected, and how each answered.

The selection here drives every other view. Each region's status is what each kind of
read last learned there (the instances, groups, key pairs and events it found, or why
none: denied, throttled, failed with the reason; the posture verdict), so a responder
sees at once which regions are blind spots rather than assuming "no rows" means
"nothing there".
A read still running when the page opens (a region waiting on a timeout) shows its
outcome here when it ends: the page follows the statuses while it is open.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import DataTable, Static

from awsir_tui.aws.context import RegionInfo
from awsir_tui.aws.errors import FailureKind, classify
from awsir_tui.text import clean, count_of
from awsir_tui.ui.base import TableView, app_of, cell
from awsir_tui.ui.cursor_table import CursorTable
from awsir_tui.ui.fitting import fill_table
from awsir_tui.ui.yank import yank

#: How often the page looks for statuses learned since it was drawn (seconds).
REFRESH_EVERY = 1.0
#: The table's columns; the status (free text: a posture summary, a failure's reason)
#: gives way to the screen's width, cut with ``…`` (the hint below says it whole).
COLUMNS = ("sel", "region", "opt-in", "status")
STATUS = COLUMNS.index("status")
#: The kind of the statuses :mod:`~awsir_tui.ui.posture` sets: its verdict (which starts
#: ``CloudTrail logging:``) and its failures (``denied: …``) name no read of their own.
POSTURE = "posture"
_FAILURES = frozenset(kind.value for kind in FailureKind)


def status_kind(status: str) -> str:
    """Which read a status is of, so that it replaces what that read said last and no
    other's: the noun before its colon (``instances: 3``, ``key pairs: denied (why)``,
    ``events: 120``); else posture's (see :data:`POSTURE`)."""
    kind, colon, _rest = status.partition(": ")
    if not colon or kind in _FAILURES or kind == "CloudTrail logging":
        return POSTURE
    return kind


def _failed(kind: str, status: str) -> bool:
    """Whether ``status`` (of ``kind``) says the read found nothing, and why."""
    what = status if kind == POSTURE else status.partition(": ")[2]
    return what.split(" (", 1)[0].split(":", 1)[0] in _FAILURES


def status_line(statuses: dict[str, str]) -> str:
    """A region's statuses on one line (``instances: 3 · events: 120, throttled 2×``):
    the failures first (a blind spot must not be cut off at 80 columns), posture's
    verdict, long, last."""
    order = sorted(statuses.items(), key=lambda item: (
        not _failed(*item), item[0] == POSTURE))
    return " \u00b7 ".join(status for _kind, status in order)


class RegionsView(TableView):
    """Choose regions: space toggles, `a` all enabled, `n` none, Enter applies."""

    crumb = "regions"
    help_text = """
Every region EC2 reports for this account, with its opt-in status. Selected regions
(marked *) are the ones every view queries. The status column is what each kind of read
last learned from each region: how many instances, groups, key pairs and events it found
(and how often it was throttled; "filtered events" when that read had a filter), or why
none (denied, unreachable), failures first; the line under the table says it whole for
the region at the cursor.
"""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_region", "Toggle", id="regions.toggle"),
        Binding("a", "select_all", "All enabled", id="regions.all"),
        Binding("n", "select_none", "None", id="regions.none"),
        Binding("y", "yank", "Yank", id="regions.yank", show=False),
        Binding("enter", "apply", "Apply", id="regions.apply", priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._chosen: set[str] = set()
        self._regions: list[RegionInfo] = []
        #: The statuses the table shows, to redraw it when a read learns more.
        self._shown_status: dict[str, str] = {}
        #: Another view was opened over this one since it was last on screen: only
        #: then are toggles left unapplied dropped (see :meth:`on_screen_resume`).
        self._left = False

    def compose_body(self) -> Iterable[Widget]:
        # The line under it grows for a row with a status: the table keeps its cursor
        # in sight as it shrinks (see CursorTable).
        yield CursorTable(id="regions-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="regions-hint")

    def on_mount(self) -> None:
        self._chosen = set(app_of(self).regions)
        self.discover()
        self.set_interval(REFRESH_EVERY, self._follow_status)

    def on_screen_suspend(self) -> None:
        """Something opened over :regions: a view leaves it (see :meth:`on_screen_resume`),
        a prompt (`/`, `:`, help) does not, and closing it keeps the toggles."""
        stack = self.app.screen_stack
        left = self not in stack or any(
            not isinstance(screen, ModalScreen) for screen in stack[stack.index(self) + 1:])
        self._left = self._left or left

    def on_screen_resume(self) -> None:
        """Back to :regions (kept for the session) from another view: it shows the
        regions the views read, not toggles left unapplied last time, which a later
        Enter applied unseen. Back from a prompt (`/` then Esc) the toggles stay until
        Enter applies them: dropping them there said nothing."""
        if not self.is_current or not self._left:
            return
        self._left = False
        chosen = set(app_of(self).regions)
        if self._regions and chosen != self._chosen:
            self._chosen = chosen
            self._show(self._regions)

    def action_back(self) -> None:
        """Esc: leave; toggles not applied with Enter are dropped, and said to be."""
        if self.can_go_back and self._regions and self._chosen != set(app_of(self).regions):
            self.notify("selection not applied (Enter applies it): the views keep "
                        f"{count_of(len(app_of(self).regions), 'region')}", title="regions")
        super().action_back()

    def _follow_status(self) -> None:
        """Redraw the table when a view's read has learned a region's status since."""
        if self._regions and app_of(self).region_status != self._shown_status:
            self._show(self._regions)

    @work(thread=True, exclusive=True, group="regions", exit_on_error=False)
    def discover(self) -> None:
        app = app_of(self)
        try:
            regions = app.ctx.discover_regions()
        except Exception as exc:
            app.call_from_thread(app.notify_failure, "region discovery", classify(exc))
            # Listed, not known: the account's regions stay unknown to the app, or a
            # pivot's "every region" took the one selected for all the account has.
            regions = [RegionInfo(name) for name in sorted(app.regions)]
        else:
            app.known_regions = regions
        self.app.call_from_thread(self._show, regions, True)

    def _show(self, regions: list[RegionInfo], first: bool = False) -> None:
        self._regions = regions
        table = self.query_one(DataTable)
        row = table.cursor_row
        status = app_of(self).region_status
        self._shown_status = dict(status)
        rows = []
        for info in regions:
            mark = Text("*", style="bold green") if info.name in self._chosen else Text(" ")
            opt = cell(info.opt_in_status, style="" if info.enabled else "dim")
            rows.append((mark, cell(info.name), opt, cell(status.get(info.name, ""))))
        # Textual's own widths ran the status past the screen's edge, cut mid-word
        # there with no mark: sized to the screen, it is cut with … in its column.
        fill_table(table, COLUMNS, rows, (STATUS,))
        if first:  # start on the first selected region, not on af-south-1
            names = [info.name for info in regions]
            row = min((names.index(n) for n in self._chosen if n in names), default=0)
        if regions:
            table.move_cursor(row=min(row, len(regions) - 1))
        self._show_hint()

    def _show_hint(self) -> None:
        """How many are selected and, whole, the status of the region under the cursor:
        the table's column cuts a failure's reason at 80 columns."""
        hint = Text(
            f"{len(self._chosen)} selected of {len(self._regions)}; Enter applies", style="dim"
        )
        info = self._current()
        status = app_of(self).region_status.get(info.name, "") if info else ""
        if info and status:
            hint.append(f"\n{clean(info.name)}: ", style="bold")
            hint.append(clean(status, 600))
        self.query_one("#regions-hint", Static).update(hint)

    def on_resize(self) -> None:
        """The columns are sized to the width: size them again for the new one."""
        if self._regions:
            self._show(self._regions)

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_hint()

    def _current(self) -> RegionInfo | None:
        table = self.query_one(DataTable)
        if not self._regions or table.cursor_row < 0:
            return None
        return self._regions[table.cursor_row]

    def action_toggle_region(self) -> None:
        """space: select the region under the cursor, or unselect it. A region the
        account has not enabled is refused, as `a` leaves it out: against AWS every read
        of it fails (AuthFailure), and the demo, which answers for it, showed it logging.
        One selected anyway (``--regions``) can still be unselected."""
        info = self._current()
        if info is None:
            return
        if not info.enabled and info.name not in self._chosen:
            self.notify(
                f"{clean(info.name)} is not enabled in this account "
                f"({clean(info.opt_in_status)}): enable it in the account first",
                severity="warning",
            )
            return
        self._chosen.symmetric_difference_update({info.name})
        self._show(self._regions)

    def action_select_all(self) -> None:
        self._chosen = {info.name for info in self._regions if info.enabled}
        self._show(self._regions)

    def action_select_none(self) -> None:
        self._chosen = set()
        self._show(self._regions)

    def action_yank(self) -> None:
        """y: the region under the cursor and its status whole, as the hint says it (the
        column cuts a failure's reason at 80 columns), to paste into the case's notes."""
        info = self._current()
        if info is None:
            self.notify("no region here yet: nothing to copy", severity="warning")
            return
        status = app_of(self).region_status.get(info.name, "")
        line = f"{info.name}: {status}" if status else info.name
        yank(self, clean(line, 400), clean(info.name, 40))

    def action_apply(self) -> None:
        """Enter: apply the selection, once the keys typed before it (space) have
        changed it (a priority key: View.after_keys)."""
        self.after_keys(self._apply)

    def _apply(self) -> None:
        if not self._chosen:
            self.notify("select at least one region (space, or a for all)", severity="warning")
            return
        app_of(self).set_regions(sorted(self._chosen))
        self.notify(f"{count_of(len(self._chosen), 'region')} selected")
        self.action_back()
