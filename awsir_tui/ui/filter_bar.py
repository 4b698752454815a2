"""The `/` filter bar shared by every list view.

It parses with the one filter language (awsir_tui.query). A bad filter never clears the
screen: the error is shown under the input with the bad term pointed at, and the view
keeps its last good results until the user fixes it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from awsir_tui.query import FilterError, Query, parse
from awsir_tui.text import clean
from awsir_tui.ui.base import app_of
from awsir_tui.ui.typeahead import ReleasesKeys


def error_text(text: str, error: FilterError) -> Text:
    """The filter with the bad term underlined, then the message."""
    shown = clean(text)
    start = max(0, min(error.position, len(shown)))
    end = max(start + 1, min(len(shown), start + max(1, error.length)))
    line = Text(shown)
    line.stylize("bold red underline", start, end)
    line.append("\n" + " " * start + "^" * (end - start) + " ", style="red")
    line.append(clean(error.message), style="red")
    return line


class FilterBar(ReleasesKeys, Vertical):
    """An input plus an error line; hidden until `/` shows it."""

    DEFAULT_CSS = """
    FilterBar { height: auto; display: none; }
    FilterBar.-shown { display: block; }
    FilterBar Input, FilterBar Input:focus { border: none; height: 1; padding: 0 1; }
    FilterBar #filter-error { height: auto; display: none; padding: 0 1; }
    FilterBar.-error #filter-error { display: block; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close filter", id="filter.close"),
    ]

    class Applied(Message):
        """A filter that parsed: the view re-filters with it."""

        def __init__(self, query: Query, text: str) -> None:
            super().__init__()
            self.query = query
            self.text = text

    def __init__(self, placeholder: str = "filter, e.g. key:evil sg:sg-123 -state:stopped") -> None:
        super().__init__()
        self._placeholder = placeholder
        self.text = ""

    def compose(self):  # type: ignore[no-untyped-def]
        yield Input(placeholder=self._placeholder, id="filter-input")
        yield Static(id="filter-error")

    def open(self, initial: str | None = None) -> None:
        """Show the bar and focus it (``/``; the keys typed after it are held for it)."""
        self.add_class("-shown")
        field = self.query_one(Input)
        if initial is not None:
            field.value = initial
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
        self.screen.focus_next()

    def refuse(self, text: str, error: FilterError) -> None:
        """Show why ``text`` is refused, under it, with the input focused to fix it.

        Also for errors the view finds after the bar closed (a field this view does not
        have, a bad time): the input must take the focus back, or the next Esc, meant
        for the bar, leaves the view."""
        self.add_class("-shown", "-error")
        self.query_one("#filter-error", Static).update(error_text(text, error))
        field = self.query_one(Input)
        field.value = text
        field.focus()

    def apply(self, text: str) -> bool:
        """Parse ``text``; post :class:`Applied` or show the error. Returns success."""
        try:
            query = parse(text)
        except FilterError as error:
            self.refuse(text, error)
            return False
        self.text = text
        self.remove_class("-error")
        self.query_one(Input).value = text
        self.post_message(self.Applied(query, text))
        return True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.apply(event.value):
            self.remove_class("-shown")
            self.screen.focus_next()
        app_of(self).typeahead.prompt_closed()
