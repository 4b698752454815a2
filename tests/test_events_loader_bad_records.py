"""Records the loader keeps or skips without losing count (#5): a record with no usable
``eventTime`` is kept, dated 1970-01-01, and counted, with the filter that finds it; an
entry where a record should be that is not a JSON object is skipped and counted, and its
file is listed as read in part. Both on the fast path (gzipped envelopes, DuckDB) and
through the Python readers (plain JSON arrays, JSON lines)."""

from __future__ import annotations

import contextlib
import gzip
import io
import json
from pathlib import Path
from typing import Any

import pytest

from awsir_tui.cli import main
from awsir_tui.events.coverage import archive_coverage
from awsir_tui.events.ingest import record_lines
from awsir_tui.events.loader import UNDATED_FILTER, LoadReport, load
from awsir_tui.events.store import EventStore
from awsir_tui.query import EVENT_FIELDS, compile_sql, parse
from tests.helpers_events import all_records, envelope_gz, lookup_item

#: eventTime values that are no time: missing, null, a word, milliseconds read as
#: seconds (beyond year 9999), a boolean, a year past 9999.
NO_TIME: list[Any] = [None, "yesterday", 1565352000000, True, "99999-01-01T00:00:00Z"]


def undated_records() -> list[dict[str, Any]]:
    """A record with no eventTime key, then one per value of :data:`NO_TIME`."""
    base = all_records()[200:206]
    missing = {k: v for k, v in base[0].items() if k != "eventTime"}
    records = [dict(missing, eventID="undated-missing")]
    for n, (record, value) in enumerate(zip(base[1:], NO_TIME, strict=True)):
        records.append(dict(record, eventID=f"undated-{n}", eventTime=value))
    return records


def ids_matching(store: EventStore, text: str) -> set[str]:
    where, params = compile_sql(parse(text, EVENT_FIELDS), EVENT_FIELDS)
    return {e.event_id for e in store.events(where, params)}


def write_undated(folder: Path, fmt: str, good: list[dict[str, Any]]) -> Path:
    """The good records and the undated ones in one file of ``fmt``."""
    records = [*good, *undated_records()]
    if fmt == "envelope.json.gz":
        data = envelope_gz(records)
    elif fmt == "array.json":
        data = json.dumps(records, indent=1).encode()
    else:
        data = "".join(json.dumps(r) + "\n" for r in records).encode()
    path = folder / f"log.{fmt}"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("fmt", ["envelope.json.gz", "array.json", "lines.jsonl"])
def test_records_without_a_usable_time_are_kept_counted_and_found(
    tmp_path: Path, fmt: str
) -> None:
    good = all_records()[:30]
    path = write_undated(tmp_path, fmt, good)
    # The envelope goes the fast way (DuckDB), the others through the Python readers.
    assert (record_lines(path) is not None) == (fmt == "envelope.json.gz")
    with EventStore() as store:
        report = load([tmp_path], store)
        assert report.skipped == [] and report.partial == [] and report.files_read == 1
        assert report.events == report.added == 36 and report.undated == 6
        undated = {r["eventID"] for r in undated_records()}
        assert {e.event_id for e in store.events()} == undated | {r["eventID"] for r in good}
        assert {str(store.get(i).event_time) for i in undated} == {"1970-01-01 00:00:00+00:00"}
        # The filter the message names finds them all, and only them; a time filter
        # leaves them out, as the message warns.
        assert ids_matching(store, UNDATED_FILTER) == undated
        assert not ids_matching(store, "after:2000-01-01") & undated
    assert report.undated_note() == (
        "6 events have no usable eventTime: kept, dated 1970-01-01 (a time filter leaves "
        "them out; find them with before:1971-01-01)"
    )
    assert "; 6 undated (before:1971-01-01 finds them)" in report.summary()


def test_a_dated_load_says_nothing_of_undated_events(tmp_path: Path) -> None:
    """Only this load's events are counted: a store that already holds undated events
    (a --store file loaded before) does not make a new load of dated ones say so."""
    write_undated(tmp_path, "envelope.json.gz", [])
    dated = tmp_path / "dated"
    dated.mkdir()
    (dated / "log.json.gz").write_bytes(envelope_gz(all_records()[:10]))
    with EventStore() as store:
        assert load([tmp_path / "log.envelope.json.gz"], store).undated == 6
        report = load([dated], store)
    assert report.undated == 0 and report.undated_note() == ""
    assert "undated" not in report.summary()


