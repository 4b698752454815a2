"""Enter on a role session's principal ID or ARN lists the session's events as its
user name does (a responder review at 80x24 on the demo account).

The pivot opened ``user:="AROA…:i-…"``, which LookupEvents cannot look up: every event
of ±1 day was read and 29 found, where ``user:=i-…`` (the session's name, Event
history's user name) asks for Username and finds 111 over 90 days. The pivot now sends
the session's name and keeps the value itself, filtered here: which role's session.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.aws.cloudtrail import collect
from awsir_tui.demo.server import DemoServer
from awsir_tui.events.lookup_source import lookup_spec, new_lookup
from awsir_tui.events.record import Event
from awsir_tui.query import EVENT_FIELDS, parse
from awsir_tui.ui.events_detail import EventDetailView, pivot_for
from awsir_tui.ui.events_view import EventsView, PlanLine
from awsir_tui.ui.json_view import JsonNode
from tests.helpers_app import demo_context, wait_for
from tests.helpers_ui_events import events_on_the_demo, filter_read, history_read

IDENTITY_KEYS = ("principalId", "arn")


def found(view: EventsView) -> set[str]:
    """The IDs of the events ``view`` lists."""
    assert view.selection is not None
    return {event.event_id for event in view.selection.fetch(0, 1000)}


def session_values(event: Event) -> dict[str, str]:
    """The caller's principal ID and ARN, by their keys."""
    identity = event.record()["userIdentity"]
    return {key: identity[key] for key in IDENTITY_KEYS}


def test_the_pivot_on_a_session_s_principal_id_or_arn_asks_for_its_user_name(
    demo: DemoServer,
) -> None:
    """What is sent to LookupEvents is Username = the session's name, and what the pivot
    finds on the demo account is what ``user:=`` the session's name finds."""
    proxy = demo.facts.proxy_instance_id
    ctx = demo_context(demo)
    by_name = collect(new_lookup(ctx, demo.regions, parse(f"user:={proxy}", EVENT_FIELDS)))
    launch = next(e for e in by_name if e.event_name == "RunInstances")
    for key, value in session_values(launch).items():
        pivot = pivot_for(JsonNode(("userIdentity", key), value), launch)
        assert pivot is not None and pivot.view == "events"
        typed = pivot.arguments["filter_text"]
        query = parse(typed, EVENT_FIELDS)
        assert lookup_spec(query).attributes == (("Username", proxy),), typed
        pivoted = collect(new_lookup(ctx, demo.regions, query))
        assert {e.event_id for e in pivoted} == {e.event_id for e in by_name}, typed


async def pivot_on(pilot: Pilot[Any], app: AwsirApp, page: EventDetailView,
                   key: str) -> EventsView:
    """From the event's page: / to ``userIdentity.key``, Enter, and the pivot's events
    read to the end."""
    await pilot.press("slash", "ctrl+a", "ctrl+k", *key, "enter")
    await wait_for(pilot, lambda: (node := page.json_tree.cursor_node) is not None
                   and isinstance(node.data, JsonNode)
                   and node.data.path == ("userIdentity", key), f"the caller's {key}")
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, EventsView), f"the {key}'s events")
    view = app.screen
    assert isinstance(view, EventsView)
    await wait_for(pilot, lambda: history_read(view), "the pivot's read")
    return view


async def test_enter_on_a_session_s_principal_id_or_arn_lists_its_user_name_s_events(
    demo: DemoServer,
) -> None:
    proxy = demo.facts.proxy_instance_id
    async with events_on_the_demo(demo) as (pilot, app, listing):
        await filter_read(pilot, listing, f"user:={proxy}")
        by_name = found(listing)
        assert listing.selection is not None
        events = listing.selection.fetch(0, 1000)
        launch = next(i for i, e in enumerate(events) if e.event_name == "RunInstances")
        values = session_values(events[launch])
        listing.table.cursor_row = launch
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventDetailView), "its page")
        page = app.screen
        assert isinstance(page, EventDetailView)
        for key in IDENTITY_KEYS:
            pivot = await pivot_on(pilot, app, page, key)
            assert pivot.filter_text == f'user:={proxy} user:="{values[key]}"'
            assert found(pivot) == by_name, key
            plan = pivot.query_one("#events-plan", PlanLine).plan.plain
            assert f"On AWS: Username = {proxy} (from user:={proxy})" in plan, plan
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is page, "back on the page")
