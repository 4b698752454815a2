"""Archive readers: every format CloudTrail data comes in gives the same events, and a
hostile folder loads what is good and says why the rest was skipped."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path
from typing import Any

import pytest

from awsir_tui.events.files import inflate, read_file
from awsir_tui.events.loader import load
from awsir_tui.events.store import EventStore
from tests.helpers_events import (
    FORMATS,
    STEAL_CREDENTIALS,
    all_records,
    console_csv,
    envelope_gz,
    stratus_files,
    write_format,
)


@pytest.fixture(scope="module")
def expected_ids() -> set[str]:
    ids = {r["eventID"] for r in all_records()}
    assert len(ids) == 310  # the shared data set, as its README describes it
    return ids


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("fast", [True, False], ids=["duckdb", "python"])
def test_every_format_gives_the_same_events(
    tmp_path: Path, fmt: str, fast: bool, expected_ids: set[str]
) -> None:
    folder = write_format(tmp_path, fmt)
    with EventStore() as store:
        report = load([folder], store, fast=fast)
        assert report.skipped == [] and report.partial == []
        assert report.files_read == len(stratus_files())
        assert report.events == report.added == 310
        assert {e.event_id for e in store.events()} == expected_ids
        assert report.bytes == sum(p.stat().st_size for p in folder.iterdir())


def test_both_ingest_paths_make_identical_columns(tmp_path: Path) -> None:
    """DuckDB's own extraction must give exactly what record.from_record gives."""
    folder = write_format(tmp_path, "envelope.json.gz")
    with EventStore() as fast_store, EventStore() as python_store:
        load([folder], fast_store, fast=True)
        load([folder], python_store, fast=False)
        fast = {e.event_id: e for e in fast_store.events()}
        slow = {e.event_id: e for e in python_store.events()}
    assert fast.keys() == slow.keys()
    for event_id, event in slow.items():
        other = fast[event_id]
        assert json.loads(other.raw) == json.loads(event.raw)
        for name in event.__slots__:
            if name != "raw":
                assert getattr(other, name) == getattr(event, name), (event_id, name)
    # The comparison covers the hard fields, not only empty ones.
    assert sum(bool(e.resources) for e in slow.values()) > 100
    assert {e.read_only for e in slow.values()} == {True, False}
    # An instance's state ({"code": 16, "name": "running"}) is no resource, though a
    # "name" elsewhere is (StopLogging's trail).
    started = [e for e in slow.values() if e.event_name in ("StartInstances", "StopInstances")]
    assert started and not {"pending", "running", "stopping", "stopped"} & {
        r for e in started for r in e.resources
    }
    stopped = next(e for e in slow.values() if e.event_name == "StopLogging")
    assert any("stratus-red-team" in r for r in stopped.resources)


def test_instance_id_finds_the_stolen_credentials_technique(tmp_path: Path) -> None:
    records = stratus_files()[STEAL_CREDENTIALS]
    role_records = [r for r in records if r["userIdentity"]["type"] == "AssumedRole"]
    instance_id = role_records[0]["userIdentity"]["arn"].rsplit("/", 1)[-1]
    assert instance_id.startswith("i-")
    with EventStore() as store:
        load([write_format(tmp_path, "envelope.json.gz")], store)
        found = store.page("user_name = ?", [instance_id], limit=1000)
    assert {e.event_id for e in found} == {r["eventID"] for r in role_records}
    assert {e.source_ip for e in found} == {r["sourceIPAddress"] for r in role_records}


