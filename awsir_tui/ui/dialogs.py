"""Small modal screens: the `:` view switcher, F1 help, and yes/no confirmation."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Static

from awsir_tui.text import clean
from awsir_tui.ui.base import TextScroll, app_of
from awsir_tui.ui.registry import (
    VIEWS,
    filter_refusal,
    resolve,
    split_command,
    starting_with,
    takes_filter,
)
from awsir_tui.ui.typeahead import ReleasesKeys

#: What `:` takes besides a view's name: the help of the view under it (as ``?``/F1),
#: which a vim or k9s user types as ``:help`` (it said "no view 'help'").
HELP = "help"


class SwitchView(ReleasesKeys, ModalScreen[tuple[str, str] | None]):
    """`:` then a view name (with completion), Enter to go, Esc to stay; or
    :data:`HELP`, answered with itself for the app to show the view's help. A filter
    may follow a view that takes one (``:events name:RunInstances``): answered as the
    view's name and the filter ('' if none)."""

    DEFAULT_CSS = """
    SwitchView { align: center top; }
    SwitchView > Vertical { width: 60; height: auto; border: round $accent; margin-top: 2; }
    SwitchView Input { border: none; }
    SwitchView #switch-hint { color: $text-muted; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    #: What it answers to, as the suggester and the hints offer them.
    names: ClassVar[list[str]] = sorted([*VIEWS, HELP])

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Input(placeholder=":view", suggester=SuggestFromList(self.names),
                        id="switch-input")
            yield Static(Text("views: " + " ".join(self.names)), id="switch-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        typed, filter_text = split_command(event.value)
        name = resolve(typed, also=[HELP])
        problem = (self._unknown(typed) if name is None
                   else _filter_problem(name, filter_text))
        if name is None or problem:
            self.query_one("#switch-hint", Static).update(
                Text(f"{problem}; views: " + " ".join(self.names)
                     + "; with a filter: :events name:RunInstances")
            )
            # It stays open: the keys typed after Enter go on into the name.
            app_of(self).typeahead.prompt_closed()
            return
        self.dismiss((name, filter_text))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _unknown(self, typed: str) -> str:
        """Why ``typed`` opens no view: the start of several (``:s``, sg and stack),
        said so, where "no view 's'" read as if neither existed."""
        starting = sorted(starting_with(typed, also=[HELP]))
        if len(starting) > 1:
            return f"{clean(typed, 30)!r} starts {' and '.join(starting)}: type more"
        return f"no view {clean(typed, 30)!r}"


def _filter_problem(name: str, filter_text: str) -> str:
    """What is wrong with the filter typed after the view's name at `:` ('' if nothing)."""
    if not filter_text:
        return ""
    if name == HELP or not takes_filter(name):
        return f":{name} takes no filter"
    refusal = filter_refusal(name, filter_text)
    return f"not a filter of :{name}: {clean(refusal, 200)}" if refusal else ""


#: The help's own keys, on its frame.
HELP_KEYS = "space/b Ctrl+F/B page \u00b7 Ctrl+D/U half \u00b7 j/k g/G \u00b7 Esc close"


class HelpScreen(ModalScreen[None]):
    """F1 / `?`: what the focused view is for, its keys, and its filter fields. Also any
    text to be read whole and closed again (a finding's `i`). It pages as the lists do
    (:class:`TextScroll`), and its frame says so: the keys listed in it are the view's."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > TextScroll { width: 90%; height: 90%; border: round $accent; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f1,question_mark", "close", "Close", id="help.close"),
    ]

    def __init__(self, body: Text) -> None:
        super().__init__()
        self.body = body

    def compose(self) -> ComposeResult:
        with TextScroll():
            yield Static(self.body)

    def on_mount(self) -> None:
        scroll = self.query_one(TextScroll)
        scroll.border_subtitle = HELP_KEYS
        scroll.focus()

    def action_close(self) -> None:
        self.dismiss(None)


#: The keys a Confirm answers to, as its bottom line says them.
ANSWERS = "Y (capital) = yes, do it    n / Esc = no"


class Confirm(ModalScreen[bool]):
    """Ask before a call that changes the account, before losing case work, or before
    exporting events that are still being read; the default answer is No.

    The responder may be on a small terminal (60x20 or less, over SSH): the box is as
    wide as the screen allows, the question scrolls (arrows, page keys, mouse) when it
    is longer than the room left, and the answers are docked at the bottom of the box
    so that the question never pushes them off screen. The box is drawn above the
    notices (Textual puts them on a layer over every screen's own): they covered the
    question's last lines and its answers, the parameters and the copies made before,
    which the responder must read to answer.
    """

    DEFAULT_CSS = """
    Confirm { align: center middle; }
    Confirm > VerticalScroll {
        width: 90%; max-width: 76; height: auto; max-height: 100%;
        border: thick $error; padding: 0 1;
    }
    Confirm #confirm-answers { dock: bottom; height: auto; margin-top: 1; }
    Confirm #confirm-buttons { height: auto; }
    Confirm Button { margin: 0 1 0 0; }
    Confirm > VerticalScroll { layer: question; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "answer(False)", "No"),
        # A capital Y: y is Yank everywhere else, and a yank typed out of habit after
        # an unnoticed F must not snapshot anything.
        Binding("Y", "answer(True)", "Yes"),
        Binding("y", "lower_y", show=False),
    ]
    #: The keys that answer, as the box's bottom line says them.
    answers = ANSWERS

    @staticmethod
    def question_room(screen: Size) -> Size:
        """The columns and rows a question has on a ``screen`` before it scrolls, for a
        long one to be cut to (a scrollbar alone was missed): the box as its CSS sizes
        it, less its border and padding, and less the answers' five lines."""
        width = min(screen.width * 9 // 10, 76) - 4
        return Size(max(width, 1), max(screen.height - 2 - 5, 1))

    @property
    def layers(self) -> tuple[str, ...]:
        """The screen's layers (the notices' among them), then the question's, on top."""
        return (*super().layers, "question")

    def __init__(self, question: Text, yes: str = "Yes, change the account") -> None:
        super().__init__()
        self._question = question
        self._yes = yes

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self._question, id="confirm-question")
            with Vertical(id="confirm-answers"):
                yield Static(Text(self.answers, style="bold"), id="confirm-keys")
                with Horizontal(id="confirm-buttons"):
                    yield Button("No", id="no", variant="primary")
                    yield Button(self._yes, id="yes", variant="error")

    def on_mount(self) -> None:
        # query, not query_one: when the app closes as the dialog opens, its buttons
        # may be gone already, and a crash would hide why the app closed.
        for answer in self.query("#no").results(Button):
            answer.focus()

    def action_lower_y(self) -> None:
        """y answers nothing: say which key does."""
        for keys in self.query("#confirm-keys").results(Static):
            keys.update(Text("y is not an answer: " + self.answers, style="bold reverse"))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class ConfirmQuit(Confirm):
    """q, when quitting would lose what takes time to get back (an archive held in
    memory, Event history read): q again or y quits, n or Esc stays. q closes a pager
    in less and vim, and a responder pressing it on an event's page lost every event
    read. Unlike a change to the account, quitting wants no capital Y: what q or y
    loses is said above the answers."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,y,Y", "answer(True)", "Quit"),
    ]
    answers = "q / y = quit    n / Esc = stay"

    def __init__(self, question: Text) -> None:
        super().__init__(question, yes="Quit")
