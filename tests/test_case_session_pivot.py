"""Enter on a marked role session's principal ID or ARN in :indicators lists the
session's events as its user name does, as Enter on them in an event page has since
f7c8e6e.

The indicator pivoted to ``user:="AROA…:i-…"`` (an ARN to the events mentioning it),
which LookupEvents cannot look up: every event of the days around it was read. It now
sends the session's name (Username) and keeps the value beside it, filtered here.
"""

from __future__ import annotations

from awsir_tui.aws.cloudtrail import collect
from awsir_tui.case import Case, CaseStore
from awsir_tui.case.pivot import events_filter, pivots
from awsir_tui.demo.server import DemoServer
from awsir_tui.events.lookup_source import lookup_spec, new_lookup
from awsir_tui.events.record import Event
from awsir_tui.query import EVENT_FIELDS, parse
from awsir_tui.ui.case_views import IndicatorsView
from awsir_tui.ui.events_view import EventsView, PlanLine
from tests.helpers_app import demo_app, demo_context, open_view, wait_for
from tests.helpers_ui_events import history_read

ROLE_ARN = "arn:aws:iam::123456789012:role/proxy"


def proxy_launch(demo: DemoServer) -> tuple[set[str], Event]:
    """The IDs of the events Event history has for the proxy instance's role session
    (``user:=`` its name), and its RunInstances among them."""
    ctx = demo_context(demo)
    query = parse(f"user:={demo.facts.proxy_instance_id}", EVENT_FIELDS)
    by_name = collect(new_lookup(ctx, demo.regions, query))
    launch = next(e for e in by_name if e.event_name == "RunInstances")
    return {e.event_id for e in by_name}, launch


def test_a_session_indicator_s_events_are_asked_by_its_user_name(demo: DemoServer) -> None:
    """What is sent to LookupEvents is Username = the session's name, and what the
    indicator's events are on the demo account is what ``user:=`` that name finds."""
    proxy = demo.facts.proxy_instance_id
    by_name, launch = proxy_launch(demo)
    identity = launch.record()["userIdentity"]
    case = Case("c")
    for indicator in (case.mark(identity["principalId"], "user"), case.mark(identity["arn"])):
        typed = events_filter(indicator)
        assert typed == f'user:={proxy} user:="{indicator.value}"', indicator
        query = parse(typed, EVENT_FIELDS)
        assert lookup_spec(query).attributes == (("Username", proxy),), typed
        found = collect(new_lookup(demo_context(demo), demo.regions, query))
        assert {e.event_id for e in found} == by_name, typed
    # The ARN's events mentioning it (its AssumeRole) are still a choice, after.
    assert [p.label for p in pivots(case.mark(identity["arn"]))] == [
        "events of this role session", "events mentioning it"]


def test_values_of_other_shapes_pivot_as_before() -> None:
    """A role's own ID or ARN, a user named like a session, an IAM user's ARN: no
    session's name in them."""
    case = Case("c")
    assert events_filter(case.mark("AROARZPUZDIKLEY2BR6LO", "user")) == (
        "user:=AROARZPUZDIKLEY2BR6LO")
    assert events_filter(case.mark("bob:i-0abc", "user")) == 'user:="bob:i-0abc"'
    assert events_filter(case.mark(ROLE_ARN)) == f'"{ROLE_ARN}"'
    assert events_filter(case.mark("arn:aws:iam::123456789012:user/a/b")) == (
        '"arn:aws:iam::123456789012:user/a/b"')


async def test_enter_on_a_session_indicator_asks_for_its_user_name(demo: DemoServer) -> None:
    proxy = demo.facts.proxy_instance_id
    by_name, launch = proxy_launch(demo)
    principal = launch.record()["userIdentity"]["principalId"]
    case = Case(f"account-{demo.facts.account_id}")  # the demo account's own case
    case.mark(principal, "user", source=f"event RunInstances {launch.event_id}",
              seen=launch.event_time)
    CaseStore().save(case)
    app = demo_app(demo, first_view="regions")
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_view(pilot, app, "indicators")
        assert isinstance(view, IndicatorsView)
        await wait_for(pilot, lambda: view.current() is not None, "the indicator")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView), "its events")
        events = app.screen
        assert isinstance(events, EventsView)
        await wait_for(pilot, lambda: history_read(events), "the pivot's read")
        assert events.filter_text == f'user:={proxy} user:="{principal}"'
        plan = events.query_one("#events-plan", PlanLine).plan.plain
        assert f"On AWS: Username = {proxy} (from user:={proxy})" in plan, plan
        assert events.selection is not None
        assert {e.event_id for e in events.selection.fetch(0, 1000)} == by_name
