"""The loader: progress while it runs, cancellation that keeps what was loaded."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from awsir_tui.events.loader import FINISHING, LoadProgress, LoadReport, load
from awsir_tui.events.store import EventStore
from tests.helpers_events import (
    EndlessSecondInsert,
    envelope_gz,
    stopped_in_second_insert,
    stratus_files,
)


@pytest.fixture()
def archive(tmp_path: Path) -> Path:
    for name, records in stratus_files().items():
        (tmp_path / f"{name}.json.gz").write_bytes(envelope_gz(records))
    return tmp_path


def test_progress_reports_files_events_bytes_and_rows_are_visible(archive: Path) -> None:
    seen: list[tuple[LoadProgress, int]] = []
    with EventStore() as store:
        report = load(
            [archive, archive / "missing"], store,
            on_progress=lambda p: seen.append((p, store.count())),
        )
    assert [p.reason for p in report.skipped] == ["no such file or folder"]
    first_batch = next(p for p, _ in seen if p.files_done)
    assert first_batch.files_done == 1  # the first file is stored on its own: rows show fast
    done = [p.files_done for p, _ in seen]
    assert done == sorted(done) and done[-1] == seen[-1][0].files_total == 35
    final = seen[-1][0]
    assert final.events == report.events == 310 and final.fraction == 1.0
    assert final.bytes_done == final.bytes_total == sum(p.stat().st_size for p in archive.iterdir())
    assert final.eta_seconds == 0.0
    # While loading, the rows already stored were queryable and matched the progress.
    assert [n for p, n in seen if p.files_done] == [p.events for p, _ in seen if p.files_done]
    assert "310 events (310 new) from 35 files" in report.summary()


def test_cancel_keeps_what_was_loaded(archive: Path) -> None:
    cancel = threading.Event()

    def stop_after_first_batch(progress: LoadProgress) -> None:
        if progress.files_done:
            cancel.set()

    with EventStore() as store:
        report = load([archive], store, on_progress=stop_after_first_batch, cancel=cancel)
        assert report.cancelled and "cancelled" in report.summary()
        assert 0 < store.count() == report.added < 310
        assert report.files_read < 35
        # What it had found and not reached is said, not only "cancelled".
        found = report.files_read + len(report.skipped) + len(report.ignored)
        assert report.not_reached == len(stratus_files()) - found > 0
        assert report.summary().endswith(f"; {report.not_reached} files not reached")


def test_cancel_stops_cutting_the_batch_ahead(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files of the batch being cut ahead are cut no further once the load is
    cancelled: at 1M events a batch takes about a second to cut, which q would wait."""
    from awsir_tui.events import loader

    cancel, first_stored = threading.Event(), threading.Event()
    cuts: list[str] = []
    cut = loader.record_lines

    def cancelled_on_the_third(path: Path) -> bytes | None:
        cuts.append(path.name)
        if len(cuts) == 3:  # the second of the second batch (of 4 files)
            first_stored.wait(30)  # (else the first batch could be dropped too)
            cancel.set()
        return cut(path)

    def stored(progress: LoadProgress) -> None:
        if progress.files_done:
            first_stored.set()

    monkeypatch.setattr(loader, "record_lines", cancelled_on_the_third)
    with EventStore() as store:
        report = load([archive], store, cancel=cancel, on_progress=stored)
        assert report.cancelled and 0 < store.count() == report.added < 310
    assert len(cuts) == 3


def test_a_local_copy_of_a_trail_bucket_is_pruned_by_time(tmp_path: Path) -> None:
    """``aws s3 sync`` keeps CloudTrail's names: a time-bounded load reads only the
    files delivered within the bounds plus the margin; a file named otherwise is read."""
    from datetime import UTC, datetime, timedelta

    from tests.helpers_events import s3_key

    start = datetime(2024, 8, 1, tzinfo=UTC)
    techniques = list(stratus_files().values())
    for hour in range(6):
        key = s3_key("111122223333", "us-east-1", start + timedelta(hours=hour), str(hour))
        path = tmp_path / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(envelope_gz(techniques[hour]))
    (tmp_path / "handed-over.json.gz").write_bytes(envelope_gz(techniques[10]))
    # A stamp that is no date (anyone who can write a file names it) is read, and costs
    # nothing else: it raised, and the whole folder was skipped.
    (tmp_path / "111122223333_CloudTrail_us-east-1_20241301T0000Z_x.json.gz").write_bytes(
        envelope_gz(techniques[11]))
    with EventStore() as store:
        report = load(
            [tmp_path], store,
            after=start + timedelta(hours=2, minutes=30), before=start + timedelta(hours=3),
        )
    # Delivered at 02:00 (within 1 h of 02:30), 03:00 and 04:00 (within 1 h of 03:00).
    assert report.files_read == 3 + 2 and report.pruned == 3
    # Read whole; of their events, those outside the range asked are not kept (#5).
    read = sum(len(techniques[i]) for i in (2, 3, 4, 10, 11))
    assert report.events + report.outside == read
    # Said as what it is: a file is judged by the delivery time its name gives.
    assert ("3 not read, delivered (by their names or day folders) outside the time range"
            in report.summary())


