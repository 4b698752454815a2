"""Event exports (JSON lines of the raw records): no secret written, every record kept
as the log file has it unless redaction had to change it."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

import pytest

from awsir_tui.case.secrets import REDACTED, is_secret_key, might_hold_secret, redact, redact_text
from awsir_tui.events.event_export import safe_record, write_events
from awsir_tui.events.record import from_record
from tests.helpers_events import all_records
from tests.helpers_headless import run_cli

SECRET = "Sup3r-s3cr3t-v4lue-0f-the-attacker"
TOKEN = "FwoGZXIvYXdzEJr//////////wEaDHVzZXItc2Vzc2lvbi10b2tlbi1leGFtcGxlIgZ4"


def _strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [*value.keys(), *(s for v in value.values() for s in _strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def _issued_credentials() -> list[dict]:
    """The real records whose response carries credentials (AssumeRole,
    GetFederationToken), as CloudTrail logs them: the key ID, expiry and session token."""
    return [r for r in all_records() if (r.get("responseElements") or {}).get("credentials")]


def test_exports_keep_issued_key_ids_and_drop_session_tokens(tmp_path: Path) -> None:
    """An AssumeRole or GetFederationToken response's access key ID is the key the
    responder pivots on next: JSON lines and CSV keep it, and its expiry, and drop the
    session token beside it. A flag named after a password is kept as it was."""
    records = _issued_credentials()
    assert {r["eventName"] for r in records} == {"AssumeRole", "GetFederationToken"}
    login = [r for r in all_records() if r["eventName"] == "CreateLoginProfile"]
    events = [from_record(r) for r in (*records, *login)]
    write_events(events, tmp_path / "events.jsonl", "jsonl")
    write_events(events, tmp_path / "events.csv", "csv")
    lines = [json.loads(line) for line in (tmp_path / "events.jsonl").read_text().splitlines()]
    with (tmp_path / "events.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    for record, line, row in zip(records, lines, rows, strict=False):
        issued = record["responseElements"]["credentials"]
        assert line["responseElements"]["credentials"] == {
            "accessKeyId": issued["accessKeyId"],
            "expiration": issued["expiration"],
            "sessionToken": REDACTED,
        }
        assert issued["accessKeyId"] in row["resources"].split(", ")
    written = (tmp_path / "events.jsonl").read_text() + (tmp_path / "events.csv").read_text()
    for record in records:
        assert record["responseElements"]["credentials"]["sessionToken"][:40] not in written
    [created] = lines[len(records):]
    assert created["requestParameters"]["passwordResetRequired"] is False
    assert created["responseElements"]["loginProfile"]["passwordResetRequired"] is False


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


def _spellings(name: str) -> list[str]:
    """``name`` as people write key names: any case, a separator between any two letters."""
    found = [name, name.upper(), name.title()]
    for cut in range(1, len(name)):
        for separator in ("_", "-", ".", " ", "/", "__", ":", "\t", "\u00ad"):
            found.append(name[:cut] + separator + name[cut:].upper())
    return found


def test_the_quick_look_sees_every_secret_name_however_it_is_spelt() -> None:
    """Whatever the case and separators (written as JSON, escapes and all), a name the
    redaction removes the value of is one the export's first look does not clear."""
    from awsir_tui.case.secrets import _SECRET_KEY_PARTS, _SECRET_KEYS_EXACT
    from awsir_tui.events.event_export import may_hold_secrets

    event = from_record(all_records()[0])
    for name in (*_SECRET_KEY_PARTS, *_SECRET_KEYS_EXACT):
        for spelling in _spellings(name):
            assert is_secret_key(spelling), spelling
            for raw in (json.dumps({spelling: SECRET}),
                        json.dumps({spelling: SECRET}, ensure_ascii=False)):
                assert may_hold_secrets(replace(event, raw=raw)), raw


@pytest.mark.parametrize(
    "key",
    ["pass\\u0077ord", "pass\\nword", "api\\tkey", "pr\\u0130vateKey", "Se\\u00adcret"],
    ids=["unicode-escape", "newline", "tab", "dotted-I", "soft-hyphen"],
)
def test_a_secret_name_hidden_by_json_escapes_is_still_redacted(
    tmp_path: Path, key: str
) -> None:
    """The raw text does not show the name an escape spells; the parsed record does."""
    record = next(dict(r) for r in all_records() if not might_hold_secret(json.dumps(r)))
    raw = json.dumps(record)[:-1] + f', "{key}": "{SECRET}"}}'
    event = replace(from_record(record), raw=raw)
    path = tmp_path / "events.jsonl"
    write_events([event], path, "jsonl")
    assert SECRET not in path.read_text()


