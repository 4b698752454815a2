"""`:findings`' status in an 80x24 terminal: what the events lack said as the events
view's exports and `:stack` say it, whatever the source, with the count kept in sight;
and an archive's "N events so far", counted off the UI thread while it loads."""

from __future__ import annotations

import json
import threading
import traceback
from pathlib import Path
from typing import Any

import pytest

from awsir_tui.app import AwsirApp
from awsir_tui.cli import Options
from awsir_tui.demo.server import DemoServer
from awsir_tui.events import loader
from awsir_tui.events.store import EventStore
from awsir_tui.ui.findings_view import FindingsView
from tests.helpers_app import open_view, screen_text, wait_for
from tests.helpers_events import all_records
from tests.helpers_regions import app_over_denied_regions
from tests.helpers_ui_events import offline_app

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app's case goes to a fresh XDG data directory."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


def status_rows(app: AwsirApp, view: FindingsView) -> list[str]:
    """The status's rows as the terminal shows them."""
    status = view.query_one("#findings-status")
    top = status.region.y
    return screen_text(app).splitlines()[top:top + status.size.height]


async def test_event_history_s_failed_regions_are_grouped_before_the_count(
    demo: DemoServer,
) -> None:
    """Seven days of Event history over 17 regions, 14 of them denied: the status said
    `region: DENIED` 14 times after the count, past the two rows at 80 columns, and never
    `partial:`. Now it says why as an archive's findings and the exports do, grouped
    (`denied in 14 regions: …`, cut to fit), and the count stays in the two rows."""
    app, denied = app_over_denied_regions(demo)
    with demo.denying(*denied):
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: app.screen.__class__.__name__ == "InstancesView")
            view = await open_view(pilot, app, "findings")
            assert isinstance(view, FindingsView)
            await wait_for(pilot, lambda: not view.running and " over " in screen_text(app),
                           "the findings", seconds=120)
            await pilot.pause()
            rows = status_rows(app, view)
            text = " ".join(row.strip() for row in rows)
            assert len(rows) == 2
            assert text.startswith(f"partial: denied in {len(denied)} regions: "
                                   f"{denied[0]}, {denied[1]}, "), text
            assert "DENIED" not in screen_text(app)
            assert "\u2026 \u00b7 " in text  # cut, said so, then the count
            assert text.endswith(f" over {view.events_read:,} events"), text
            assert f"{len(view.findings):,} finding" in text


def archive_of_batches(tmp_path: Path, files: int, per_file: int) -> tuple[Path, list[str]]:
    """A folder of ``files`` log files of ``per_file`` events each (the loader stores
    the first alone, then the next four together); their names in the loader's order."""
    records = all_records()
    assert len(records) >= files * per_file
    folder = tmp_path / "archive"
    folder.mkdir()
    names = [f"log-{index:02d}.json" for index in range(files)]
    for index, name in enumerate(names):
        chunk = records[index * per_file:(index + 1) * per_file]
        (folder / name).write_text(json.dumps({"Records": chunk}))
    return folder, names


async def test_events_so_far_are_counted_by_the_worker_while_the_archive_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """:findings (A) waiting for the --source archive the events view loads: "N events so
    far" follows the load batch by batch, and the UI thread counts nothing (at a
    million events the count it ran at each refresh stalled the screen). The loader
    waits for the test between batches, so each count is seen."""
    per_file = 10
    folder, _names = archive_of_batches(tmp_path, 6, per_file)
    stored_batches = 0
    release = [threading.Event(), threading.Event()]
    store_batch = loader._store_batch

    def gated(*args: Any) -> Any:  # the loader's own arguments and answer, passed on
        nonlocal stored_batches
        if stored_batches:
            assert release[stored_batches - 1].wait(60), "the test never let it go on"
        stored_batches += 1
        return store_batch(*args)

    monkeypatch.setattr(loader, "_store_batch", gated)
    on_ui_thread: list[str] = []
    count = EventStore.count

    def recorded(store: EventStore, *args: Any, **kwargs: Any) -> int:
        """Each count asked on the UI thread, with where: neither this view nor the
        events view beneath, whose timer re-shows the rows the load adds, may ask."""
        if threading.current_thread() is threading.main_thread():
            stack = traceback.extract_stack()
            on_ui_thread.append("".join(traceback.format_list(stack[-8:])))
        return count(store, *args, **kwargs)

    monkeypatch.setattr(EventStore, "count", recorded)
    app = offline_app(Options(sources=(str(folder),)))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: app.screen.__class__.__name__ == "EventsView",
                           "the events view, which starts the load")
            view = await open_view(pilot, app, "findings")
            await pilot.press("A")  # the archive, not the events view's rows: it waits
            assert isinstance(view, FindingsView)
            await wait_for(pilot, lambda: f"{per_file} events so far" in screen_text(app),
                           "the first batch's count")
            assert "waiting for the archive to load" in screen_text(app)
            release[0].set()
            await wait_for(pilot, lambda: f"{5 * per_file} events so far" in screen_text(app),
                           "the second batch's count")
            release[1].set()
            await wait_for(pilot, lambda: not view.running and " over " in screen_text(app),
                           "the findings")
            assert view.events_read == 6 * per_file
            assert not on_ui_thread, f"the UI thread queried the store:\n{on_ui_thread[0]}"
    finally:
        for gate in release:
            gate.set()
