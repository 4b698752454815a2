"""Esc and the key right after it are two keys, not one Alt+key.

A terminal sends Alt+j as Esc followed by ``j``; so when ``j`` arrives within
Textual's escape delay (100 ms) of an Esc, its parser reads the pair as Alt+j. Over
SSH both often arrive in one packet, and a responder who leaves an event's page with
Esc and goes down the list with ``j`` lost both: no view binds Alt+j. The app binds
no Alt keys, so an Alt+key that nothing binds is taken for what it was typed as, an
Esc and then the key (as vim does in a terminal).

Only a key that carries the character typed after the Esc can be split: Textual
keeps the Alt of letters (and of a few other characters), but an Esc before ``/``,
``:``, Enter or Tab comes to the app as that key alone, the Esc gone before the app
sees anything (`?` says so).
"""

from __future__ import annotations

from collections.abc import Container

from textual import events

#: The prefix Textual gives a key read with an Esc before it.
ALT = "alt+"
#: The prefix of a capital letter read with an Esc before it (``alt+shift+j``).
SHIFT = "shift+"


def esc_and_key(event: events.Key, bound: Container[str]) -> tuple[events.Key, events.Key] | None:
    """The Esc and the key that Textual read together as ``event`` (Alt+key), as two
    keys the way the terminal would have sent them 100 ms apart; None for any other
    key, for an Alt+key that ``bound`` (the active bindings' keys) holds, and for one
    without a character (Alt+Up is a sequence of its own, not an Esc typed first)."""
    if not event.key.startswith(ALT) or event.key in bound:
        return None
    character = event.character
    if character is None or len(character) != 1 or not character.isprintable():
        return None
    name = event.key.removeprefix(ALT)
    if name.startswith(SHIFT):
        name = character  # Textual names a capital by itself: `J`, not `shift+j`
    return events.Key("escape", "\x1b"), events.Key(name, character)
