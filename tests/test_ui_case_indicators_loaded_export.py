"""`x` in :indicators with an archive loaded carries the loaded events naming each
indicator (#5): the pane showed an access key's loaded count and first/last time, the
exports gave the case's span alone, and a responder handed over first/last seen and
counts that disagreed with the screen. The counts and times are checked against the
raw records of the Stratus archive, read with plain json."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import duckdb
import pytest

from awsir_tui.case.export import EXPORTS, export_name
from awsir_tui.case.store import export_folder
from awsir_tui.cli import Options
from awsir_tui.events.store import EventStore
from awsir_tui.ui.case_views import IndicatorsView
from awsir_tui.ui.stack_view import StackView
from tests.helpers_app import open_view, said_after, screen_text, wait_for
from tests.helpers_events import all_records
from tests.helpers_ui_events import archive_loaded, offline_app, stack_over_an_archive
from tests.test_ui_case_export import exported_files
from tests.test_ui_case_indicators_loaded import key_marked_twice


def utc(time: str) -> str:
    """A record's ``eventTime`` as the exports write a time: ``2024-11-26 02:13:05Z``."""
    return time.replace("T", " ")


async def test_the_exports_carry_each_indicators_loaded_events_and_name_the_archive(
    tmp_path: Path,
) -> None:
    """One event of the busiest key marked (the case dates the key by it alone), the key
    marked from :stack: every file x writes gives the case's span and, apart, how many
    loaded events name each indicator and their first and last time, as the pane does,
    and which archive they were counted in."""
    async with key_marked_twice(tmp_path) as (pilot, app, marks):
        key, times, marked = marks.key, marks.times, marks.marked
        at = marked.event_time.strftime("%Y-%m-%d %H:%M:%SZ")
        session = app.case
        assert session is not None
        view = await open_view(pilot, app, "indicators")
        assert isinstance(view, IndicatorsView)
        await pilot.press("g")  # the access key sorts before the event's ID
        shown = f"loaded    {len(times)} events, {utc(times[0])[:-1]} \u2013"
        await wait_for(pilot, lambda: shown in screen_text(app), shown)
        files = await exported_files(pilot, session)

    where = f"archive {tmp_path}"
    said = f"{where} (COMPLETE)"  # and what an export of the loaded events would say
    key_loaded = (str(len(times)), utc(times[0]), utc(times[-1]))
    event_loaded = ("1", at, at)  # its pivot, id:=, finds that one event

    txt = files["txt"].splitlines()
    assert f"# loaded events naming the indicators counted in: {said}" in txt, txt
    assert f"access-key  {key}  {at}  {at}  " in files["txt"]
    key_line = next(line for line in txt if line.startswith(f"access-key  {key}  "))
    assert key_line.endswith("  " + "  ".join(key_loaded)), key_line
    event_line = next(line for line in txt if line.startswith(f"event-id  {marked.event_id}"))
    assert event_line.endswith("  " + "  ".join(event_loaded)), event_line

    rows = {r["value"]: r for r in csv.DictReader(io.StringIO(files["csv"]))
            if r["record"] == "indicator"}
    for value, loaded in ((key, key_loaded), (marked.event_id, event_loaded)):
        row = rows[value]
        assert (row["time"], row["last_time"]) == (at, at)  # the case's span, as before
        assert (row["loaded_events"], row["loaded_first"], row["loaded_last"],
                row["loaded_from"]) == (*loaded, said), row

    data = json.loads(files["json"])
    assert (data["loaded_from"], data["loaded_so_far"], data["loaded_coverage"]) == (
        where, False, "COMPLETE")
    indicators = {i["value"]: i for i in data["indicators"]}
    first, last = (t.replace("Z", "+00:00") for t in (times[0], times[-1]))
    assert (indicators[key]["loaded_events"], indicators[key]["loaded_first"],
            indicators[key]["loaded_last"]) == (len(times), first, last)
    assert indicators[marked.event_id]["loaded_events"] == 1

    report = files["md"]
    escaped = said.replace("_", "\\_")  # as Markdown reads it
    assert f"- Loaded events naming the indicators counted in: {escaped}\n" in report
    assert f"| {' | '.join(key_loaded)} |" in report


async def test_counts_from_an_archive_read_in_part_say_so(tmp_path: Path) -> None:
    """A key's count from an archive with a log cut short is no "never seen there": the
    exports say the loaded events' verdict beside where they were counted."""
    folder = tmp_path / "logs"
    folder.mkdir()
    records = all_records()
    (folder / "logs.json").write_text(json.dumps({"Records": records[:200]}))
    whole = gzip.compress(json.dumps({"Records": records[200:]}).encode())
    (folder / "cut.json.gz").write_bytes(whole[: len(whole) // 2])
    app = offline_app(Options(sources=[str(folder)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await archive_loaded(pilot, app)
        stack = await open_view(pilot, app, "stack")
        assert isinstance(stack, StackView)
        await pilot.press("f", "f")
        await wait_for(pilot, lambda: stack.shown.fields == ("access_key_id",)
                       and bool(stack.rows), "the keys")
        await said_after(pilot, app, "m")
        await open_view(pilot, app, "indicators")
        assert app.case is not None
        files = await exported_files(pilot, app.case)
    data = json.loads(files["json"])
    assert data["loaded_coverage"].startswith("PARTIAL: "), data["loaded_coverage"]
    assert f"({data['loaded_coverage']})" in files["txt"]


async def test_a_store_failing_the_count_costs_the_counts_not_the_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The store failing as x counts (a disk gone, memory out during a load): the case
    is exported all the same, without the loaded counts, and the notice says why. The
    whole export failed, though the case's files never needed the store."""
    async with stack_over_an_archive(tmp_path) as (pilot, app, stack):
        await pilot.press("f", "f")
        await wait_for(pilot, lambda: stack.shown.fields == ("access_key_id",)
                       and bool(stack.rows), "the keys")
        await said_after(pilot, app, "m")
        await open_view(pilot, app, "indicators")
        session = app.case
        assert session is not None
        # x takes the pane's counts still current (the key's, once done): an address
        # marked since is x's to count.
        session.mark(all_records()[0]["sourceIPAddress"], source="test", kind="ip")

        def failing(*_args: object, **_kwargs: object) -> None:
            raise duckdb.IOException("the disk went away")

        monkeypatch.setattr(EventStore, "dated_extent", failing)
        await pilot.press("x")
        folder, name = export_folder(session.path), session.path.stem
        await wait_for(pilot, lambda: any("not counted: the disk went away" in str(n.message)
                                          for n in app._notifications), "the notice")
        assert all((folder / export_name(name, f)).exists() for f in EXPORTS)
        data = json.loads((folder / export_name(name, "json")).read_text())
        assert "loaded_from" not in data and data["indicators"]
