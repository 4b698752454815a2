"""The events viewer over a store: hostile strings render literally, broken records show
raw with a warning, and ``--source`` archives load into the same viewer.

These run without AWS: the viewer's archive source is the same screen as Event history.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from awsir_tui.cli import Options
from awsir_tui.events.record import from_lookup_event, from_record
from awsir_tui.events.sources import StoreSource
from awsir_tui.events.store import EventStore
from awsir_tui.ui.base import TextScroll
from awsir_tui.ui.events_detail import EventDetailView
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import screen_text, wait_for
from tests.helpers_ui_events import account_ready, offline_app

SIZE = (80, 24)
STRATUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "cloudtrail" / (
    "stratus-red-team"
)
MARKUP = "[bold red]x[/] [/"
ANSI = "\x1b[31mred\x1b[0m\x07"
LONG = "A" * 100_000
TOKEN = "IQoJb3JpZ2luX2VjEOH" + "x" * 60


def hostile_record() -> dict[str, Any]:
    return {
        "eventVersion": "1.08",
        "eventID": "11111111-2222-3333-4444-555555555555",
        "eventTime": "2026-11-28T10:00:00Z",
        "eventName": f"Run{MARKUP}",
        "eventSource": "ec2.amazonaws.com",
        "awsRegion": "eu-west-1",
        "sourceIPAddress": ANSI,
        "userAgent": LONG,
        "errorCode": "[link=https://example.invalid]denied[/link]",
        "userIdentity": {"type": "IAMUser", "userName": f"bob{MARKUP}\r\nroot"},
        "requestParameters": {"groupName": f"{MARKUP}{ANSI}", "note": LONG},
        "responseElements": {"credentials": {"accessKeyId": "ASIAEXAMPLEEXAMPLE00",
                                             "sessionToken": TOKEN}},
    }


def broken_item() -> dict[str, Any]:
    """A LookupEvents item whose CloudTrailEvent is not valid JSON."""
    return {
        "EventId": "99999999-8888-7777-6666-555555555555",
        "EventName": "PutObject",
        "EventTime": "2026-11-28T09:00:00Z",
        "EventSource": "s3.amazonaws.com",
        "Username": "alice",
        "CloudTrailEvent": '{"eventName": "PutObject", [bold]\x1b[2J',
    }


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cases (and the view they reopen) and exports go to a fresh folder per test."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("AWSIR_TUI_EXPORT_DIR", str(tmp_path / "exports"))





async def test_hostile_strings_render_literally_and_broken_records_show_raw() -> None:
    store = EventStore()
    store.add_events([from_record(hostile_record()), from_lookup_event(broken_item())])
    app = offline_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: account_ready(app), "regions")
        view = EventsView(source=StoreSource(store, "hostile test"))
        await app.push_screen(view)
        await wait_for(pilot, lambda: "Run[bold red]x[/]" in screen_text(app), "markup shown")
        text = screen_text(app)
        assert "\x1b" not in text and "\x07" not in text and "\r" not in text
        # At 80 columns the source IP shows at once; the region is a scroll right.
        assert "\\x1b[31mred" in text  # the escape made visible
        assert "eu-west-1" not in text
        # A column per press, the flag and the time staying: to the error code.
        await pilot.press("right", "right", "right")
        await wait_for(pilot, lambda: "eu-west-1" in screen_text(app), "region, scrolled to")

        # The hostile event in full: labels literal, a long value cut, no crash.
        view.table.cursor_row = 0
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventDetailView), "detail")
        detail = app.screen
        assert isinstance(detail, EventDetailView)
        labels = [str(node.label) for node in detail.json_tree.walk()]
        assert any(MARKUP in label for label in labels)
        assert not any(TOKEN[:20] in label for label in labels)  # secrets redacted
        assert any("**REDACTED**" in label for label in labels)
        assert all(len(label) < 1_000 for label in labels)
        await pilot.press("t")
        await wait_for(pilot, lambda: '"eventVersion"' in screen_text(app), "text view")
        shown = screen_text(app)
        assert "\x1b" not in shown and "[bold red]x[/]" in shown
        assert TOKEN[:20] not in shown
        await pilot.press("escape")

        # The record that is not JSON: kept, shown raw with a warning.
        view.table.cursor_row = 1
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventDetailView)
                    and app.screen is not detail, "broken detail")
        await wait_for(pilot, lambda: "not valid JSON" in screen_text(app), "warning")
        assert '{"eventName": "PutObject", [bold]\\x1b[2J' in screen_text(app)


async def test_source_archive_loads_into_the_same_viewer(tmp_path: Path) -> None:
    app = offline_app(Options(sources=[str(STRATUS)]))
    steal = "i-786a3A8B5C0d92eF4"
    expected = {
        r["eventID"]
        for p in STRATUS.glob("*.json")
        for r in json.loads(p.read_text())
        if r.get("userIdentity", {}).get("arn", "").endswith(steal)
    }
    async with app.run_test(size=SIZE) as pilot:
        # Started with --source, the app opens on the archive's events.
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView), "events view")
        view = app.screen
        assert isinstance(view, EventsView)
        await wait_for(pilot, lambda: "loaded" in screen_text(app) and view.table.row_count > 300,
                    "archive loaded")
        await pilot.press("slash", *f"user:{steal}", "enter")
        await wait_for(pilot, lambda: view.filter_text.startswith("user:")
                    and view.table.row_count == len(expected), "filtered")
        ids = {view.table.row(i).event_id for i in range(view.table.row_count)}
        assert ids == expected
        assert view.selection is not None and view.selection.feed is None  # the store's
        assert f"filter user:{steal}, run on the store" in screen_text(app)


async def test_an_archives_export_shows_its_outcome_at_80_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once a load has ended its summary alone fills an 80-column status line: the
    export's note (its progress, then its outcome, checked here) comes before it, not
    after, cut off."""
    monkeypatch.setenv("AWSIR_TUI_EXPORT_DIR", str(tmp_path))
    app = offline_app(Options(sources=[str(STRATUS)]))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                    and "loaded" in screen_text(app), "archive loaded")
        await pilot.press("x")
        await wait_for(pilot, lambda: "exported" in screen_text(app), "export shown")
        status = next(line for line in screen_text(app).splitlines() if "exported" in line)
        assert status.index("exported") < 40
        await pilot.press("o")  # local time: said on the same line, before the summary
        await wait_for(pilot, lambda: "local time" in screen_text(app), "local time shown")
    (written,) = tmp_path.glob("events-*.jsonl")
    assert len(written.read_text().splitlines()) > 300


