"""A ``--source`` path that is not there is said as what it is (a responder review at
80x24): ``awsir-tui --source /tmp/nosuchdir`` showed ``0 events  1 file not read whole
(:load)``, ``:load`` "1 file not read whole: the events are partial", and an export
of it PARTIAL, as if a log among the rest were damaged; only a notice that faded said
"no such file or folder". The status line and ``:load`` now say ``NO SUCH PATH``, and
the export's coverage is no PARTIAL of a log when nothing was there.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.cli import Options
from awsir_tui.events.coverage import sidecar_path
from awsir_tui.events.sources import ArchiveSource
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.load_view import LoadView
from tests.helpers_app import open_view, screen_text, wait_for
from tests.helpers_events import STEAL_CREDENTIALS, STRATUS
from tests.helpers_ui_events import offline_app
from tests.test_ui_events_cancelled_read import status_row

SIZE = (80, 24)


@pytest.fixture
def exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AWSIR_TUI_EXPORT_DIR", str(tmp_path / "exports"))
    return tmp_path / "exports"


async def load_done(pilot: Pilot[Any], app: AwsirApp) -> EventsView:
    """The events view ``--source`` opens on, once its load is over and said."""
    def done() -> bool:
        view = app.screen
        return (isinstance(view, EventsView) and isinstance(view.source, ArchiveSource)
                and view.source.report is not None and app.case is not None
                and "(:load)" in screen_text(app))

    await wait_for(pilot, done, "the load over")
    assert isinstance(app.screen, EventsView)
    return app.screen


async def exported_coverage(
    pilot: Pilot[Any], app: AwsirApp, view: EventsView, exports: Path,
    word: str = "NO SUCH PATH",
) -> tuple[str, list[str]]:
    """x pressed: the status line and the lines of the export's coverage file once the
    export is written; then :load opened, once it says ``word`` (NO SUCH PATH)."""
    await pilot.press("x")
    await wait_for(pilot, lambda: "exported" in status_row(app, view), "the export")
    row = status_row(app, view)
    [export] = sorted(exports.glob("events-*.jsonl"))
    coverage = sidecar_path(export).read_text().splitlines()
    await open_view(pilot, app, "load")
    await wait_for(pilot, lambda: isinstance(app.screen, LoadView)
                   and word in screen_text(app), "the :load page")
    return row, coverage


async def test_a_missing_source_is_said_no_such_path_not_a_file_not_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exports: Path,
) -> None:
    monkeypatch.chdir(tmp_path)  # typed as a responder types it, relative
    app = offline_app(Options(sources=["nosuchdir"]))
    async with app.run_test(size=SIZE) as pilot:
        view = await load_done(pilot, app)
        row = status_row(app, view)
        assert row.startswith("0 events  NO SUCH PATH nosuchdir (:load)"), row
        assert "not read whole" not in screen_text(app)
        row, coverage = await exported_coverage(pilot, app, view, exports)
        assert "NO SUCH PATH exported 0 events" in row, row
        assert coverage[0] == f"coverage: NO SUCH PATH {tmp_path / 'nosuchdir'}", coverage
        page = screen_text(app)
        assert "NO SUCH PATH nosuchdir" in page, page
        assert "not read whole" not in page and "partial" not in page, page
        assert "Skipped" not in page, page


async def test_a_missing_source_beside_logs_is_said_and_the_logs_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exports: Path,
) -> None:
    """Beside a folder of logs, the missing one is said first, the logs read whole; an
    export of them is PARTIAL for the path that gave nothing, not for a file."""
    logs = tmp_path / "logs"
    logs.mkdir()
    shutil.copy(STRATUS / f"{STEAL_CREDENTIALS}.json", logs)
    monkeypatch.chdir(tmp_path)
    app = offline_app(Options(sources=["logs", "nosuchdir"]))
    async with app.run_test(size=SIZE) as pilot:
        view = await load_done(pilot, app)
        assert status_row(app, view).startswith("45 events  NO SUCH PATH nosuchdir (:load)")
        row, coverage = await exported_coverage(pilot, app, view, exports)
        assert "PARTIAL exported 45 events" in row, row
        assert coverage[0] == f"coverage: PARTIAL: NO SUCH PATH {tmp_path / 'nosuchdir'}", coverage
        page = " ".join(screen_text(app).split())
        assert "Every log file of the other sources was read whole." in page, page
        assert "not read whole" not in page, page