def test_hostile_folder_loads_the_good_and_lists_the_rest(tmp_path: Path) -> None:
    records = all_records()
    good = records[:40]
    (tmp_path / "good.json.gz").write_bytes(envelope_gz(good))
    whole = envelope_gz(records[40:100])
    (tmp_path / "truncated.json.gz").write_bytes(whole[: len(whole) // 2])
    lines = "".join(json.dumps(r) + "\n" for r in records[100:130]).encode()
    (tmp_path / "truncated-lines.jsonl.gz").write_bytes(gzip.compress(lines)[:-200])
    (tmp_path / "invalid.json").write_text('{"Records": [oops')
    (tmp_path / "not-cloudtrail.json").write_text('{"Reservations": []}')
    (tmp_path / "not-gzip.json.gz").write_bytes(b"\x1f\x8bthis is not deflate data")
    (tmp_path / "empty.json").write_text("  \n")
    (tmp_path / "zero.json").write_bytes(b"")
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)))
    (tmp_path / "more-logs.zip").write_bytes(b"PK\x03\x04" + bytes(60))  # logs, packed
    big = dict(records[130], eventID="big-record")
    big["requestParameters"] = {"policy": "A" * (6 << 20), "instanceId": "i-big"}
    (tmp_path / "big.json").write_text(json.dumps({"Records": [big]}))
    hostile = dict(records[131], eventID="hostile-strings")
    hostile["userAgent"] = "\x1b[31m[bold]evil[/bold]\u202e\x00"
    hostile["userIdentity"] = dict(hostile["userIdentity"], userName="[red]root\r\n")
    (tmp_path / "hostile.jsonl").write_text(json.dumps(hostile) + "\n" + json.dumps(good[0]))

    with EventStore() as store:
        report = load([tmp_path], store, fast=True)
        reasons = {Path(p.source).name: p.reason for p in report.skipped}
        partial = {Path(p.source).name: p for p in report.partial}
        assert set(reasons) == {
            "invalid.json", "not-cloudtrail.json", "not-gzip.json.gz", "empty.json",
            "zero.json", "binary.bin", "more-logs.zip",
        }
        assert "invalid JSON" in reasons["invalid.json"]
        assert "not CloudTrail" in reasons["not-cloudtrail.json"]
        assert "gzip" in reasons["not-gzip.json.gz"]
        assert "empty" in reasons["empty.json"] and "0 bytes" in reasons["zero.json"]
        # Binary content may be logs packed another way: never "not a log".
        assert "a zip archive" in reasons["more-logs.zip"] and "unpack" in reasons[
            "more-logs.zip"]
        assert "binary content" in reasons["binary.bin"] and not report.ignored
        assert set(partial) == {"truncated.json.gz", "truncated-lines.jsonl.gz"}
        assert "truncated gzip" in partial["truncated.json.gz"].reason
        assert partial["truncated.json.gz"].kept > 0
        assert partial["truncated-lines.jsonl.gz"].kept > 0
        # Good records survive: all of good.json.gz, the salvaged parts, the big one.
        ids = {e.event_id for e in store.events()}
        assert {r["eventID"] for r in good} <= ids
        assert "big-record" in ids and "hostile-strings" in ids
        kept_lines = partial["truncated-lines.jsonl.gz"].kept
        assert {r["eventID"] for r in records[100 : 100 + kept_lines]} <= ids
        big_event = store.get("big-record")
        assert big_event is not None and "i-big" in big_event.resources
        assert len(big_event.raw) > 6 << 20
        odd = store.get("hostile-strings")
        assert odd is not None and odd.user_agent == hostile["userAgent"]
        assert odd.user_name == "[red]root\r\n"  # stored as evidence; the UI cleans it
        assert report.files_read == 5 and report.files_skipped == 7
        assert report.not_read_whole == 9


