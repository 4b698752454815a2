"""L after a load stopped short says how many files it never read, and how to read them
(#5, QA): after C, L said "this store holds every event it was given" with files of
the archive never read. Keys at 80x24, as the responder presses them. (In the session
that cancelled it, L goes on with the load: tests/test_ui_load_continue.py.)"""

from __future__ import annotations

import threading
from pathlib import Path

from awsir_tui.cli import Options
from awsir_tui.events.loader import load
from awsir_tui.events.store import EventStore
from tests.helpers_app import said_after, screen_text, wait_for
from tests.helpers_ui_events import offline_app
from tests.test_ui_events_store import write_copies

HOW = "to read them, start awsir-tui again with the same --source (:load names it)"


async def test_L_on_a_store_reopened_alone_says_its_last_load_was_cut_short(
    tmp_path: Path,
) -> None:
    """A store file whose load was cancelled in an earlier session, reopened with
    ``--store`` alone: its last load's files not read are said too."""
    logs = tmp_path / "logs"
    logs.mkdir()
    write_copies(logs, copies=3)
    path = tmp_path / "case.duckdb"
    cancelled = threading.Event()
    cancelled.set()  # before any file is read
    with EventStore(path) as store:
        report = load([logs], store, cancel=cancelled)
    assert report.cancelled and report.not_reached == 3
    app = offline_app(Options(store=str(path)))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "0 events  partial: an earlier load" in screen_text(app),
                       "the store reopened")
        said = await said_after(pilot, app, "L", "endpoint URL")
        assert said == f"the load was cancelled: 3 files not read; {HOW}", said
    if app.archive is not None:
        app.archive.store.close()