async def test_load_lists_every_file_left_out_with_its_reason(tmp_path: Path) -> None:
    """The notice at the end of a load fades and shows a few files; `:load` keeps the
    whole list, each path and reason in full, scrolling with j/G at 80x24."""
    import gzip

    from awsir_tui.ui.load_view import LoadView

    good = [r for p in sorted(STRATUS.glob("*.json")) for r in json.loads(p.read_text())]
    (tmp_path / "good.json").write_text(json.dumps({"Records": good}))
    (tmp_path / "cut.json.gz").write_bytes(gzip.compress(json.dumps({"Records": good})
                                                         .encode())[:4000])
    bad = {f"broken-{n:02}.json": "{not json" for n in range(12)}
    bad["empty.json"] = ""
    bad["other-tool.json"] = json.dumps({"findings": [1, 2]})
    for name, text in bad.items():
        (tmp_path / name).write_text(text)
    app = offline_app(Options(sources=[str(tmp_path)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.archive is not None
                       and app.archive.report is not None, "the load")
        report = app.archive.report
        assert len(report.skipped) >= 14 and [p.kept > 0 for p in report.partial] == [True]
        left_out = len(report.skipped) + len(report.partial)
        await wait_for(pilot, lambda: f"{left_out} files not read whole (:load)"
                       in screen_text(app), "the status line")
        await pilot.press("colon", *"load", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LoadView), "the load page")
        await wait_for(pilot, lambda: f"Skipped: {len(report.skipped)} files" in screen_text(app),
                       "the page")
        text = screen_text(app)
        assert "Read in part: 1 file" not in text  # below the first screen
        assert "broken-00.json" in text
        scroll = app.screen.query_one(TextScroll)
        await pilot.press("G")
        # G scrolls after the next refresh, and may glide there: wait for the end drawn.
        await wait_for(pilot, lambda: scroll.scroll_y > 0
                       and "Read in part: 1 file" in screen_text(app), "G scrolls to the end")
        text = screen_text(app)
        assert "Read in part: 1 file" in text and "cut.json.gz" in text
        assert "kept)" in text  # the events kept from the cut file
        await pilot.press("g")
        await wait_for(pilot, lambda: scroll.scroll_y == 0, "g back to the top")


async def test_files_that_are_not_logs_leave_the_events_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shared folder: its logs, a README and a LICENSE. Every event is read, so the
    status line says nothing is missing, the export's coverage is COMPLETE, and `:load`
    lists the two apart, as not logs, in the status line's words."""
    from awsir_tui.events.coverage import sidecar_path
    from awsir_tui.ui.load_view import LoadView

    monkeypatch.setenv("AWSIR_TUI_EXPORT_DIR", str(tmp_path))
    app = offline_app(Options(sources=[str(STRATUS.parent)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and "loaded 310 events" in screen_text(app), "archive loaded")
        assert "not read whole" not in screen_text(app)
        await pilot.press("x")
        await wait_for(pilot, lambda: "exported" in screen_text(app), "export shown")
        await pilot.press("colon", *"load", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LoadView)
                       and "Not logs, ignored: 2 files" in screen_text(app), "the load page")
        text = screen_text(app)
        assert "2 not logs, ignored" in " ".join(text.split())  # the summary, wrapped
        assert "Every log file was read whole." in text and "Skipped" not in text
        assert "README.md" in text and "stratus-red-team/LICENSE" in text
    (written,) = tmp_path.glob("events-*.jsonl")
    assert len(written.read_text().splitlines()) == 310
    coverage = sidecar_path(written).read_text()
    assert coverage.startswith("coverage: COMPLETE\n")
    assert coverage.count("file ignored, not a log: ") == 2
