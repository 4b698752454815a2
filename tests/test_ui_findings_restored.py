"""`:findings` reopened by the case over a ``--source`` archive, at 80x24 (responder
review): started again on the demo's trail bucket, the case reopened :findings over the
events view, and once the load was done it said "over an earlier list (s3://…): r runs
over the current one", while r gave the same findings over the same events. The view
was pushed before the events view beneath had its rows, so the run took every event of
the archive, and the note took the events view's rows (every event of the same archive)
for another list. A list really changed (a narrower filter) still says it."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.case.store import CaseStore
from awsir_tui.cli import Options
from awsir_tui.events.sources import ArchiveSource
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.findings_view import FindingsView
from tests.helpers_app import screen_text, wait_for
from tests.helpers_events import STRATUS
from tests.helpers_ui_events import archive_loaded, offline_app
from tests.test_ui_findings_marks import findings_done

CASE = "stratus-findings"
#: 33 of the 310 Stratus records.
NARROWER = "name:DescribeInstances"


def stratus_app() -> AwsirApp:
    return offline_app(Options(sources=[str(STRATUS)], case=CASE))


def all_judged(app: AwsirApp) -> int | None:
    """The events the findings view on top judged, once its run is done and the events
    view beneath lists every event of the archive, loaded (None until then)."""
    findings, events = app.screen_stack[-1], app.screen_stack[-2:][0]
    if not (isinstance(findings, FindingsView) and isinstance(events, EventsView)):
        return None
    archive = events.source
    if not isinstance(archive, ArchiveSource) or archive.loading or findings.running:
        return None
    if events.selection is None:
        return None
    return findings.events_read if findings.events_read == events.selection.count() else None


async def left_on_findings(pilot: Pilot[Any], app: AwsirApp) -> int:
    """:findings run over the loaded archive, kept by the case as the place to reopen;
    how many events it judged."""
    listed = await archive_loaded(pilot, app)
    assert listed.selection is not None
    count = listed.selection.count()
    await pilot.press("colon", *"findings", "enter")
    await wait_for(pilot, lambda: findings_done(app, count), "the findings", seconds=90)
    await wait_for(pilot, lambda: CaseStore().load(CASE).place.get("view") == "findings",
                   ":findings kept as the place")
    return count


async def test_findings_reopened_over_the_archive_are_not_an_earlier_lists() -> None:
    app = stratus_app()
    async with app.run_test(size=(80, 24)) as pilot:
        count = await left_on_findings(pilot, app)

    app = stratus_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: all_judged(app) == count,
                       "the reopened findings over every event", seconds=90)
        await pilot.pause()
        status = screen_text(app)
        assert "earlier list" not in status, status
        assert f"over {count} events" in status, status

        # The list beneath narrowed: the findings are now an earlier list's.
        await pilot.press("colon", *f"events {NARROWER}", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and app.screen.filter_text == NARROWER, "the narrower list")
        await pilot.press("colon", *"findings", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, FindingsView), "back to :findings")
        await wait_for(pilot, lambda: "over an earlier list" in screen_text(app),
                       "the earlier list said")
        said = " ".join(screen_text(app).split())
        assert f"over an earlier list ({STRATUS}): r runs over the current one" in said, said
