"""A store file keeps which files its loads read whole, so that the same ``--source``
loaded into it again reads only the rest (#5, a second look is instant).

A responder quits (or loses the SSH session during the load) and starts again with the
same command: every file was read again. The real Stratus records, on disk and in the
demo account's trail bucket over S3.
"""

from __future__ import annotations

import gzip
import os
import shutil
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest

from awsir_tui.demo.server import DemoServer
from awsir_tui.events.load_history import stored_loads, unsettled
from awsir_tui.events.loader import HELD_BEFORE, LoadProgress, LoadReport, load
from awsir_tui.events.store import EventStore
from tests.helpers_app import demo_context
from tests.helpers_events import all_records, envelope_gz

STRATUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "cloudtrail"


def logs_copy(tmp_path: Path) -> Path:
    """The real records' folder, copied where the test may change it."""
    folder = tmp_path / "logs"
    shutil.copytree(STRATUS, folder)
    return folder


def load_into(path: Path, folder: Path, **window: datetime) -> tuple[LoadReport, int]:
    """``folder`` loaded into the store file ``path`` opened anew (a new session): the
    report, and how many events the store then holds."""
    with EventStore(str(path)) as store:
        report = load([str(folder)], store, **window)
        return report, store.count()


def test_loaded_again_into_its_store_only_a_new_file_is_read(tmp_path: Path) -> None:
    folder = logs_copy(tmp_path)
    kept = tmp_path / "case.duckdb"
    first, held = load_into(kept, folder)
    assert first.files_read > 30 and not first.read_before and held == first.added
    again, count = load_into(kept, folder)
    assert (again.files_read, again.events, again.read_before) == (0, 0, first.files_read)
    assert count == held
    assert again.summary().startswith(f"nothing new: {first.files_read} files {HELD_BEFORE}")
    # A log delivered since: read alone, its events added.
    records = [{**r, "eventID": f"new-{r['eventID']}"} for r in all_records()[:7]]
    (folder / "delivered-since.json.gz").write_bytes(envelope_gz(records))
    third, count = load_into(kept, folder)
    assert (third.files_read, third.added, third.read_before) == (1, 7, first.files_read)
    assert f"from 1 file ({first.files_read} more {HELD_BEFORE})," in third.summary()
    assert count == held + 7
    # Every load came to every file: the store's coverage is whole.
    with EventStore(str(kept)) as store:
        assert not unsettled(stored_loads(store))


def altered_in_place(path: Path, keep_mtime: bool) -> None:
    """One address in the log at ``path`` (a JSON array of records, as the Stratus
    captures are) changed for another of the same length, the
    file's size unchanged; its modification time put back when ``keep_mtime`` (as
    ``touch -r``, ``cp -p`` or ``rsync -a`` of another copy over it leave it)."""
    status = path.stat()
    data = path.read_bytes()
    address = next(r["sourceIPAddress"] for r in orjson.loads(data)
                   if r.get("sourceIPAddress", "")[:1].isdigit())
    altered = data.replace(address.encode(), b"9" * len(address), 1)
    assert altered != data and len(altered) == len(data)
    path.write_bytes(altered)
    if keep_mtime:
        os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert path.stat().st_size == status.st_size


@pytest.mark.parametrize("keep_mtime", [False, True])
def test_a_log_altered_in_place_is_read_again_and_its_copy_said(
    tmp_path: Path, keep_mtime: bool
) -> None:
    """The same name and size is not enough, nor the same modification time: a log
    altered in place is read again, and its event's copy that differs is said, as when
    a load first read two copies."""
    folder = logs_copy(tmp_path)
    kept = tmp_path / "case.duckdb"
    first, _ = load_into(kept, folder)
    altered_in_place(next(folder.rglob("*.json")), keep_mtime)
    again, _ = load_into(kept, folder)
    assert (again.files_read, again.read_before) == (1, first.files_read - 1)
    assert again.differing == 1 and again.added == 0


