"""JSON output of attacker-written values: every character a terminal acts on or that
shows as nothing (C1 controls, the 8-bit CSI, OSC and ST among them; line and paragraph
separators; bidi controls; zero-width characters) is written as a JSON escape, so that
``cat`` of the output cannot drive the responder's terminal, and each record parses
back to the log's own values. The real records are written as before."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from awsir_tui.events.event_export import safe_record, write_events
from awsir_tui.events.loader import load
from awsir_tui.events.record import from_record
from awsir_tui.events.store import EventStore
from tests.helpers_events import federation_token_record, lookup_item, stratus_files
from tests.helpers_headless import run_cli

#: What QA found written raw: C1 controls (NEL, CSI, ST, OSC and the range's ends),
#: DEL, line and paragraph separators, bidi embeddings, overrides, isolates and marks,
#: zero-width space, non-joiner, joiner and the byte order mark.
TERMINAL_CHARACTERS = [
    "\x7f", "\x80", "\x85", "\x9b", "\x9c", "\x9d", "\x9f", "\u2028", "\u2029",
    *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A)),
    "\u200e", "\u200f", "\u061c", "\u200b", "\u200c", "\u200d", "\ufeff",
]
STOP = "aws.defense-evasion.cloudtrail-stop"


def _crafted(kind: int) -> list[dict[str, Any]]:
    """The real StopLogging record (a finding fires on it), once per character, the
    character in its event ID (``kind`` keeps two sets' IDs apart), trail name, user
    agent and a key of its own."""
    stop = next(r for r in stratus_files()[STOP] if r["eventName"] == "StopLogging")
    records = []
    for number, char in enumerate(TERMINAL_CHARACTERS):
        record = json.loads(json.dumps(stop))
        record["eventID"] = f"{stop['eventID'][:-5]}{kind}{number:04d}{char}2J"
        record["requestParameters"]["name"] = f"trail{char}]0;title{char}"
        record["userAgent"] = f"aws-cli{char}"
        record["requestParameters"][f"key{char}"] = char
        records.append(record)
    return records


def _with_a_secret() -> dict[str, Any]:
    """The real GetFederationToken record (its session token is redacted, so it is
    written out again), every character in its user agent."""
    record = federation_token_record()
    return dict(record, eventID=f"{record['eventID'][:-5]}30000",
                userAgent="aws-cli" + "".join(TERMINAL_CHARACTERS))


def _every_crafted() -> list[dict[str, Any]]:
    return [*_crafted(1), *_crafted(2), _with_a_secret()]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Every real Stratus technique's records as CloudTrail log files (the ``Records``
    envelope), and the crafted ones with their characters raw, as a log file and as
    LookupEvents items (each record the text AWS returned: the tool keeps it)."""
    logs = tmp_path / "logs"
    logs.mkdir()
    for name, records in stratus_files().items():
        (logs / f"{name}.json").write_text(json.dumps({"Records": records}), encoding="utf-8")
    (logs / "crafted.json").write_text(
        json.dumps({"Records": [*_crafted(1), _with_a_secret()]}, ensure_ascii=False),
        encoding="utf-8",
    )
    items = [
        dict(lookup_item(record), CloudTrailEvent=json.dumps(record, ensure_ascii=False))
        for record in _crafted(2)
    ]
    (logs / "lookup-events.json").write_text(
        json.dumps({"Events": items}, ensure_ascii=False), encoding="utf-8"
    )
    return logs


def _assert_inert(text: str) -> None:
    raw = [hex(ord(c)) for c in sorted(set(text)) if c in TERMINAL_CHARACTERS]
    assert not raw, raw


def _old_line(record: dict[str, Any]) -> str:
    """A real record's JSON line as the command wrote it before (and still must)."""
    return json.dumps(safe_record(from_record(record)), ensure_ascii=False, separators=(",", ":"))


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_events_json_writes_terminal_characters_as_escapes(folder: Path, fmt: str) -> None:
    """``awsir-tui events --format jsonl|json``: no such character is written raw, each
    crafted record parses back to the log's values, and the real records' lines are
    the same as before."""
    code, out, _err = run_cli("--source", str(folder), "events", "--format", fmt)
    assert code == 0
    _assert_inert(out)
    written = [json.loads(line) for line in out.splitlines()] if fmt == "jsonl" else json.loads(out)
    by_id = {record["eventID"]: record for record in written}
    crafted = _every_crafted()
    for record in crafted:
        assert by_id[record["eventID"]] == safe_record(from_record(record))
    real = [r for records in stratus_files().values() for r in records]
    assert len(written) == len(real) + len(crafted)
    if fmt == "jsonl":
        lines = {json.loads(line)["eventID"]: line for line in out.splitlines()}
        for record in real:
            assert lines[record["eventID"]] == _old_line(record)


def test_findings_json_writes_terminal_characters_as_escapes(folder: Path) -> None:
    """``awsir-tui findings --format json``: a finding's event IDs are the attacker's
    (they come from the records), written as escapes; parsed, they are the log's IDs."""
    code, out, _err = run_cli("--source", str(folder), "findings", "--format", "json")
    assert code == 0
    _assert_inert(out)
    ids = {i for finding in json.loads(out) for i in finding["event_ids"]}
    assert {record["eventID"] for record in [*_crafted(1), *_crafted(2)]} <= ids


def test_the_export_file_writes_terminal_characters_as_escapes(
    folder: Path, tmp_path: Path
) -> None:
    """The events view's export (``x``) writes each raw record: a crafted one with its
    characters as escapes, parsing back to the log's values; a real one exactly as the
    log has it (or redacted, where it holds a secret), as before."""
    path = tmp_path / "events.jsonl"
    with EventStore() as store:
        load([folder], store)
        events = list(store.events(order="event_time DESC"))
        write_events(events, path, "jsonl")
    data = path.read_bytes()
    _assert_inert(data.decode("utf-8"))
    lines = data.decode("utf-8").splitlines()
    assert len(lines) == len(events)
    crafted = {record["eventID"]: record for record in _every_crafted()}
    assert any("\x9b" in event.raw for event in events)  # the crafted raw text holds them
    for event, line in zip(events, lines, strict=True):
        if event.event_id in crafted:
            assert json.loads(line) == safe_record(from_record(crafted[event.event_id]))
        elif safe_record(event) == event.record():
            assert line == event.raw
        else:
            assert json.loads(line) == safe_record(event)
    assert sum(event.event_id in crafted for event in events) == len(crafted)