def test_a_reader_failure_costs_one_file(archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever goes wrong inside a reader (here an injected bug on one file) is listed
    for that file; the load goes on."""
    from awsir_tui.events import loader

    real = loader.read_file
    broken = sorted(archive.iterdir())[3]

    def read_file(path: Path, source: str | None = None) -> loader.FileResult:
        if path == broken:
            raise RuntimeError("reader bug")
        return real(path, source)

    monkeypatch.setattr(loader, "read_file", read_file)
    with EventStore() as store:
        report = load([archive], store, fast=False)
        assert [(p.source, p.reason) for p in report.skipped] == [
            (str(broken), "could not be read (RuntimeError: reader bug)")
        ]
        assert report.files_read == 34 and store.count() == report.added == report.events > 0


def test_a_stopped_store_ends_the_load_at_once(archive: Path) -> None:
    """EventStore.stop() (the app quitting) interrupts the INSERT in flight: the load
    ends there, cancelled, without retrying its files one by one or tidying up."""
    with EndlessSecondInsert() as store:
        reports: list[LoadReport] = []
        loading = threading.Thread(target=lambda: reports.append(load([archive], store)))
        stopped_in_second_insert(store, loading)
        (report,) = reports
        assert report.cancelled and store.stopped and store.inserts == 2
        first = sorted(archive.iterdir())[0]  # the first batch: one file, stored
        assert store.count() == report.events == len(stratus_files()[first.name[:-8]])


def test_cancel_interrupts_the_batch_being_stored(archive: Path) -> None:
    """C during a batch's INSERT ends it there (it took up to ~4 s at 1M events): the
    batch is rolled back and none of its files counted, they are "not reached"; and as
    the store is not stopping, the load still tidies up and says what it kept."""
    cancel = threading.Event()
    stages: list[str] = []
    with EndlessSecondInsert() as store:
        reports: list[LoadReport] = []
        loading = threading.Thread(target=lambda: reports.append(load(
            [archive], store, cancel=cancel, on_progress=lambda p: stages.append(p.stage),
        )))
        loading.start()
        while store.inserts < 2 and loading.is_alive():
            time.sleep(0.01)
        cancel.set()  # inside the second INSERT, which never ends unless interrupted
        loading.join(60)
        assert not loading.is_alive()
        (report,) = reports
        assert report.cancelled and not store.stopped
        first = sorted(archive.iterdir())[0]  # the first batch: one file, stored
        assert store.count() == report.events == len(stratus_files()[first.name[:-8]])
        assert report.files_read == 1 and report.not_reached == len(stratus_files()) - 1
        assert stages[-2:] == [FINISHING, ""]  # said while the store is tidied


def test_summary_of_a_small_load_reads_right() -> None:
    """One event from one file, loaded in 40 ms: no "1 events", no "0.0s (25/s)"."""
    report = LoadReport(files_read=1, events=1, added=1, bytes=2_000, elapsed=0.04)
    assert report.summary() == "loaded 1 event (1 new) from 1 file, 0.0 MB in 0.04s (25/s)"


def test_time_left_is_guessed_once_a_twentieth_of_the_load_is_done() -> None:
    """The first files' rate carries the listing and the first connections (the demo's
    trail bucket said "525s left" for a load of 33 s): no guess before 5%."""
    from awsir_tui.events.loader import LoadProgress

    def progress(done: int, elapsed: float) -> LoadProgress:
        return LoadProgress(files_done=done, files_total=2370, events=done, bytes_done=done,
                            bytes_total=2370, elapsed=elapsed)

    assert progress(30, 6.6).eta_seconds is None
    assert progress(1185, 16.5).eta_seconds == pytest.approx(16.5)
