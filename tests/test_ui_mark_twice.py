"""m on an event already marked says so, as m on any other value does: QA saw the
same "marked event …" toast every time, and :stack said "already marked"."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsir_tui.cli import Options
from tests.helpers_app import screen_text, wait_for
from tests.helpers_events import STRATUS
from tests.helpers_ui_events import archive_loaded, offline_app


async def test_m_twice_on_an_event_says_already_marked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    app = offline_app(Options(sources=[str(STRATUS)]))
    async with app.run_test(size=(80, 24)) as pilot:
        view = await archive_loaded(pilot, app)
        await wait_for(pilot, lambda: view.table.peek_row(0) is not None, "the first row")
        event = view.table.peek_row(0)
        assert event is not None
        name_and_id = f"event {event.event_name} {event.event_id}"

        def notes() -> list[str]:
            return [str(n.message) for n in app._notifications if n.title == "indicator"]

        await pilot.press("m")
        # The last toast: under load an earlier one may have timed out already.
        await wait_for(pilot, lambda: notes()[-1:] == [f"marked {name_and_id}"], "marked")
        await pilot.press("m")  # its note takes the place of the first
        await wait_for(pilot, lambda: notes()[-1:] == [f"already marked {name_and_id}"],
                       "again")


async def test_m_on_a_row_still_being_read_marks_it_once_read_and_on_an_empty_list_says_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """m at once after a load, its row's block not read yet, said "nothing to mark
    here", then "press m again" (the event was there, a moment later): the row is
    marked once it is read, as Enter opens it. On a list filtered to nothing, m says
    the list is empty."""
    import threading

    from awsir_tui.ui.virtual_table import VirtualTable

    held = threading.Event()
    read_block = VirtualTable._read_block

    def slow_read(table: VirtualTable, *args: object) -> None:
        held.wait(60)  # the reader thread, held until the test lets it go
        read_block(table, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(VirtualTable, "_read_block", slow_read)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    app = offline_app(Options(sources=[str(STRATUS)]))

    def notes() -> list[str]:
        return [str(n.message) for n in app._notifications if n.title == "indicator"]

    async with app.run_test(size=(80, 24)) as pilot:
        try:
            view = await archive_loaded(pilot, app)
            await pilot.press("m")
            await wait_for(pilot, lambda: "this row is still being read: it is marked once it "
                           "shows" in notes(), "still read")
            assert app.case is not None and not app.case.case.timeline
        finally:  # failed or not, the reader goes on (held, it kept the app from ending)
            held.set()
        await wait_for(pilot, lambda: any(note.startswith("marked event ") for note in notes()),
                       "marked once read")
        [marked] = app.case.case.timeline  # once, the one the note names
        assert any(note.startswith("marked event ") and note.endswith(marked)
                   for note in notes()), notes()
        await pilot.press("slash", *"name:NoSuchCallEver", "enter")
        await wait_for(pilot, lambda: view.table.row_count == 0, "no rows")
        await pilot.press("m")
        await wait_for(pilot, lambda: notes()[-1:] == ["no row to mark: the list is empty"],
                       "empty")


async def test_m_while_a_load_has_shown_no_row_yet_says_still_reading(tmp_path: Path) -> None:
    """No row yet, the archive still loading: the list is not empty, only not filled."""
    from tests.test_ui_events_store import viewing_load, write_copies

    write_copies(tmp_path)
    async with viewing_load(tmp_path, "name:NoSuchCallEver") as (pilot, _, store, _archive):
        app = pilot.app
        await wait_for(pilot, lambda: "1/8 files" in screen_text(app), "the load held")
        await pilot.press("m")
        await wait_for(pilot, lambda: any(
            str(n.message) == "no row to mark yet: still reading"
            for n in app._notifications), "the answer")
        store.permits.release(8)
