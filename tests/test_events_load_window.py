"""A load bounded by a time range keeps no event outside it (#5): the S3 layout's days
outside the range are not read, by their files' stamps or, without one, their day
folder; the files read within the hour's delivery margin hold events outside the range,
which are counted, not kept. Against the Stratus records repackaged in a trail's layout
on disk (the app's --after in test_ui_load_window.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from awsir_tui.events.loader import load
from awsir_tui.events.store import EventStore
from tests.helpers_events import copied_again, trail_copy

#: The first day of the range asked.
DAY = datetime(2024, 11, 25, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def incident_days(root: Path) -> list[Path]:
    """Two days before ``DAY`` (pruned), the file delivered at ``DAY`` 00:10 (within the
    margin: one event of the day before, two of ``DAY``), ``DAY`` and the day after; and a
    file of two days before renamed by someone (no stamp: pruned by its day folder)."""
    hours = timedelta(hours=1)
    files = trail_copy(root, [
        (DAY - 36 * hours, [DAY - 36 * hours - 5 * MINUTE, DAY - 36 * hours - 4 * MINUTE]),
        (DAY - 12 * hours, [DAY - 12 * hours - 5 * MINUTE]),
        (DAY + 10 * MINUTE, [DAY - 2 * MINUTE, DAY + 2 * MINUTE, DAY + 5 * MINUTE]),
        (DAY + 12 * hours, [DAY + 12 * hours - 5 * MINUTE, DAY + 12 * hours - 4 * MINUTE]),
        (DAY + 33 * hours, [DAY + 33 * hours - 5 * MINUTE]),
        (DAY - 48 * hours, [DAY - 48 * hours + MINUTE]),
    ])
    files[-1].rename(files[-1].with_name("renamed.json"))
    return files


def test_a_load_from_a_day_keeps_only_the_events_from_that_day(tmp_path: Path) -> None:
    incident_days(tmp_path)
    with EventStore() as store:
        report = load([str(tmp_path)], store, after=DAY)
        times = [event.event_time for event in store.events()]
    assert (report.pruned, report.files_read, report.outside) == (3, 3, 1)
    assert report.events == report.added == len(times) == 5 and min(times) >= DAY
    assert "; 1 outside the time range, not kept" in report.summary()
    assert (report.after, report.before) == ("2024-11-25T00:00:00Z", "")


def test_the_events_of_an_earlier_load_stay(tmp_path: Path) -> None:
    """Only the load's own events outside its range go: a store reopened with the
    events of a wider load keeps them (the files copied in again, so read again)."""
    incident_days(tmp_path)
    with EventStore() as store:
        whole = load([str(tmp_path)], store)
        copied_again(tmp_path)
        again = load([str(tmp_path)], store, after=DAY)
        assert store.count() == whole.events == 10
    assert again.outside == 1 and again.added == 0


def test_an_exports_coverage_says_the_range_the_load_kept(tmp_path: Path) -> None:
    """The app's filter may say no time though its load kept one day: its export is
    not every event of the archive, and says why; the filter of ``events --after``
    holds the range it loaded, and its export stays COMPLETE. Both files say the range."""
    from awsir_tui.events.coverage import archive_coverage

    incident_days(tmp_path / "logs")
    with EventStore() as store:
        report = load([str(tmp_path / "logs")], store, after=DAY)
    sources, plan = [str(tmp_path / "logs")], "filter, run on the store"
    app = archive_coverage(sources, "", plan, report=report)
    assert app.verdict() == ("PARTIAL: the load kept only the events from "
                             "2024-11-25T00:00:00Z, and the filter reaches beyond them")
    headless = archive_coverage(sources, "after:2024-11-25", plan, report=report)
    assert headless.verdict() == "COMPLETE"
    for coverage in (app, headless):
        text = coverage.text(tmp_path / "x.jsonl", report.events)
        assert "\ntime range loaded: from 2024-11-25T00:00:00Z (no other event kept)\n" in text
