"""What the filter bar says while it is typed in (Textual Pilot, 80x24, the demo account).

In `/` the footer offered `? Help`, and `?` typed a `?`; and after a refused filter
was cleared and another typed, the old message stayed under it as the new text's.
"""

from __future__ import annotations

from textual.widgets import Input

from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.dialogs import HelpScreen
from awsir_tui.ui.filter_bar import FilterBar
from tests.helpers_app import screen_text, wait_for
from tests.helpers_ui_events import events_on_the_demo

REFUSED = "before:2019-08-10T12:00Z after:2020-01-01"


async def test_in_the_filter_bar_the_footer_offers_f1_and_question_mark_types(
    demo: DemoServer,
) -> None:
    async with events_on_the_demo(demo) as (pilot, app, view):
        assert "? Help" in screen_text(app).splitlines()[-1]
        await pilot.press("slash", "question_mark")
        field = view.query_one(FilterBar).query_one(Input)
        await wait_for(pilot, lambda: field.value == "?" and field.has_focus, "? typed")
        await wait_for(pilot, lambda: "F1 Help" in screen_text(app).splitlines()[-1],
                       "the footer's F1 Help", seconds=10)
        assert "? Help" not in screen_text(app).splitlines()[-1]
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "F1 opens the help")


async def test_a_refused_filters_message_is_said_to_be_the_previous_ones_once_cleared(
    demo: DemoServer,
) -> None:
    async with events_on_the_demo(demo) as (pilot, app, view):
        await pilot.press("slash", *REFUSED, "enter")
        field = view.query_one(FilterBar).query_one(Input)
        await wait_for(pilot, lambda: view.query_one(FilterBar).has_class("-error")
                       and field.has_focus, "the refusal")
        await pilot.press("ctrl+u", "question_mark")
        await wait_for(pilot, lambda: field.value == "?", "the new text")
        await pilot.pause()
        under = screen_text(app).splitlines()[field.region.y + 1].strip()
        assert under.startswith("previous filter: "), under
