"""The event store: de-duplication, paging, stacking, timeline, threads, a file store."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from awsir_tui.events.files import events_of
from awsir_tui.events.loader import load
from awsir_tui.events.record import Event
from awsir_tui.events.store import EventStore, SearchInterrupted, StoreError, StoreStopped
from awsir_tui.query import EVENT_FIELDS, compile_sql, parse
from tests.helpers_events import (
    ENDLESS_SQL,
    all_records,
    copied_again,
    envelope_gz,
    running_forever,
    stratus_files,
)


@pytest.fixture(scope="module")
def events() -> list[Event]:
    return list(events_of(all_records()))


@pytest.fixture()
def store(events: list[Event]) -> EventStore:
    store = EventStore()
    assert store.add_events(events) == 310
    return store


def test_events_round_trip_unchanged(store: EventStore, events: list[Event]) -> None:
    stored = {e.event_id: e for e in store.events()}
    assert stored == {e.event_id: e for e in events}
    assert store.get(events[5].event_id) == events[5]
    assert store.get("no-such-id") is None


def test_duplicates_show_once_across_files_and_paths(tmp_path: Path) -> None:
    records = all_records()
    (tmp_path / "a.json.gz").write_bytes(envelope_gz(records[:200]))
    (tmp_path / "b.json.gz").write_bytes(envelope_gz(records[150:] + records[150:160]))
    (tmp_path / "c.json").write_bytes(envelope_gz(records[:10]))  # gzip, odd name
    with EventStore() as store:
        report = load([tmp_path], store, fast=True)
        assert report.events == 200 + 170 + 10
        assert report.added == store.count() == 310
        copied_again(tmp_path)  # (a file the store holds as it is is not read again)
        again = load([tmp_path / "a.json.gz"], store, fast=False)
        assert again.events == 200 and again.added == 0
        assert store.count() == 310


def test_records_without_an_id_are_all_kept(store: EventStore, events: list[Event]) -> None:
    from dataclasses import replace

    nameless = [replace(events[0], event_id="", event_name=f"n{i}") for i in range(3)]
    assert store.add_events(nameless) == 3
    assert store.count("event_id = ''") == 3


def test_count_page_and_order(store: EventStore, events: list[Event]) -> None:
    denied = [e for e in events if e.error_code]
    assert store.count("error_code <> ''") == len(denied) > 0
    newest_first = sorted(events, key=lambda e: (-e.event_time.timestamp(), e.event_id))
    first = store.page(limit=10)
    second = store.page(limit=10, offset=10)
    assert [e.event_id for e in first + second] == [e.event_id for e in newest_first[:20]]
    by_name = store.page("TRUE", (), order="event_name ASC, event_time DESC", limit=3)
    assert [e.event_name for e in by_name] == sorted(e.event_name for e in events)[:3]
    with pytest.raises(StoreError):
        store.page(order="event_time; DROP TABLE events")
    in_resources = store.count("list_contains(resources, ?)", ["i-786a3A8B5C0d92eF4"])
    assert in_resources == sum("i-786a3A8B5C0d92eF4" in e.resources for e in events) > 0


def test_stack_counts_groups_biggest_first(store: EventStore, events: list[Event]) -> None:
    names = Counter(e.event_name for e in events)
    stacked = store.stack(["event_name"], limit=5)
    assert [n for _, n in stacked] == sorted(names.values(), reverse=True)[:5]
    assert all(names[name] == n for name, n in stacked)
    pairs = Counter((e.user_name, e.aws_region) for e in events if e.error_code)
    two = store.stack(["user_name", "aws_region"], "error_code <> ''", (), limit=1000)
    assert {(u, r): n for u, r, n in two} == dict(pairs)
    by_resource = dict(store.stack(["resources"], limit=10_000))
    assert by_resource["i-786a3A8B5C0d92eF4"] == sum(
        "i-786a3A8B5C0d92eF4" in e.resources for e in events
    )
    for bad in ([], ["raw"], ["a", "b", "c"], ["event_name; --"]):
        with pytest.raises(StoreError):
            store.stack(bad)


def test_timeline_buckets(store: EventStore, events: list[Event]) -> None:
    days = Counter(e.event_time.date() for e in events)
    timeline = store.timeline("1 day")
    assert [(b.date(), n) for b, n in timeline] == sorted(days.items())
    assert all(b.tzinfo is not None for b, _ in timeline)
    hours = store.timeline("1 hour", "event_name = ?", ["GetPasswordData"])
    assert sum(n for _, n in hours) == sum(e.event_name == "GetPasswordData" for e in events)
    assert store.extent()[1] == (
        min(e.event_time for e in events), max(e.event_time for e in events)
    )
    with pytest.raises(StoreError):
        store.timeline("1 fortnight")


def test_dated_leaves_out_only_the_events_without_a_time(events: list[Event]) -> None:
    """A record with no eventTime is stored at 1970-01-01: ``dated`` narrows a filter to
    the events whose time is known, the filter's own parameters still in their place."""
    record = next(r for r in all_records() if r["eventName"] == "GetPasswordData")
    undated = {k: v for k, v in record.items() if k != "eventTime"} | {"eventID": "undated-1"}
    with EventStore() as store:
        store.add_events([*events, *events_of([undated])])
        where, params = store.dated("event_name = ?", ["GetPasswordData"])
        dated = {e.event_id for e in store.events(where, params)}
        assert dated == {e.event_id for e in events if e.event_name == "GetPasswordData"}
        assert "undated-1" in {e.event_id for e in store.events("event_name = ?",
                                                                ["GetPasswordData"])}
        assert store.count(*store.dated("TRUE")) == len(events)
        assert store.extent(*store.dated("TRUE"))[1] == (
            min(e.event_time for e in events), max(e.event_time for e in events))


