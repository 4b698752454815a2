"""`:events` with no filter says so in its plan line (80x24, demo account): QA read
``Here: every term re-checked: (nothing)``, terms nobody typed, and ``no term can be
matched exactly`` of a filter that has none (#5)."""

from __future__ import annotations

from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import wait_for
from tests.helpers_ui_events import events_on_the_demo
from tests.test_ui_events_plan import plan_lines


def plan(view: EventsView) -> str:
    """The plan line as read: its wrapped lines joined, runs of spaces made one."""
    return " ".join(" ".join(plan_lines(view)).split())


async def test_no_filter_is_said_as_none(demo: DemoServer) -> None:
    async with events_on_the_demo(demo) as (pilot, _app, view):
        await wait_for(pilot, lambda: "(Event history)" in plan(view), "the plan drawn")
        text = plan(view)
        assert text.startswith("On AWS: every event, from "), text
        assert text.endswith("Here: no filter: every event (Event history)"), text
        assert "(nothing)" not in text and "no term" not in text

        # A filter typed: its terms are the ones re-checked here.
        await pilot.press("slash", *"name:RunInstances", "enter")
        await wait_for(pilot, lambda: "name:RunInstances (Event history)" in plan(view),
                       "the filter's plan")
        assert "Here: every term re-checked: name:RunInstances" in plan(view)
