"""E, from the instances list or an instance's page, opens that instance's events."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.base import View
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import demo_app, wait_for


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
