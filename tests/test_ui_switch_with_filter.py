"""`:view FILTER` switches to the view `:` keeps, filtered; a bad filter is refused at the
prompt; the case reopens the place as the responder last left it (filter included).

Found by a responder's walk-through: `:events user:i-…` was a drill-down, closed by the
next `:instances`, so `:events` started a read of everything; `:events foo:bar` opened
an empty view that said nothing; a filter changed with `/` was not what the next start
reopened.
"""

from __future__ import annotations

from awsir_tui.case.store import CaseStore
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.dialogs import SwitchView
from awsir_tui.ui.ec2_groups import SecurityGroupsView
from awsir_tui.ui.ec2_instances import InstancesView
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import demo_app, screen_text, wait_for

FILTER = "name:RunInstances"


async def test_events_with_a_filter_come_back_as_they_were_after_another_view(
    demo: DemoServer,
) -> None:
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, InstancesView), "instances")
        await pilot.press("colon", *f"events {FILTER}", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and app.screen.filter_text == FILTER, "the events, filtered")
        events = app.screen
        await pilot.press("colon", *"instances", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, InstancesView), "instances again")
        await pilot.press("colon", *"events", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView), "events again")
        assert app.screen is events
        assert events.filter_text == FILTER

        # On a view already kept, the filter after the name replaces its filter.
        await pilot.press("colon", *"events name:CreateKeyPair", "enter")
        await wait_for(pilot, lambda: events.filter_text == "name:CreateKeyPair", "refiltered")
        assert app.screen is events


async def test_a_bad_filter_after_the_name_is_refused_at_the_prompt(demo: DemoServer) -> None:
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, InstancesView), "instances")
        await pilot.press("colon", *"events nmae:RunInstances", "enter")
        await wait_for(pilot, lambda: "not a filter of :events" in screen_text(app), "refused")
        assert isinstance(app.screen, SwitchView)
        assert "nmae" in screen_text(app)  # the field it does not know, named
        # The view's own fields: `open:` is a group's, not an instance's.
        await pilot.press(*["backspace"] * 40, *"instances open:22", "enter")
        await wait_for(pilot, lambda: "not a filter of :instances" in screen_text(app),
                       "refused for instances")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, InstancesView), "back")
        assert not any(isinstance(s, EventsView) for s in app.screen_stack)


async def test_the_next_start_reopens_the_filter_changed_last(demo: DemoServer) -> None:
    """The place follows `/` (it kept the filter a view was opened with) and Esc (it kept
    the view left), and the first view's own filter is reopened too."""
    app = demo_app(demo, case="placed-filter")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, InstancesView)
                       and app.case is not None, "instances and the case")
        await pilot.press("colon", *"sg open:22", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SecurityGroupsView), ":sg")
        await pilot.press("slash", *["backspace"] * 10, *"open:3389", "enter")
        await wait_for(pilot, lambda: CaseStore().load("placed-filter").place == {
            "view": "sg", "arguments": {"filter_text": "open:3389"}, "archive": False},
            "the filter typed with / kept")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, InstancesView), "back")
        await pilot.press("slash", *"state:running", "enter")
        await wait_for(pilot, lambda: CaseStore().load("placed-filter").place == {
            "view": "instances", "arguments": {"filter_text": "state:running"},
            "archive": False}, "the first view, filtered, kept")

    app = demo_app(demo, case="placed-filter")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, InstancesView)
                       and app.screen.filter_text == "state:running"
                       and "/state:running" in screen_text(app), "reopened filtered")
