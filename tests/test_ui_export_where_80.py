"""Where exports go, said at 80x24 (#5, responders): the notice folded the path every 36
columns in the middle of a name (``…/exports/event`` / ``s-2026….jsonl``), the case's
exports and the events' were in two folders (``cases/<case>-export/``, ``exports/``),
and the events view's "exported …" note stood before the read's counts and pushed them
off the line. Keys pressed on the demo account."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from textual.widgets import Static
from textual.widgets._toast import Toast

from awsir_tui.app import AwsirApp
from awsir_tui.case.export import EXPORTS, export_name
from awsir_tui.case.store import CaseStore
from awsir_tui.cli import Options
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.base import View
from awsir_tui.ui.case_views import IndicatorsView
from awsir_tui.ui.dialogs import HelpScreen
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import demo_app, open_view, screen_text, wait_for
from tests.helpers_ui_events import filter_read, offline_app


def toasts(app: Any) -> list[list[str]]:
    """Each notice on screen, as its lines show (cropped from the screen to its text)."""
    lines = screen_text(app).splitlines()
    shown = []
    for toast in app.screen.query(Toast):
        region = toast.content_region
        shown.append([lines[y][region.x:region.right].rstrip()
                      for y in range(max(region.y, 0), min(region.bottom, len(lines)))])
    return shown


def boxed(app: Any) -> list[str]:
    """The lines of the text in a box drawn on screen (the help), without its edges."""
    return [line.split("\u2502")[1].strip() for line in screen_text(app).splitlines()
            if line.count("\u2502") >= 2]


def notice_with(app: Any, path: str) -> list[str] | None:
    """The notice whose lines, put end to end, hold ``path`` whole; None if none does."""
    return next((lines for lines in toasts(app) if path in "".join(lines)), None)


def breaks(lines: list[str], path: str) -> list[str]:
    """Where ``lines`` break ``path``: the text before each break, which should end in
    ``/`` (a folder whole; the rest of the path on the next line)."""
    joined = "".join(lines)
    start = joined.index(path)
    ends = itertools.accumulate(len(line) for line in lines)
    return [path[: end - start] for end in ends if start < end < start + len(path)]


async def said_whole(pilot: Any, app: AwsirApp, path: str) -> None:
    """A notice shows ``path`` and breaks it only after a ``/``."""
    await wait_for(pilot, lambda: notice_with(app, path) is not None, f"a notice of {path}")
    lines = notice_with(app, path)
    assert lines is not None
    cut = [before for before in breaks(lines, path) if not before.endswith("/")]
    assert not cut, f"{path} broken mid-name after {cut}: {lines}"


async def test_events_export_in_the_case_folder_said_whole_after_the_counts(
    demo: DemoServer,
) -> None:
    """x in :events: the file goes to the case's export folder (no other folder is
    made), the notice says its path a whole folder a line, and the status line keeps
    the read's counts, with the note after them."""
    app = demo_app(demo)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, View) and app.case is not None)
        assert app.case is not None
        folder = app.case.path.with_name(app.case.path.stem + "-export")
        view = await open_view(pilot, app, "events")
        assert isinstance(view, EventsView)
        await filter_read(pilot, view, "name:RunInstances")
        await pilot.press("x")
        await wait_for(pilot, lambda: any(folder.glob("events-*.jsonl")), "the export")
        (written,) = folder.glob("events-*.jsonl")
        await said_whole(pilot, app, str(written))
        status = view.query_one("#events-progress", Static)
        await wait_for(pilot, lambda: "exported" in str(status.render()), "the note")
        progress = view._progress
        assert progress is not None
        row = screen_text(app).splitlines()[status.region.y]
        assert progress.summary() in row, row
        assert "exported" not in row or row.index(progress.summary()) < row.index("exported")
    home = folder.parent.parent
    assert not (home / "exports").exists()


async def test_yank_and_case_export_beside_the_events_export_said_whole(
    demo: DemoServer,
) -> None:
    """y and x in :indicators write into the same folder as the events' export, each
    notice breaks the path only after a ``/``, and `?` there gives the folder whole
    (one piece of text, which the help folds at its edge)."""
    app = demo_app(demo)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, View) and app.case is not None)
        session = app.case
        assert session is not None
        folder = session.path.with_name(session.path.stem + "-export")
        view = await open_view(pilot, app, "events")
        assert isinstance(view, EventsView)
        await filter_read(pilot, view, "name:RunInstances")
        # One wait a step: CI once saw the export and no yank after 120 s, the toasts
        # that would have said why gone by then.
        await pilot.press("x")
        await wait_for(pilot, lambda: any(folder.glob("events-*.jsonl")), "the export")
        await pilot.press("m", "y")
        await wait_for(pilot, lambda: any(folder.glob("yank-*.txt")), "the yank")
        (yanked,) = folder.glob("yank-*.txt")
        await said_whole(pilot, app, str(yanked))
        indicators = await open_view(pilot, app, "indicators")
        assert isinstance(indicators, IndicatorsView)
        await pilot.press("x")
        stem = session.path.stem
        await wait_for(pilot, lambda: all((folder / export_name(stem, f)).exists()
                                          for f in EXPORTS), "the case's exports")
        await said_whole(pilot, app, f"{folder}/")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen)
                       and f"{folder}/" in "".join(boxed(app)), "the folder in the help")
        # Whole in the help's text: broken on lines there, the help's reflow put a
        # space inside the path, and a path copied from a wide terminal was broken.
        assert isinstance(app.screen, HelpScreen)
        assert f"go to: {folder}/\n" in app.screen.body.plain
    assert {path.parent for path in Path(folder).iterdir()} == {folder}


def test_before_the_case_opens_exports_go_to_the_case_named_on_the_command_line() -> None:
    """A yank typed ahead before the account answered went to default-export/, though
    the session was started with --case (code review)."""
    named = offline_app(Options(case="incident-42"))
    assert named.case is None
    assert named.export_folder() == CaseStore().path_for("incident-42").with_name(
        "incident-42-export")
    assert offline_app().export_folder().name == "default-export"