def test_names_that_are_not_utf8_are_each_their_own(tmp_path: Path) -> None:
    """Two log names that differ only in a byte that is not UTF-8 are two files, even
    of the same size and time: the second, added later, is read (one key for both, the
    byte made U+FFFD, said it was held)."""
    folder = tmp_path / "logs"
    folder.mkdir()
    records = all_records()[:5]
    other = [{**r, "eventID": r["eventID"][:-1] + ("0" if r["eventID"][-1] != "0" else "1")}
             for r in records]
    first = folder / os.fsdecode(b"trail-\xff.json")
    first.write_bytes(orjson.dumps({"Records": records}))
    kept = tmp_path / "case.duckdb"
    load_into(kept, folder)
    second = folder / os.fsdecode(b"trail-\xfe.json")
    second.write_bytes(orjson.dumps({"Records": other}))
    status = first.stat()
    os.utime(second, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert second.stat().st_size == status.st_size
    again, count = load_into(kept, folder)
    assert (again.files_read, again.read_before, again.added) == (1, 1, 5)
    assert count == 10


def test_the_same_folder_through_a_link_is_held_and_an_older_store_reads_all(
    tmp_path: Path,
) -> None:
    """A link to the folder loaded names the same files; a store file made before
    stores kept the files read (no such table) reads every file, once."""
    folder = logs_copy(tmp_path)
    link = tmp_path / "evidence"
    link.symlink_to(folder)
    kept = tmp_path / "case.duckdb"
    first, _ = load_into(kept, folder)
    through_link, _ = load_into(kept, link)
    assert (through_link.files_read, through_link.read_before) == (0, first.files_read)
    with EventStore(str(kept)) as store:
        store.cursor().execute("DROP TABLE files_read")
    older, _ = load_into(kept, folder)
    assert (older.files_read, older.read_before, older.added) == (first.files_read, 0, 0)
    again, _ = load_into(kept, folder)
    assert (again.files_read, again.read_before) == (0, first.files_read)


def test_a_load_of_a_wider_range_reads_again_a_narrower_one_does_not(tmp_path: Path) -> None:
    """The store holds only the events of the range its load kept: a later load that
    asks for more must read the files again, one that asks for less need not."""
    folder = logs_copy(tmp_path)
    kept = tmp_path / "case.duckdb"
    since = datetime(2020, 1, 1, tzinfo=UTC)
    first, held = load_into(kept, folder, after=since)
    narrower, count = load_into(kept, folder, after=since + timedelta(days=1))
    assert (narrower.files_read, narrower.read_before) == (0, first.files_read)
    assert count == held
    wider, _ = load_into(kept, folder)
    assert (wider.files_read, wider.read_before) == (first.files_read, 0)


def test_a_damaged_file_is_read_again_and_listed_again(tmp_path: Path) -> None:
    """A log cut short is not held as read whole: every load reads what it can of it
    and lists it, so that the coverage never calls the store's events whole."""
    folder = tmp_path / "logs"
    folder.mkdir()
    records = all_records()
    (folder / "good.json.gz").write_bytes(envelope_gz(records[:50]))
    whole = gzip.compress(orjson.dumps({"Records": records[50:]}))
    (folder / "cut.json.gz").write_bytes(whole[: len(whole) // 2])
    kept = tmp_path / "case.duckdb"
    first, _ = load_into(kept, folder)
    assert [p.source for p in first.partial] == [str(folder / "cut.json.gz")]
    again, _ = load_into(kept, folder)
    assert (again.files_read, again.read_before) == (1, 1)
    assert [p.source for p in again.partial] == [str(folder / "cut.json.gz")]
    with EventStore(str(kept)) as store:
        assert unsettled(stored_loads(store))


def test_a_load_cancelled_is_finished_by_the_next_session(tmp_path: Path) -> None:
    """Cancelled after its first file (as a session that ended during the load): the
    next load into the store reads the files not reached, not the one stored, and once
    it ends the store's events are every event of the folder."""
    folder = logs_copy(tmp_path)
    kept = tmp_path / "case.duckdb"
    cancel = threading.Event()

    def stop_after_a_file(progress: LoadProgress) -> None:
        if progress.events:
            cancel.set()

    with EventStore(str(kept)) as store:
        cut_short = load([str(folder)], store, cancel=cancel, on_progress=stop_after_a_file)
    assert cut_short.cancelled and cut_short.files_read and cut_short.not_reached
    finished, count = load_into(kept, folder)
    assert finished.read_before == cut_short.files_read
    assert finished.files_read + len(finished.ignored) == cut_short.not_reached + len(
        cut_short.ignored)  # (files not logs are looked at again)
    assert count == len({r["eventID"] for r in all_records()})
    with EventStore(str(kept)) as store:
        assert not unsettled(stored_loads(store))


def test_the_demo_trail_bucket_is_not_fetched_again(demo: DemoServer, tmp_path: Path) -> None:
    """Over S3 the store knows an object by its ETag: loaded again, no object is
    fetched (the second cache stays empty), none read."""
    bucket = f"s3://{demo.facts.trail_bucket}"
    s3 = demo_context(demo).client("s3")
    kept = str(tmp_path / "case.duckdb")
    with EventStore(kept) as store:
        first = load([bucket], store, s3_client=s3, cache_dir=tmp_path / "cache-1")
        held = store.count()
    assert first.files_read and not first.skipped, first.summary()
    with EventStore(kept) as store:
        again = load([bucket], store, s3_client=s3, cache_dir=tmp_path / "cache-2")
        assert store.count() == held
    assert (again.files_read, again.read_before) == (0, first.files_read)
    assert not any((tmp_path / "cache-2").rglob("*.gz"))
