"""What every view shares: the shell around it, safe cells, and the app handle.

A view only composes its body; the header (account, identity, regions, read-only
state), the breadcrumb and the footer come from :class:`View`, so every screen looks and
answers the same way. Cells go through :func:`cell`: every AWS or log string is the
attacker's, so it is cleaned and rendered as plain Text, never markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Static

from awsir_tui.events.record import Event
from awsir_tui.text import clean
from awsir_tui.ui.cursor_table import column_offsets
from awsir_tui.ui.footer import FittingFooter
from awsir_tui.ui.paging_keys import PAGING_KEYS, Pages, lines_for

if TYPE_CHECKING:
    from awsir_tui.app import AwsirApp


def cell(value: object, max_len: int = 200, style: str = "") -> Text:
    """One table cell: cleaned, one line, plain Text (markup never interpreted)."""
    if isinstance(value, list | tuple | set):
        value = ", ".join(clean(item) for item in value)
    return Text(clean(value, max_len), style=style, no_wrap=True, overflow="ellipsis")


def app_of(node: Widget | Screen) -> AwsirApp:
    """The running app, typed, for views that need its shared state."""
    return cast("AwsirApp", node.app)


@dataclass(frozen=True, slots=True)
class Mark:
    """What `m` keeps: a value, where it was seen, and what it is when the view knows.

    ``kind`` is an indicator kind (``key-pair``, ``ip``...); None lets the case guess it
    from the value, which is right for IDs and addresses but cannot tell a key pair's
    name or a role from any other word.
    """

    value: str
    source: str
    kind: str | None = None
    region: str = ""
    ref: str = ""
    #: When the data shows it: an event's time, an instance's launch (the case's
    #: first/last seen then say when the attacker used it, not when the responder
    #: marked it); None when the data has no time for it.
    seen: datetime | None = None
    #: The key of the tag whose value this is (``Name``), where the row is a tag's.
    tag: str = ""
    #: The event the value was read in (a value of an event's page), kept in the case
    #: with it: the evidence where it was seen (:meth:`Case.mark`).
    evidence: Event | None = None


@dataclass(frozen=True, slots=True)
class Unmarked:
    """Why `m` kept nothing (:meth:`View.unmarked`): ``reason`` for the responder, and
    ``later`` when the row is still being read and is marked once it is."""

    reason: str
    later: bool = False


class HeaderBar(Static):
    """One line: account, identity, regions, and whether actions are allowed."""

    # Textual wraps a Static's Text whatever its no_wrap says, and the one row shows the
    # first line alone: a 40-cell role session name pushed "read-only" out unmarked.
    DEFAULT_CSS = "HeaderBar { text-wrap: nowrap; text-overflow: ellipsis; }"

    def render(self) -> Text:
        return app_of(self).header_text()


class Breadcrumb(Static):
    """Where the user is: the stack of views, oldest first. The view on screen gets the
    room its name needs (a filter), the ones under it 40 cells each."""

    def render(self) -> Text:
        width = max(10, self.size.width)
        views = [screen for screen in self.app.screen_stack if isinstance(screen, View)]
        crumbs = [clean(view.crumb, 40) for view in views[:-1]]
        crumbs += [clean(view.crumb, width) for view in views[-1:]]
        line = " \u203a ".join(crumbs)
        while len(line) > width and len(crumbs) > 1:  # keep the newest: drop the oldest
            crumbs = crumbs[1:]
            line = "\u2026 \u203a " + " \u203a ".join(crumbs)
        text = Text(line or " ", no_wrap=True)
        text.truncate(width, overflow="ellipsis")
        return text


class RegionsChanged(Message):
    """The region selection changed: views reload what they show."""


class View(Screen[None]):
    """A screen of the app: a body framed by header, breadcrumb and footer.

    Subclasses set ``crumb`` (the breadcrumb label), ``help_text`` (shown by F1 with the
    bindings), and implement :meth:`compose_body`. Views that hold a value worth keeping
    as an indicator implement :meth:`indicator_at_cursor` or :meth:`mark_at_cursor`.
    """

    crumb: str = ""
    help_text: str = ""
    #: The registered name of a top-level view (opened by `:` with no pivot or filter
    #: given), '' for a drill-down: `:` returns to a top-level view rather than stack it.
    top_level: str = ""
    #: It works on the events view beneath it (:stack, :findings): `:` to it from an
    #: events view opened above the kept one (a group's or a bucket's events) makes a
    #: new one over those events, rather than going back and closing them.
    works_on_events_beneath: ClassVar[bool] = False
    #: It shows events (the events view): what such views work on.
    shows_events: ClassVar[bool] = False
    #: The regions changed while this (kept, top-level) view was left: it reads them
    #: again when it comes back (:meth:`on_screen_resume`).
    regions_stale = False
    #: The name the registry made it under (``registry.make_view``), with nothing but
    #: text given: the case reopens it there next time. '' for a page, or a list made
    #: for a pivot, which the registry cannot make again from a name and a filter.
    place_name = ""
    _filter_text = ""
    # Help is a view's binding, not the app's: the footer lists the focused table's keys,
    # then the view's, then the app's, and at 80 columns the app's were past its edge
    # (`? He…`). Second in the footer, the key to every other key is always in sight.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark,f1", "app.help", "Help", id="help", key_display="?"),
        Binding("escape", "back", "Back", id="back"),
    ]

    @property
    def filter_text(self) -> str:
        """The filter the view shows its rows by ('' if none or it has no filter)."""
        return self._filter_text

    @filter_text.setter
    def filter_text(self, text: str) -> None:
        # Set wherever a view takes a filter (`/`, a preset key, `:events X`): the case
        # learns the place as it changes, not only when a view is opened, so that the
        # next start does not reopen a filter replaced since.
        self._filter_text = text
        if self.is_attached and self.is_current:
            app_of(self).remember_place_of(self)

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="header-bar")
        yield Breadcrumb(id="breadcrumb")
        yield from self.compose_body()
        yield FittingFooter()

    def compose_body(self) -> Iterable[Widget]:
        """The view's own widgets."""
        return ()

    def help_intro(self) -> str:
        """What `?` says before ``help_text``, worked out when help opens: the state of
        this view (a filter, a plan) that its screen may show only in part."""
        return ""

    def history_events(self) -> int:
        """The events this view read from Event history: quitting loses them, and
        LookupEvents, paced at 2 calls/s per region, takes minutes to read them again
        (q asks first, :meth:`AwsirApp.action_quit`)."""
        return 0

    def indicator_at_cursor(self) -> tuple[str, str] | None:
        """The value under the cursor worth marking as an indicator, and where it was seen.

        Returns ``(value, where)`` or None; its kind is guessed from the value. A view
        that knows more (kind, region) overrides :meth:`mark_at_cursor` instead.
        """
        return None

    @classmethod
    def marks_anything(cls) -> bool:
        """Whether `m` can ever mark something here: the view says what is under its
        cursor (one of the ``*_at_cursor`` methods). Where it cannot, the footer leaves
        `m` out rather than offer a key that only answers "nothing to mark"."""
        return any(
            getattr(cls, name) is not getattr(View, name)
            for name in ("indicator_at_cursor", "mark_at_cursor", "event_at_cursor")
        )

    def mark_at_cursor(self) -> Mark | None:
        """What ``m`` (mark) keeps from the active view: by default the value of
        :meth:`indicator_at_cursor`, its kind guessed."""
        found = self.indicator_at_cursor()
        return Mark(found[0], found[1]) if found else None

    def unmarked(self, mark_again: Callable[[], object]) -> Unmarked:
        """Why `m` kept nothing under the cursor, when the view can tell better than
        "nothing to mark here" (an empty reason when it has nothing to say). A view
        whose rows are read in blocks (the events list) may instead have ``mark_again``
        called once the row under the cursor is read, and say so (``later``)."""
        return Unmarked("")

    def events_scope(self) -> str:
        """The filter terms that scope `/`'s events to what this page is about (an
        instance's sessions and the calls naming it), put first in the prompt where they
        can be seen and deleted; '' for a view about no one thing. On an instance's page
        `/` searched the whole account, its breadcrumb under the instance's."""
        return ""

    def event_at_cursor(self) -> Event | None:
        """The CloudTrail event under the cursor, if this view shows events.

        ``m`` puts such an event on the case's timeline (and its ID among the indicators)
        rather than marking a bare value.
        """
        return None

    def after_keys(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` after the keys typed before the one running now. A priority
        binding (Enter over a table's own) runs as its key arrives, while the keys just
        before it (``G⏎`` in one read over SSH) still wait in the focused widget's queue,
        then bubble up to the app, which runs their bindings: queued behind them at each
        step of that way, it sees the cursor they moved, not the row before."""
        way: list[DOMNode] = []  # the focused widget's, its parents', the app's (bindings)
        node: DOMNode | None = self.app.focused or self
        while node is not None:
            way.append(node)
            node = node.parent

        def hop(step: int) -> None:
            if step == len(way):
                callback()
            else:
                way[step].call_later(hop, step + 1)

        hop(0)

    def set_crumb(self, crumb: str) -> None:
        """Name the view anew in the breadcrumb (a view whose filter changed)."""
        self.crumb = crumb
        for widget in self.query(Breadcrumb):
            widget.refresh()

    def on_screen_resume(self) -> None:
        """Coming back to a view (or shown first): the case keeps it as the place to
        reopen. The breadcrumb and header may have changed meanwhile. And the prompt
        that closed to show it (`:`, a note) has done with its Enter: the keys typed
        after that are handed on (ui/typeahead.py)."""
        app_of(self).typeahead.prompt_closed()
        app_of(self).remember_place_of(self)
        for widget in self.query("HeaderBar, Breadcrumb"):
            widget.refresh()
        if self.regions_stale:
            self.regions_stale = False
            self.post_message(RegionsChanged())

    @property
    def can_go_back(self) -> bool:
        """Whether Esc leaves this view: not the first view (above Textual's default
        screen), which stays."""
        return len(self.app.screen_stack) > 2

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Esc (back) is left out of the first view's footer, where it does nothing: at
        80 columns its room is what shows `q Quit`."""
        if action == "back":
            return self.can_go_back
        return True

    def action_back(self) -> None:
        """Esc: back to the previous view (the first view stays)."""
        if self.can_go_back:
            self.app.pop_screen()


class TableView(Pages, View):
    """A view whose body is one DataTable: j/k move its cursor, g/G to the first and
    last row, h/l scroll by whole columns, space/b (Ctrl+F/B) a page and Ctrl+D/U half
    of one as in less, whatever widget has the focus (the table, or nothing after a
    dialog), as they do in every other list of the app. (DataTable's own left/right
    scroll a character at a time: some sixty presses to reach the last columns of the
    indicators at 80 columns.)"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="rows.down"),
        Binding("k", "cursor_up", "Up", show=False, id="rows.up"),
        Binding("g", "cursor_top", "First row", show=False, id="rows.top"),
        Binding("G", "cursor_bottom", "Last row", show=False, id="rows.bottom"),
        Binding("l", "column_right", "Next column", show=False, id="rows.right"),
        Binding("h", "column_left", "Previous column", show=False, id="rows.left"),
        *PAGING_KEYS,
    ]

    def action_cursor_down(self) -> None:
        self.query_one(DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(DataTable).action_cursor_up()

    def action_cursor_top(self) -> None:
        self.query_one(DataTable).move_cursor(row=0)

    def page_by(self, pages: float) -> None:
        """The rows in sight down (up: negative) by ``pages`` of them, the cursor as many
        rows on, on its line of the screen (:class:`~awsir_tui.ui.paging_keys.Pages`):
        moved alone, the cursor went to the bottom line first, so the first space
        moved the list by one row, as the events table did. The cursor first: the
        DataTable scrolls a cursor it moves into sight, from where the rows were."""
        table = self.query_one(DataTable)
        step = lines_for(pages, table.scrollable_content_region.height - table.header_height)
        top = table.scroll_y + step
        table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)))
        table.scroll_to(y=top, animate=False, immediate=True)

    def action_cursor_bottom(self) -> None:
        table = self.query_one(DataTable)
        table.move_cursor(row=max(0, table.row_count - 1))

    def action_column_right(self) -> None:
        """l: the first column not wholly in sight wholly in sight, the left edge (of
        the part that scrolls, beside any fixed columns) at the first column's start
        that shows it (one l to a wide last column, not one per column before it; and
        none past where every column shows)."""
        table: DataTable[Text] = self.query_one(DataTable)
        starts, total, room = column_offsets(table)
        ends = [*starts[1:], total]
        right = table.scroll_x + room
        cut = next((n for n, end in enumerate(ends) if end > right), None)
        if cut is None:
            return
        later = [start for start in starts if start > table.scroll_x
                 and (start + room >= ends[cut] or start >= starts[cut])]
        if later:
            table.scroll_to(x=later[0], animate=False)

    def action_column_left(self) -> None:
        """h: the previous column to the left edge (beside any fixed columns)."""
        table: DataTable[Text] = self.query_one(DataTable)
        starts, _, _ = column_offsets(table)
        earlier = [x for x in starts if x < table.scroll_x]
        table.scroll_to(x=earlier[-1] if earlier else 0, animate=False)


class TextScroll(Pages, VerticalScroll):
    """A page of text that scrolls: j/k a line, g/G to the top and the end, space/b
    (Ctrl+F/B) a page and Ctrl+D/U half of one, as in every list of the app (arrows,
    PageUp/PageDown, Home/End work as in any VerticalScroll). The event's text, the
    pages of text and every ``?`` help did nothing on them but PageDown.

    Every key counts, however fast they come: Textual's scroll_down works out its
    target when the key comes and scrolls after the next refresh, so twenty j typed at
    once (a held key, over SSH one packet) all aimed at the line under the first and
    went one line, and a page key the same. Here each scroll is worked out after the
    refresh, from where the scrolls asked before it left the page, and done at once
    (not glided: a glide still on its way is where the next key started from)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "Scroll down", show=False, id="text.down"),
        Binding("k", "scroll_up", "Scroll up", show=False, id="text.up"),
        Binding("g", "scroll_home", "Top", show=False, id="text.top"),
        Binding("G", "scroll_end", "End", show=False, id="text.bottom"),
        *PAGING_KEYS,
    ]

    def scroll_lines(self, lines: int = 0, pages: float = 0) -> None:
        """Scroll by ``lines`` and ``pages`` (a page: the height shown), once the text
        just put in is laid out, after the scrolls asked before."""
        self.call_after_refresh(self._scroll_by, lines, pages)

    def _scroll_by(self, lines: int, pages: float) -> None:
        step = lines + int(pages * self.scrollable_content_region.height)
        self.scroll_to(y=self.scroll_y + step, animate=False, immediate=True)

    def _scroll_at_end(self, end: bool) -> None:
        self.scroll_to(y=self.max_scroll_y if end else 0, animate=False, immediate=True)

    def _vertical(self, lines: int = 0, pages: float = 0) -> None:
        """A key's scroll, or the key goes on to the screen where there is none."""
        if not self.allow_vertical_scroll:
            raise SkipAction()
        self.scroll_lines(lines, pages)

    def action_scroll_down(self) -> None:
        self._vertical(lines=1)

    def action_scroll_up(self) -> None:
        self._vertical(lines=-1)

    def page_by(self, pages: float) -> None:
        self._vertical(pages=pages)

    def action_scroll_home(self) -> None:
        self.call_after_refresh(self._scroll_at_end, False)

    def action_scroll_end(self) -> None:
        self.call_after_refresh(self._scroll_at_end, True)