def test_files_that_are_not_logs_are_ignored_and_logs_that_fail_are_not(
    tmp_path: Path,
) -> None:
    """A README beside the logs misses no event; a file named or shaped as a log that
    cannot be read does, whatever its name: each is listed, and only those count."""
    records = all_records()
    (tmp_path / "good.json.gz").write_bytes(envelope_gz(records[:5]))
    (tmp_path / "README.md").write_text("# Logs of the incident\n")
    (tmp_path / "LICENSE").write_text("Apache License\n")
    (tmp_path / "notes.txt").write_text("")
    cut = envelope_gz(records[5:40])
    (tmp_path / "copy-without-suffix").write_bytes(cut[: len(cut) // 2])  # gzip inside
    (tmp_path / "tool-output.txt").write_text('{"findings": []}')  # JSON inside
    (tmp_path / "zero.json.gz").write_bytes(b"")
    (tmp_path / "events.csv").write_text("just,a,table\n")
    with EventStore() as store:
        report = load([tmp_path], store)
    ignored = {Path(p.source).name: p.reason for p in report.ignored}
    assert set(ignored) == {"README.md", "LICENSE", "notes.txt"}
    assert "not JSON" in ignored["README.md"] and "0 bytes" in ignored["notes.txt"]
    missed = {Path(p.source).name for p in [*report.skipped, *report.partial]}
    assert missed == {"copy-without-suffix", "tool-output.txt", "zero.json.gz", "events.csv"}
    assert report.not_read_whole == 4
    assert report.summary().endswith("; 3 skipped; 1 read in part; 3 not logs, ignored")


def test_console_csv_without_its_record_column_says_what_to_do(tmp_path: Path) -> None:
    """The console's CSV with the "CloudTrail event" column left out (it can be hidden
    before the download): the rest cannot feed the viewer; say so, not "not JSON"."""
    records = stratus_files()[STEAL_CREDENTIALS]
    rows = list(csv.reader(io.StringIO(console_csv(records))))
    assert rows[0][-1] == "CloudTrail event"
    out = io.StringIO()
    csv.writer(out).writerows(row[:-1] for row in rows)
    export = tmp_path / "event_history.csv"
    export.write_text(out.getvalue())
    result = read_file(export)
    assert result.skipped and result.format == "console csv"
    assert result.problem == (
        "a console Event history CSV without its CloudTrail event column (each event's "
        "record): download it again with every column, or as JSON"
    )
    export.write_text(console_csv(records))  # with the column, every row loads
    assert len(read_file(export).events) == len(records)


def test_digest_file_is_named_as_such(tmp_path: Path) -> None:
    digest = tmp_path / "digest.json.gz"
    digest.write_bytes(gzip.compress(b'{"digestStartTime": "2024-01-01T00:00:00Z"}'))
    result = read_file(digest)
    assert result.skipped and "digest" in result.problem


def test_truncated_array_keeps_complete_records(tmp_path: Path) -> None:
    records = all_records()[:20]
    text = json.dumps(records)
    path = tmp_path / "cut.json"
    path.write_text(text[: len(text) * 3 // 4])
    result = read_file(path)
    assert not result.skipped and "kept the" in result.problem
    kept = [r["eventID"] for r in records[: len(result.events)]]
    assert [e.event_id for e in result.events] == kept
    assert 10 <= len(result.events) < 20


def test_damaged_lookup_item_is_kept_with_a_warning(tmp_path: Path) -> None:
    record = all_records()[0]
    items = [{"EventId": "x-1", "EventName": "Odd", "CloudTrailEvent": "{not json"}]
    items.append({"EventId": record["eventID"], "CloudTrailEvent": json.dumps(record)})
    path = tmp_path / "lookup.json"
    path.write_text(json.dumps({"Events": items}))
    events = read_file(path).events
    assert [e.event_id for e in events] == ["x-1", record["eventID"]]
    assert events[0].parse_error and not events[1].parse_error


def test_gzip_bomb_is_refused_without_inflating_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from awsir_tui.events import files

    monkeypatch.setattr(files, "MAX_INFLATED", 1 << 20)
    bomb = tmp_path / "bomb.json.gz"
    bomb.write_bytes(gzip.compress(b'{"Records": [' + b" " * (8 << 20) + b"]}"))
    assert bomb.stat().st_size < 64 << 10
    result = read_file(bomb)
    assert result.skipped and "more than 1 MB" in result.problem
    assert "empty" not in result.problem  # one reason, not a contradiction


def test_gzip_bomb_is_refused_at_a_hundred_times_its_size(tmp_path: Path) -> None:
    """A bomb of a few hundred KB inflated to the 512 MB bound (640 MB of memory for
    one file) before it was refused: it stops at 100 times its size, from 64 MB."""
    from awsir_tui.events import files

    bomb = tmp_path / "bomb.json.gz"
    bomb.write_bytes(gzip.compress(b'{"Records": [' + b" " * (200 << 20) + b"]}", 9))
    assert bomb.stat().st_size * files.MAX_RATIO < files.INFLATE_FLOOR
    data, problem = files.inflate(bomb.read_bytes())
    assert data == b"" and "more than 64 MB" in problem
    fine = tmp_path / "fine.json.gz"
    fine.write_bytes(envelope_gz(all_records()[:3]))
    assert len(read_file(fine).events) == 3


def test_json_lines_with_a_damaged_first_line_keep_the_rest(tmp_path: Path) -> None:
    records = all_records()[:5]
    path = tmp_path / "lines.jsonl"
    path.write_text('{"eventID": "cut\n' + "".join(json.dumps(r) + "\n" for r in records))
    result = read_file(path)
    assert [e.event_id for e in result.events] == [r["eventID"] for r in records]
    assert "1 line not valid JSON" in result.problem and "line 1" in result.problem


@pytest.mark.parametrize("fast", [True, False], ids=["duckdb", "python"])
def test_a_lone_surrogate_does_not_hide_the_file(tmp_path: Path, fast: bool) -> None:
    """One string with a lone surrogate escape (which orjson and DuckDB refuse) must not
    cost the other records of its file; it is stored with U+FFFD and reported."""
    records = all_records()[:4]
    records[1] = dict(records[1], userAgent="MARK")
    odd = records[1]["eventID"]
    text = json.dumps({"Records": records}).replace('"MARK"', '"a\\ud800b"')
    (tmp_path / "odd.json.gz").write_bytes(gzip.compress(text.encode()))
    lines = [json.dumps(r) for r in all_records()[4:7]]
    lines[0] = lines[0].replace('"eventVersion"', '"note": "\\udfff", "eventVersion"')
    (tmp_path / "odd.jsonl").write_text("\n".join(lines))
    with EventStore() as store:
        report = load([tmp_path], store, fast=fast)
        assert report.skipped == [] and report.events == 7
        assert all("U+FFFD" in p.reason for p in report.partial) and len(report.partial) == 2
        stored = store.get(odd)
        assert stored is not None and stored.user_agent == "a\ufffdb"
        assert json.loads(stored.raw)["userAgent"] == "a\ufffdb"


def test_store_replaces_surrogates_from_lookup_items() -> None:
    from awsir_tui.events.record import from_lookup_event

    record = dict(all_records()[0], userAgent="x")
    raw = json.dumps(record).replace('"userAgent": "x"', '"userAgent": "\\ud83d"')
    event = from_lookup_event({"EventId": record["eventID"], "CloudTrailEvent": raw})
    assert event.user_agent == "\ud83d"  # what json.loads makes of it
    with EventStore() as store:
        assert store.add_events([event]) == 1
        stored = store.get(record["eventID"])
        assert stored is not None and stored.user_agent == "\ufffd"


def test_hostile_nesting_is_reported_not_raised(tmp_path: Path) -> None:
    record = all_records()[0]
    deep = tmp_path / "deep.json"
    deep.write_text(
        "[" + json.dumps(record) + "," + '{"x":' * 100_000 + "1" + "}" * 100_000 + "]"
    )
    with EventStore() as store:
        report = load([tmp_path], store, fast=True)
    (problem,) = report.partial
    assert problem.kept == 1
    assert problem.reason == (
        "JSON nested deeper than 1,024 levels (no CloudTrail record is); "
        "kept the 1 complete record before it"
    )


def test_valid_json_nested_too_deep_is_not_called_invalid(tmp_path: Path) -> None:
    """5,000 levels is valid JSON; the reader's limit is what stops it."""
    deep = tmp_path / "deep.json"
    deep.write_text('{"Records":[' + "[" * 5000 + "]" * 5000 + "]}")
    result = read_file(deep)
    assert result.events == []
    assert result.problem == (
        "JSON nested deeper than 1,024 levels (no CloudTrail record is); "
        "no complete record before it"
    )
    assert "invalid" not in result.problem
    record = all_records()[0]
    lines = tmp_path / "lines.jsonl"
    lines.write_text(json.dumps(record) + "\n" + "[" * 5000 + "]" * 5000 + "\n")
    result = read_file(lines)
    assert len(result.events) == 1
    assert result.problem == "1 line nested deeper than 1,024 levels, skipped (first at line 2)"


@pytest.mark.parametrize("fast", [True, False], ids=["duckdb", "python"])
def test_concatenated_gzip_members_are_all_read(tmp_path: Path, fast: bool) -> None:
    """``cat a.json.gz b.json.gz > c.json.gz`` is a valid gzip of two documents."""
    records = all_records()
    (tmp_path / "both.json.gz").write_bytes(envelope_gz(records[:100]) + envelope_gz(records[100:]))
    with EventStore() as store:
        report = load([tmp_path], store, fast=fast)
        assert report.skipped == report.partial == [] and store.count() == 310


def test_the_fast_path_keeps_each_record_as_the_file_has_it(tmp_path: Path) -> None:
    """An envelope spread over lines is cut into its records and stored by DuckDB, each
    record's text as the file has it (spacing and escapes kept: what zgrep sees), its
    columns decoded. The Python readers would have written the records out again."""
    records = [dict(r) for r in all_records()[:50]]
    records[7]["userAgent"] = "café"
    (tmp_path / "pretty.json").write_text(json.dumps({"Records": records}, indent=2))
    with EventStore() as store:
        report = load([tmp_path], store, fast=True)
        assert report.skipped == report.partial == [] and report.events == 50
        stored = store.get(records[7]["eventID"])
    assert stored is not None and stored.user_agent == "café"
    assert json.loads(stored.raw) == records[7]
    assert "\n" not in stored.raw and '"caf\\u00e9"' in stored.raw and '  "eventID"' in stored.raw


def with_a_file_not_utf8(folder: Path) -> list[dict[str, Any]]:
    """The Stratus records as a.json.gz (the first batch, alone), then b.json.gz, with a
    byte that is not UTF-8, and c.json.gz (batched together); returns the records."""
    records = all_records()
    (folder / "a.json.gz").write_bytes(envelope_gz(records[:100]))
    bad = json.dumps({"Records": records[100:110]}).encode()
    bad = bad.replace(b'"eventVersion"', b'"note": "\xff", "eventVersion"', 1)
    (folder / "b.json.gz").write_bytes(gzip.compress(bad))
    (folder / "c.json.gz").write_bytes(envelope_gz(records[110:]))
    return records


@pytest.mark.parametrize("cutter_checks", [True, False], ids=["cutter", "duckdb-refuses"])
def test_a_file_not_utf8_costs_the_fast_path_one_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cutter_checks: bool
) -> None:
    """The files batched with a file that is not UTF-8 are still stored by DuckDB, the
    bad one by the Python readers, which replace and report it.

    The cutter turns the bad file away itself, so its batch is cut only once (a bad
    file in every batch must not double a load's work). Should DuckDB refuse a batch
    for something the cutter let through (here: with the cutter's check off, DuckDB
    refuses the bad UTF-8), the batch is cut again file by file."""
    from awsir_tui.events import ingest, loader

    cuts: list[str] = []
    cut = ingest.record_lines

    def counted(path: Path) -> bytes | None:
        cuts.append(path.name)
        return cut(path)

    monkeypatch.setattr(loader, "record_lines", counted)
    monkeypatch.setattr(ingest, "record_lines", counted)
    if not cutter_checks:
        monkeypatch.setattr(ingest, "_valid_utf8", lambda data: True)
    records = with_a_file_not_utf8(tmp_path)
    with EventStore() as store:
        report = load([tmp_path], store, fast=True)
        assert report.skipped == [] and report.events == report.added == 310
        assert [Path(p.source).name for p in report.partial] == ["b.json.gz"]
        assert "U+FFFD" in report.partial[0].reason
        mate = store.get(records[110]["eventID"])  # c.json.gz, in b's batch
        assert mate is not None and '": "' in mate.raw  # the file's own text: DuckDB
    once = ["a.json.gz", "b.json.gz", "c.json.gz"]
    assert sorted(cuts) == (once if cutter_checks else sorted([*once, "b.json.gz", "c.json.gz"]))


def test_a_record_too_big_for_duckdb_is_read_by_python(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from awsir_tui.events import ingest

    records = all_records()[:20]
    (tmp_path / "a.json.gz").write_bytes(envelope_gz(records))
    monkeypatch.setattr(ingest, "MAX_RECORD_BYTES", 100)
    with EventStore() as store:
        report = load([tmp_path], store, fast=True)
        assert report.skipped == report.partial == [] and report.events == 20
        stored = store.get(records[0]["eventID"])
    assert stored is not None and '": "' not in stored.raw  # written out again: Python


@pytest.mark.parametrize("cancelled", [False, True])
def test_a_load_leaves_no_scratch_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cancelled: bool
) -> None:
    """Files are cut into record lines in a scratch folder; done or cancelled, a load
    removes it."""
    import tempfile
    import threading

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    folder = write_format(tmp_path, "envelope.json.gz")
    cancel = threading.Event()
    with EventStore() as store:
        report = load(
            [folder], store, fast=True, cancel=cancel,
            on_progress=lambda p: cancelled and p.files_done and cancel.set(),
        )
        assert report.cancelled == cancelled and 0 < store.count() <= 310
    assert list(scratch.iterdir()) == []


def test_a_cutter_failure_costs_the_fast_path_one_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug in cutting one file into record lines sends that file to the Python
    readers; the rest of its batch still goes through DuckDB."""
    from awsir_tui.events import ingest, loader

    folder = write_format(tmp_path, "envelope.json")
    victim = sorted(folder.iterdir())[3]

    def failing(path: Path) -> bytes | None:
        if path == victim:
            raise ValueError("a cutter bug")
        return ingest.record_lines(path)

    monkeypatch.setattr(loader, "record_lines", failing)
    with EventStore() as store:
        report = load([folder], store)
        assert report.skipped == report.partial == [] and report.events == 310
        raws = [json.loads(victim.read_text())["Records"][0]["eventID"],
                json.loads(sorted(folder.iterdir())[4].read_text())["Records"][0]["eventID"]]
        python, duck = (store.get(event_id) for event_id in raws)
    assert python is not None and '": "' not in python.raw  # written out again: Python
    assert duck is not None and '": "' in duck.raw  # the file's own text: DuckDB


def test_a_full_disk_sends_the_batch_to_the_python_readers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The record lines go to a scratch folder; when it cannot be written, every file
    is still read, by the Python readers."""
    full_scratch(tmp_path, monkeypatch, [f"{index}.jsonl" for index in range(40)])
    folder = write_format(tmp_path, "envelope.json.gz")
    with EventStore() as store:
        report = load([folder], store)
        assert report.skipped == report.partial == [] and report.events == store.count() == 310
        stored = store.get(all_records()[0]["eventID"])
    assert stored is not None and '": "' not in stored.raw  # written out again: Python


def full_scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, full: list[str]) -> None:
    """Loads get ``tmp_path/scratch`` as their scratch folder, where writing any of the
    files named ``full`` fails as on a full disk (they lead to /dev/full)."""
    import contextlib
    import tempfile
    from collections.abc import Iterator

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    for name in full:
        (scratch / name).symlink_to("/dev/full")

    @contextlib.contextmanager
    def folder(*_: object, **__: object) -> Iterator[str]:
        yield str(scratch)

    monkeypatch.setattr(tempfile, "TemporaryDirectory", folder)


def test_a_full_disk_while_retrying_a_refused_batch_costs_only_that_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DuckDB refuses a batch with a bad file; the batch is cut again file by file, and
    if those files cannot be written, its files go to the Python readers. (The cutter
    turns bad UTF-8 away itself; its check is off here to stand for whatever else
    DuckDB might refuse that the cutter lets through.)"""
    from awsir_tui.events import ingest

    monkeypatch.setattr(ingest, "_valid_utf8", lambda data: True)
    records = with_a_file_not_utf8(tmp_path)  # b.json.gz and c.json.gz: batch 1
    full_scratch(tmp_path, monkeypatch, ["1-one.jsonl"])
    with EventStore() as store:
        report = load([tmp_path], store)
        assert report.skipped == [] and report.events == report.added == 310
        mate = store.get(records[110]["eventID"])
    assert mate is not None and '": "' not in mate.raw  # written out again: Python


def test_gzip_members_longer_than_a_read_chunk_are_read_whole(tmp_path: Path) -> None:
    """``cat a.json.gz b.json.gz``, each member over the 1 MB the inflater is fed at a
    time: the second member starts inside a chunk and goes on past it."""
    import os

    records = all_records()
    first = envelope_gz([dict(r, note=os.urandom(6000).hex()) for r in records[:200]])
    second = envelope_gz([dict(r, note=os.urandom(6000).hex()) for r in records[200:]])
    data = first + second
    assert len(first) > 1 << 20 and len(data) > 2 << 20
    inflated, problem = inflate(data)
    assert problem == ""
    assert inflated == gzip.decompress(data)
    (tmp_path / "both.json.gz").write_bytes(data)
    with EventStore() as store:
        report = load([tmp_path], store)
        assert report.skipped == report.partial == [] and store.count() == 310


def test_a_skipped_file_s_first_bytes_are_quoted_once(tmp_path: Path) -> None:
    """Control characters show as ``\\x04`` (clean), not ``\\\\x04`` (repr on top)."""
    (tmp_path / "odd.log").write_bytes(b"\x04ab\x0fcd not a log at all")
    with EventStore() as store:
        report = load([tmp_path], store)
    [problem] = report.skipped
    assert "(starts with '\\x04ab\\x0fcd not a log at all')" in problem.reason


def test_a_file_that_is_no_log_is_quoted_without_its_runs_of_blanks() -> None:
    """The real LICENSE beside the Stratus records starts with a centred title: its 32
    spaces, and the next line's, were quoted and wrapped the reason on `:load`."""
    license_file = Path(__file__).resolve().parents[1].parent / "shared" / "data" / (
        "cloudtrail") / "stratus-red-team" / "LICENSE"
    result = read_file(license_file)
    assert "(starts with 'Apache License␊ Version 2.0, January 20…')" in result.problem, (
        result.problem)
