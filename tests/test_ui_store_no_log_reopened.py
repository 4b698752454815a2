"""The app on a ``--store`` file whose only load found no CloudTrail log says NO LOG, as
the session that loaded it did (#5): it said "0 events … kept in the store file", and
:findings 0 findings with no word, read as a clean account. Keys at 80x24."""

from __future__ import annotations

from pathlib import Path

from awsir_tui.cli import Options
from awsir_tui.events.loader import NO_LOG
from tests.helpers_app import open_view, screen_text, wait_for
from tests.helpers_headless import run_cli
from tests.helpers_ui_events import offline_app


async def test_a_store_whose_load_found_no_log_says_so_reopened(tmp_path: Path) -> None:
    empty, store = tmp_path / "empty", tmp_path / "case.duckdb"
    empty.mkdir()
    code, _, err = run_cli("events", "--source", str(empty), "--store", str(store))
    assert code == 1 and NO_LOG in err, err
    app = offline_app(Options(store=str(store)))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: f"0 events  {NO_LOG} (:load)" in screen_text(app),
                       "the status line")
        await open_view(pilot, app, "findings")
        await wait_for(pilot, lambda: NO_LOG in " ".join(screen_text(app).split()),
                       ":findings saying it")
    if app.archive is not None:
        app.archive.store.close()