def test_reads_from_threads_while_a_load_writes(tmp_path: Path) -> None:
    """The UI counts and pages from workers while the loader thread inserts."""
    for name, records in stratus_files().items():
        (tmp_path / f"{name}.json.gz").write_bytes(envelope_gz(records))
    seen: dict[str, list[int]] = {}
    errors: list[BaseException] = []
    with EventStore() as store:
        done = threading.Event()

        def reader() -> None:
            counts = seen.setdefault(threading.current_thread().name, [])
            try:
                while not done.is_set():
                    counts.append(store.count())
                    store.page(limit=50)
            except BaseException as exc:  # surfaced by the assertion below
                errors.append(exc)

        threads = [threading.Thread(target=reader) for _ in range(2)]
        for thread in threads:
            thread.start()
        load([tmp_path], store)
        done.set()
        for thread in threads:
            thread.join()
        assert errors == []
        assert store.count() == 310
        for counts in seen.values():  # each reader saw counts only grow: no torn read
            assert counts == sorted(counts)


def test_a_load_reads_back_what_it_spilled(tmp_path: Path) -> None:
    """The load runs under a lower memory limit, and its final compaction briefly needs
    twice the table: blocks go to the spill folder and stay there until read. Left
    there, the first full-text search after a 1M load read them back (0.9 s against
    0.6 s). The load reads the raw records back itself when it ends."""
    records = all_records()
    for copy in range(100):
        renamed = [{**r, "eventID": f"{copy}-{r['eventID']}"} for r in records]
        (tmp_path / f"{copy}.json.gz").write_bytes(envelope_gz(renamed))
    with EventStore(memory_limit="100MB", load_memory_limit="24MB") as store:
        load([tmp_path], store)
        row = store.cursor().execute(
            "SELECT sum(memory_usage_bytes), sum(temporary_storage_bytes) FROM duckdb_memory()"
        ).fetchone()
    assert row is not None
    in_memory, spilled = row
    # Without the read back: 12 MB spilled of about 60 MB (DuckDB 2.0).
    assert in_memory > 40 << 20 and spilled < 4 << 20


