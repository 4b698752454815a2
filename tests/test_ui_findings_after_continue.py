"""`:findings` follows a load that L went on with after C (#5): its findings were run
over the part loaded and said "partial: the load was cancelled"; once L had read the
rest, :findings still said so, over the part, until r. It now runs its detections again
over the whole load by itself, as when first opened over a load, or, over a list other
than its findings', says first that new events were loaded since and that r runs them:
never that the load is cancelled once it is not. Keys at 80x24, a real archive on disk,
its load held and cancelled by the test (SteppedLoadStore)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.events.coverage import archive_coverage
from awsir_tui.events.sources import ArchiveSource
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.findings_view import FindingsView, StatusRows
from tests.helpers_app import open_view, screen_text, wait_for
from tests.test_ui_events_store import SteppedLoadStore, viewing_load, write_copies
from tests.test_ui_findings_marks import findings_done
from tests.test_ui_findings_status import status_rows
from tests.test_ui_load_continue import CANCELLED, load_over

CUT_SHORT = "partial: the load was cancelled"
NARROWER = "name:RunInstances"


def said(view: FindingsView) -> str:
    """The findings' whole status, the part cut at 80 columns too."""
    return view.query_one("#findings-status", StatusRows).plan.plain


def shown(app: AwsirApp, view: FindingsView) -> str:
    """The status as the terminal shows it, its two rows made one line."""
    return " ".join(" ".join(status_rows(app, view)).split())


async def findings_over_a_cancelled_load(
    pilot: Pilot[Any], view: EventsView, store: SteppedLoadStore
) -> FindingsView:
    """C once the load is under way, then `:findings` run to the end over the part
    loaded, said cut short."""
    app = pilot.app
    assert isinstance(app, AwsirApp)
    await wait_for(pilot, lambda: "1/8 files" in screen_text(app), "the load under way")
    await pilot.press("C")
    store.permits.release(1)  # the batch in hand ends; the next parts are held again
    await wait_for(pilot, lambda: load_over(view, CANCELLED), "load cancelled")
    part = store.count()
    findings = await open_view(pilot, app, "findings")
    assert isinstance(findings, FindingsView)
    await wait_for(pilot, lambda: findings_done(app, part), "the findings over the part")
    assert CUT_SHORT in shown(app, findings), shown(app, findings)
    return findings


def complete(archive: ArchiveSource) -> str:
    """The verdict an export of the loaded events gives now (the x of :events and of
    :indicators alike: archive_coverage over the archive's report)."""
    return archive_coverage(archive.sources, "", "", running=archive.loading,
                            loading=archive.progress, report=archive.report,
                            earlier=archive.earlier).verdict()


async def test_findings_back_after_L_run_over_the_whole_load(tmp_path: Path) -> None:
    every = 8 * len(write_copies(tmp_path))
    async with viewing_load(tmp_path) as (pilot, view, store, archive):
        app = pilot.app
        findings = await findings_over_a_cancelled_load(pilot, view, store)
        # The cursor on the last finding: the run by itself keeps it there (it went
        # back to the first row, under the responder reading another).
        assert len(findings.findings) > 1
        await pilot.press("G")
        await wait_for(pilot, lambda: findings.table.cursor_row == len(findings.findings) - 1,
                       "the last finding")
        read = findings.finding_at_cursor()
        assert read is not None
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is view, "back to the events")
        await pilot.press("L")
        store.permits.release(1_000)
        await wait_for(pilot, lambda: load_over(view, "loaded "), "the load done")
        assert complete(archive) == "COMPLETE"
        assert await open_view(pilot, app, "findings") is findings  # back as it was
        await wait_for(pilot, lambda: findings_done(app, every), "the findings over every event")
        now = findings.finding_at_cursor()
        assert now is not None and now.rule_id == read.rule_id, (now, read)
        assert set(now.event_ids) & set(read.event_ids)
        whole = said(findings)
        assert "cancelled" not in whole and "partial" not in whole, whole
        assert "new events loaded" not in whole, whole
        assert f"over {every:,} events" in shown(app, findings), shown(app, findings)


async def test_L_in_findings_runs_them_again_once_the_load_is_done(tmp_path: Path) -> None:
    """L pressed in :findings goes on with the load in the events view beneath: the
    findings wait for it, with its progress and C, as a first :findings over a load
    does, then run over every event."""
    every = 8 * len(write_copies(tmp_path))
    async with viewing_load(tmp_path) as (pilot, view, store, _):
        app = pilot.app
        findings = await findings_over_a_cancelled_load(pilot, view, store)
        await pilot.press("L")  # the load's next batch waits for the test
        await wait_for(pilot, lambda: "waiting for the archive to load" in shown(app, findings)
                       and "C: cancel" in shown(app, findings), "the findings follow the load")
        assert CUT_SHORT not in shown(app, findings)
        store.permits.release(1_000)
        await wait_for(pilot, lambda: findings_done(app, every), "the findings over every event")
        assert "cancelled" not in said(findings), said(findings)


async def test_over_another_list_it_says_new_events_were_loaded(tmp_path: Path) -> None:
    """The list beneath narrowed meanwhile: the findings stay their list's (a switch
    never runs them over another), and say first that new events were loaded since,
    not that the load is cancelled; r runs over the current list."""
    write_copies(tmp_path)
    async with viewing_load(tmp_path) as (pilot, view, store, _):
        app = pilot.app
        findings = await findings_over_a_cancelled_load(pilot, view, store)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is view, "back to the events")
        await pilot.press("slash", *NARROWER, "enter")
        await wait_for(pilot, lambda: view.filter_text == NARROWER, "the list narrowed")
        await pilot.press("L")
        store.permits.release(1_000)
        await wait_for(pilot, lambda: load_over(view, "loaded "), "the load done")
        assert view.selection is not None
        narrower = view.selection.count()
        assert await open_view(pilot, app, "findings") is findings
        await wait_for(pilot, lambda: "new events loaded" in shown(app, findings), "said")
        line = shown(app, findings)
        assert line.startswith("over an earlier list ("), line
        assert "), new events loaded since: r runs over the current one" in line, line
        assert "cancelled" not in said(findings) and "partial" not in said(findings), line
        await pilot.press("r")
        await wait_for(pilot, lambda: findings_done(app, narrower), "r over the narrower list")
        assert "new events loaded" not in said(findings) and "earlier list" not in said(findings)
