"""The stolen-credentials walkthrough at 80x24, to the exported case's files."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from awsir_tui.app import AwsirApp
from awsir_tui.case.export import EXPORTS, FORMATS, export_name
from awsir_tui.case.session import CaseSession
from awsir_tui.case.store import export_folder
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.case_views import IndicatorsView
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.path_lines import path_lines
from tests.helpers_app import demo_app, open_view, screen_text, wait_for
from tests.helpers_posture import notifications


async def ready(pilot: Pilot[Any], app: AwsirApp) -> CaseSession:
    """The case, once the app has opened it and the first view has loaded."""
    await wait_for(pilot, lambda: app.case is not None and getattr(app.screen, "loaded", 0))
    assert app.case is not None
    return app.case


async def events_of(pilot: Pilot[Any], app: AwsirApp, filter_text: str, rows: int) -> None:
    """:events filtered on ``filter_text``, once it shows ``rows`` rows."""
    events = await open_view(pilot, app, "events")
    assert isinstance(events, EventsView)
    await pilot.press("slash", *filter_text, "enter")
    await wait_for(pilot, lambda: events.table.row_count == rows, filter_text, seconds=60)


async def exported_files(pilot: Pilot[Any], session: CaseSession) -> dict[str, str]:
    """x in :indicators (open), then each file it wrote, read back. x says at once
    that the export runs (thousands of timeline events take seconds); where it went
    replaces that note when it is done."""

    def notes() -> list[str]:
        return [str(n.message) for n in pilot.app._notifications if n.title == "export"]

    await pilot.press("x")
    assert notes() and notes()[0].startswith(("exporting the case\u2026", "case exported"))
    folder, name = export_folder(session.path), session.path.stem
    await wait_for(pilot, lambda: all((folder / export_name(name, f)).exists() for f in EXPORTS))
    said = f"case exported ({', '.join(EXPORTS)}) to\n{path_lines(folder, folder=True)}"
    await wait_for(pilot, lambda: notes() == [said],
                   "the folder said, in place of the note that it runs")
    return {f: (folder / export_name(name, f)).read_text(encoding="utf-8") for f in EXPORTS}


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
        session = await ready(pilot, app)
        count = 6  # the scenario's launches: four over quota, one denied, one made
        await events_of(pilot, app, f"user:{facts.proxy_instance_id} name:RunInstances", count)
        for _ in range(count):
            await pilot.press("m", "down")
        await wait_for(pilot, lambda: len(session.case.timeline) == count)
        assert isinstance(await open_view(pilot, app, "indicators"), IndicatorsView)
        files = await exported_files(pilot, session)

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
    for fmt in FORMATS:  # each format of the case (the values file is its values alone)
        for outcome in failed:
            assert outcome in files[fmt], (fmt, outcome)


async def test_an_instance_and_an_event_marked_are_dated_by_the_data_not_the_keypress(
    demo: DemoServer, data_home: Path
) -> None:
    """The walkthrough's report dated the malicious instance to the moment m was
    pressed, 44 minutes after its launch. An event marked is seen at its time, an
    instance marked in the list at its launch; the view and the files say apart when
    each was marked."""
    facts = demo.facts
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        session = await ready(pilot, app)
        await pilot.press("slash", *f"id:={facts.malicious_instance_id}", "enter")
        await wait_for(pilot, lambda: facts.malicious_instance_id in screen_text(app))
        await pilot.press("m")
        await events_of(pilot, app, f"user:{facts.proxy_instance_id} name:ImportKeyPair", 1)
        await pilot.press("m")
        await wait_for(pilot, lambda: len(session.case.indicators) == 2)
        event = next(iter(session.case.timeline.values()))
        view = await open_view(pilot, app, "indicators")
        assert isinstance(view, IndicatorsView)
        await wait_for(pilot, lambda: view.current() is not None)
        table = view.query_one("#indicators-table", DataTable)
        rows = {table.get_row_at(n)[1].plain: [c.plain for c in table.get_row_at(n)]
                for n in range(table.row_count)}
        instance, marked = rows[facts.malicious_instance_id], rows[event.event_id]
        launched = f"{facts.malicious_launch_time:%m-%d %H:%M}"  # the year in the header
        assert instance[3:5] == [launched, launched] and instance[5]  # marked now
        assert marked[3] == marked[4] == f"{event.time:%m-%d %H:%M}"
        files = await exported_files(pilot, session)
    data = {i["value"]: i for i in json.loads(files["json"])["indicators"]}
    first_seen = datetime.fromisoformat(data[facts.malicious_instance_id]["first_seen"])
    assert first_seen == facts.malicious_launch_time
    assert data[facts.malicious_instance_id]["marked"] > event.time.isoformat()
    assert data[event.event_id]["first_seen"] == event.time.isoformat()
    report = files["md"]
    assert (f"| instance-id | {facts.malicious_instance_id} | "
            f"{facts.malicious_launch_time:%Y-%m-%d %H:%M:%S}Z |") in report
    assert f"| event-id | {event.event_id} | {event.time:%Y-%m-%d %H:%M:%S}Z |" in report


async def test_a_headless_export_names_the_identity_the_app_investigated_with(
    demo: DemoServer, data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Chain of custody: the app saves who it is in the case as soon as it knows, so
    ``awsir-tui case export`` (no AWS call) says it too."""
    from awsir_tui.cli import main

    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.case is not None and app.identity is not None)
        assert app.case is not None and app.identity is not None
        arn, name = app.identity.arn, app.case.case.name
    assert main(["case", "export", name, "--format", "md"]) == 0
    report = capsys.readouterr().out
    assert f"- Identity used: {arn} (since " in report and "not recorded" not in report
    assert main(["case", "export", name, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["identity"] == arn and data["identities"][0]["account"] == demo.facts.account_id


async def test_the_attackers_ip_is_dated_by_every_event_of_the_case(
    demo: DemoServer, data_home: Path
) -> None:
    """The attacker's IP, marked in one launch, is first and last seen at the first and
    last of the launches marked from it: in :indicators and in every file x writes."""
    facts = demo.facts
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        session = await ready(pilot, app)
        count = 6
        await events_of(pilot, app, f"user:{facts.proxy_instance_id} name:RunInstances", count)
        for _ in range(count):
            await pilot.press("m", "down")
        await wait_for(pilot, lambda: len(session.case.timeline) == count)
        entries = [t for t in session.case.timeline.values() if t.source_ip == facts.attacker_ip]
        assert len(entries) > 1
        last = max(entries, key=lambda t: t.time)
        session.mark(facts.attacker_ip, source=f"event RunInstances {last.event_id}",
                     ref=last.event_id, seen=last.time)  # as m on its sourceIPAddress
        view = await open_view(pilot, app, "indicators")
        assert isinstance(view, IndicatorsView)
        first = min(t.time for t in entries)
        assert first < last.time
        # The table draws its rows once laid out, a moment after the view is on top.
        await wait_for(pilot, lambda: facts.attacker_ip in screen_text(app), "the IP's row drawn")
        row = next(r for r in screen_text(app).splitlines() if facts.attacker_ip in r)
        assert first.strftime("%m-%d %H:%M") in row, row
        files = await exported_files(pilot, session)

    data = {i["value"]: i for i in json.loads(files["json"])["indicators"]}
    assert datetime.fromisoformat(data[facts.attacker_ip]["first_seen"]) == first
    assert datetime.fromisoformat(data[facts.attacker_ip]["last_seen"]) == last.time
    span = f"{first:%Y-%m-%d %H:%M:%S}Z  {last.time:%Y-%m-%d %H:%M:%S}Z"
    assert f"{facts.attacker_ip}  {span}" in files["txt"]
    assert span.replace("  ", " | ") in files["md"]
    rows = [r for r in csv.DictReader(io.StringIO(files["csv"])) if r["value"] == facts.attacker_ip]
    assert (rows[0]["time"], rows[0]["last_time"]) == tuple(span.split("  "))


async def test_the_instance_marked_on_its_page_is_first_seen_at_its_launch(
    demo: DemoServer, data_home: Path
) -> None:
    """QA: marked from its page, the attacker's instance was first seen when m was
    pressed, minutes after its launch on the same timeline; the list gave its launch."""
    from tests.helpers_ec2 import move_to, open_instance_details

    facts = demo.facts
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        session = await ready(pilot, app)
        await open_instance_details(pilot, app, facts.malicious_instance_id)
        await move_to(pilot, app, f"ID {facts.malicious_instance_id}")
        await pilot.press("m")
        await wait_for(pilot, lambda: len(session.case.indicators) == 1, "the mark")
        (indicator,) = session.case.indicators.values()
        assert indicator.value == facts.malicious_instance_id
        assert indicator.first_seen == indicator.last_seen == facts.malicious_launch_time


async def test_an_export_that_cannot_be_written_says_so_in_red(
    demo: DemoServer, data_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Responder review: with the export folder one that cannot be made, x said
    "exporting the case…" and then nothing: no error, no file, and the responder took
    the case for written. The failure is said, with its reason, as the events' is."""
    taken = data_home / "a-file"
    taken.write_text("not a folder\n")
    monkeypatch.setenv("AWSIR_TUI_EXPORT_DIR", str(taken / "exports"))
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await open_view(pilot, app, "indicators")
        await pilot.press("x")
        await wait_for(pilot, lambda: any(
            n.severity == "error" and str(n.message).startswith(
                "export failed, nothing written: ") and "a-file" in str(n.message)
            for n in app._notifications), "the failure, with its reason")
        assert not any(str(n).startswith("case exported") for n in notifications(app))
    assert taken.read_text() == "not a folder\n"
