"""Keys typed while a prompt opens go to the prompt, not to the view beneath it.

Over SSH a responder's `:sg⏎` or `/key:=x⏎` often arrives in one packet. Textual
forwards each key to the focused widget as it comes, and runs a binding's action when
the key gets there, so the keys after `:` were already on their way to the list
underneath before the prompt opened: `s` sorted it, `g` jumped to the top, and the
prompt stayed empty. So the app looks at each key before forwarding it
(:meth:`TypeAhead.notice`): one bound to an action that opens a prompt makes it hold
the keys that follow, until the prompt's input has the focus
(:class:`ReleasesKeys`), which then gets them in the order typed.

The Enter that closes a prompt holds the keys after it too, until the prompt has done
with it: Textual runs Input's Enter binding only once the key has bubbled up to the
app, after the keys queued behind it, so in `:sg⏎/open:*⏎` the rest went on into the
view switcher's input and the switch never happened. Every other key an input takes
by a binding (Backspace, Ctrl+U, Left...) holds the keys after it until its binding
has run, for the same reason: `abc⌫d` came out `abc`. A paste is held like a key, so
text pasted right after `/` lands in the filter. `/` where a view has no filter opens
a filter for the events view, which takes the keys typed after it the same way: as
commands they did things (a note on an indicator, regions deselected).

A key that replaces a view's table by one counted in a thread (`t` in `:stack`: the
timeline) holds the keys after it too, until the new table is shown
(:class:`RefillsTable`): `t⏎` opened a group of the table being left, not a time bucket.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal, cast

from textual import events
from textual.app import App, ScreenStackError
from textual.widget import Widget
from textual.widgets import Input

from awsir_tui.ui.base import app_of

#: The actions whose key opens a prompt with an input: the view switcher, the filter
#: bar, the notes, an event's search; and `/` in a view with no filter (a filter for
#: the events view).
PROMPT_ACTIONS = frozenset({"switch_view", "filter", "case_note", "note", "search", "no_filter"})
#: If the prompt never takes the focus, keys are handed on after this long anyway
#: (seconds), once the app has done what it was doing (:data:`SETTLE_ROUNDS`): a key
#: must never be swallowed. Not shorter: on a loaded machine (CI's two busy cores) a
#: view switch took over 0.5 s, the keys went on to the view being left, and
#: `:sg⏎/open:*⏎` opened the switcher again on `open:*`.
HOLD_AT_MOST = 2.0
#: After :data:`HOLD_AT_MOST`, how many times the app and the screen's widgets must
#: each have processed every message they had queued before the keys go on anyway.
#: Each round lets a prompt that is still opening or closing take its next step
#: (switcher submitted, dismissed, view pushed, composed, focused): on a loaded
#: machine `:sg⏎` took over 2 s to close the switcher, and the keys after it, handed
#: on by the clock alone, went into the switcher that was closing.
SETTLE_ROUNDS = 12
#: And the keys go on after this long whatever the app is doing (seconds): a message
#: handler that waits for long would otherwise keep them forever.
HOLD_LONGEST = 10.0
#: What a responder types: keys, and pastes (a bracketed paste arrives as one event).
Typed = events.Key | events.Paste
#: What a hold waits for: a prompt's input to take the focus (after `:`, `/`...), a
#: prompt to finish with the Enter that closed it, an input's binding to have run, or
#: a view's new table to be shown (:class:`RefillsTable`).
Until = Literal["focus", "closed", "handled", "shown"]


class TypeAhead:
    """The keys held for a prompt that is opening or closing (see the module's docstring).

    Holding lasts until the held keys have been handed on and handled: a key the
    terminal sends while they are on their way is held too, and handed on after them,
    so that keys never overtake one another (``:events`` typed over a slow link came
    out ``ventse`` when the hold ended as the held keys were sent). If a key handed on
    opens or closes a prompt, the keys handed on after it are held again.
    """

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        #: The keys held, in the order typed; None when nothing is held.
        self._held: list[Typed] | None = None
        #: What the hold waits for; None once it has come (or when nothing is held).
        self._waiting: Until | None = None
        #: Keys handed on once and held again, because a key handed on before them
        #: opened or closed a prompt; they go before the keys held meanwhile, typed
        #: after them.
        self._again: list[Typed] = []
        #: The keys handed on and not handled yet (by id: they are in the app's queue).
        self._in_flight: set[int] = set()
        #: Which hold a fallback timer belongs to: a late timer must not end a newer hold.
        self._generation = 0
        #: The key whose input binding is awaited (by id), for :meth:`after`.
        self._awaited: int | None = None

    def notice(self, event: events.Event) -> None:
        """Before the app forwards ``event``: hold the keys after it if it opens a
        prompt (an input has not the focus, which would type it), or if it is the Enter
        that submits a prompt's input."""
        if not isinstance(event, events.Key) or event.is_forwarded:
            return
        focused = self._app.focused
        if isinstance(focused, Input):
            if not _in_prompt(focused) or event.is_printable:
                return
            if event.key == "enter":
                self.hold("closed")
            else:
                self.hold("handled")
                self._awaited = id(event)
            return
        active = self._app.active_bindings.get(event.key)
        if active is None or not active.enabled:
            return
        if active.binding.action in PROMPT_ACTIONS:
            self.hold("focus")
        elif (isinstance(active.node, RefillsTable)
              and active.binding.action in active.node.REFILLING_ACTIONS):
            self.hold("shown")

    def hold(self, until: Until) -> None:
        """Keep the keys typed from now on, until ``until`` comes (:meth:`release`)."""
        if self._held is None:
            self._held = []
        self._waiting = until
        self._generation += 1
        generation = self._generation
        self._app.set_timer(HOLD_AT_MOST, lambda: self._settle(generation, SETTLE_ROUNDS))
        self._app.set_timer(HOLD_LONGEST, lambda: self._expire(generation))

    def after(self, event: events.Event, first_pass: bool) -> None:
        """The app has handled ``event``: if it is the awaited key come back from the
        input (not its first pass, when the app only sent it there), its binding has
        run, and the keys after it go on."""
        if not first_pass and self._awaited is not None and id(event) == self._awaited:
            self._awaited = None
            self.release("handled")

    def take(self, event: events.Event) -> bool:
        """Whether ``event`` is a key held for the prompt (the app then handles it
        later). A key handed on goes through, unless a key handed on before it opened
        or closed a prompt that is not ready yet; the last one hands on the keys held
        meanwhile."""
        if not isinstance(event, (events.Key, events.Paste)) or event.is_forwarded:
            return False
        if id(event) in self._in_flight:
            self._in_flight.discard(id(event))
            held_again = self._waiting is not None or bool(self._again)
            if held_again:
                self._again.append(event)
            if not self._in_flight and self._waiting is None:
                self._hand_on()
            return held_again
        if self._held is None:
            return False
        self._held.append(event)
        return True

    def release(self, came: Until | None = None) -> None:
        """``came`` has come (None: stop waiting, whatever for): hand on the held keys,
        in the order typed (unless some are on their way already: the rest follow
        them). A focus that comes while a closing prompt is awaited changes nothing."""
        if came is not None and self._waiting not in (None, came):
            return
        self._waiting = None
        if not self._in_flight:
            self._hand_on()

    def prompt_closed(self) -> None:
        """A prompt has done with the Enter that submitted it (its view is back, or the
        filter bar has applied or refused its text): hand on the keys typed after that
        Enter, once the screen has drawn what the Enter changed and the focus is there.

        Only if no other hold began meanwhile: a view shown at start-up (or brought back
        by Esc) says this too, with no Enter held, and a `:sg⏎` typed before the screen
        was drawn had its Enter's hold ended by it: the keys after the Enter went into
        the switcher that Enter was closing."""
        generation = self._generation

        def closed() -> None:
            if generation == self._generation:
                self.release("closed")

        self._app.call_after_refresh(closed)

    def _hand_on(self) -> None:
        """Send the held keys to the app, behind what it has queued (all of it came
        before them), and go on holding until they are handled; stop if none."""
        held = self._again + (self._held or [])
        self._again = []
        self._held = [] if held else None
        for key in held:
            again: Typed = (
                events.Key(key.key, key.character)
                if isinstance(key, events.Key)
                else events.Paste(key.text)
            )
            # As the terminal driver sends keys: a key sent by the prompt (the pump
            # running this) would stop bubbling there, before the app's bindings (Enter).
            again.set_sender(self._app)
            self._in_flight.add(id(again))
            self._app.post_message(again)

    def _settle(self, generation: int, rounds: int) -> None:
        """Hand the keys on once the app, the screen and its widgets have processed
        what they had queued, ``rounds`` times over (the prompt may be a few steps
        from ready), unless what the hold waits for comes meanwhile."""
        if generation != self._generation or self._waiting is None:
            return
        if rounds == 0:
            self._expire(generation)
            return
        app = self._app
        try:
            pumps = [app, *app.screen.walk_children(with_self=True)]
        except ScreenStackError:  # the app is closing: nothing will take the keys
            self._expire(generation)
            return
        left = 0

        def processed() -> None:
            nonlocal left
            left -= 1
            if left == 0:
                self._settle(generation, rounds - 1)

        for pump in pumps:
            left += bool(pump.call_later(processed))
        if left == 0:  # (nothing could take a message: the app is closing)
            self._expire(generation)

    def _expire(self, generation: int) -> None:
        if generation == self._generation:
            self._awaited = None  # (a key stopped before it came back: not awaited now)
            self.release()


def _in_prompt(field: Input) -> bool:
    """Whether ``field`` is the input of a prompt (whose Enter closes it)."""
    return any(isinstance(node, ReleasesKeys) for node in field.ancestors_with_self)


class RefillsTable:
    """For a view whose :attr:`REFILLING_ACTIONS` replace its table by one counted in a
    thread: the keys typed after such a key wait for the new table, which the view
    says is shown by :meth:`table_shown` (or the hold's clock runs out)."""

    REFILLING_ACTIONS: ClassVar[frozenset[str]] = frozenset()

    def table_shown(self) -> None:
        """The table asked for is on screen (or will not come): the keys typed after
        the key that asked for it go on to it, once it is drawn."""
        typeahead = app_of(cast("Widget", self)).typeahead
        cast("Widget", self).call_after_refresh(typeahead.release, "shown")


class ReleasesKeys:
    """For a prompt (a screen, or a bar, holding an Input): when its input takes the
    focus, the keys held since the prompt was opened are handed to it."""

    def on_descendant_focus(self, _event: events.DescendantFocus) -> None:
        app_of(cast("Widget", self)).typeahead.release("focus")
