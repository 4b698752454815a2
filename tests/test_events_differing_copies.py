"""Two copies of one event (same eventID) that are not the same record: the load says
so, names the event, and says which copy it kept; the CLI, the coverage file and a
store file reopened say it too (#5). Without the trail's digest files, that is the
only sign of tampering a responder gets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from awsir_tui.events.coverage import sidecar_path
from awsir_tui.events.load_history import stored_loads
from awsir_tui.events.loader import load
from awsir_tui.events.store import EventStore
from tests.helpers_events import all_records, envelope_gz
from tests.helpers_headless import run_cli


def tampered_copy(folder: Path) -> tuple[list[dict[str, Any]], str]:
    """The real Stratus records in ``folder`` twice: as S3 delivers them (``a``, the
    fast path, read first) and again as a JSON array (``b``, the Python readers: each
    record written out again, so the same record's text differs in spacing and escapes)
    with one record altered. Returns the records and the altered one's eventID."""
    records = all_records()[:40]
    (folder / "a.json.gz").write_bytes(envelope_gz(records))
    altered = dict(records[7], eventName="Tampered", sourceIPAddress="6.6.6.6")
    copies = [*records[:7], altered, *records[8:]]
    (folder / "b.json").write_text(json.dumps(copies, indent=2, ensure_ascii=False))
    return records, str(records[7]["eventID"])


def test_a_load_names_the_event_whose_copies_differ_and_keeps_the_first(
    tmp_path: Path,
) -> None:
    records, altered = tampered_copy(tmp_path)
    with EventStore() as store:
        report = load([tmp_path], store)
        kept = store.get(altered)
        assert store.count() == len(records)
    assert (report.events, report.added) == (2 * len(records), len(records))
    # Only the altered one: the other 39 copies are the same records, written otherwise.
    assert (report.differing, report.differing_ids) == (1, [altered])
    assert kept is not None and kept.source_ip != "6.6.6.6"
    assert kept.event_name == records[7]["eventName"]
    assert ("1 event ID read twice with copies that differ (kept the copy read first)"
            in report.summary())
    assert altered in report.differing_note()
    assert "the other copy differs" in report.differing_note()


def reversed_keys(value: Any) -> Any:
    """``value`` with the keys of every object in it (nested ones too) in reverse
    order: the same record as a tool that rewrites it gives it back (``jq -S``, a
    SIEM's export)."""
    if isinstance(value, dict):
        return {key: reversed_keys(value[key]) for key in reversed(value)}
    if isinstance(value, list):
        return [reversed_keys(item) for item in value]
    return value


def test_the_same_records_with_their_keys_in_another_order_are_no_tampering(
    tmp_path: Path,
) -> None:
    """DuckDB's json() keeps key order: compared by it alone, every record of a copy
    rewritten key by key counted as altered, and the coverage verdict turned PARTIAL."""
    records = all_records()
    (tmp_path / "a.json.gz").write_bytes(envelope_gz(records))
    (tmp_path / "b.json").write_text(json.dumps([reversed_keys(r) for r in records]))
    with EventStore() as store:
        report = load([tmp_path], store)
    assert (report.events, report.added) == (2 * len(records), len(records))
    assert (report.differing, report.differing_ids) == (0, [])


def test_an_altered_copy_among_reordered_ones_is_the_one_found(tmp_path: Path) -> None:
    """Every record's keys in another order and one record altered: only that one."""
    records = all_records()
    (tmp_path / "a.json.gz").write_bytes(envelope_gz(records))
    copies = [reversed_keys(r) for r in records]
    copies[7] = {**copies[7], "eventName": "Tampered"}
    (tmp_path / "b.json").write_text(json.dumps(copies))
    with EventStore() as store:
        report = load([tmp_path], store)
    assert (report.differing, report.differing_ids) == (1, [str(records[7]["eventID"])])


def test_a_load_of_the_same_records_twice_finds_nothing_differing(tmp_path: Path) -> None:
    """An archive read again through both readers is no tampering."""
    records = all_records()[:40]
    (tmp_path / "a.json.gz").write_bytes(envelope_gz(records))
    (tmp_path / "b.json").write_text(json.dumps(records, indent=2, ensure_ascii=False))
    with EventStore() as store:
        report = load([tmp_path], store)
    assert report.added == len(records)
    assert (report.differing, report.differing_ids, report.differing_note()) == (0, [], "")
    assert "differ" not in report.summary()


def test_the_cli_and_the_coverage_file_say_the_copies_differ(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    _, altered = tampered_copy(logs)
    export = tmp_path / "out.csv"
    code, _, err = run_cli("--source", str(logs), "events", "--format", "csv",
                           "--output", str(export))
    assert code == 0, err
    assert ("1 event ID read twice with copies that differ (kept the copy read first)"
            in err)
    assert altered in err  # the ID, to find its files with: not only a count
    coverage = sidecar_path(export).read_text()
    first = coverage.splitlines()[0]
    assert first.startswith("coverage: PARTIAL: 1 event ID read twice with copies that "
                            "differ (kept the copy read first; the other copy is not in "
                            "the export)"), first
    assert "copies differ: 1 event ID read more than once" in coverage
    assert altered in coverage


def test_a_store_file_reopened_still_says_the_copies_differed(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    _, altered = tampered_copy(logs)
    path = tmp_path / "case.duckdb"
    with EventStore(path) as store:
        load([logs], store)
    with EventStore(path) as reopened:
        [kept] = stored_loads(reopened)
    assert kept.recorded
    assert (kept.report.differing, kept.report.differing_ids) == (1, [altered])
    export = tmp_path / "again.csv"
    code, _, err = run_cli("--store", str(path), "events", "--format", "csv",
                           "--output", str(export))
    assert code == 0, err
    assert "copies that differ" in sidecar_path(export).read_text().splitlines()[0]