def test_a_single_undated_record_reads_right() -> None:
    assert LoadReport(undated=1).undated_note().startswith(
        "1 event has no usable eventTime: kept")


def test_headless_events_say_on_stderr_how_many_are_undated(tmp_path: Path) -> None:
    write_undated(tmp_path, "envelope.json.gz", all_records()[:5])
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["events", "--source", str(tmp_path), "--before", "1971-01-01",
                     "--format", "jsonl"])
    assert code == 0, err.getvalue()
    assert (
        "awsir-tui: 6 events have no usable eventTime: kept, dated 1970-01-01 (a time "
        "filter leaves them out; find them with before:1971-01-01)\n"
    ) in err.getvalue()
    # --before 1971-01-01 is that filter: it prints exactly the undated records.
    found = {json.loads(line)["eventID"] for line in out.getvalue().splitlines()}
    assert found == {r["eventID"] for r in undated_records()}


#: Where records are expected, values that are not records, and how a reason names them.
NOT_RECORDS: list[Any] = [5, "a string", None, [1, 2], 7.5]
KINDS = "(a number, a string, null, a list)"


def mixed(good: list[dict[str, Any]]) -> list[Any]:
    """``good`` with :data:`NOT_RECORDS` between its records."""
    out: list[Any] = []
    for record, other in zip(good, NOT_RECORDS, strict=False):
        out += [record, other]
    return out + good[len(NOT_RECORDS):]


ENVELOPE_REASON = f"5 entries in Records are not CloudTrail records {KINDS}: skipped"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("envelope.json.gz", lambda rs: envelope_gz(mixed(rs)), ENVELOPE_REASON),
        ("envelope.json", lambda rs: json.dumps({"Records": mixed(rs)}, indent=1).encode(),
         ENVELOPE_REASON),
        ("array.json", lambda rs: json.dumps(mixed(rs)).encode(),
         f"5 entries in the array are not CloudTrail records {KINDS}: skipped"),
        # A line that is an array is read as one: its entries are counted, not the line.
        ("lines.jsonl", lambda rs: "".join(json.dumps(v) + "\n" for v in mixed(rs)).encode(),
         "6 entries of the lines are not CloudTrail records (a number, a string, null): "
         "skipped"),
        ("truncated.json", lambda rs: json.dumps(mixed(rs)).encode()[:-300],
         f"5 entries read are not CloudTrail records {KINDS}: skipped"),
    ],
    ids=["envelope-gz", "envelope-spread-over-lines", "array", "json-lines",
         "truncated-array"],
)
@pytest.mark.parametrize("fast", [True, False], ids=["duckdb", "python"])
def test_entries_that_are_not_records_make_the_file_read_in_part(
    tmp_path: Path, name: str, data: Any, reason: str, fast: bool
) -> None:
    good, others = all_records()[:12], all_records()[12:20]
    path = tmp_path / name
    path.write_bytes(data(good))
    # Good files before it: it is stored in a batch with another (the second batch).
    (tmp_path / "a.json.gz").write_bytes(envelope_gz(others[:4]))
    (tmp_path / "b.json.gz").write_bytes(envelope_gz(others[4:]))
    # Envelopes go the fast way unless told not to (DuckDB stores their records).
    assert (record_lines(path) is not None) == name.startswith("envelope")
    with EventStore() as store:
        report = load([tmp_path], store, fast=fast)
        ids = {e.event_id for e in store.events()}
    assert report.skipped == [] and report.files_read == 3
    (problem,) = report.partial
    assert problem.source == str(path) and reason in problem.reason
    ids -= {r["eventID"] for r in others}
    assert report.events == len(others) + len(ids)
    if name == "truncated.json":  # the damage cost the last record, said first
        assert problem.reason.startswith("invalid JSON") and problem.kept == 11
        assert ids == {r["eventID"] for r in good[:11]}
    else:
        assert problem.reason == reason and problem.kept == 12
        assert ids == {r["eventID"] for r in good}  # every good record is kept
    coverage = archive_coverage([str(tmp_path)], "", "run on the store", report=report)
    assert coverage.verdict() == "PARTIAL: 1 file not read whole"
    assert f"file read in part: {path}: {problem.reason}" in coverage.text(path, 0)


