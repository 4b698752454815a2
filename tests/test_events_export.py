"""Event exports (JSON lines of the raw records): no secret written, every record kept
as the log file has it unless redaction had to change it."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from awsir_tui.case.secrets import is_secret_key, might_hold_secret, redact
from awsir_tui.events.event_export import write_events
from awsir_tui.events.record import from_record
from tests.helpers_events import all_records

SECRET = "Sup3r-s3cr3t-v4lue-0f-the-attacker"
TOKEN = "FwoGZXIvYXdzEJr//////////wEaDHVzZXItc2Vzc2lvbi10b2tlbi1leGFtcGxlIgZ4"


def _strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [*value.keys(), *(s for v in value.values() for s in _strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def test_the_quick_look_misses_nothing_redaction_changes_in_the_real_records() -> None:
    """The export skips parsing a record :func:`might_hold_secret` clears. On every real
    record: such a record, and such a string or key, is one redaction leaves alone."""
    cleared = 0
    for record in all_records():
        raw = json.dumps(record)
        if not might_hold_secret(raw):
            cleared += 1
            assert redact(record) == record
        for text in _strings(record):
            if not might_hold_secret(text):
                assert redact(text) == text and not is_secret_key(text)
    assert cleared > 50  # the quick look does clear most records


@pytest.mark.parametrize(
    "name",
    ["api_key", "API-KEY", "apiKey", "KEY_MATERIAL", "Private-Key", "client_secret",
     "db_password", "aws_session_token", "accessToken", "Credentials"],
)
def test_secret_named_fields_are_redacted_whatever_their_separators(
    tmp_path: Path, name: str
) -> None:
    # A record that mentions nothing secret-like elsewhere: only the field can give it away.
    record = next(dict(r) for r in all_records() if not might_hold_secret(json.dumps(r)))
    record["requestParameters"] = {"environment": {name: SECRET}, "instanceId": "i-1"}
    path = tmp_path / "events.jsonl"
    assert write_events([from_record(record)], path, "jsonl") == 1
    text = path.read_text()
    assert SECRET not in text and '"instanceId":"i-1"' in text


def test_a_record_redaction_leaves_as_is_keeps_its_text(tmp_path: Path) -> None:
    """Mentioning a token or a secret is not holding one: such records are written as
    the log file has them (spacing, escapes, key order), not written out again; a
    record that held a secret is written out redacted."""
    records = all_records()[:2]
    quiet = json.dumps(dict(records[0], eventName="GetSecretValue", nextToken="abc/def"),
                       indent=None, separators=(", ", ": "))
    leaky = json.dumps(dict(records[1], note=f"token {TOKEN} here"))
    events = [replace(from_record(json.loads(text)), raw=text) for text in (quiet, leaky)]
    path = tmp_path / "events.jsonl"
    write_events(events, path, "jsonl")
    first, second = path.read_text().splitlines()
    assert first == quiet
    assert TOKEN not in second and json.loads(second)["eventID"] == records[1]["eventID"]
