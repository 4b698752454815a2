"""A yank writes every control one way, the way the screen shows it (QA, #4 #6): the
demo attacker's user agent yanked with its ESC as a symbol (\u241b) and its BEL as
``\\x07``, as if two kinds of thing. Over the demo's Event history at 80x24: `y` on the
value gives what the lines under the tree show, `Y` the JSON the text view (t) shows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from awsir_tui.demo.attack import HOSTILE_USER_AGENT
from awsir_tui.demo.server import DemoServer
from tests.helpers_app import screen_text, wait_for
from tests.test_ui_events_viewer import make_app, open_detail, open_events, search_tree
from tests.test_ui_yank_inert import yanked

#: The user agent as the value's lines, and `y`, write it: each control ``\xNN``.
AS_TEXT = "aws-cli/2.9.0 [bold red]x[/] \\x1b[31mPython/3.8\\x1b[0m\\x07 [/"
#: As the text view, and `Y`, write it: each control JSON's ``\u00NN``.
AS_JSON = '"aws-cli/2.9.0 [bold red]x[/] \\u001b[31mPython/3.8\\u001b[0m\\u0007 [/"'


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cases and yanked files go to a fresh folder per test."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def squeezed(text: str) -> str:
    """``text`` without its spaces and line breaks: a line the screen wrapped, whole."""
    return "".join(text.split())


async def test_y_and_Y_write_each_control_as_the_screen_shows_it(demo: DemoServer) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_events(pilot, app, "name:RunInstances")
        detail = await open_detail(pilot, app)
        await search_tree(pilot, detail, "userAgent",
                          lambda node: node.value == HOSTILE_USER_AGENT)
        await wait_for(pilot, lambda: squeezed(AS_TEXT) in squeezed(screen_text(app)),
                       "the value under the tree")
        saved, copied = await yanked(pilot, app, "y")
        assert saved == copied == AS_TEXT

        saved, copied = await yanked(pilot, app, "Y")
        assert saved == copied and json.loads(saved)["userAgent"] == HOSTILE_USER_AGENT
        assert f'"userAgent": {AS_JSON}' in saved
        await pilot.press("t", "slash", *"userAgent", "enter")
        await wait_for(pilot, lambda: squeezed(AS_JSON) in squeezed(screen_text(app)),
                       "the text view's line")
