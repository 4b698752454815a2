"""A bare word is not searched inside the secrets the screen shows redacted: found
there, it would confirm a guessed password or key, and the row it brings up shows
nothing that matches. The store's SQL and the Python predicate (Event history) agree.

Over the real Stratus records (their session tokens) and the CreateAccessKey and
CreateLoginProfile a QA tester wrote (a secret key, a password)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from awsir_tui.case.secrets import redact, shown_raw
from awsir_tui.events.loader import load
from awsir_tui.events.record import Event
from awsir_tui.events.store import EventStore
from awsir_tui.query import EVENT_FIELDS, compile_predicate, compile_sql, parse
from tests.helpers_events import all_records

PASSWORD = "Hunter2Password!"
SECRET_KEY = "wJalrXUtnFEMIK7MDENGbPxRfiCYSECRETSECRET"


def secrets_in(record: Any, shown: Any) -> list[str]:
    """The strings of ``record`` that :func:`redact` (``shown``) replaced."""
    if isinstance(record, dict):
        return [s for key, value in record.items()
                for s in secrets_in(value, shown.get(key) if isinstance(shown, dict) else None)]
    if isinstance(record, list):
        shown = shown if isinstance(shown, list) else [None] * len(record)
        return [s for value, other in zip(record, shown, strict=True)
                for s in secrets_in(value, other)]
    return [record] if isinstance(record, str) and record != shown else []


def hostile_records() -> list[dict[str, Any]]:
    """An attacker's new access key and console password, as CloudTrail logs them."""
    base = {"eventVersion": "1.08", "eventTime": "2026-11-29T10:00:00Z",
            "eventSource": "iam.amazonaws.com", "awsRegion": "us-east-1",
            "sourceIPAddress": "198.51.100.7", "userAgent": "aws-cli/2",
            "eventType": "AwsApiCall", "recipientAccountId": "123456789012",
            "userIdentity": {"type": "IAMUser", "userName": "mallory"}}
    return [
        {**base, "eventID": "qa-key", "eventName": "CreateAccessKey",
         "requestParameters": {"userName": "backdoor"},
         "responseElements": {"accessKey": {
             "accessKeyId": "AKIAEXAMPLEBACKDOOR", "status": "Active",
             "secretAccessKey": SECRET_KEY, "userName": "backdoor"}}},
        {**base, "eventID": "qa-password", "eventName": "CreateLoginProfile",
         "requestParameters": {"userName": "backdoor", "password": PASSWORD,
                               "passwordResetRequired": False}},
    ]


@pytest.mark.parametrize("separators", [(",", ":"), (", ", ": ")])
def test_no_secret_of_the_real_logs_is_left_in_the_searched_text(
    separators: tuple[str, str],
) -> None:
    """Every value the screen redacts, in every real record, is gone from the text a
    bare word is searched in, written compact (as CloudTrail does) or spaced."""
    records = all_records() + hostile_records()
    checked = 0
    for record in records:
        raw = json.dumps(record, separators=separators)
        for secret in secrets_in(record, redact(record)):
            assert secret not in shown_raw(raw), (record["eventID"], secret[:20])
            checked += 1
    assert checked >= 11  # 9 session tokens, a secret key, a password


def fragments() -> list[tuple[str, str]]:
    """``(event ID, a piece of one of its secrets)``: a responder's guess."""
    pieces = [("qa-key", "SECRETSECRET"), ("qa-password", "Hunter2")]
    for record in all_records():
        for secret in secrets_in(record, redact(record)):
            pieces.append((record["eventID"], secret[60:80]))
    return pieces


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> EventStore:
    folder: Path = tmp_path_factory.mktemp("logs")
    (folder / "stratus.json").write_text(json.dumps({"Records": all_records()}))
    (folder / "qa.json").write_text(json.dumps({"Records": hostile_records()}))
    events = EventStore()
    load([folder], events)
    return events


def ids_found(store: EventStore, text: str) -> set[str]:
    where, params = compile_sql(parse(text, EVENT_FIELDS), EVENT_FIELDS)
    return {e.event_id for e in store.events(where, params)}


def ids_matched(store: EventStore, text: str) -> set[str]:
    match = compile_predicate(parse(text, EVENT_FIELDS), EVENT_FIELDS)
    every: list[Event] = list(store.events())
    return {e.event_id for e in every if match(e)}


@pytest.mark.parametrize("finder", [ids_found, ids_matched], ids=["sql", "predicate"])
def test_a_piece_of_a_secret_finds_nothing_and_the_rest_still_finds_its_event(
    store: EventStore, finder: Any,
) -> None:
    for event_id, piece in fragments():
        assert event_id not in finder(store, piece), piece
        assert event_id in finder(store, f"-{piece}"), piece  # negated, it is kept
    # What the screen shows of those events is still found.
    assert finder(store, "AKIAEXAMPLEBACKDOOR") == {"qa-key"}
    assert "qa-password" in finder(store, "passwordResetRequired")
    federation = next(r for r in all_records() if r["eventName"] == "GetFederationToken")
    issued = federation["responseElements"]["credentials"]["accessKeyId"]
    assert federation["eventID"] in finder(store, issued)  # and what it was used for
    assert federation["eventID"] in finder(store, "GetFederationToken")
    # The secret's name shows, so it is found.
    assert federation["eventID"] in finder(store, "sessionToken")
    assert "qa-password" in finder(store, "password")