def test_a_file_of_nothing_but_entries_that_are_not_records_says_so(tmp_path: Path) -> None:
    (tmp_path / "log.json.gz").write_bytes(envelope_gz([1, 2]))  # type: ignore[list-item]
    with EventStore() as store:
        report = load([tmp_path], store)
    assert [p.reason for p in report.skipped] == [
        "2 entries in Records are not CloudTrail records (a number): skipped"]


#: Objects of another tool where records are expected: no eventName and no eventID.
OTHER_OBJECTS: list[Any] = [{"foo": 1}, {"eventTime": "2024-07-30T21:31:21Z", "bar": []}]
OBJECTS_REASON = "2 objects in it are not CloudTrail records (no eventName or eventID): skipped"


@pytest.mark.parametrize("fast", [True, False], ids=["duckdb", "python"])
def test_objects_of_another_tool_in_records_are_no_events(tmp_path: Path, fast: bool) -> None:
    """Objects in ``Records`` with neither of a record's names became events dated 1970
    with no name, and ``--format jsonl`` printed them (QA); both readers now say them
    as not records. A record whose ID is null still names it, and is kept."""
    good = all_records()[:6]
    named_null = {"eventID": None, "eventName": "CutDown"}
    path = tmp_path / "envelope.json.gz"
    path.write_bytes(envelope_gz([good[0], *OTHER_OBJECTS, named_null, *good[1:]]))
    assert record_lines(path) is not None  # the fast path's kind of file
    with EventStore() as store:
        report = load([tmp_path], store, fast=fast)
        names = sorted(e.event_name for e in store.events())
    (problem,) = report.partial
    assert problem.reason == ("2 entries in Records are not CloudTrail records (an object "
                              "with no eventName or eventID): skipped")
    assert problem.kept == 7 and report.undated == 1
    assert names == sorted([*(r["eventName"] for r in good), "CutDown"])


@pytest.mark.parametrize("fast", [True, False], ids=["duckdb", "python"])
def test_records_of_another_tools_objects_alone_are_no_log(tmp_path: Path, fast: bool) -> None:
    """``{"Records": [{"foo": "bar"}]}`` holds no record: skipped with its reason by both
    readers (a review: DuckDB's path counted it read in part, 0 kept, exit 3)."""
    (tmp_path / "log.json.gz").write_bytes(envelope_gz(OTHER_OBJECTS))
    with EventStore() as store:
        report = load([tmp_path], store, fast=fast)
        assert store.count() == 0
    assert report.files_read == 0 and report.partial == []
    assert [p.reason for p in report.skipped] == [
        "2 entries in Records are not CloudTrail records (an object with no eventName or "
        "eventID): skipped"]


def lines_of(values: list[Any]) -> bytes:
    return "".join(json.dumps(v) + "\n" for v in values).encode()


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("array.json", lambda vs: json.dumps(vs).encode(), OBJECTS_REASON),
        ("lines.jsonl", lines_of, OBJECTS_REASON),
        ("concatenated.json", lambda vs: "".join(json.dumps(v) for v in vs).encode(),
         OBJECTS_REASON),
        # A record with no eventTime is one still: kept (undated), not counted here.
        ("no-time.jsonl", lambda vs: lines_of(
            [*vs, {"eventID": "no-time", "eventName": "GetCallerIdentity"}]),
         OBJECTS_REASON),
        ("truncated.json", lambda vs: json.dumps([*vs, *all_records()[12:14]]).encode()[:-300],
         OBJECTS_REASON),
    ],
    ids=["array", "json-lines", "concatenated", "record-without-time", "truncated-array"],
)
def test_objects_that_are_not_records_make_the_file_read_in_part(
    tmp_path: Path, name: str, data: Any, reason: str
) -> None:
    good = all_records()[:12]
    values = [*good[:3], OTHER_OBJECTS[0], *good[3:9], OTHER_OBJECTS[1], *good[9:]]
    path = tmp_path / name
    path.write_bytes(data(values))
    with EventStore() as store:
        report = load([tmp_path], store)
        ids = {e.event_id for e in store.events()}
    assert report.skipped == [] and report.files_read == 1
    (problem,) = report.partial
    assert problem.source == str(path) and problem.reason.endswith(reason)
    assert ids >= {r["eventID"] for r in good} and problem.kept == len(ids)
    coverage = archive_coverage([str(tmp_path)], "", "run on the store", report=report)
    assert coverage.verdict() == "PARTIAL: 1 file not read whole"


