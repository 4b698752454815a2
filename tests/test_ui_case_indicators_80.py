""":indicators at 80x24, as QA walked it on the demo account: the instance launched with
the attacker's key, its ID, address, key name and group marked on its page."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from typing import Any

from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.case_views import IndicatorsView
from tests.helpers_app import demo_app, open_view, screen_text, wait_for
from tests.helpers_ec2 import move_to, open_instance_details


@contextlib.asynccontextmanager
async def marked_on_its_page(
    demo: DemoServer,
) -> AsyncIterator[tuple[Pilot[Any], AwsirApp, IndicatorsView]]:
    """The malicious instance's page, `m` on its ID, public IP, key name and group, then
    :indicators, its rows shown; no event read in the session."""
    facts = demo.facts
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_instance_details(pilot, app, facts.malicious_instance_id)
        await wait_for(pilot, lambda: app.case is not None, "case open")
        marks = ("ID ", "Public IP ", "Key name ", facts.attacker_group_id)
        for starts in marks:
            await move_to(pilot, app, starts)
            await pilot.press("m")
        await wait_for(pilot, lambda: len(app.case.case.indicators) == len(marks),  # type: ignore[union-attr]
                       "the marks")
        view = await open_view(pilot, app, "indicators")
        assert isinstance(view, IndicatorsView)
        await wait_for(pilot, lambda: len(view._indicators()) == len(marks), "the rows")
        yield pilot, app, view


async def test_values_show_whole_at_80_columns(demo: DemoServer) -> None:
    """The value column was cut (``i-a81bad37a6a6…``, ``sg-2f17c69d91d…``) to keep
    the sightings/first/last columns wide: the value is what the responder collects.
    An instance ID (19), a group ID (20) and an address show whole, the times too."""
    async with marked_on_its_page(demo) as (_pilot, app, view):
        lines = screen_text(app).splitlines()
        header = next(n for n, line in enumerate(lines) if line.lstrip().startswith("kind"))
        assert "last seen" in lines[header], lines[header]
        rows = lines[header + 1:header + 1 + len(view._indicators())]
        for item, row in zip(view._indicators(), rows, strict=True):
            assert f" {item.value} " in row, (item.value, row)
            assert re.search(r"(unknown|\d\d:\d\d)$", row.rstrip()), row  # last seen
        assert {item.kind for item in view._indicators()} >= {
            "instance-id", "ip", "key-pair", "security-group"}


async def test_the_pane_says_its_count_is_of_the_case_events(demo: DemoServer) -> None:
    """The key pair, marked on the page before any event was read, said ``0 events
    naming it``, read as CloudTrail never naming it (its ImportKeyPair is there): the
    count is of the events the case holds, and the pane says so."""
    facts = demo.facts
    async with marked_on_its_page(demo) as (pilot, app, view):
        row = [item.value for item in view._indicators()].index(facts.attacker_key_name)
        await pilot.press("g", *"j" * row)
        await wait_for(pilot, lambda: f"value     {facts.attacker_key_name}" in screen_text(app),
                       "the key pair's pane")
        await pilot.press(*"J" * 8)  # to the pane's end, where the events go
        await wait_for(pilot, lambda: "none in the case yet" in screen_text(app), "its events")
        await pilot.press(*"K" * 8)
        await wait_for(pilot, lambda: "0 events naming it in the case" in screen_text(app),
                       "the count")
