"""The stolen-credentials walkthrough at 80x24, to the exported case's files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from awsir_tui.case.export import FORMATS
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.case_views import IndicatorsView, export_folder
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import demo_app, open_view, wait_for


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Cases go to a fresh XDG data dir, never the developer's own."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    return tmp_path


async def test_marked_launches_export_which_failed_and_what_they_asked(
    demo: DemoServer, data_home: Path
) -> None:
    """Every RunInstances of the stolen credentials marked with m, exported with x:
    each file says which launch succeeded, which failed and with what error, and what
    each asked for (``grep -ci LimitExceeded`` found nothing in any of them)."""
    facts = demo.facts
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.case is not None and getattr(app.screen, "loaded", 0))
        session = app.case
        assert session is not None
        events = await open_view(pilot, app, "events")
        assert isinstance(events, EventsView)
        await pilot.press("slash", *f"user:{facts.proxy_instance_id} name:RunInstances", "enter")
        count = 6  # the scenario's launches: four over quota, one denied, one made
        await wait_for(pilot, lambda: events.table.row_count == count, "the launches",
                       seconds=60)
        for _ in range(count):
            await pilot.press("m", "down")
        await wait_for(pilot, lambda: len(session.case.timeline) == count)
        await open_view(pilot, app, "indicators")
        assert isinstance(app.screen, IndicatorsView)
        await pilot.press("x")
        folder = export_folder(session.path)
        name = session.path.stem
        await wait_for(pilot, lambda: all((folder / f"{name}.{f}").exists() for f in FORMATS))
    files = {fmt: (folder / f"{name}.{fmt}").read_text(encoding="utf-8") for fmt in FORMATS}

    timeline = json.loads(files["json"])["timeline"]
    outcomes = sorted(t["outcome"] for t in timeline)
    assert outcomes.count("ok") == 1 and len(outcomes) == count
    failed = {o for o in outcomes if o != "ok"}
    assert {"VcpuLimitExceeded", "InstanceLimitExceeded"} <= failed
    assert any("Unauthorized" in o for o in failed)
    launched = next(t for t in timeline if t["outcome"] == "ok")
    assert facts.malicious_instance_id in launched["request"]
    assert f"keyName={facts.attacker_key_name}" in launched["request"]
    assert all("instanceType=" in t["request"] for t in timeline)
    rows = [r for r in csv.DictReader(io.StringIO(files["csv"])) if r["record"] == "event"]
    assert sorted(r["outcome"] for r in rows) == outcomes
    for fmt, text in files.items():
        for outcome in failed:
            assert outcome in text, (fmt, outcome)