def test_file_store_reopens_with_its_events(tmp_path: Path, events: list[Event]) -> None:
    path = tmp_path / "case.duckdb"
    with EventStore(path) as store:
        store.add_events(events)
    with EventStore(path) as reopened:
        assert reopened.count() == 310
        assert reopened.get(events[0].event_id) == events[0]


def test_streaming_allows_queries_meanwhile(store: EventStore) -> None:
    stream = store.events("event_time >= ?", [datetime(2000, 1, 1, tzinfo=UTC)], chunk=7)
    first = next(stream)
    assert store.count() == 310  # another query on the same thread mid-stream
    assert 1 + sum(1 for _ in stream) == 310
    assert first.event_time == min(e.event_time for e in store.events())


def test_stop_ends_a_stream_and_an_export_of_it_leaves_no_file(
    store: EventStore, tmp_path: Path
) -> None:
    """Quitting stops the store: a detection or an export streaming millions of events
    ends at the next chunk rather than reading on, and the export leaves no partial
    file that would pass for a whole one."""
    from awsir_tui.events.event_export import write_events

    read: list[Event] = []

    def stopped_after_ten() -> Iterator[Event]:
        for event in store.events(chunk=7):
            read.append(event)
            if len(read) == 10:
                store.stop()
            yield event

    with pytest.raises(StoreStopped):
        write_events(stopped_after_ten(), tmp_path / "events.jsonl", "jsonl")
    assert 10 <= len(read) <= 14  # the chunk in hand, then no more
    assert list(tmp_path.iterdir()) == []


def test_a_stream_ends_with_store_stopped_however_the_store_went(
    store: EventStore,
) -> None:
    """Closed between two chunks (a view left, its feed's store freed), or stopped
    before the stream began: the reader is told the store stopped, not DuckDB's
    "no open result set", and a stream begun after stop() does not run its query."""
    stream = store.events(chunk=7)
    next(stream)
    store.close()
    with pytest.raises(StoreStopped):
        list(stream)
    stopped = EventStore()
    stopped.stop()
    with pytest.raises(StoreStopped):
        next(stopped.events())
    stopped.close()


def test_stop_interrupts_the_statement_of_a_stream(store: EventStore) -> None:
    outcome: list[object] = []

    def stream() -> None:
        try:
            outcome.extend(store.events(f"({ENDLESS_SQL}) >= 0"))
        except Exception as exc:
            outcome.append(exc)

    thread = threading.Thread(target=stream, daemon=True)
    thread.start()
    time.sleep(0.3)  # inside the statement by now (it takes minutes)
    store.stop()
    thread.join(10)
    assert not thread.is_alive() and len(outcome) == 1
    assert isinstance(outcome[0], StoreStopped)


def test_deep_pages_follow_the_order_and_new_data(events: list[Event]) -> None:
    """Past the first rows, pages come from a cached sort; it must equal a plain sort
    and must not outlive a write."""
    from dataclasses import replace
    from datetime import timedelta

    many = [
        replace(e, event_id=f"{e.event_id}-{i}", event_time=e.event_time + timedelta(hours=i))
        for i in range(8)
        for e in events
    ]
    with EventStore() as store:
        store.add_events(many)
        newest = sorted(many, key=lambda e: (-e.event_time.timestamp(), e.event_id))
        pages = [store.page(limit=100, offset=o) for o in range(0, len(many), 100)]
        assert [e.event_id for p in pages for e in p] == [e.event_id for e in newest]
        calls = sorted(
            (e for e in many if e.event_name.startswith("Describe")),
            key=lambda e: (e.event_time, e.event_id),
        )
        assert len(calls) > 1100
        deep = store.page("starts_with(event_name, ?)", ["Describe"], "event_time ASC", 50, 1050)
        assert deep == calls[1050:1100]
        assert store.page(limit=10, offset=len(many)) == []
        latest = replace(events[0], event_id="latest", event_time=datetime(2030, 1, 1, tzinfo=UTC))
        store.add_events([latest])
        assert store.page(limit=1, offset=1500) == [newest[1499]]


