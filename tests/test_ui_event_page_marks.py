"""`m` on a value of an event's page at 80x24 (#5, responder review): the source IP and
the caller's access key marked there were kept alone, and `:indicators` said "0 events
naming it in the case", "event none in the case yet", `:timeline` "nothing on the
timeline". The event they were read in is the evidence: it is kept with them, once."""

from __future__ import annotations

import json
from typing import Any

from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.case.export import export_name
from awsir_tui.case.session import CaseSession
from awsir_tui.case.store import export_folder
from awsir_tui.events.record import Event, from_record
from awsir_tui.ui.case_timeline import TimelineView
from awsir_tui.ui.case_views import IndicatorsView
from awsir_tui.ui.events_detail import EventDetailView
from awsir_tui.ui.json_view import JsonNode
from tests.helpers_app import open_view, said_after, screen_text, wait_for
from tests.helpers_events import federation_token_record
from tests.helpers_ui_events import account_ready, offline_app

SIZE = (80, 24)
#: The record's own source address is anonymised past what an address may be (255.090…).
IP = "203.0.113.7"


def cursor_path(page: EventDetailView) -> str:
    node = page.json_tree.cursor_node
    data = node.data if node is not None else None
    return ".".join(map(str, data.path)) if isinstance(data, JsonNode) else ""


def federation_token_from_ip() -> tuple[dict[str, Any], Event]:
    """The federation token's record, called from :data:`IP`, and its event."""
    record = federation_token_record()
    record["sourceIPAddress"] = IP
    return record, from_record(record)


async def on_page(
    pilot: Pilot[Any], app: AwsirApp, event: Event,
) -> tuple[CaseSession, EventDetailView]:
    """The case open, then ``event``'s page on screen: the case and the page."""
    await wait_for(pilot, lambda: account_ready(app) and app.case is not None, "the case")
    session = app.case
    assert isinstance(session, CaseSession)
    page = EventDetailView(event)
    await app.push_screen(page)
    await wait_for(pilot, lambda: "requestParameters" in screen_text(app), "the tree")
    return session, page


async def mark(pilot: Pilot[Any], app: AwsirApp, page: EventDetailView, path: str) -> str:
    """/ to the value at ``path``, then `m`: what it says."""
    await pilot.press("slash", *path.rsplit(".", 1)[-1], "enter")
    await wait_for(pilot, lambda: cursor_path(page) == path, path)
    return await said_after(pilot, app, "m", "endpoint URL")


async def test_m_on_a_value_of_an_event_keeps_the_event_with_it() -> None:
    record, event = federation_token_from_ip()
    key = record["userIdentity"]["accessKeyId"]
    its_event = f", and its event GetFederationToken {event.event_id}"
    app = offline_app()
    async with app.run_test(size=SIZE) as pilot:
        session, page = await on_page(pilot, app, event)

        assert await mark(pilot, app, page, "sourceIPAddress") == f"marked ip {IP}{its_event}"
        assert list(session.case.timeline) == [event.event_id]
        # Again from the same event: nothing is added, and it says so.
        again = await said_after(pilot, app, "m", "endpoint URL")
        assert again == f"already marked ip {IP}{its_event}"
        said = await mark(pilot, app, page, "userIdentity.accessKeyId")
        assert said == f"marked access-key {key}{its_event}"
        assert sorted(session.case.indicators) == [
            ("access-key", key), ("event-id", event.event_id), ("ip", IP)]
        assert [s.ref for s in session.case.indicators[("ip", IP)].sightings] == [
            event.event_id]
        assert list(session.case.timeline) == [event.event_id]

        view = await open_view(pilot, app, "indicators")
        assert isinstance(view, IndicatorsView)
        for value in (key, IP):  # the key's row first (kinds' order), the address's next
            await wait_for(pilot, lambda v=value: f"value     {v}" in screen_text(app), value)
            shown = screen_text(app)
            assert "1 event naming it in the case" in shown, shown
            assert "none in the case yet" not in shown, shown
            await pilot.press("j")

        await pilot.press("x")
        folder, stem = export_folder(session.path), session.path.stem
        exported = folder / export_name(stem, "json")
        await wait_for(pilot, exported.exists, "the export")
        timeline = await open_view(pilot, app, "timeline")
        assert isinstance(timeline, TimelineView)
        await wait_for(pilot, lambda: "GetFederationToken" in screen_text(app), "the event")
        assert "nothing on the timeline" not in screen_text(app)

    case = json.loads(exported.read_text(encoding="utf-8"))
    assert [entry["event_id"] for entry in case["timeline"]] == [event.event_id]
    text = json.dumps(case)
    assert record["responseElements"]["credentials"]["sessionToken"] not in text


async def test_d_on_a_value_marked_on_a_page_takes_its_event_too() -> None:
    """A value marked by mistake on an event's page: `d` in :indicators removed it and
    left its event on the timeline, "marked", with its ID among the indicators. The
    question says the event goes with it, and it does."""
    _, event = federation_token_from_ip()
    app = offline_app()
    async with app.run_test(size=SIZE) as pilot:
        session, page = await on_page(pilot, app, event)
        await mark(pilot, app, page, "sourceIPAddress")
        assert sorted(session.case.indicators) == [("event-id", event.event_id), ("ip", IP)]

        view = await open_view(pilot, app, "indicators")
        assert isinstance(view, IndicatorsView)
        await wait_for(pilot, lambda: "value     " in screen_text(app), "the first row")
        for _ in range(2):
            if f"value     {IP}" in screen_text(app):
                break
            await pilot.press("j")
        await wait_for(pilot, lambda: f"value     {IP}" in screen_text(app), "the address")
        await pilot.press("d")
        await wait_for(pilot, lambda: "1 event it was marked in" in screen_text(app),
                       "the question")
        said = await said_after(pilot, app, "Y")
        assert said == f"removed ip {IP}, and 1 event it was marked in"
        assert not session.case.timeline
        assert not session.case.indicators
