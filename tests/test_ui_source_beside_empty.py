"""The app started on two ``--source`` folders, one of logs and one empty, names the
empty one (#5): its load notice, status line and ``:load`` said only "loaded 45 events",
and the responder believed both folders read. Keys at 80x24."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from textual.app import App

from awsir_tui.cli import Options
from awsir_tui.events.loader import NO_LOG
from tests.helpers_app import open_view, screen_text, wait_for
from tests.helpers_events import STEAL_CREDENTIALS, STRATUS
from tests.helpers_ui_events import archive_loaded, offline_app

HELD_NO_LOG = "no CloudTrail log in this source"


def notices(app: App[Any]) -> list[str]:
    return [str(note.message) for note in app._notifications]


async def test_the_empty_source_beside_logs_is_named(tmp_path: Path) -> None:
    good, empty = tmp_path / "good", tmp_path / "empty"
    good.mkdir()
    empty.mkdir()
    shutil.copy(STRATUS / f"{STEAL_CREDENTIALS}.json", good)
    app = offline_app(Options(sources=[str(good), str(empty)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await archive_loaded(pilot, app)
        await wait_for(pilot, lambda: "45 events  1 source with no log (:load)"
                       in screen_text(app), "the status line")
        said = f"{empty}: {HELD_NO_LOG} (no file found)"
        await wait_for(pilot, lambda: any(said in n for n in notices(app)), "the notice")
        assert not any(NO_LOG in n for n in notices(app)), notices(app)
        await open_view(pilot, app, "load")
        await wait_for(pilot, lambda: "No CloudTrail log in: 1 source (a wrong path?)"
                       in screen_text(app), ":load")
        assert str(empty) in screen_text(app) and "no file found" in screen_text(app)
    if app.archive is not None:
        app.archive.store.close()
