"""The `/` filter bar shared by every list view.

It parses with the one filter language (awsir_tui.query). A bad filter never clears the
screen: the bad term is underlined in the input, a caret line under it points at it
with the message, and the view keeps its last good results until the user fixes it.
The filter shows once, where it is typed: a copy of it above the caret read as a second
filter. Edited, the message says it was the previous filter's.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.highlighter import Highlighter
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.expand_tabs import expand_tabs_inline
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from awsir_tui.query import EVENT_FIELDS, FieldTable, FilterError, Query, parse
from awsir_tui.text import clean
from awsir_tui.ui.base import app_of
from awsir_tui.ui.footer import FittingFooter
from awsir_tui.ui.registry import resolve
from awsir_tui.ui.typeahead import ReleasesKeys

#: The events filter's fields and syntax: the events view's help says it, and so does
#: the `/` prompt's (:class:`EventsFilter`), where it is typed.
EVENTS_FILTER_HELP = "Fields: " + " ".join(
    f"{spec.name}:" for spec in EVENT_FIELDS if spec.kind != "time") + """
time: (a day) and since:/after:/before: (error:* = any failed call; a OR b; -term or NOT term;
operators in upper case).
A bare word searches each event's whole record, the secrets its page shows as
**REDACTED** included: a row can match there (you hold the records it reads; the
screen and the exports stay redacted)."""


def span_of(text: str, error: FilterError) -> tuple[int, int]:
    """The refused term's characters in ``text``: one at least, past its end for a
    value missing there."""
    start = max(0, min(error.position, len(text)))
    return start, max(start + 1, min(len(text), start + error.length))


def _cells(text: str) -> int:
    """The cells ``text`` takes in the input, which shows a tab as up to four."""
    return cell_len(expand_tabs_inline(text, 4))


def error_text(text: str, error: FilterError, scrolled: int = 0,
               width: int | None = None) -> Text:
    """A caret line under the refused term of ``text`` as the input shows it (scrolled
    by ``scrolled`` cells, ``width`` cells wide), and the message after it."""
    start, end = span_of(text, error)
    left = _cells(text[:start]) - scrolled
    right = left + max(1, _cells(text[start:end]))
    if width is not None:
        right = min(right, width)
    left = max(0, left)
    line = Text(" " * left + "^" * (right - left) + " " if right > left else "", style="red")
    line.append(clean(error.message), style="red")
    return line


class BadTerm(Highlighter):
    """Underlines the refused term in the input while it holds the refused filter (an
    edit may move the term: then the message alone stays)."""

    def __init__(self) -> None:
        #: The filter refused and why, or None.
        self.refused: tuple[str, FilterError] | None = None

    def highlight(self, text: Text) -> None:
        if self.refused is not None and text.plain == self.refused[0]:
            text.stylize("bold red underline", *span_of(*self.refused))


class FilterBar(ReleasesKeys, Vertical):
    """An input plus an error line; hidden until `/` shows it."""

    DEFAULT_CSS = """
    FilterBar { height: auto; display: none; }
    FilterBar.-shown { display: block; }
    FilterBar Input, FilterBar Input:focus { border: none; height: 1; padding: 0 1; }
    FilterBar #filter-error { height: auto; display: none; padding: 0 1; }
    FilterBar.-error #filter-error { display: block; }
    """
    # `?` types itself here (a filter may hold one): F1 is the help, and the footer
    # says so while the bar has the focus (it listed the view's `? Help`, and `?` typed).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close filter", id="filter.close"),
        Binding("f1", "app.help", "Help", id="filter.help", key_display="F1"),
    ]

    class Applied(Message):
        """A filter that parsed: the view re-filters with it."""

        def __init__(self, query: Query, text: str) -> None:
            super().__init__()
            self.query = query
            self.text = text

    def __init__(self, placeholder: str = "filter, e.g. key:evil sg:sg-123 -state:stopped",
                 *, alone: bool = False, fields: FieldTable | None = None) -> None:
        super().__init__()
        self._placeholder = placeholder
        #: The bar is the whole of a prompt screen (:class:`EventsFilter`): leaving the
        #: bar closes that screen, with the filter applied, rather than go to a list.
        self._alone = alone
        #: The fields the filter is checked against as it is applied, when no view
        #: beneath checks it (alone: a field the events lack is refused in the prompt,
        #: where it can be fixed, not in the view it opened).
        self._fields = fields
        self.text = ""
        self._bad_term = BadTerm()

    def compose(self):  # type: ignore[no-untyped-def]
        kind = PromptInput if self._alone else Input
        yield kind(placeholder=self._placeholder, id="filter-input",
                   highlighter=self._bad_term)
        yield Static(id="filter-error")

    def on_mount(self) -> None:
        # A long filter scrolls in the input: the caret follows it. A view left as it
        # opens (a key pressed fast) runs this with its children already gone: then
        # there is nothing to watch.
        for field in self.query(Input):
            self.watch(field, "scroll_x", self._show_error, init=False)

    def open(self, initial: str | None = None, *, extend: bool = False) -> None:
        """Show the bar and focus it (``/``; the keys typed after it are held for it).
        ``extend``: the keys typed add to ``initial`` (a page's scope), not replace it."""
        self.add_class("-shown")
        field = self.query_one(Input)
        if initial is not None:
            field.value = initial
        # Typed over, as a new filter (End keeps it); or after a scope, at its end.
        field.select_on_focus = not extend
        if extend:
            field.cursor_position = len(field.value)
        field.focus()

        def again() -> None:
            """The bar was hidden a moment ago: if the focus did not take, try again once
            it is laid out; not if it has closed meanwhile (keys typed ahead applied the
            filter), which would leave the focus in a hidden input that eats keys."""
            if self.has_class("-shown") and not field.has_focus:
                field.focus()

        self.call_after_refresh(again)

    def action_close(self) -> None:
        """Esc in the bar: hide it, keep the current filter, back to the list."""
        self.remove_class("-shown", "-error")
        self._bad_term.refused = None
        self._leave(None)

    def _leave(self, applied: str | None) -> None:
        """Back to the list beneath; or, alone in a prompt, close it with the filter
        ``applied`` (None: no filter, Esc)."""
        if self._alone:
            self.screen.dismiss(applied)
        else:
            self.screen.focus_next()

    def refuse(self, text: str, error: FilterError) -> None:
        """Show why ``text`` is refused, under it, with the input focused to fix it.

        Also for errors the view finds after the bar closed (a field this view does not
        have, a bad time): the input must take the focus back, or the next Esc, meant
        for the bar, leaves the view."""
        self.add_class("-shown", "-error")
        self._bad_term.refused = (text, error)
        field = self.query_one(Input)
        # Not selected as the focus comes back: all of it selected, the next key (a
        # Backspace, a letter) replaced the filter being fixed.
        field.select_on_focus = False
        field.value = text
        # The cursor at the end, as typed: Ctrl+U then clears the whole filter (at the
        # bad term it kept the rest, and ':stack' typed after it became ':stack:1'). A
        # filter wider than the input scrolls to the bad term instead: its start, then
        # its end, so that the whole term shows where it fits.
        start, end = span_of(text, error)
        if cell_len(text) < (field.scrollable_content_region.width or 0):
            field.cursor_position = len(text)
        else:
            field.cursor_position = start
            field.cursor_position = min(len(text), end)
        field.focus()
        self._show_error()

    def _show_error(self) -> None:
        """The caret under the refused term as the input now shows it, and the message;
        once the filter is edited, the message said to be the previous filter's (a
        message alone under new text, or under none, read as the new text's)."""
        if self._bad_term.refused is None:
            return
        text, error = self._bad_term.refused
        field = self.query_one(Input)
        if field.value == text:
            shown = error_text(text, error, int(field.scroll_x),
                               field.scrollable_content_region.width or None)
        else:
            shown = Text.assemble(("previous filter: ", "dim"),
                                  (clean(error.message), "red"))
        self.query_one("#filter-error", Static).update(shown)

    def on_input_changed(self, _event: Input.Changed) -> None:
        self._show_error()

    def apply(self, text: str) -> bool:
        """Parse ``text``; post :class:`Applied` or show the error. Returns success."""
        try:
            query = parse(text, self._fields) if self._fields is not None else parse(text)
        except FilterError as error:
            self.refuse(text, error)
            return False
        self.text = text
        self.remove_class("-error")
        self._bad_term.refused = None
        self.query_one(Input).value = text
        self.post_message(self.Applied(query, text))
        return True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        view = typed_view(event.value)
        if view is not None:  # `:events` typed into the filter: the view was meant
            self.query_one(Input).value = self.text
            self.action_close()
            app_of(self).open_view(view)
        elif self.apply(event.value):
            self.remove_class("-shown")
            self._leave(self.text)
        app_of(self).typeahead.prompt_closed()


class PromptInput(Input):
    """The prompt's input, whose Enter the footer names: Input's own is left out of
    footers, and the prompt's footer said nothing of the key that opens :events."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Events", id="filter.events"),
    ]


class EventsFilter(ModalScreen[str | None]):
    """`/` in a view with no filter of its own (:stack, :regions...): a filter for the
    events, which Enter opens :events with (as `:events` typed in a bar opens that
    view). The keys typed after `/` go into it: they went to the view's keys, and in
    :stack `after:` changed its field (f), showed its timeline (t), recounted (r)."""

    DEFAULT_CSS = """
    EventsFilter { align: center top; }
    EventsFilter > Vertical {
        width: 76; max-width: 100%; height: auto; border: round $accent; margin-top: 2;
    }
    EventsFilter #events-filter-title { padding: 0 1; }
    """
    #: F1 says these (AwsirApp.action_help), as it does a view's: what the prompt is
    #: for and the filter's fields; it listed two keys and nothing else.
    crumb = "filter events"
    help_text = EVENTS_FILTER_HELP

    def help_intro(self) -> str:
        """What the prompt does, and why `?` types itself here."""
        return ("Enter opens :events with the filter typed (a refused one stays here to "
                "be fixed); Esc goes back without it. ? types itself, as a filter may "
                "hold one: F1 is the help.")

    def __init__(self, scope: str = "") -> None:
        """``scope``: the terms of the page it was opened on (:meth:`View.events_scope`),
        typed first; the keys typed add to them."""
        super().__init__()
        self._scope = scope

    def compose(self):  # type: ignore[no-untyped-def]
        title = ("filter this page's events: delete its terms for the whole account"
                 if self._scope
                 else "filter events: Enter opens :events with it, Esc goes back")
        with Vertical():
            yield Static(Text(title), id="events-filter-title")
            yield FilterBar("e.g. user:alice error:* since:24h", alone=True,
                            fields=EVENT_FIELDS)
        # Its own: the view's beneath showed through, with keys the prompt does not have.
        yield FittingFooter()

    def on_mount(self) -> None:
        bar = self.query_one(FilterBar)
        if self._scope:
            bar.open(f"{self._scope} ", extend=True)
        else:
            bar.open()


def typed_view(text: str) -> str | None:
    """The view ``text`` names when it is a `:` command (``:events``, ``:stack``) typed
    where a filter goes: searched for as a word it matched nothing, and the responder
    read "0 events" as an answer. A word that only starts with a colon and names no
    view (``:443``) is still a search; quoted, ``":events"`` is too."""
    word = text.strip()
    if not word.startswith(":") or len(word.split()) != 1:
        return None
    return resolve(word)
