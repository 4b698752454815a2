"""`x`/`X` in `:events` while Event history is still being read: the responder is
asked first, and every export is written with its coverage beside it, so that whoever
receives the file knows whether it is partial; a drill-down's too (Enter on a `:stack`
group or a finding shows rows of the same store). Keys pressed on the demo account, 80x24."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.events.coverage import sidecar_path
from awsir_tui.events.sources import DEFAULT_CAP
from awsir_tui.ui.base import View
from awsir_tui.ui.dialogs import Confirm
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.findings_view import FindingsView
from awsir_tui.ui.stack_view import StackView
from tests.helpers_app import composed, demo_app, open_view, screen_text, wait_for
from tests.helpers_ui_events import filter_read

#: LookupEvents calls a slow demo answers per second and region: after each region's
#: first page the next waits 100 s, so a read stays running while the keys are pressed.
SLOW_RATE = 0.01


@pytest.fixture
def exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AWSIR_TUI_EXPORT_DIR", str(tmp_path / "exports"))
    return tmp_path / "exports"


@pytest.fixture
def slow_demo(demo: DemoServer) -> Iterator[DemoServer]:
    """The demo account (the same one) behind a server that throttles LookupEvents hard."""
    with DemoServer(lookup_rate=SLOW_RATE) as slow:
        yield slow


def reading(view: EventsView) -> bool:
    """Event history rows are arriving: some are in, the regions are not done."""
    progress = view._progress
    return progress is not None and progress.running and view.table.row_count > 0


def exported(exports: Path, extension: str) -> list[Path]:
    return sorted(exports.glob(f"events-*.{extension}")) if exports.is_dir() else []


@contextlib.asynccontextmanager
async def events_on_demo(
    demo: DemoServer,
) -> AsyncIterator[tuple[Pilot[Any], AwsirApp, EventsView]]:
    """The app on the demo account at 80x24, `:events` typed on its first view."""
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, View), "the first view")
        view = await open_view(pilot, app, "events")
        assert isinstance(view, EventsView)
        yield pilot, app, view


async def stack_group(pilot: Pilot[Any], app: Any, view: EventsView) -> EventsView:
    """From ``view``, `:stack` and Enter on its first (biggest) group: the events view
    of that group, a drill-down over ``view``'s store, its rows shown."""
    await pilot.press("colon", *"stack", "enter")
    await wait_for(pilot, lambda: isinstance(app.screen, StackView) and bool(app.screen.rows),
                   "the counts")
    await pilot.press("enter")
    await wait_for(pilot, lambda: composed(app, EventsView, "#events-table") is not None
                   and app.screen is not view, "the group's events")
    group = app.screen
    assert isinstance(group, EventsView)
    await wait_for(pilot, lambda: group.table.row_count > 0, "the group's rows")
    return group


async def export_asked(pilot: Pilot[Any], app: Any, exports: Path) -> tuple[str, Path]:
    """x on a view whose events are still being read: the question (the screen's text
    returned), Y, and the export written (its path)."""
    await pilot.press("x")
    # Composed is not yet drawn: the dialog is laid out at the screen's next refresh.
    await wait_for(pilot, lambda: composed(app, Confirm, "#no") is not None
                   and "still being read" in screen_text(app), "the question, drawn")
    question = screen_text(app)
    await pilot.press("Y")
    await wait_for(pilot, lambda: len(exported(exports, "jsonl")) == 1, "the export")
    (path,) = exported(exports, "jsonl")
    return question, path


async def test_export_while_loading_asks_and_writes_its_coverage(
    slow_demo: DemoServer, exports: Path
) -> None:
    demo = slow_demo  # the read is still running at the second x, whatever the machine
    async with events_on_demo(demo) as (pilot, app, view):
        await wait_for(pilot, lambda: reading(view), "rows arriving")
        # n: nothing is written.
        await pilot.press("x")
        # Composed is not yet drawn: the dialog is laid out at the screen's next refresh.
        await wait_for(pilot, lambda: composed(app, Confirm, "#no") is not None
                       and "still being read" in screen_text(app), "the question")
        shown = screen_text(app)
        assert "still being read" in shown and "regions done" in shown
        asked = str(app.screen.query_one("#confirm-question", Static).render())
        assert "coverage" in asked and "this was asked at" in asked  # figures may go stale
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is view, "back to the events")
        await pilot.pause(0.3)
        assert exported(exports, "jsonl") == []
        # Y: what has arrived is written, and said to be partial, in the file beside it.
        assert reading(view)
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm), "the question again")
        await pilot.press("Y")
        await wait_for(pilot, lambda: len(exported(exports, "jsonl")) == 1, "the export")
        (path,) = exported(exports, "jsonl")
        sidecar = sidecar_path(path)
        assert sidecar.exists()
        await wait_for(pilot, lambda: any(path.name in str(n.message)
                                          for n in app._notifications), "the notice")
        notice = next(str(n.message) for n in app._notifications
                      if path.name in str(n.message))
        assert "PARTIAL: still loading" in notice
        text = sidecar.read_text()
        assert text.startswith("coverage: PARTIAL: still loading (")
        assert "read: still loading when exported: " in text
        assert f"regions asked: {', '.join(demo.regions)}" in text
        written = len(path.read_text().splitlines())
        assert f"events written: {written:,}\n" in text
        # Before the read's counts: in sight at 80 columns, to be doubted.
        await wait_for(pilot, lambda: "PARTIAL exported" in screen_text(app), "the status")


