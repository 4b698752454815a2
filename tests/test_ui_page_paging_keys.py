"""The paging keys page every page, not only the lists (#5, responder review at 80x24):
space/b, Ctrl+F/B and Ctrl+D/U did nothing on an instance's page, an event's text and
every `?` help, where only j, PageDown and G moved; on the event's tree space folds (as
its help says) and the rest page it. Each page's `?` lists them."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.dialogs import HelpScreen
from awsir_tui.ui.ec2_table import Sheet
from tests.helpers_app import demo_app, help_shown, screen_text, wait_for
from tests.helpers_ec2 import open_instance_details
from tests.helpers_ui_events import federation_token_page, offline_app

SIZE = (80, 24)
#: The screen's line under the header, the breadcrumb and the event's summary: the
#: first of the event's tree or text.
BODY = 3


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def line(app: AwsirApp, row: int) -> str:
    return screen_text(app).splitlines()[row]


def starts(app: AwsirApp, row: int, text: str) -> bool:
    """Whether screen line ``row`` starts with ``text`` alone (before the scrollbar)."""
    return line(app, row)[:40].strip() == text


async def pages(pilot: Pilot[Any], app: AwsirApp, at_top: Callable[[], bool]) -> None:
    """Each paging key moves the page away from its top (``at_top`` no longer holds),
    and back: a page down and up, then half of one."""
    assert at_top()
    for down, up in (("space", "b"), ("ctrl+f", "ctrl+b"), ("ctrl+d", "ctrl+u")):
        await pilot.press(down)
        await wait_for(pilot, lambda: not at_top(), f"{down}: paged down")
        await pilot.press(up)
        await wait_for(pilot, at_top, f"{up}: paged up")


async def help_body(pilot: Pilot[Any], app: AwsirApp) -> str:
    """``?`` pressed: the help's text as written, a key a line."""
    await help_shown(pilot, app)
    assert isinstance(app.screen, HelpScreen)
    return app.screen.body.plain


def listed(help_text: str, key: str, ident: str) -> bool:
    """Whether the help's list of keys has ``key`` on the line of binding ``ident``."""
    keys = help_text.split("Keys (binding id")[1]
    return any(key in found.group(1).split(", ")
               for found in re.finditer(rf"^ +(\S.*?)  .* \[{re.escape(ident)}\]$", keys,
                                        re.MULTILINE))


async def test_the_event_tree_pages_and_space_still_folds() -> None:
    app = offline_app()
    async with app.run_test(size=SIZE) as pilot:
        await federation_token_page(pilot, app)
        await pilot.press("G", "space", "g")  # userIdentity unfolded: two pages of tree
        await wait_for(pilot, lambda: "\u25bc userIdentity" in screen_text(app)
                       or line(app, BODY).startswith("\u25bc event"), "the caller unfolded")
        for down, up in (("ctrl+f", "ctrl+b"), ("ctrl+d", "ctrl+u"), ("ctrl+f", "b")):
            await pilot.press(down)
            await wait_for(pilot, lambda: "\u25bc event" not in screen_text(app),
                           f"{down}: paged down")
            await pilot.press(up)
            await wait_for(pilot, lambda: line(app, BODY).startswith("\u25bc event {18}"),
                           f"{up}: paged up")
        await pilot.press("g", "space")
        await wait_for(pilot, lambda: line(app, BODY).startswith("\u25b6 event {18}"),
                       "space folds the event, as the help says")
        body = await help_body(pilot, app)
        assert listed(body, "ctrl+f", "table.page_down"), body
        assert listed(body, "ctrl+u", "table.half_up"), body
        assert listed(body, "space", "tree.fold"), body
        assert not listed(body, "space", "table.page_down"), body
        assert "space, which pages the lists and the text, folds in the tree" in " ".join(
            body.split())


async def test_the_event_text_pages() -> None:
    app = offline_app()
    async with app.run_test(size=SIZE) as pilot:
        await federation_token_page(pilot, app)
        await pilot.press("t")
        await wait_for(pilot, lambda: line(app, BODY).startswith("{"), "the event's text")
        await pages(pilot, app, lambda: starts(app, BODY, "{"))
        body = await help_body(pilot, app)
        assert listed(body, "space", "table.page_down"), body
        assert listed(body, "ctrl+d", "table.half_down"), body


async def test_the_help_pages() -> None:
    app = offline_app()
    async with app.run_test(size=SIZE) as pilot:
        await federation_token_page(pilot, app)
        await help_shown(pilot, app)
        title = "event GetFederationToken"
        await wait_for(pilot, lambda: title in screen_text(app), "the help's title")
        row = next(n for n, text in enumerate(screen_text(app).splitlines()) if title in text)
        await pages(pilot, app, lambda: title in line(app, row))
        assert "Ctrl+D/U half" in screen_text(app)  # its frame says how it pages


async def test_an_instance_page_pages(demo: DemoServer) -> None:
    app = demo_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await open_instance_details(pilot, app, demo.facts.proxy_instance_id)
        row = next(n for n in range(SIZE[1]) if starts(app, n, "Instance"))
        assert app.screen.query_one(Sheet).cursor_row == 0
        await pages(pilot, app, lambda: starts(app, row, "Instance"))
        body = await help_body(pilot, app)
        assert listed(body, "space", "table.page_down"), body
        assert listed(body, "ctrl+d", "table.half_down"), body