def test_a_prepared_filter_answers_count_and_pages_from_one_sort(
    events: list[Event],
) -> None:
    """prepare() sorts once; count() and page() then give what plain SQL gives, at any
    offset, in any order asked, and a write makes them read the table again."""
    from dataclasses import replace

    with EventStore() as store:
        store.add_events(replace(e, event_id=f"{e.event_id}-{i}") for i in range(4) for e in events)
        where, params = "strpos(lower(raw), ?) > 0", ["describe"]
        described = store.count(where, params)
        assert 0 < described < store.count()
        plain = store.page(where, params, limit=described)  # top-N: no prepare
        assert store.prepare(where, params) == described
        assert store.count(where, params) == described
        assert [e for o in range(0, described, 7) for e in store.page(where, params,
                limit=7, offset=o)] == plain
        assert store.page(where, params, "event_time ASC", 3, 0) == sorted(
            plain, key=lambda e: (e.event_time, e.event_id))[:3]
        assert store.count("TRUE") == 4 * len(events)  # another filter: counted by SQL
        # Kept: every event's order and the two filters used last.
        store.prepare()
        store.prepare("event_name = ?", ["StopLogging"])
        assert store.is_sorted(where, params)  # a use: the filter at the front again
        assert store.is_sorted("event_name = ?", ["StopLogging"])
        store.prepare("event_name = ?", ["GetCallerIdentity"])  # the third: one goes
        assert store.is_sorted() and store.is_sorted("event_name = ?", ["StopLogging"])
        assert not store.is_sorted(where, params)
        assert store.sorted_count("event_name = ?", ["StopLogging"]) == store.count(
            "event_name = ?", ["StopLogging"])
        assert store.sorted_count(where, params) is None  # not kept: never counted by SQL
        store.add_events([replace(plain[0], event_id="new", event_name="DescribeNew")])
        assert not store.is_sorted() and store.sorted_count() is None
        assert store.count(where, params) == described + 1


def test_deep_pages_while_a_load_writes_are_never_empty(events: list[Event]) -> None:
    """A sort overtaken by a write is not kept (its order is of older data), but the
    page it was made for is still read from it, not left empty."""
    from dataclasses import replace

    with EventStore() as store:
        store.add_events(
            replace(e, event_id=f"{e.event_id}-{i}") for i in range(60) for e in events
        )
        stop = threading.Event()

        def write() -> None:
            batch = 0
            while not stop.is_set():
                batch += 1
                store.add_events(replace(e, event_id=f"{e.event_id}-w{batch}") for e in events)

        writer = threading.Thread(target=write)
        writer.start()
        try:
            for _ in range(100):
                total = store.count()
                assert len(store.page(limit=50, offset=total - 50)) == 50
        finally:
            stop.set()
            writer.join()


def test_a_newer_search_interrupts_a_running_sort(events: list[Event]) -> None:
    """interrupt_sorts() stops a long prepare() (SearchInterrupted, nothing kept), and
    the store answers the next one as usual."""
    from dataclasses import replace

    with EventStore() as store:
        store.add_events(replace(e, event_id=f"{e.event_id}-{i}") for i in range(8) for e in events)
        slow = "strpos(lower(repeat(raw, 400)), ?) > 0"  # seconds of work, on purpose
        outcome: list[object] = []

        def search() -> None:
            try:
                outcome.append(store.prepare(slow, ["no such text"]))
            except SearchInterrupted as exc:
                outcome.append(exc)

        worker = threading.Thread(target=search)
        started = time.monotonic()
        worker.start()
        while not store._sorting and time.monotonic() - started < 10:
            time.sleep(0.01)
        time.sleep(0.1)
        store.interrupt_sorts()
        worker.join(60)
        assert len(outcome) == 1 and isinstance(outcome[0], SearchInterrupted), outcome
        assert not store.is_sorted(slow, ["no such text"])
        assert store.prepare("event_name = ?", ["StopLogging"]) > 0