async def test_export_of_a_finished_read_asks_nothing_and_says_complete(
    demo: DemoServer, exports: Path
) -> None:
    async with events_on_demo(demo) as (pilot, app, view):
        await filter_read(pilot, view, "name:RunInstances")
        await pilot.press("X")
        await wait_for(pilot, lambda: len(exported(exports, "csv")) == 1, "the export")
        assert not isinstance(app.screen, Confirm)
        (path,) = exported(exports, "csv")
        text = sidecar_path(path).read_text()
        assert text.startswith("coverage: COMPLETE\n")
        assert "filter: name:RunInstances\n" in text
        assert "read: finished\n" in text


async def test_a_stack_groups_export_while_the_read_runs_asks_and_says_partial(
    slow_demo: DemoServer, exports: Path
) -> None:
    """Enter on a :stack group opens the events view's rows from the same store: its
    export asks first while the read that fills that store runs, and its coverage says
    partial and names the filter it was drilled down from."""
    async with events_on_demo(slow_demo) as (pilot, app, view):
        await wait_for(pilot, lambda: reading(view), "rows arriving")
        group = await stack_group(pilot, app, view)
        assert reading(view)
        question, path = await export_asked(pilot, app, exports)
        assert "regions done" in question
        text = sidecar_path(path).read_text()
        assert text.startswith("coverage: PARTIAL: still loading ("), text
        assert "source: Event history (LookupEvents)\n" in text
        assert f"filter: {group.filter_text}\n" in text
        assert "drilled down (a :stack group) from the filter: (none: every event)\n" in text
        assert "read: still loading when exported: " in text


async def test_a_findings_export_of_a_read_with_a_denied_region_says_partial(
    demo: DemoServer, exports: Path
) -> None:
    """Enter on a finding: its events' export says what the events view's would, here
    that a region was denied, and names the events view's filter and its own."""
    denied = next(r for r in demo.regions if r != demo.facts.proxy_region)
    with demo.denying(denied):
        async with events_on_demo(demo) as (pilot, app, view):
            await filter_read(pilot, view, "since:2h")
            findings = await open_view(pilot, app, "findings")
            assert isinstance(findings, FindingsView)
            await wait_for(pilot, lambda: not findings.running and bool(findings.findings),
                           "the findings")
            await pilot.press("enter")
            await wait_for(pilot, lambda: composed(app, EventsView, "#events-table")
                           is not None and app.screen is not view, "the finding's events")
            events = app.screen
            assert isinstance(events, EventsView)
            await wait_for(pilot, lambda: events.table.row_count > 0, "its rows")
            await pilot.press("x")  # the read is done: nothing to ask
            await wait_for(pilot, lambda: len(exported(exports, "jsonl")) == 1, "the export")
            assert not isinstance(app.screen, Confirm)
            (path,) = exported(exports, "jsonl")
            text = sidecar_path(path).read_text()
    assert text.startswith(f"coverage: PARTIAL: {denied}: denied\n"), text
    assert f"region failed: {denied}: " in text
    # The finding's events are a filter over what the view's read holds: named so.
    assert f"drilled down ({view.source.label}) from the filter: since:2h\n" in text
    assert f"filter: {events.filter_text or '(none: every event)'}\n" in text


async def test_a_stack_groups_export_of_a_capped_read_says_partial_and_where_L_is(
    demo: DemoServer, exports: Path
) -> None:
    """The demo's whole Event history stops at the cap: a :stack group's export asks
    nothing (the read is over) but says it holds only what the capped read brought,
    and that L is in the view below (the drill-down has none)."""
    async with events_on_demo(demo) as (pilot, app, view):
        await wait_for(pilot, lambda: view._progress is not None
                       and not view._progress.running and view._progress.capped, "the cap")
        await stack_group(pilot, app, view)
        await pilot.press("x")
        await wait_for(pilot, lambda: len(exported(exports, "jsonl")) == 1, "the export")
        assert not isinstance(app.screen, Confirm)
        (path,) = exported(exports, "jsonl")
        await wait_for(pilot, lambda: any(path.name in str(n.message)
                                          for n in app._notifications), "the notice")
        notice = next(str(n.message) for n in app._notifications
                      if path.name in str(n.message))
        assert "PARTIAL: only complete after " in notice
        assert "(L in the view below loads more)" in notice
        text = sidecar_path(path).read_text()
        assert text.startswith("coverage: PARTIAL: only complete after "), text
        assert f"read: stopped at the cap of {DEFAULT_CAP:,} matching events; more match\n" in text
        assert "drilled down (a :stack group) from the filter: (none: every event)\n" in text


async def test_a_stack_groups_export_while_the_archive_loads_asks_and_says_partial(
    tmp_path: Path, exports: Path
) -> None:
    """The same over a --source archive whose load is held after its first file: the
    drill-down asks, and its coverage is the load's, with the view's filter named."""
    from tests.test_ui_events_store import viewing_load, write_copies

    logs = tmp_path / "logs"
    logs.mkdir()
    write_copies(logs)
    async with viewing_load(logs, "-name:NoSuchCall") as (pilot, view, store, archive):
        app = pilot.app
        await wait_for(pilot, lambda: "1/8 files" in screen_text(app), "the load held")
        await wait_for(pilot, lambda: view.table.row_count > 0, "the first file's rows")
        await stack_group(pilot, app, view)
        question, path = await export_asked(pilot, app, exports)
        assert "still loading (1/8 files)" in question
        text = sidecar_path(path).read_text()
        assert archive.loading
        store.permits.release(8)
    assert text.startswith("coverage: PARTIAL: still loading (1/8 files)\n"), text
    assert f"source: archive: {logs}\n" in text
    assert "load: still loading when exported: 1/8 files, " in text
    assert "drilled down (a :stack group) from the filter: -name:NoSuchCall\n" in text
