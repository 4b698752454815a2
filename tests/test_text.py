"""clean(): what an attacker wrote reaches the screen and the text exports inert, and
what shows as nothing shows as an escape."""

from __future__ import annotations

import sys

import pytest

from awsir_tui.events.record import from_record
from awsir_tui.events.sources import StoreSource
from awsir_tui.events.store import EventStore
from awsir_tui.text import INVISIBLE, clean, clean_multiline
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import screen_text, wait_for
from tests.helpers_ui_events import account_ready, offline_app

#: One of each kind: zero-width space, joiner, word joiner, BOM, soft hyphen, bidi
#: override and isolate, Hangul filler, variation selector, a Unicode tag.
SAMPLES = ["\u200b", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", "\u2066", "\u3164",
           "\ufe0f", "\U000e0041", "\u2028"]


@pytest.mark.parametrize("invisible", SAMPLES)
def test_an_invisible_character_is_shown_as_its_escape(invisible):
    """A zero-width space inside ``admin`` made two user names look the same, and a
    bidi override was dropped without a trace: each is shown as Python writes it."""
    shown = clean(f"ad{invisible}min")
    assert not INVISIBLE.search(shown) and shown.isascii()
    assert shown != clean("admin")
    assert shown == "ad" + ascii(invisible)[1:-1] + "min"
    assert clean_multiline(f"a{invisible}\nb") == f"{clean(f'a{invisible}')}\nb"


def test_no_invisible_character_survives_clean():
    """Every character of the list, all at once: none is left, nothing else is touched."""
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if INVISIBLE.match(chr(c)))
    assert "\u200b" in every and "\U000e007f" in every and "a" not in every
    assert not INVISIBLE.search(clean(every)) and clean(every).isascii()
    legible = "\u00e9l\u00e8ve \u540d\u524d \U0001f600"
    assert clean(legible) == legible


def test_a_tab_is_shown_in_a_line_and_kept_in_lines_of_text():
    """In a row of columns a tab jumped to the next tab stop and pushed the columns
    after it out of line (QA); user data and pretty JSON keep theirs."""
    assert clean("name\tx") == "name\\x09x"
    assert clean_multiline("a\tb\x1b\nc\td") == "a\tb\\x1b\nc\td"


def test_controls_keep_their_stand_ins():
    assert clean("a\x1b[2Jb\nc\rd\x9b") == "a\\x1b[2Jb\u240ac\\x0dd\\x9b"
    assert clean("x" * 10 + "\u200b", max_len=8) == "x" * 7 + "\u2026"


def test_every_control_is_shown_one_way():
    """An escape was a symbol (\u241b) and a bell ``\\x07``, as if two kinds of thing:
    each C0 control but the line feed (a line break, kept or shown as one), DEL and
    each C1 control is now its escape as Python writes it, in one line and in many."""
    controls = [*range(0x00, 0x09), *range(0x0b, 0x20), *range(0x7f, 0xa0)]
    for code in controls:
        assert clean(f"a{chr(code)}b") == f"a\\x{code:02x}b", hex(code)
        assert clean_multiline(f"a{chr(code)}\nb") == f"a\\x{code:02x}\nb", hex(code)


async def test_a_zero_width_character_in_an_event_never_reaches_the_screen():
    """An event whose user name and event name hold a zero-width space, a bidi override
    and a tag: the events list shows them as escapes, not as nothing."""
    record = {
        "eventVersion": "1.08",
        "eventID": "11111111-2222-3333-4444-000000000001",
        "eventTime": "2026-11-28T10:00:00Z",
        "eventName": "Run\u202eInstances",
        "eventSource": "ec2.amazonaws.com",
        "awsRegion": "eu-west-1",
        "sourceIPAddress": "203.0.113.9",
        "userAgent": "aws-cli",
        "userIdentity": {"type": "IAMUser", "userName": "ad\u200bmin\U000e0041"},
    }
    store = EventStore()
    store.add_events([from_record(record)])
    app = offline_app()
    async with app.run_test(size=(100, 24)) as pilot:
        await wait_for(pilot, lambda: account_ready(app), "regions")
        await app.push_screen(EventsView(source=StoreSource(store, "invisible test")))
        await wait_for(pilot, lambda: "ad\\u200bmin" in screen_text(app), "user shown")
        text = screen_text(app)
        assert "Run\\u202eInstances" in text
        assert not INVISIBLE.search(text), text
