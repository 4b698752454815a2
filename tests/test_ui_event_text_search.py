"""`/` on the event page searches the view on screen (QA, #4): in the highlighted text
(t), it went back to the tree and searched that, and the text the responder was reading
was gone. Over the demo's Event history at 80x24: a RunInstances record, longer than
the screen, searched as text, its matches found below the page, and n/N going on in the
text round its end."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsir_tui.demo.server import DemoServer
from tests.helpers_app import screen_text, wait_for
from tests.test_ui_events_viewer import make_app, open_detail, open_events

SIZE = (80, 24)
ACCOUNT = "123456789012"
#: The receiving account's line, near the record's end: below the first page.
LAST_LINE = f'"recipientAccountId": "{ACCOUNT}"'


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cases (and the view they reopen) go to a fresh folder per test."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


async def test_slash_searches_the_text_the_responder_is_reading(demo: DemoServer) -> None:
    app = make_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await open_events(pilot, app, "name:RunInstances")
        detail = await open_detail(pilot, app)
        await pilot.press("t")
        await wait_for(pilot, lambda: '"eventVersion": ' in screen_text(app), "the text")
        assert LAST_LINE not in screen_text(app)  # below the page

        await pilot.press("slash", *"recipientAccountId", "enter")
        await wait_for(pilot, lambda: LAST_LINE in screen_text(app), "the text's match")
        assert detail.has_class("-text")
        assert "recipientAccountId: " not in screen_text(app)  # the tree's line
        plain = detail.text_search.text.plain
        assert detail.text_search.at == plain.index("recipientAccountId")

        # n and N go on in the text, round its ends: the account's first mention is at
        # the top, its last the receiving account's line.
        await pilot.press("g")
        await wait_for(pilot, lambda: '"eventVersion": ' in screen_text(app), "the top")
        await pilot.press("slash", *ACCOUNT, "enter")
        await wait_for(pilot, lambda: detail.text_search.at == plain.index(ACCOUNT), "first")
        await pilot.press("N")
        await wait_for(pilot, lambda: detail.text_search.at == plain.rindex(ACCOUNT), "last")
        await wait_for(pilot, lambda: LAST_LINE in screen_text(app), "the last on screen")
        await pilot.press("n")
        await wait_for(pilot, lambda: detail.text_search.at == plain.index(ACCOUNT), "round")
        await wait_for(pilot, lambda: '"eventVersion": ' in screen_text(app), "back on top")
        assert detail.has_class("-text")

        # Not in the text: said, and the page stays.
        await pilot.press("slash", *"no-such-thing", "enter")
        await wait_for(pilot, lambda: any("not found: no-such-thing" in str(n.message)
                                          for n in app._notifications), "not found")
        assert detail.has_class("-text")


def test_the_lines_are_broken_once_for_each_width() -> None:
    """n and N broke the whole text into lines again at each press (0.4 s a press on
    160 kB of a record that is no JSON): once for a width now, again for another."""
    from rich.text import Text

    from awsir_tui.ui.json_view import TextSearch, line_starts

    plain = "\t".join(f"field{n}\tvalue {n}" for n in range(400)) + "\nlast line"
    search = TextSearch(Text(plain))
    at_40 = search.line_starts(40)
    assert at_40 == line_starts(plain, 40) and len(at_40) > 2
    assert search.line_starts(40) is at_40  # not worked out again
    assert search.line_starts(60) == line_starts(plain, 60) != at_40
