"""A store file keeps which files its loads read whole, so that the same ``--source``
loaded into it again reads only the rest (#5, a second look is instant).

A responder quits (or loses the SSH session during the load) and starts again with the
same command: every file was read again. The real Stratus records, on disk and in the
demo account's trail bucket over S3.
"""

from __future__ import annotations

import gzip
import shutil
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

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


def test_a_file_changed_since_is_read_again(tmp_path: Path) -> None:
    """The same name and size is not enough: a log rewritten in place (its modification
    time) is read again, and a copy that differs is said, as when first read twice."""
    folder = logs_copy(tmp_path)
    kept = tmp_path / "case.duckdb"
    first, _ = load_into(kept, folder)
    victim = next(folder.rglob("*.json"))
    document = orjson.loads(victim.read_bytes())
    records = document["Records"] if isinstance(document, dict) else document
    records[0]["sourceIPAddress"] = "6.6.6.6"  # the same length as an address? no matter
    victim.write_bytes(orjson.dumps(document))
    again, _ = load_into(kept, folder)
    assert (again.files_read, again.read_before) == (1, first.files_read - 1)
    assert again.differing == 1 and again.added == 0


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
