"""`:events` typed into a list's filter (the `:` prompt meant) opens the view instead of
searching for the word (QA: `/user:bob⏎` refused, then `:events⏎` in the same input
gave "0 of 43 instances" and the filter `:events`, which the responder read as an
answer). A word that starts with a colon and names no view is still searched."""

from __future__ import annotations

from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_instances import InstancesView
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.filter_bar import FilterBar
from tests.helpers_app import screen_text, wait_for
from tests.helpers_ec2 import loaded_list, make_app


async def test_a_view_typed_as_a_filter_opens_the_view(demo: DemoServer) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        instances = app.screen
        assert isinstance(instances, InstancesView)
        total = instances.table.row_count
        await pilot.press("slash", *"user:bob", "enter")
        await wait_for(pilot, lambda: "not for instances" in screen_text(app), "refused")
        await pilot.press(*["backspace"] * len("user:bob"))
        await pilot.press(*":events", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView), "the events view")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is instances, "back to the instances")
        assert instances.table.row_count == total
        assert not instances.query_one(FilterBar).has_class("-shown")
        assert ":events" not in screen_text(app)


async def test_a_word_after_a_colon_that_names_no_view_is_searched(demo: DemoServer) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        await pilot.press("slash", *":443", "enter")
        await wait_for(pilot, lambda: "/:443" in screen_text(app), "the search")
        assert isinstance(app.screen, InstancesView)