def test_a_file_store_writes_its_log_into_the_file_when_a_load_ends(tmp_path: Path) -> None:
    """A load turns DuckDB's checkpoints off; without the one at its end a file store
    would keep the whole load in its write-ahead log until closed (or replay it after
    a crash)."""
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "a.json.gz").write_bytes(envelope_gz(all_records()))
    path = tmp_path / "case.duckdb"
    with EventStore(path) as store:
        load([tmp_path / "logs"], store)
        wal = Path(f"{path}.wal")
        assert not wal.exists() or wal.stat().st_size == 0
        assert store.count() == 310


def test_stop_interrupts_every_statement_and_skips_the_tidying(tmp_path: Path) -> None:
    """stop() (the app quitting) interrupts what runs on any thread; a load ending after
    it does not compact or remove duplicates from a store that is going away."""
    import duckdb

    (tmp_path / "a.json.gz").write_bytes(envelope_gz(all_records() * 2))  # duplicates
    store = EventStore()
    thread, outcome = running_forever(store)
    store.stop()
    thread.join(60)
    assert len(outcome) == 1 and isinstance(outcome[0], duckdb.InterruptException), outcome
    assert store.stopped
    report = load([tmp_path], store, fast=True)
    assert store.count() == 620 and report.added == 620  # duplicates left in memory
    kinds = {k for (k,) in store.cursor().execute(
        "SELECT DISTINCT compression FROM pragma_storage_info('events') "
        "WHERE column_name = 'event_id' AND compression <> 'Constant'").fetchall()}
    assert kinds <= {"Uncompressed"}, kinds  # not compacted
    store.close()


def test_close_stops_what_runs_on_the_store_and_waits_for_it() -> None:
    """DuckDB refuses to close a connection another thread is using: close() interrupts
    the statement and closes once the call returns."""
    import duckdb

    store = EventStore()
    thread, outcome = running_forever(store)
    store.close()
    thread.join(60)
    assert len(outcome) == 1 and isinstance(outcome[0], duckdb.InterruptException), outcome
    with pytest.raises(StoreError, match="closed"):
        store.count()


class _IgnoresItsInterrupt:
    """Stands for a cursor whose statement goes on after its interrupt (DuckDB checks
    for interrupts between steps; a long step runs to its end): DuckDB refuses to
    close such a cursor, and the database under it."""

    def interrupt(self) -> None:
        pass

    def close(self) -> None:
        import duckdb

        raise duckdb.ResourceInUseException("Connection is in use by another thread")