def test_a_secret_in_a_repeated_key_is_not_written(tmp_path: Path) -> None:
    """Parsed, a repeated key keeps its last value: the redaction sees an empty
    password and changes nothing, but the raw text still has the first one."""
    record = next(dict(r) for r in all_records() if not might_hold_secret(json.dumps(r)))
    raw = json.dumps(record)[:-1] + f', "password": "{SECRET}", "password": ""}}'
    path = tmp_path / "events.jsonl"
    write_events([replace(from_record(record), raw=raw)], path, "jsonl")
    assert SECRET not in path.read_text()


def test_redaction_sees_through_letters_python_folds_differently() -> None:
    """``re`` matches ``ſ`` (long s) as ``s`` case-blind, ``str.lower`` does not: the
    quick look must not clear what the redaction's own patterns catch."""
    from awsir_tui.case.secrets import redact_text

    assert SECRET not in redact_text(f"pa\u017f\u017fword={SECRET}")
    assert SECRET not in redact_text(f"\u017fecret_access_key={SECRET}")


def test_stale_partial_exports_are_removed(tmp_path: Path) -> None:
    """An export whose process died (the SSH session dropped) leaves its hidden partial
    file, which can be gigabytes: the next look at the export folder removes it, not a
    partial file still being written."""
    import os
    import time

    from awsir_tui.events.event_export import export_dir

    dead = tmp_path / ".events-1.jsonl.abc123.tmp"
    live = tmp_path / ".events-2.jsonl.def456.tmp"
    done = tmp_path / "events-0.jsonl"
    for path in (dead, live, done):
        path.write_text("{}\n")
    hour_ago = time.time() - 3600
    os.utime(dead, (hour_ago, hour_ago))
    os.utime(done, (hour_ago, hour_ago))
    assert export_dir(tmp_path) == tmp_path
    assert sorted(p.name for p in tmp_path.iterdir()) == [live.name, done.name]


def test_an_export_told_to_stop_writes_nothing(tmp_path: Path) -> None:
    """Quitting sets the export's stop flag: it ends at its next check (every few
    thousand events) and leaves no file, partial or whole."""
    import threading

    from awsir_tui.events.event_export import ExportStopped

    events = [replace(from_record(r), event_id=f"{i}-{r['eventID']}")
              for i in range(20) for r in all_records()]
    stop = threading.Event()
    stop.set()
    with pytest.raises(ExportStopped):
        write_events(events, tmp_path / "events.jsonl", "jsonl", stop=stop)
    assert list(tmp_path.iterdir()) == []
    written = write_events(events, tmp_path / "events.jsonl", "jsonl", stop=threading.Event())
    assert written == len(events) > 5_000


def test_a_bare_key_pair_in_a_tag_is_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A secret key pasted bare beside its key ID (``AKIA…,wJalr…`` in a tag's value) has
    no name to say it is one: the screen and the case redacted it, and JSON lines, CSV
    and the headless command wrote it out in clear."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    record = next(dict(r) for r in all_records() if not might_hold_secret(json.dumps(r)))
    record["requestParameters"] = {"tagSet": {"items": [
        {"key": "note", "value": f"AKIAIOSFODNN7EXAMPLE,{secret}"}]}}
    events = [from_record(record)]
    for format in ("jsonl", "csv"):
        assert write_events(events, tmp_path / f"events.{format}", format) == 1
        assert secret not in (tmp_path / f"events.{format}").read_text(), format
    [written] = (tmp_path / "events.jsonl").read_text().splitlines()
    assert "AKIAIOSFODNN7EXAMPLE" in written
    source = tmp_path / "logs.json"
    source.write_text(json.dumps({"Records": [record]}))
    code, out, err = run_cli("events", "--source", str(source), "--format", "jsonl")
    assert code == 0, err
    [line] = out.splitlines()
    assert secret not in out and json.loads(line)["eventID"] == record["eventID"]


def test_a_bare_key_pair_written_with_escaped_slashes_is_not_written(tmp_path: Path) -> None:
    """JSON may write each ``/`` as ``\\/`` (a review): the run of 40 base64 characters
    the first look searches for was broken there, and the record went out as it came,
    the key in it; the page and ``Y`` showed it too."""
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    record = next(dict(r) for r in all_records() if not might_hold_secret(json.dumps(r)))
    record["requestParameters"] = {"tagSet": {"items": [
        {"key": "note", "value": f"AKIAIOSFODNN7EXAMPLE,{secret}"}]}}
    text = json.dumps(record).replace("/", "\\/")
    event = replace(from_record(json.loads(text)), raw=text)
    path = tmp_path / "events.jsonl"
    assert write_events([event], path, "jsonl") == 1
    written = path.read_text()
    for spelt in (secret, secret.replace("/", "\\/")):
        assert spelt not in written and spelt not in json.dumps(safe_record(event))
        assert spelt not in redact_text(text)
    assert "AKIAIOSFODNN7EXAMPLE" in written
