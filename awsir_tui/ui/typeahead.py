"""Keys typed while a prompt opens go to the prompt, not to the view beneath it.

Over SSH a responder's `:sg⏎` or `/key:=x⏎` often arrives in one packet. Textual
forwards each key to the focused widget as it comes, and runs a binding's action when
the key gets there, so the keys after `:` were already on their way to the list
underneath before the prompt opened: `s` sorted it, `g` jumped to the top, and the
prompt stayed empty. So the app looks at each key before forwarding it
(:meth:`TypeAhead.notice`): one bound to an action that opens a prompt makes it hold
the keys that follow, until the prompt's input has the focus
(:class:`ReleasesKeys`), which then gets them in the order typed.
"""

from __future__ import annotations

from typing import Any, cast

from textual import events
from textual.app import App
from textual.widget import Widget
from textual.widgets import Input

from awsir_tui.ui.base import app_of

#: The actions whose key opens a prompt with an input: the view switcher, the filter
#: bar, the notes.
PROMPT_ACTIONS = frozenset({"switch_view", "filter", "case_note", "note"})
#: If the prompt never takes the focus, keys are handed on after this long anyway
#: (seconds): a key must never be swallowed.
HOLD_AT_MOST = 0.5


class TypeAhead:
    """The keys held for a prompt that is opening (see the module's docstring).

    Holding lasts until the held keys have been handed on and handled: a key the
    terminal sends while they are on their way is held too, and handed on after them,
    so that keys never overtake one another (``:events`` typed over a slow link came
    out ``ventse`` when the hold ended as the held keys were sent).
    """

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        #: The keys held, in the order typed; None when nothing is held.
        self._held: list[events.Key] | None = None
        #: The keys handed on and not handled yet (by id: they are in the app's queue).
        self._in_flight: set[int] = set()
        #: Which hold a fallback timer belongs to: a late timer must not end a newer hold.
        self._generation = 0

    def notice(self, event: events.Event) -> None:
        """Before the app forwards ``event``: if it is a key that opens a prompt (an
        input has not the focus, which would type it), hold the keys after it."""
        if not isinstance(event, events.Key) or event.is_forwarded:
            return
        if isinstance(self._app.focused, Input):
            return
        active = self._app.active_bindings.get(event.key)
        if active is not None and active.enabled and active.binding.action in PROMPT_ACTIONS:
            self.hold()

    def hold(self) -> None:
        """Keep the keys typed from now on, until the prompt has the focus."""
        if self._held is not None:
            return
        self._held = []
        self._generation += 1
        generation = self._generation
        self._app.set_timer(HOLD_AT_MOST, lambda: self._expire(generation))

    def take(self, event: events.Event) -> bool:
        """Whether ``event`` is a key held for the prompt (the app then handles it
        later); a key handed on goes through, and the last one hands on the keys that
        came meanwhile."""
        if not isinstance(event, events.Key) or event.is_forwarded:
            return False
        if id(event) in self._in_flight:
            self._in_flight.discard(id(event))
            if not self._in_flight:
                self._hand_on()
            return False
        if self._held is None:
            return False
        self._held.append(event)
        return True

    def release(self) -> None:
        """The prompt has the focus: hand on the held keys, in the order typed (unless
        some are on their way already: the rest follow them)."""
        if not self._in_flight:
            self._hand_on()

    def _hand_on(self) -> None:
        """Send the held keys to the app, behind what it has queued (all of it came
        before them), and go on holding until they are handled; stop if none."""
        held = self._held or []
        self._held = [] if held else None
        for key in held:
            again = events.Key(key.key, key.character)
            # As the terminal driver sends keys: a key sent by the prompt (the pump
            # running this) would stop bubbling there, before the app's bindings (Enter).
            again.set_sender(self._app)
            self._in_flight.add(id(again))
            self._app.post_message(again)

    def _expire(self, generation: int) -> None:
        if generation == self._generation:
            self.release()


class ReleasesKeys:
    """For a prompt (a screen, or a bar, holding an Input): when its input takes the
    focus, the keys held since the prompt was opened are handed to it."""

    def on_descendant_focus(self, _event: events.DescendantFocus) -> None:
        app_of(cast("Widget", self)).typeahead.release()
