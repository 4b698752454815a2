"""The app started on a ``--source`` holding no CloudTrail log says so where the load's
outcome shows, as ``awsir-tui events`` does (#5, QA): an empty folder, or one of notes,
showed "loaded 0 events", which reads as "the attacker did nothing". Keys at 80x24."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.app import App

from awsir_tui.cli import Options
from awsir_tui.events.loader import NO_LOG
from tests.helpers_app import open_view, screen_text, wait_for
from tests.helpers_events import STEAL_CREDENTIALS, STRATUS
from tests.helpers_ui_events import archive_loaded, offline_app


def notices(app: App[Any]) -> list[str]:
    return [str(note.message) for note in app._notifications]


@pytest.mark.parametrize("holding", ["nothing", "notes"])
async def test_a_source_holding_no_log_says_so(tmp_path: Path, holding: str) -> None:
    folder = tmp_path / "case"
    folder.mkdir()
    if holding == "notes":
        (folder / "README.md").write_text("# what the responder found\n")
    app = offline_app(Options(sources=[str(folder)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await archive_loaded(pilot, app)
        await wait_for(pilot, lambda: f"0 events  {NO_LOG} (:load)" in screen_text(app),
                       "the status line")
        await wait_for(pilot, lambda: any(n.startswith(f"{NO_LOG}\nloaded 0 events")
                                          for n in notices(app)), "the load's notice")
        await open_view(pilot, app, "load")
        await wait_for(pilot, lambda: f"Nothing was read: {NO_LOG}." in screen_text(app),
                       ":load")
        assert "Every log file was read whole" not in screen_text(app)
    if app.archive is not None:
        app.archive.store.close()


async def test_a_source_of_logs_says_no_such_thing(tmp_path: Path) -> None:
    (tmp_path / "log.json").write_bytes((STRATUS / f"{STEAL_CREDENTIALS}.json").read_bytes())
    app = offline_app(Options(sources=[str(tmp_path)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await archive_loaded(pilot, app)
        await open_view(pilot, app, "load")
        await wait_for(pilot, lambda: "Every log file was read whole" in screen_text(app),
                       ":load")
        assert NO_LOG not in screen_text(app)
        assert not any(NO_LOG in n for n in notices(app)), notices(app)
    if app.archive is not None:
        app.archive.store.close()


async def test_stack_and_findings_over_a_source_holding_no_log_say_so(tmp_path: Path) -> None:
    """:findings over an empty folder showed 0 findings with no word (a review): read as
    a clean account. It and :stack say what the events view says."""
    folder = tmp_path / "case"
    folder.mkdir()
    app = offline_app(Options(sources=[str(folder)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await archive_loaded(pilot, app)
        for view in ("stack", "findings"):
            await open_view(pilot, app, view)
            await wait_for(pilot, lambda: NO_LOG in " ".join(screen_text(app).split()),
                           f":{view} saying it")
    if app.archive is not None:
        app.archive.store.close()
