"""The report a load keeps in its store file is the one it gave as it ended (#5)."""

from __future__ import annotations

from pathlib import Path

from awsir_tui.events.load_history import stored_loads
from awsir_tui.events.loader import LoadProgress, load
from awsir_tui.events.store import EventStore

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