def test_close_gives_up_on_a_statement_that_ignores_its_interrupt(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """close() runs while the app quits: after its wait it logs and returns rather
    than raise, having closed everything else it could."""
    import duckdb

    from awsir_tui.events import store as store_module

    monkeypatch.setattr(store_module, "_CLOSE_WAIT", 0.3)
    store = EventStore()
    mine = store.cursor()
    store._streams.add(_IgnoresItsInterrupt())  # type: ignore[arg-type]
    started = time.monotonic()
    store.close()
    assert time.monotonic() - started < 5
    assert "ignored its interrupt" in caplog.text
    with pytest.raises(duckdb.ConnectionException):
        mine.execute("SELECT 1")  # the other cursors were closed all the same
    with pytest.raises(StoreError, match="closed"):
        store.count()


def test_unhashable_parameters_still_page(store: EventStore, events: list[Event]) -> None:
    names = ["GetPasswordData", "StopLogging"]
    expected = sorted(
        (e for e in events if e.event_name in names), key=lambda e: (e.event_time, e.event_id)
    )
    got = store.page("list_contains(?, event_name)", [names], "event_time ASC", 5, 2000)
    assert got == [] and len(expected) > 5
    assert store.page("list_contains(?, event_name)", [names], "event_time ASC", 5, 1) == (
        expected[1:6]
    )


def test_times_keep_their_microseconds(events: list[Event]) -> None:
    from dataclasses import replace

    odd = [
        replace(events[0], event_id="us-1",
                event_time=datetime(2024, 7, 30, 21, 31, 10, 999_999, tzinfo=UTC)),
        replace(events[1], event_id="us-2",
                event_time=datetime(1969, 12, 31, 23, 59, 59, 1, tzinfo=UTC)),
    ]
    with EventStore() as store:
        store.add_events(odd)
        assert [store.get("us-1"), store.get("us-2")] == odd


def test_connections_of_ended_threads_are_closed(store: EventStore) -> None:
    counts: list[int] = []
    for _ in range(5):
        worker = threading.Thread(target=lambda: counts.append(store.count()))
        worker.start()
        worker.join()
    assert counts == [310] * 5
    assert len(store._cursors) <= 2  # the last worker's and this thread's, not one per worker


def test_loaded_store_is_compressed_but_its_raw_records(tmp_path: Path) -> None:
    for name, records in stratus_files().items():
        (tmp_path / f"{name}.json.gz").write_bytes(envelope_gz(records))
    store = EventStore()
    load([tmp_path], store, fast=True)  # compacts when done
    kinds: dict[str, set[str]] = {}
    for column, kind in store.cursor().execute(
        "SELECT column_name, compression FROM pragma_storage_info('events') "
        "WHERE compression <> 'Constant'"
    ).fetchall():
        kinds.setdefault(column, set()).add(kind)
    assert kinds["event_id"] - {"Uncompressed"}, kinds  # the fields were compressed
    assert kinds["raw"] == {"Uncompressed"}, kinds  # the raw records were left as is
    store.close()


def test_a_store_file_keeps_its_raw_records_with_zstd(tmp_path: Path) -> None:
    """DuckDB's default for the raw JSON in a file (a dictionary with FSST) made a 1M
    case file 7 times bigger and its load about 3 times slower than zstd."""
    for name, records in stratus_files().items():
        (tmp_path / f"{name}.json.gz").write_bytes(envelope_gz(records))
    path = tmp_path / "case.duckdb"
    store = EventStore(path)
    load([tmp_path], store, fast=True)  # checkpoints into the file when done
    store.close()
    reopened = EventStore(path)
    kinds = {kind for (kind,) in reopened.cursor().execute(
        "SELECT DISTINCT compression FROM pragma_storage_info('events') "
        "WHERE column_name = 'raw' AND compression <> 'Constant'").fetchall()}
    assert kinds == {"ZSTD"}, kinds
    assert reopened.count() == 310
    where, params = compile_sql(parse("GetCallerIdentity"), EVENT_FIELDS)
    expected = sum("getcalleridentity" in orjson.dumps(r).decode().lower()
                   for records in stratus_files().values() for r in records)
    assert expected and reopened.count(where, params) == expected  # full text reads them
    reopened.close()


def test_a_load_checkpoints_once_at_its_end(tmp_path: Path) -> None:
    """DuckDB's automatic checkpoints re-compress the table after every batch (60% of a
    1M-event load): a load turns them off and compacts once when done."""
    (tmp_path / "a.json.gz").write_bytes(envelope_gz(all_records()))
    store = EventStore()
    setting = "SELECT current_setting('checkpoint_threshold')"
    during: list[str] = []
    load([tmp_path], store, fast=True,
         on_progress=lambda _: during.append(store.cursor().execute(setting).fetchone()[0]))
    assert "931.3 GiB" in during  # while a batch was stored: far beyond any load
    assert store.cursor().execute(setting).fetchone()[0] == "16.0 MiB"  # DuckDB's default
    store.close()


def test_store_beyond_its_memory_limit_spills_and_cleans_up(tmp_path: Path) -> None:
    """An in-memory store larger than its memory limit moves blocks to its own temporary
    folder, answers as before, and removes that folder when closed."""
    records = all_records()
    copies = 200  # ~80 MB of raw records against a 64 MB limit
    for copy in range(copies):
        renamed = [{**r, "eventID": f"{copy}-{r['eventID']}"} for r in records]
        (tmp_path / f"{copy}.json").write_bytes(orjson.dumps({"Records": renamed}))
    store = EventStore(memory_limit="64MB")
    report = load([tmp_path], store, fast=True)
    assert not report.skipped, report.skipped[:1]
    spill = Path(store.cursor().execute("SELECT current_setting('temp_directory')").fetchone()[0])
    assert store.count() == copies * len(records)
    assert store.count("strpos(lower(raw), ?) > 0", ["hidden_due_to_security"]) > 0
    assert any(spill.iterdir())  # blocks went to disk
    store.close()
    assert not spill.exists()


def test_a_load_runs_under_the_lower_load_limit_and_the_store_keeps_more_after(
    tmp_path: Path,
) -> None:
    """DuckDB's buffers fill whatever room a load has, so a load gets less; between
    loads the table may stay in memory for full-text search (BENCHMARKS.md)."""
    (tmp_path / "a.json").write_bytes(orjson.dumps({"Records": all_records()}))
    store = EventStore(memory_limit="300MB", load_memory_limit="100MB")

    def limit() -> str:
        row = store.cursor().execute("SELECT current_setting('memory_limit')").fetchone()
        return str(row[0]) if row else ""

    seen: list[str] = []
    load([tmp_path], store, on_progress=lambda _: seen.append(limit()))
    assert "95.3 MiB" in seen  # while files were read
    after: list[str] = []
    reader = threading.Thread(target=lambda: after.append(limit()))  # its own connection
    reader.start()
    reader.join()
    assert after == ["286.1 MiB"]  # and after, for the whole database
    assert store.count() == len(all_records())
    store.close()


def test_a_store_file_that_cannot_be_opened_is_refused_in_words(tmp_path: Path) -> None:
    """Each reason DuckDB refuses a --store file becomes one line a responder can act
    on, not a traceback; a file whose events table is not ours is refused up front."""
    import subprocess
    import sys

    import duckdb

    from awsir_tui.events.store import StoreUnavailable

    text = tmp_path / "notes.duckdb"
    text.write_text("hello\n")
    with pytest.raises(StoreUnavailable, match="is not an event store"):
        EventStore(text)
    # DuckDB opens a CSV as a database of one read-only table: a load "kept" there
    # lived in memory only. An export given as --store by mistake is refused.
    export = tmp_path / "events.csv"
    export.write_text("time,region,event\n2024-11-30T08:43:18Z,us-east-1,RunInstances\n")
    with pytest.raises(StoreUnavailable, match="is not an event store"):
        EventStore(export)
    assert export.read_text().startswith("time,region")
    with pytest.raises(StoreUnavailable, match="its folder does not exist"):
        EventStore(tmp_path / "missing" / "store.duckdb")
    foreign = tmp_path / "foreign.duckdb"
    with duckdb.connect(str(foreign)) as other:
        other.execute("CREATE TABLE events (a INTEGER)")
    with pytest.raises(StoreUnavailable, match="not an awsir-tui event store"):
        EventStore(foreign)

    held = tmp_path / "held.duckdb"
    EventStore(held).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time\n"
         "con = duckdb.connect(sys.argv[1]); print('open', flush=True); time.sleep(60)",
         str(held)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreUnavailable,
                           match=rf"open in another process \(PID {holder.pid}\)"):
            EventStore(held)
    finally:
        holder.kill()
        holder.wait()
    with EventStore(held) as reopened:  # the holder gone, the file opens again
        assert reopened.count() == 0
