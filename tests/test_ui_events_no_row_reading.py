"""E on :instances, then Enter at once: the events list said ``starting…`` and Enter
said "no row to open: the list is empty" (#5, QA), where m said it was still reading.
While the rows are still being read, each key that acts on the row under the cursor
(Enter, y, m) says so; once they are read, Enter opens the row. And x asks first, as
it does while the read runs, where it wrote a file of 0 events unasked. 80x24, demo
account, the read held before its first call."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.dialogs import Confirm
from awsir_tui.ui.ec2_instances import InstancesView
from awsir_tui.ui.events_detail import EventDetailView
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import said_after, screen_text, wait_for
from tests.helpers_ec2 import loaded_list, make_app, type_filter
from tests.helpers_ui_events import hold_history_reads


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Event history reads held before their first call (:func:`hold_history_reads`)."""
    return hold_history_reads(monkeypatch)


async def events_starting(pilot: Pilot[Any], app: AwsirApp, instance_id: str) -> EventsView:
    """E on ``instance_id``'s row of :instances: its events list, ``starting…``."""
    await loaded_list(pilot, app, InstancesView)
    await wait_for(pilot, lambda: app.case is not None, "the case open")
    await type_filter(pilot, f"id:{instance_id}")
    await pilot.press("E")
    await wait_for(pilot, lambda: isinstance(app.screen, EventsView), "the events")
    await wait_for(pilot, lambda: "starting\u2026" in screen_text(app), "starting")
    assert isinstance(app.screen, EventsView)
    return app.screen


async def answers(pilot: Pilot[Any], app: AwsirApp, *keys: str) -> list[str]:
    """What each of ``keys`` says, pressed one after the other."""
    return [await said_after(pilot, app, key) for key in keys]


async def test_keys_on_a_list_not_read_yet_say_it_is_still_reading(
    demo: DemoServer, held: threading.Event
) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        try:
            view = await events_starting(pilot, app, demo.facts.proxy_instance_id)
            assert await answers(pilot, app, "enter", "y", "m") == [
                f"no row to {to} yet: still reading" for to in ("open", "copy", "mark")]
        finally:
            held.set()
        await wait_for(pilot, lambda: view.table.row_count > 0, "the rows read")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventDetailView), "the event")


async def test_x_on_a_read_not_begun_asks_first(demo: DemoServer, held: threading.Event) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        try:
            view = await events_starting(pilot, app, demo.facts.proxy_instance_id)
            await pilot.press("x")
            await wait_for(pilot, lambda: isinstance(app.screen, Confirm)
                           and "still being read" in screen_text(app), "the question")
            await pilot.press("n")
            await wait_for(pilot, lambda: app.screen is view, "answered no")
            assert not any("written to" in str(n.message) for n in app._notifications)
        finally:
            held.set()