def test_one_object_that_is_not_a_record_reads_right(tmp_path: Path) -> None:
    (tmp_path / "log.json").write_text(json.dumps([*all_records()[:3], {"foo": 1}, 5]))
    with EventStore() as store:
        (problem,) = load([tmp_path], store).partial
    assert problem.reason == (
        "1 entry in the array is not a CloudTrail record (a number): skipped; 1 object in "
        "it is not a CloudTrail record (no eventName or eventID): skipped")


@pytest.mark.parametrize(
    "data",
    [json.dumps(OTHER_OBJECTS).encode(), lines_of(OTHER_OBJECTS),
     "".join(json.dumps(v) for v in OTHER_OBJECTS).encode(), json.dumps({"foo": 1}).encode()],
    ids=["array", "json-lines", "concatenated", "one-object"],
)
def test_a_file_of_no_cloudtrail_object_is_not_cloudtrail(tmp_path: Path, data: bytes) -> None:
    """None of its objects is a record: another tool's JSON, skipped as such, not a log
    read in part (JSON lines and concatenated documents were counted as read whole)."""
    (tmp_path / "other.json").write_bytes(data)
    with EventStore() as store:
        report = load([tmp_path], store)
    assert report.files_read == 0 and report.partial == [] and report.events == 0
    assert [p.reason for p in report.skipped] == [
        "valid JSON but not CloudTrail (no Records, Events or eventID/eventName)"]


@pytest.mark.parametrize(
    ("document", "reason"),
    [({"Records": []}, None), ({"Events": []}, None),
     ({"Events": [{"foo": 1}]}, "no LookupEvents items in Events (no CloudTrailEvent)"),
     ([], None)],
    ids=["records-empty", "events-empty", "events-no-item", "empty-array"],
)
def test_a_document_of_no_events_says_so(
    tmp_path: Path, document: object, reason: str | None
) -> None:
    """A LookupEvents answer that found nothing is a file of no events, as CloudTrail's
    own empty log is, and a console export of none (read, not "not CloudTrail": it
    names Events); one whose Events hold no item says that, not that it has no Events."""
    (tmp_path / "log.json").write_text(json.dumps(document))
    with EventStore() as store:
        report = load([tmp_path], store)
    assert report.events == 0 and report.partial == []
    assert [p.reason for p in report.skipped] == ([reason] if reason else [])
    assert report.files_read == (0 if reason else 1)


@pytest.mark.parametrize("gzipped", [True, False], ids=["gz", "plain"])
def test_a_document_with_records_and_events_loses_neither(
    tmp_path: Path, gzipped: bool
) -> None:
    """Records and Events in one document (made by hand, or to hide items from a reader
    of Records only): both are read, and an object in Events that is no item is counted
    (the fast path read the Records and dropped the rest without a word)."""
    record, other = all_records()[:2]
    document = {"Records": [record], "Events": [lookup_item(other), {"foo": 1}, 7]}
    path = tmp_path / ("log.json.gz" if gzipped else "log.json")
    data = json.dumps(document).encode()
    path.write_bytes(gzip.compress(data) if gzipped else data)
    assert record_lines(path) is None  # the Python readers take it
    with EventStore() as store:
        report = load([tmp_path], store)
        ids = {e.event_id for e in store.events()}
    assert ids == {record["eventID"], other["eventID"]}
    (problem,) = report.partial
    assert problem.reason == (
        "1 entry in Records and Events is not a CloudTrail record (a number): skipped; "
        "1 object in Events is not a LookupEvents item (no CloudTrailEvent): skipped")


