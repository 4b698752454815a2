"""E on a role's page opens the role's CloudTrail events: on the demo, what the stolen
session of the edge proxy's role did from outside, read from Event history one lookup
per term of a filter the responder sees. Keys pressed at 80x24 on the demo account."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsir_tui.demo.server import DemoServer
from awsir_tui.events.record import Event
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.iam_views import MOST_SESSIONS, _session_gaps, role_events_filter, session_names
from tests.helpers_app import demo_app, open_view, screen_text, wait_for
from tests.helpers_ec2 import make_app, open_instance_details
from tests.helpers_iam import open_role


async def test_e_on_the_role_page_lists_the_calls_of_its_stolen_session(
    demo: DemoServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    facts = demo.facts
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_instance_details(pilot, app, facts.proxy_instance_id)
        await open_role(pilot, app)
        assert "E Events" in screen_text(app).splitlines()[-1]

        await pilot.press("E")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView), "the events view")
        view = app.screen
        assert isinstance(view, EventsView)
        terms = view.filter_text.split(" OR ")
        assert f"resource:={facts.role_name}" in terms
        assert f"resource:={facts.instance_profile_name}" in terms
        assert f"user:={facts.proxy_instance_id}" in terms
        # Event history answers it one lookup per term, not by reading all 90 days.
        await wait_for(pilot, lambda: "one lookup per term" in screen_text(app), "the plan")

        def read() -> bool:
            selection = view.selection
            return (selection is not None and selection.feed is not None
                    and not selection.feed.lookup.progress().running)

        await wait_for(pilot, read, "Event history read", seconds=120)
        assert view.selection is not None
        events = view.selection.fetch(0, view.selection.count())
        found = {event.event_id for event in events}
        assert set(facts.attack_event_ids) <= found
        stolen = [event for event in events if event.source_ip == facts.attacker_ip]
        names = {event.event_name for event in stolen}
        assert {"ImportKeyPair", "AuthorizeSecurityGroupIngress", "RunInstances"} <= names
        assert all(event.access_key_id == facts.attacker_access_key_id for event in stolen)
        # Each row is a call of the role's sessions or one naming the role or its profile.
        session = f"arn:aws:sts::{facts.account_id}:assumed-role/{facts.role_name}/"
        role_arn = f"arn:aws:iam::{facts.account_id}:role/{facts.role_name}"
        named = {facts.role_name, role_arn, facts.instance_profile_name}
        assert all(event.user_arn.startswith(session) or named & set(event.resources)
                   for event in events)
        assert any(event.event_name == "AssumeRole" and role_arn in event.resources
                   for event in events)


async def test_over_the_trail_archive_e_finds_every_session_of_the_role(
    demo: DemoServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over an archive the filter is read here, so it names the role's sessions by the
    ARN they all share rather than by the instances listed with the role."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    facts = demo.facts
    app = demo_app(demo, sources=[f"s3://{facts.trail_bucket}"], s3_cache="off")
    session = f"arn:aws:sts::{facts.account_id}:assumed-role/{facts.role_name}/"
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView), "the first view")
        await open_view(pilot, app, "instances")
        await open_instance_details(pilot, app, facts.proxy_instance_id)
        await open_role(pilot, app)
        await pilot.press("E")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView), "the events view")
        view = app.screen
        assert isinstance(view, EventsView)
        assert view.filter_text.startswith(f'user:"{session}" OR ')
        assert f"user:={facts.proxy_instance_id}" not in view.filter_text

        def rows() -> list[Event]:
            selection = view.selection
            archive = app.archive
            if selection is None or archive is None or archive.loading:
                return []
            return selection.fetch(0, selection.count())

        await wait_for(pilot, lambda: set(facts.attack_event_ids)
                       <= {event.event_id for event in rows()}, "the archive's attack rows")
        events = rows()
        role_arn = f"arn:aws:iam::{facts.account_id}:role/{facts.role_name}"
        named = {facts.role_name, role_arn, facts.instance_profile_name}
        assert all(event.user_arn.startswith(session) or named & set(event.resources)
                   for event in events)
        # The instance's own calls with its role (its SSM agent's check-ins) too.
        assert any(event.source_ip != facts.attacker_ip and event.user_arn.startswith(session)
                   for event in events)


def test_a_role_on_a_fleet_names_its_newest_instances_and_says_how_many_not() -> None:
    """A review: a role on 300 instances made one series of lookups per instance in
    every region, at 2 calls a second: over an hour, and nothing said so. The filter
    names the 20 newest launches; the warning says how many were left out."""
    fleet = [{"InstanceId": f"i-{n:017x}", "LaunchTime": f"2026-{1 + n % 12:02d}-01T00:00:00Z"}
             for n in range(300)]
    names, left_out = session_names(fleet)
    assert len(names) == MOST_SESSIONS and left_out == 300 - MOST_SESSIONS
    newest = max(item["LaunchTime"] for item in fleet)
    assert all(item["LaunchTime"] == newest for item in fleet if item["InstanceId"] in names)
    said = _session_gaps(names, 0, [], left_out)
    assert f"{300 - MOST_SESSIONS} older instances with the role left out" in said
    assert role_events_filter("web", "", [], names).count("user:=") == MOST_SESSIONS
