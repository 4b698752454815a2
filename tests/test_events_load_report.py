"""The report a load keeps in its store file is the one it gave as it ended (#5)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from awsir_tui.events.coverage import sidecar_path
from awsir_tui.events.load_history import stored_loads
from awsir_tui.events.loader import LoadProgress, load
from awsir_tui.events.store import EventStore
from tests.helpers_events import all_records
from tests.helpers_headless import run_cli as run

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "cloudtrail"


def test_the_kept_report_has_the_time_the_load_said_last(tmp_path: Path) -> None:
    """One load, one time: the last progress, the report returned and the report kept
    in the store file said 0.14 s on screen and 0.12 s kept (17.9 s and 16.1 s at 1M)."""
    seen: list[LoadProgress] = []
    path = tmp_path / "case.duckdb"
    with EventStore(path) as store:
        report = load([DATA], store, on_progress=seen.append)
    with EventStore(path) as reopened:
        [kept] = stored_loads(reopened)
    assert seen[-1].elapsed == report.elapsed == kept.report.elapsed > 0
    assert kept.report.summary() == report.summary()


def test_a_source_is_kept_by_the_path_typed_not_where_its_link_points(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``bench/out/1000000`` typed, a link to ``/tmp/nat/arch1m``: the report and the
    coverage named the link's target, which the responder never typed (and which may
    point elsewhere tomorrow). Relative, it is made absolute from where it was typed."""
    real = tmp_path / "arch1m"
    real.mkdir()
    (real / "trail.json").write_text(json.dumps({"Records": all_records()[:5]}))
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "1000000").symlink_to(real)
    monkeypatch.chdir(tmp_path)
    store, out = tmp_path / "case.duckdb", tmp_path / "events.jsonl"
    code, _, err = run("--source", "out/1000000", "--store", str(store), "events",
                    "--output", str(out))
    assert code == 0, err
    typed = str(tmp_path / "out" / "1000000")
    assert f"source: archive: {typed}\n" in sidecar_path(out).read_text()
    with EventStore(store) as reopened:
        [kept] = stored_loads(reopened)
    assert kept.sources == (typed,)
    code, _, err = run("--store", str(store), "events", "--output", str(tmp_path / "again.jsonl"))
    assert code == 0 and f"kept from {typed} (loaded 20" in err, err


def test_a_load_through_a_link_settles_one_kept_where_the_link_pointed(tmp_path: Path) -> None:
    """Stores written before loads kept the path typed hold where a link pointed: a
    later full load of the same folder, typed through the link, settles their gaps
    (a review: compared as written, such a store read PARTIAL for good)."""
    from awsir_tui.events.load_history import StoredLoad, unsettled
    from awsir_tui.events.loader import LoadReport

    target = tmp_path / "arch1m"
    target.mkdir()
    typed = tmp_path / "1000000"
    typed.symlink_to(target)
    when = datetime(2026, 11, 30, tzinfo=UTC)
    cancelled = StoredLoad(when, (str(target),), LoadReport(cancelled=True, not_reached=3))
    whole = StoredLoad(when, (str(typed),), LoadReport(files_read=4))
    assert not cancelled.read_everything() and whole.reached_everything()
    assert unsettled([cancelled, whole]) == []
    elsewhere = StoredLoad(when, (str(tmp_path / "other"),), LoadReport(files_read=4))
    assert unsettled([cancelled, elsewhere]) == [cancelled]