ITEMS_REASON = ("2 objects in {where} are not LookupEvents items (no CloudTrailEvent): "
                "skipped")


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("lookup-events.json", lambda vs: json.dumps({"Events": vs}).encode(),
         ITEMS_REASON.format(where="Events")),
        # The console's JSON export: the same items in a bare array.
        ("console.json", lambda vs: json.dumps(vs).encode(), ITEMS_REASON.format(where="it")),
        ("truncated.json", lambda vs: json.dumps({"Events": vs}).encode()[:-300],
         ITEMS_REASON.format(where="Events")),
    ],
    ids=["lookup-events", "console-json", "truncated"],
)
@pytest.mark.parametrize("first", [False, True], ids=["stray-within", "stray-first"])
@pytest.mark.parametrize("fast", [True, False], ids=["duckdb", "python"])
def test_objects_that_are_not_lookup_items_make_the_file_read_in_part(
    tmp_path: Path, name: str, data: Any, reason: str, first: bool, fast: bool
) -> None:
    """LookupEvents output with objects of another tool among its items: every item is
    read (one such object first sent all the items after it the wrong way, which lost
    those of a bare array), and the file says how many objects it skipped and why (they
    were dropped without a word, the file counted as read whole)."""
    good = all_records()[:12]
    items = [lookup_item(r) for r in good]
    values = ([*OTHER_OBJECTS, *items] if first
              else [*items[:3], OTHER_OBJECTS[0], *items[3:9], OTHER_OBJECTS[1], *items[9:]])
    if name == "truncated.json":  # the damage costs the last item, not a counted object
        values.append(lookup_item(all_records()[12]))
    path = tmp_path / name
    path.write_bytes(data(values))
    assert record_lines(path) is None  # no S3 log file: the Python readers take it
    with EventStore() as store:
        report = load([tmp_path], store, fast=fast)
        ids = {e.event_id for e in store.events()}
    assert report.skipped == [] and report.files_read == 1
    (problem,) = report.partial
    assert problem.source == str(path) and problem.reason.endswith(reason)
    assert ids == {r["eventID"] for r in good} and problem.kept == report.events == 12
    coverage = archive_coverage([str(tmp_path)], "", "run on the store", report=report)
    assert coverage.verdict() == "PARTIAL: 1 file not read whole"
    assert f"file read in part: {path}: {problem.reason}" in coverage.text(path, 0)


def test_a_damaged_item_after_an_object_first_in_events_is_kept(tmp_path: Path) -> None:
    """Items after an object without CloudTrailEvent are still read as items: one whose
    CloudTrailEvent is damaged is kept, flagged, not dropped as a record would be."""
    good = all_records()[:3]
    damaged = {"EventId": "damaged-1", "EventName": "Odd", "CloudTrailEvent": "{not json"}
    (tmp_path / "lookup.json").write_text(json.dumps(
        {"Events": [OTHER_OBJECTS[0], damaged, *(lookup_item(r) for r in good)]}))
    with EventStore() as store:
        report = load([tmp_path], store)
        assert store.get("damaged-1").parse_error
        assert {e.event_id for e in store.events()} == {"damaged-1", *(r["eventID"] for r in good)}
    (problem,) = report.partial
    assert problem.reason == (
        "1 object in Events is not a LookupEvents item (no CloudTrailEvent): skipped")


def test_an_array_mixing_records_and_lookup_items_loses_neither(tmp_path: Path) -> None:
    """A bare array whose first entry is a record and the rest LookupEvents items (or the
    other way round): each entry is read as what it is, and the file is read whole."""
    records = all_records()[:6]
    mixed_entries = [records[0], *(lookup_item(r) for r in records[1:3]), *records[3:]]
    (tmp_path / "a.json").write_text(json.dumps(mixed_entries))
    (tmp_path / "b.json").write_text(json.dumps(mixed_entries[::-1]))
    with EventStore() as store:
        report = load([tmp_path], store)
        ids = {e.event_id for e in store.events()}
    assert report.partial == [] and report.skipped == [] and report.events == 12
    assert ids == {r["eventID"] for r in records}
