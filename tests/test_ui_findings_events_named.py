"""Enter on a finding opens its events under the finding's name, not a wall of event
IDs (#5, responder review at 80x24): the plan line took three rows and the breadcrumb
one for ``id:=6ec2f33e-…`` and 16 more UUIDs, and the export's coverage named the
finding nowhere. The filter stays that list: it selects the rows, ``?`` says it whole,
``/`` edits it, and typed over it no longer names the finding."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.events.coverage import sidecar_path
from awsir_tui.ui.events_view import EventsView, PlanLine
from awsir_tui.ui.findings_view import ids_filter
from tests.helpers_app import demo_app, screen_text, wait_for
from tests.test_ui_findings import SIZE, findings_of_the_last_2h, move_to

THEFT = "awsir_instance_credentials_used_elsewhere"


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app's case goes to a fresh XDG data directory, its exports to their own."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("AWSIR_TUI_EXPORT_DIR", str(tmp_path / "exports"))
    return tmp_path / "data"


async def filter_typed(pilot: Pilot[Any], app: AwsirApp, view: EventsView, *keys: str) -> None:
    """``/``, then ``keys`` in the filter prompt (which holds the finding's filter, the
    cursor after it: Ctrl+U clears it), Enter; the view's rows then answer it."""
    await pilot.press("slash", *keys, "enter")
    await wait_for(pilot, lambda: app.screen is view and view.table.source is view.selection
                   and view.table.row_count > 0, "the filter's rows")


async def test_a_findings_events_are_named_by_it_and_keep_its_filter(
    demo: DemoServer, tmp_path: Path
) -> None:
    app = demo_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        findings = await findings_of_the_last_2h(pilot, app)
        theft = await move_to(pilot, findings, THEFT)
        ids = ids_filter(theft.event_ids)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and app.screen.table.row_count == len(theft.event_ids), "its rows")
        view = app.screen
        assert isinstance(view, EventsView)
        assert view.filter_text == ids  # what selects the rows, as it was

        plan = f"finding: {theft.title} ({len(theft.event_ids)} events)"
        await wait_for(pilot, lambda: plan in screen_text(app), "the finding's plan line")
        lines = screen_text(app).splitlines()
        assert lines[1].rstrip().endswith("findings \u203a events of finding"), lines[1]
        # One line of plan, then the count, then the table's header: no ID anywhere.
        assert lines[2].startswith(plan), lines[2]
        assert lines[3].startswith(f"{len(theft.event_ids)} events"), lines[3]
        assert lines[4].startswith("! time"), lines[4]
        assert theft.event_ids[0][:8] not in screen_text(app)

        # ? says which finding, and the filter whole.
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: "the filter lists" in screen_text(app), "the help")
        said = " ".join(line.split("\u2502")[1].strip()  # the page's lines, in its borders
                        for line in screen_text(app).splitlines() if line.count("\u2502") > 1)
        assert f"Events of finding: {theft.title} (ATT&CK {theft.technique}" in said, said
        assert f"Filter: {ids[:30]}" in said, said
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is view, "back to the events")

        # The export's coverage names it beside the filter of its IDs.
        await pilot.press("X")
        exports = tmp_path / "exports"
        await wait_for(pilot, lambda: any(exports.glob("events-*.csv.coverage.txt")),
                       "the export's coverage")
        (csv,) = exports.glob("events-*.csv")
        coverage = sidecar_path(csv).read_text()
        assert f"filter: {ids}\n" in coverage, coverage
        assert (f"events of finding: {theft.title} (ATT&CK {theft.technique}, "
                f"{theft.severity}, rule {THEFT})\n") in coverage, coverage
        await wait_for(pilot, lambda: f"exported {len(theft.event_ids)} events (of the "
                       "finding)" in screen_text(app), "the export's status line")

        # / keeps the finding's filter, the cursor after it: a term typed narrows the rows.
        await filter_typed(pilot, app, view, *"name:RunInstances")
        assert view.filter_text == f"{ids} name:RunInstances"
        await wait_for(pilot, lambda: "events of finding name:RunInstances" in screen_text(app),
                       "the breadcrumb")
        # (the plan line says it after the title, past 80 columns)
        shown = view.query_one("#events-plan", PlanLine).plan.plain
        assert shown.startswith(f"finding: {theft.title}"), shown
        assert "\u00b7 filter name:RunInstances" in shown, shown

        # Cleared and typed over, the rows are no longer the finding's: nor is the name.
        await filter_typed(pilot, app, view, "ctrl+u", *"name:RunInstances")
        assert view.filter_text == "name:RunInstances"
        await wait_for(pilot, lambda: "filter name:RunInstances, run on the store"
                       in screen_text(app), "the plan of the filter typed")
        assert "events of finding" not in screen_text(app)
        assert "finding:" not in screen_text(app)
