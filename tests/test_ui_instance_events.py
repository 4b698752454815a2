"""E, from the instances list or an instance's page, opens that instance's events."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.base import View
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import demo_app, wait_for
from tests.helpers_ec2 import open_instance_details


@pytest.mark.parametrize("from_details", [False, True])
async def test_e_opens_the_events_of_the_malicious_instance(
    demo: DemoServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, from_details: bool
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    facts = demo.facts
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: getattr(app.screen, "loaded", False))
        await pilot.press("slash", *f"id:={facts.malicious_instance_id}", "enter")
        await pilot.pause(0.3)
        if from_details:
            await pilot.press("enter")
            await wait_for(pilot, lambda: app.screen.crumb.startswith(facts.malicious_instance_id))
        await pilot.press("E")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView))
        view = app.screen
        assert isinstance(view, View)
        assert view.crumb == f"events of {facts.malicious_instance_id}"
        await wait_for(pilot, lambda: view.selection is not None  # type: ignore[attr-defined]
                       and view.selection.feed is not None  # type: ignore[attr-defined]
                       and not view.selection.feed.lookup.progress().running  # type: ignore[attr-defined]
                       and view.selection.count() > 0, seconds=60)  # type: ignore[attr-defined]
        events = view.selection.fetch(0, 1000)  # type: ignore[attr-defined]
        launch = [e for e in events if e.event_name == "RunInstances" and not e.error_code]
        assert len(launch) == 1 and launch[0].source_ip == facts.attacker_ip
        assert all(facts.malicious_instance_id in (e.user_name, *e.resources) for e in events)


async def test_slash_on_an_instance_page_filters_that_instances_events(
    demo: DemoServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`/` on an instance's page searched the whole account's events (QA: 370 of them,
    other users' among them, under the instance's breadcrumb); the prompt now starts
    with the instance's terms, which the keys typed add to."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    instance = demo.facts.malicious_instance_id
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_instance_details(pilot, app, instance)
        await pilot.press("slash", *"name:Describe", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView))
        view = app.screen
        assert isinstance(view, EventsView)
        assert view.filter_text == (
            f"user:={instance} OR resource:={instance} name:Describe")
        await wait_for(pilot, lambda: view.selection is not None
                       and view.selection.feed is not None
                       and not view.selection.feed.lookup.progress().running
                       and view.selection.count() > 0, seconds=60)
        assert view.selection is not None
        events = view.selection.fetch(0, 1000)
        assert all(instance in (e.user_name, *e.resources) for e in events)
        assert all("describe" in e.event_name.lower() for e in events)
