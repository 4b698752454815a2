"""`:stack` over a finding's events at 80x24: the filter of its event IDs is cut with
``…`` so that the status keeps to 3 lines, the partial reasons and the count in sight."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.dialogs import HelpScreen
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.findings_view import FindingsView
from awsir_tui.ui.stack_view import StackView
from tests.helpers_app import composed, demo_app, open_view, screen_text, wait_for
from tests.helpers_regions import app_over_denied_regions

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


async def test_the_status_of_a_stack_over_a_finding_s_events_keeps_to_three_lines(
    demo: DemoServer,
) -> None:
    denied = "ap-southeast-2"  # a partial read: its reason must stay first, in sight
    app = demo_app(demo)
    with demo.denying(denied):
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: app.screen.__class__.__name__ == "InstancesView")
            await pilot.press("colon", *"findings", "enter")
            await wait_for(pilot, lambda: isinstance(app.screen, FindingsView)
                           and not app.screen.running and app.screen.scope is not None,
                           "the findings", seconds=120)
            findings = app.screen
            assert isinstance(findings, FindingsView)
            ids = findings.findings[0].event_ids
            assert len(ids) > 10  # the credential theft: a long filter of event IDs
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                           and app.screen.table.row_count == len(ids), "the finding's events")
            await pilot.press("colon", *"stack", "enter")
            await wait_for(pilot, lambda: isinstance(app.screen, StackView) and app.screen.rows
                           and "counting" not in screen_text(app), "the count")
            await pilot.pause()
            stack = app.screen
            assert isinstance(stack, StackView)
            status = stack.query_one("#stack-status")
            lines = screen_text(app).splitlines()
            shown = lines[2:2 + status.size.height]
            text = "".join(line.rstrip() for line in shown)
            assert len(shown) <= 3
            assert text.startswith("partial: ")
            assert "\u2026" in text and text.endswith(f" \u00b7 {len(ids)} events")
            assert ids[0] in text
            # The table's header right under it, its rows in sight.
            assert lines[2 + status.size.height].split() == ["events", "name"]


async def test_help_on_the_stack_says_the_whole_filter_its_status_cuts(
    demo: DemoServer,
) -> None:
    app = demo_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "InstancesView")
        events = await open_view(pilot, app, "events")
        assert isinstance(events, EventsView)
        # A pivot's filter as long as a finding's: 12 event IDs, one of them last.
        ids = [f"00000000-0000-4000-8000-{n:012d}" for n in range(12)]
        await pilot.press("slash", *f"id:={','.join(ids)}", "enter")
        await wait_for(pilot, lambda: events.filter_text.endswith(ids[-1]), "the filter")
        stack = await open_view(pilot, app, "stack")
        await wait_for(pilot, lambda: "\u00b7 0 events" in screen_text(app), "the count")
        assert ids[-1] not in screen_text(app)  # the status cut it
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: composed(app, HelpScreen, "Static"), "the help")
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.body.plain.startswith(f"{stack.crumb}\nFilter: id:={ids[0]},")
        assert ids[-1] in app.screen.body.plain


#: Regions the demo account has, empty: denied, each is a failed region of the read.


async def test_many_failed_regions_are_grouped_and_cut_before_the_count(
    demo: DemoServer,
) -> None:
    """Event history over 17 regions, 14 of them denied, and no filter: the denied
    regions (one reason each, they filled the 3 lines and cut the count off) are said
    once as a group and cut with ``…``; the count stays in sight, and no ``…`` follows
    the title when there is no filter to cut."""
    app, denied = app_over_denied_regions(demo)
    with demo.denying(*denied):
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: app.screen.__class__.__name__ == "InstancesView")
            events = await open_view(pilot, app, "events")
            assert isinstance(events, EventsView)
            await wait_for(pilot, lambda: events.selection is not None
                           and not events.selection.is_filling(), "the events read")
            stack = await open_view(pilot, app, "stack")
            assert isinstance(stack, StackView)
            await wait_for(pilot, lambda: stack.rows and "counting" not in screen_text(app),
                           "the count")
            await pilot.pause()
            status = stack.query_one("#stack-status")
            lines = screen_text(app).splitlines()
            shown = lines[2:2 + status.size.height]
            text = " ".join(line.strip() for line in shown)
            total = sum(int(str(row[-1])) for row in stack.rows)
            assert len(shown) <= 3
            assert text.startswith("partial: ")
            assert f" denied in {len(denied)} regions: {denied[0]}, {denied[1]}, " in text
            assert text.endswith(f"\u2026 \u00b7 count by name \u00b7 {total:,} events")
            assert lines[2 + status.size.height].split() == ["events", "name"]
