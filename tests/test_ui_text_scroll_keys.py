"""A page of text counts every key, however fast they come (Textual Pilot, 80x24, the
demo account).

j held down (or typed fast over SSH, many keys in one read) moved the help one line:
Textual's scroll_down aimed each key at the line under where the page was, and the
page moved only after the next refresh, so every key of the burst aimed at the same
line. Page keys did the same; G then k ended at the end, not a line above it.
"""

from __future__ import annotations

from textual import events
from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.base import TextScroll
from awsir_tui.ui.dialogs import HelpScreen
from awsir_tui.ui.regions import RegionsView
from tests.helpers_app import composed, demo_app, open_view, wait_for


async def help_page(pilot: Pilot[int], app: AwsirApp) -> TextScroll:
    """The help of :events, open, its text laid out (taller than the screen)."""
    await wait_for(pilot, lambda: isinstance(app.screen, RegionsView), "regions")
    await open_view(pilot, app, "events")
    await pilot.press("question_mark")
    await wait_for(pilot, lambda: composed(app, HelpScreen, "TextScroll") is not None, "help")
    scroll = app.screen.query_one(TextScroll)
    await wait_for(pilot, lambda: scroll.max_scroll_y > 30, "help much taller than the screen")
    return scroll


def burst(app: AwsirApp, *keys: str) -> None:
    """Every key posted at once, as the terminal driver posts the keys of one read (a
    held key over SSH): none is handled before the next arrives. (Pilot's press waits
    for each key to be handled.)"""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def settled_at(pilot: Pilot[int], scroll: TextScroll, line: float, what: str) -> None:
    """Wait until the page is at ``line``, then a little longer: it must stay there."""
    await wait_for(pilot, lambda: scroll.scroll_y == line,
                   f"{what}: at line {line} (it is at {scroll.scroll_y})", seconds=10)
    await pilot.pause(0.2)
    assert scroll.scroll_y == line, what


async def test_a_burst_of_j_scrolls_the_help_a_line_for_each(demo: DemoServer) -> None:
    app = demo_app(demo, first_view="regions")
    async with app.run_test(size=(80, 24)) as pilot:
        scroll = await help_page(pilot, app)
        burst(app, *"j" * 20)
        await settled_at(pilot, scroll, 20, "20 j")
        burst(app, *"k" * 5)
        await settled_at(pilot, scroll, 15, "then 5 k")


async def test_page_keys_and_g_count_in_a_burst_too(demo: DemoServer) -> None:
    app = demo_app(demo, first_view="regions")
    async with app.run_test(size=(80, 24)) as pilot:
        scroll = await help_page(pilot, app)
        page = scroll.scrollable_content_region.height
        burst(app, "pagedown", "pagedown")
        await settled_at(pilot, scroll, min(2 * page, scroll.max_scroll_y), "two pages down")
        burst(app, "G", "k", "k")
        await settled_at(pilot, scroll, scroll.max_scroll_y - 2, "G then k k")
        burst(app, "g", "j")
        await settled_at(pilot, scroll, 1, "g then j")
        burst(app, "pagedown", "pageup", "j")
        await settled_at(pilot, scroll, 2, "a page down and up, then j")
