"""`:stack` opened while an archive loads counts the load's events as they arrive.

The demo's S3 bucket takes ~30 s to load: a stack opened 9 s in showed the counts and
the file count of its first files ("still loading (0/2,396 files) · 0 events") until
the load ended, while the events view under it said 68%. The README says `:stack`
counts "while the read runs": it counts again as the load goes on (paced by what a
count costs), and once more when it is done.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable

from awsir_tui.events.store import StoreError
from awsir_tui.ui.stack_view import StackView
from tests.helpers_app import open_view, screen_text, wait_for
from tests.test_ui_events_store import viewing_load, write_copies

FILES = 8


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def top_count(stack: StackView) -> int:
    """The first row's count, as the table shows it."""
    table = stack.query_one(DataTable)
    return int(str(table.get_row_at(0)[0]).replace(",", "")) if table.row_count else 0


async def test_a_stack_opened_mid_load_follows_the_load(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    records = write_copies(logs, FILES)
    name, per_file = Counter(r["eventName"] for r in records).most_common(1)[0]
    async with viewing_load(logs) as (pilot, _, store, archive):
        app = pilot.app
        await wait_for(pilot, lambda: f"1/{FILES} files" in screen_text(app), "the first file")
        stack = await open_view(pilot, app, "stack")
        assert isinstance(stack, StackView)
        await wait_for(pilot, lambda: f"(1/{FILES} files)" in screen_text(app)
                       and top_count(stack) == per_file, "the first file counted")
        assert name in screen_text(app)
        await pilot.press("j")  # the responder reads the second group as the load goes on
        table = stack.query_one(DataTable)
        second = stack.rows[table.cursor_row][0]
        # The next batch (four files), the load held on the last: the stack, left alone,
        # counts them.
        store.permits.release(1)
        await wait_for(pilot, lambda: f"(5/{FILES} files)" in screen_text(app)
                       and top_count(stack) == 5 * per_file, "the next files counted", 60)
        assert archive.loading  # before the load ends
        assert f"{5 * len(records):,} events" in screen_text(app)
        assert "counting" not in screen_text(app)  # no "counting…" each time: the counts stay
        assert stack.rows[table.cursor_row][0] == second  # not sent back to the top
        store.permits.release(FILES)
        await wait_for(pilot, lambda: not archive.loading and top_count(stack) == FILES * per_file
                       and "still loading" not in screen_text(app), "the whole load counted")


async def test_recounts_failing_alike_mid_load_say_it_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A count that fails while a load goes on fails again at each paced recount: its
    error toast came back twice a second over the table, for the whole load."""
    logs = tmp_path / "logs"
    logs.mkdir()
    write_copies(logs, FILES)
    async with viewing_load(logs) as (pilot, _, store, archive):
        app = pilot.app
        said: list[str] = []
        notify = app.notify

        def noted(message: str, *args: Any, **kwargs: Any) -> None:
            said.append(message)
            notify(message, *args, **kwargs)

        monkeypatch.setattr(app, "notify", noted)
        await wait_for(pilot, lambda: f"1/{FILES} files" in screen_text(app), "the first file")
        stack = await open_view(pilot, app, "stack")
        assert isinstance(stack, StackView)
        await wait_for(pilot, lambda: top_count(stack) > 0, "the first file counted")
        failures = 0

        def out_of_memory(*_args: Any, **_kwargs: Any) -> Any:
            nonlocal failures
            failures += 1
            raise StoreError("Out of Memory Error: failed to allocate data of size 64 MiB")

        monkeypatch.setattr(store, "stack", out_of_memory)
        await wait_for(pilot, lambda: failures >= 3, "three recounts failed", 60)
        assert archive.loading
        assert "count failed: Out of Memory Error" in screen_text(app)
        assert len([m for m in said if m.startswith("stack: ")]) == 1
        await pilot.press("r")  # asked for: its failure is said again
        await wait_for(pilot, lambda: len([m for m in said if m.startswith("stack: ")]) == 2,
                       "r's failure said")
