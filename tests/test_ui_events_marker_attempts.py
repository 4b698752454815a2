"""The attacker's launches in the events list's ! column at 80x24, as :findings ranks
them (responders, #5): four failed for a quota, one refused, one done. A responder
read H on the failed ones beside "medium  Failed attempt: GPU…" in :findings and took
the marks for wrong; the failed calls are in a high finding too (an instance role's
write calls), and the view's ? says which calls rank lower and which keep their level."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsir_tui.demo.server import DemoServer
from awsir_tui.detect.finding import severity_rank
from awsir_tui.detect.marker import LETTERS
from awsir_tui.events.record import Event
from awsir_tui.refusals import REFUSED_CODES
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.findings_view import FindingsView
from tests.helpers_app import demo_app, help_shown, open_view, screen_text, wait_for


def _marks(view: EventsView, ip: str, screen: str) -> dict[str, str]:
    """Each of the attacker's launches on screen, by event ID: its ! column's letter."""
    lines = screen.splitlines()
    marks: dict[str, str] = {}
    for index in range(view.table.row_count):
        event = view.table.row(index)
        if event is None or event.source_ip != ip:
            continue
        when = event.event_time.strftime("%m-%d %H:%M:%S")
        for line in lines:
            if when in line and "RunInstances" in line and ip in line:
                marks[event.event_id] = line[0]
    return marks


def _launches(view: EventsView, ip: str) -> list[Event]:
    rows = (view.table.row(i) for i in range(view.table.row_count))
    return [e for e in rows if e is not None and e.source_ip == ip]


async def test_failed_launches_are_marked_as_the_findings_they_are_in_rank_them(
    demo: DemoServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    ip = demo.facts.attacker_ip
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_view(pilot, app, "events")
        assert isinstance(view, EventsView)
        await pilot.press("slash", *"name:RunInstances", "enter")
        await wait_for(pilot, lambda: len(_marks(view, ip, screen_text(app))) == 6,
                       "the attacker's six launches", seconds=120)
        launches = {e.event_id: e for e in _launches(view, ip)}
        marks = _marks(view, ip, screen_text(app))
        refused = {i for i, e in launches.items() if e.error_code in REFUSED_CODES}
        failed = {i for i, e in launches.items() if e.error_code} - refused
        assert (len(refused), len(failed)) == (1, 4)
        # Before :findings: each call as its rule alone ranks it (an instance role's
        # write call, high): failed for a quota it keeps the level, refused one lower.
        assert {marks[i] for i in failed} == {"H"}
        assert {marks[i] for i in refused} == {"M"}
        assert {m for i, m in marks.items() if i not in failed | refused} == {"H"}

        shown = await help_shown(pilot, app)
        assert "A refused call (denied, or its key rejected) ranks a level lower" in shown
        assert "keeps its rule's level, as its finding does" in shown
        await pilot.press("escape")

        findings = await open_view(pilot, app, "findings")
        assert isinstance(findings, FindingsView)
        await wait_for(pilot, lambda: not findings.running and findings.findings,
                       "the findings", seconds=120)
        # After it: each as the worst finding it is in ranks it, the failed ones too.
        expected = {event_id: LETTERS[max(
            (f.severity for f in findings.findings if event_id in f.event_ids),
            key=severity_rank)] for event_id in launches}
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is view, "the events list again")
        await wait_for(pilot, lambda: _marks(view, ip, screen_text(app)) == expected,
                       f"the launches marked as their worst findings: {expected}")
