"""Exports: every format, hostile values neutralised, and no secret ever written."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest

from awsir_tui.case import Case, CaseStore, TimelineEntry, export_case, export_findings
from awsir_tui.case.export import csv_cell, md
from awsir_tui.case.secrets import REDACTED, redact, redact_text, safe_text
from awsir_tui.detect import Detector, Finding
from awsir_tui.detect.finding import severity_rank
from awsir_tui.events.record import from_record
from awsir_tui.text import INVISIBLE
from tests.helpers_detect import technique_events, technique_records

SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
SESSION_TOKEN = "FwoGZXIvYXdzEJr//////////wEaDHVzZXItc2Vzc2lvbi10b2tlbi1leGFtcGxlIgZ4"
PASSWORD = "Hunter2-correct-horse"
SECRETS = (SECRET_KEY, SESSION_TOKEN, PASSWORD, "BEGIN RSA PRIVATE KEY")

FORMULAS = ["=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", '@HYPERLINK("http://x")']


def leaky_credentials_record() -> dict:
    """The real CreateAccessKey record, given the secret CloudTrail itself omits (as a
    hostile or misconfigured source could supply) plus a session's credentials."""
    record = next(
        r
        for r in technique_records("persistence.iam-create-admin-user")
        if r["eventName"] == "CreateAccessKey"
    )
    record["responseElements"]["accessKey"]["secretAccessKey"] = SECRET_KEY
    record["responseElements"]["credentials"] = {
        "accessKeyId": "ASIAP5CT9NN8EYVU1FXV",
        "secretAccessKey": SECRET_KEY,
        "sessionToken": SESSION_TOKEN,
    }
    record["requestParameters"]["password"] = PASSWORD
    record["responseElements"]["keyMaterial"] = (
        "-----BEGIN RSA PRIVATE KEY-----\\nMIIEow\\n-----END RSA PRIVATE KEY-----"
    )
    return record


@pytest.fixture
def case_and_events():
    events = [
        *technique_events("credential-access.ec2-steal-instance-credentials"),
        from_record(leaky_credentials_record()),
    ]
    findings = Detector().run(events)
    case = Case("incident-42", account="017622104382")
    for formula in FORMULAS:
        case.mark(formula, kind="user-agent", source="events", region="us-east-1")
    case.mark("\x1b[2J\x1b[31mred\rline\nbreak", kind="other", source="tags")
    case.mark("[click me](http://evil.example)<script>|x|", kind="user-agent", source="events")
    case.mark("i-786a3A8B5C0d92eF4", source="instances", region="us-north-2r", note="the proxy")
    case.mark("18.236.253.47", source="events", region="us-north-2r", ref=events[0].event_id)
    case.mark_event(events[0])
    for finding in findings:
        case.keep_finding(finding, events)
    case.add_note(f'pasted by mistake: "SecretAccessKey": "{SECRET_KEY}"')
    case.add_note(f"aws_session_token={SESSION_TOKEN} password: {PASSWORD}")
    return case, events, findings


def test_redact_removes_secrets_from_records():
    cleaned = redact(leaky_credentials_record())
    text = json.dumps(cleaned)
    assert not any(secret in text for secret in SECRETS)
    assert cleaned["responseElements"]["credentials"] == {
        "accessKeyId": "ASIAP5CT9NN8EYVU1FXV",  # the issued key: an indicator, not a secret
        "secretAccessKey": REDACTED,
        "sessionToken": REDACTED,
    }
    assert cleaned["responseElements"]["accessKey"]["secretAccessKey"] == REDACTED
    assert cleaned["responseElements"]["accessKey"]["accessKeyId"] == "AKIAXAFZN8JEPF6L682H"
    assert cleaned["requestParameters"]["userName"] == "malicious-iam-user"


def test_redact_keeps_what_describes_a_secret():
    """A flag or a number named after a password describes it: an attacker weakening the
    password policy (UpdateAccountPasswordPolicy) must stay readable. Any other value of
    a credentials object than the key ID and expiry is a secret (Cognito's SecretKey)."""
    policy = {"minimumPasswordLength": 6, "passwordReusePrevention": 0,
              "allowUsersToChangePassword": True, "passwordResetRequired": False,
              "password": PASSWORD}
    assert redact(policy) == {**policy, "password": REDACTED}
    cognito = {"Credentials": {"AccessKeyId": "ASIAP5CT9NN8EYVU1FXV", "SecretKey": SECRET_KEY,
                               "SessionToken": SESSION_TOKEN, "Expiration": 1722376000}}
    assert redact(cognito) == {"Credentials": {**cognito["Credentials"],
                                               "SecretKey": REDACTED, "SessionToken": REDACTED}}
    assert redact({"apiKey": {"id": "da2-abcdefghijklmnop"}}) == {"apiKey": REDACTED}
    assert redact({"credentials": "user:" + PASSWORD}) == {"credentials": REDACTED}
    # A number named only as a secret is one (a PIN); a measure of a secret is not.
    assert redact({"password": 123456, "clientSecret": 4321.0, "maxPasswordAge": 90}) == {
        "password": REDACTED, "clientSecret": REDACTED, "maxPasswordAge": 90}


def test_a_bare_key_pair_is_redacted_and_a_hash_beside_a_key_id_is_not():
    """A pair pasted in a note without its names (QA: the case file and every export
    kept the secret key) is still a secret key; a SHA-1 in hex is 40 characters too."""
    pair = "leaked pair AKIAIOSFODNN7EXAMPLE,wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    assert redact_text(pair) == f"leaked pair AKIAIOSFODNN7EXAMPLE,{REDACTED}"
    assert safe_text(f"ASIAIOSFODNN7EXAMPLE {SECRET_KEY}") == f"ASIAIOSFODNN7EXAMPLE {REDACTED}"
    sha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709"
    assert redact_text(f"AKIAIOSFODNN7EXAMPLE {sha1}") == f"AKIAIOSFODNN7EXAMPLE {sha1}"
    assert redact_text("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY alone") == (
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY alone")  # no key ID: not recognised


@pytest.mark.parametrize(
    "text",
    [
        f'{{"SecretAccessKey": "{SECRET_KEY}"}}',
        f"aws_secret_access_key = {SECRET_KEY}",
        f"AWS_SESSION_TOKEN={SESSION_TOKEN}",
        f"token {SESSION_TOKEN} alone",
        f"x-amz-security-token: {SESSION_TOKEN}",
        f'"password":"{PASSWORD}"',
    ],
)
def test_redact_text_forms(text):
    redacted = redact_text(text)
    assert SECRET_KEY not in redacted and SESSION_TOKEN not in redacted
    assert PASSWORD not in redacted and REDACTED in redacted


@pytest.mark.parametrize("fmt", ["txt", "csv", "json", "md"])
def test_no_secret_in_any_export_or_the_saved_case(tmp_path, case_and_events, fmt):
    case, events, _findings = case_and_events
    text = export_case(case, fmt, identity="arn:aws:iam::1:user/responder", events=events)
    assert not any(secret in text for secret in SECRETS)
    assert "\x1b" not in text
    saved = CaseStore(tmp_path).save(case).read_text()
    assert not any(secret in saved for secret in SECRETS)


PLAIN_TOKEN = "NotAPrefixedSessionToken0123456789"


@pytest.mark.parametrize("fmt", ["txt", "csv", "json", "md"])
def test_secrets_are_redacted_before_the_export_escapes_or_cuts_them(fmt):
    """Markdown escapes ``_`` (``aws\\_secret\\_access\\_key``), cleaning turns a newline
    into a symbol and long cells are cut short: each, done before the redaction, hides
    the secret from it and the export writes it in clear."""
    case = Case("escaped")
    case.mark("18.236.253.47", source="events",
              note=f"attacker aws_secret_access_key={SECRET_KEY}")
    case.mark(f"session_token={PLAIN_TOKEN}", kind="other", source="notes")
    case.mark(f"x password\n={PASSWORD}", kind="other", source="notes")
    case.timeline["e1"] = TimelineEntry("e1", datetime(2024, 7, 30, tzinfo=UTC),
                                        why="x" * 100 + " " + SESSION_TOKEN)
    case.add_note(f"pass\u202eword={PASSWORD} and security_token={PLAIN_TOKEN}")
    text = export_case(case, fmt)
    for secret in (SECRET_KEY, PLAIN_TOKEN, PASSWORD, SESSION_TOKEN[:16]):
        assert secret not in text, secret
    assert "REDACTED" in text and "18.236.253.47" in text
    if fmt == "md":
        assert r"aws\_secret\_access\_key=\*\*REDACTED\*\*" in text


def test_txt_starts_with_one_clean_value_per_line(case_and_events):
    """The indicators first, bare (the blog's text file), then the rest under ``# ``
    headings, and no blank line (a blank ``grep -f`` pattern matches everything)."""
    case, _, _ = case_and_events
    lines = export_case(case, "txt").splitlines()
    first_heading = next(n for n, line in enumerate(lines) if line.startswith("# "))
    values = lines[:first_heading]
    assert len(values) == len(case.indicators)
    assert "i-786a3A8B5C0d92eF4" in values and "18.236.253.47" in values
    assert "\\x1b[2J\\x1b[31mred\\x0dline\u240abreak" in values
    assert all(line.strip() for line in lines)
    # A note on an indicator, which the bare values cannot carry, has a section.
    assert lines[lines.index("# 1 note on indicators") + 1] == (
        "instance-id  i-786a3A8B5C0d92eF4  the proxy"
    )


def test_csv_neutralises_formulas(case_and_events):
    case, _, _ = case_and_events
    rows = list(csv.DictReader(io.StringIO(export_case(case, "csv"))))
    assert sum(row["record"] == "indicator" for row in rows) == len(case.indicators)
    values = {row["value"] for row in rows}
    for formula in FORMULAS:
        assert "'" + formula in values
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@")), cell
    proxy = next(row for row in rows if row["value"] == "i-786a3A8B5C0d92eF4")
    assert proxy["kind"] == "instance-id" and proxy["where"] == "instances us-north-2r"
    assert proxy["note"] == "the proxy"


def test_json_round_trips_indicators(case_and_events):
    case, _, _ = case_and_events
    data = json.loads(export_case(case, "json"))["indicators"]
    assert {(i["kind"], i["value"]) for i in data} == set(case.indicators)
    ip = next(i for i in data if i["value"] == "18.236.253.47")
    assert ip["sightings"][0]["ref"]


def test_markdown_report_sections_and_escaping(case_and_events):
    case, events, findings = case_and_events
    case.note_read("us-east-1", "EC2")
    case.note_read("us-east-1", "Event history")
    report = export_case(
        case,
        "md",
        identity="arn:aws:iam::017622104382:user/responder",
        events=events,
    )
    for heading in (
        "# Incident case: incident-42",
        "## Findings",
        "## Indicators",
        "## Timeline",
        "## Notes",
    ):
        assert heading in report
    assert "- Regions read from AWS: us-east-1 (EC2, Event history)\n" in report
    assert (  # the events' regions (as their records say) and the sightings'
        "- Regions of the events and indicators: ap-isob-central-3r, us-east-1, us-north-2r\n"
        in report
    )
    assert "arn:aws:iam::017622104382:user/responder" in report
    for finding in findings:
        assert finding.technique in report
    assert "Instance role credentials used outside the instance" in report
    # Timeline: the marked event and each flagged event, one row each, in time order.
    flagged = {e for f in findings for e in f.event_ids} | {events[0].event_id}
    timeline = report.split("## Timeline")[1].split("## Notes")[0]
    rows = [line for line in timeline.splitlines() if line.startswith("| 20")]
    assert len(rows) == len(flagged)
    assert rows == sorted(rows)
    assert "GetCallerIdentity" in timeline and "18.236.253.47" in timeline
    # Hostile values cannot open links, tags or extra table cells.
    assert "[click me](http" not in report and "<script>" not in report
    assert "\\[click me\\](http://evil.example)\\<script\\>\\|x\\|" in report


def test_unknown_format_is_a_clear_error(case_and_events):
    case, _, _ = case_and_events
    with pytest.raises(ValueError, match="txt, csv, json, md"):
        export_case(case, "xlsx")


def test_empty_case_report():
    report = export_case(Case("empty"), "md")
    assert "No findings kept." in report and "No indicators marked." in report
    assert export_case(Case("empty"), "txt") == ""


def test_redaction_never_breaks_the_file_structure(tmp_path):
    """A secret-looking value with quotes and commas inside: the saved case, the JSON and
    the CSV stay readable, and the secret is gone from each."""
    tricky = 'password=ab"c,d\\e}f'
    case = Case("tricky")
    case.mark(f'x"{tricky}"y', kind="other", note=tricky)
    case.add_note(f'{{"password": "{PASSWORD}"}} and {tricky}')
    store = CaseStore(tmp_path)
    store.save(case)
    again = store.load("tricky")
    assert len(again.notes) == 1 and PASSWORD not in again.notes[0].text
    [indicator] = again.indicators.values()
    assert "ab" not in indicator.note and REDACTED in indicator.note
    data = json.loads(export_case(case, "json"))
    assert "ab" not in data["indicators"][0]["note"] and "ab" not in data["notes"][0]["text"]
    rows = list(csv.DictReader(io.StringIO(export_case(case, "csv"))))
    assert [row["record"] for row in rows] == ["indicator", "note"]
    assert "ab" not in rows[0]["note"] and rows[0]["kind"] == "other"
    assert PASSWORD not in rows[1]["note"] and REDACTED in rows[1]["note"]


@pytest.mark.parametrize("fmt", ["txt", "csv", "json", "md"])
def test_findings_export_for_the_headless_command(fmt, case_and_events):
    _, _, findings = case_and_events
    text = export_findings(findings, fmt)
    assert "Instance role credentials used outside the instance" in text
    assert "T1552.005" in text
    if fmt == "json":
        assert [Finding.from_dict(f) for f in json.loads(text)] == findings
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert [r["rule_id"] for r in rows] == [f.rule_id for f in findings]
        assert all(
            int(r["events"]) == len(f.event_ids) for r, f in zip(rows, findings, strict=True)
        )
    if fmt == "txt":
        assert len(text.splitlines()) == len(findings)
    with pytest.raises(ValueError):
        export_findings(findings, "yaml")


def test_a_secret_in_a_python_repr_is_redacted():
    """A dict's text (single quotes) names its secrets as JSON does."""
    shown = safe_text({"password": PASSWORD, "SessionToken": "short-token-value"})
    assert PASSWORD not in shown and "short-token-value" not in shown


def test_seen_in_names_the_event_once():
    """The events view's sighting names the event in its source and gives its ID as the
    ref too: the report, the CSV and the screen say the ID once."""
    event_id = "394cf343-1a2b-4c3d-8e9f-0123456789ab"
    case = Case("once")
    case.mark("18.236.253.47", source=f"event DescribeInstances {event_id}",
              region="us-north-2r", ref=event_id)
    [indicator] = case.indicators.values()
    assert indicator.sightings[0].label() == (
        f"event DescribeInstances {event_id} us-north-2r"
    )
    report = export_case(case, "md")
    [row] = [line for line in report.splitlines() if "18.236.253.47" in line]
    assert row.count(event_id) == 1 and "us-north-2r" in row
    [indicator_row] = [
        r for r in csv.DictReader(io.StringIO(export_case(case, "csv")))
        if r["value"] == "18.236.253.47"
    ]
    assert indicator_row["where"].count(event_id) == 1


def test_every_format_gives_times_in_utc():
    """A record whose time carries an offset (a foreign or hostile file) and a note
    without one: every format says the same instant, in UTC, never the local clock
    time beside a ``Z``."""
    event = from_record({
        "eventVersion": "1.08", "eventTime": "2024-07-30T14:00:00+02:00",
        "eventName": "RunInstances", "eventSource": "ec2.amazonaws.com",
        "eventID": "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", "awsRegion": "eu-west-1",
        "sourceIPAddress": "18.236.253.47", "userIdentity": {"type": "IAMUser"},
    })
    case = Case("zones")
    case.mark_event(event)
    case.add_note("written on a naive clock", when=datetime(2024, 7, 30, 13, 0))
    report = export_case(case, "md")
    assert "| 2024-07-30 12:00:00Z | RunInstances | ok |  | 0f1e2d3c-" in report
    assert "2024-07-30 13:00:00Z: written on a naive clock" in report
    assert "14:00:00Z" not in report
    rows = list(csv.DictReader(io.StringIO(export_case(case, "csv"))))
    assert all("14:00:00" not in cell for row in rows for cell in row.values())
    assert "2024-07-30 12:00:00Z" in {cell for row in rows for cell in row.values()}
    data = export_case(case, "json")
    assert "2024-07-30T12:00:00+00:00" in data and "+02:00" not in data


@pytest.mark.parametrize("fmt", ["txt", "csv", "json", "md"])
def test_every_format_carries_the_whole_case(case_and_events, fmt):
    """Indicators, kept findings, the timeline and the notes: not only in the report
    (``grep -c T1552`` found nothing in the json, csv and txt a responder mailed)."""
    case, _, _ = case_and_events
    text = export_case(case, fmt)
    assert "T1552" in text
    for finding in case.findings:
        assert (md(finding.title) if fmt == "md" else finding.title) in text
    for entry in case.timeline.values():
        assert entry.event_name in text
    assert "pasted by mistake" in text and "18.236.253.47" in text


def test_csv_and_json_hold_every_item_once_in_the_same_order(case_and_events):
    case, _, _ = case_and_events
    rows = list(csv.DictReader(io.StringIO(export_case(case, "csv"))))
    data = json.loads(export_case(case, "json", identity="arn:aws:iam::1:user/responder"))
    by_record: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_record.setdefault(row["record"], []).append(row)
    assert [r["record"] for r in rows] == sorted(
        (r["record"] for r in rows), key=["indicator", "finding", "event", "note"].index
    )
    assert [r["value"] for r in by_record["indicator"]] == [
        csv_cell(i["value"]) for i in data["indicators"]
    ]
    assert [r["value"] for r in by_record["finding"]] == [f["rule_id"] for f in data["findings"]]
    assert {f["rule_id"] for f in data["findings"]} == {f.rule_id for f in case.findings}
    assert [r["value"] for r in by_record["event"]] == [t["event_id"] for t in data["timeline"]]
    assert {t["event_id"] for t in data["timeline"]} == set(case.timeline)
    assert all(r["kind"] == "event-id" and r["name"] and r["region"] for r in by_record["event"])
    assert len(by_record["note"]) == len(data["notes"]) == len(case.notes) == 2
    assert data["case"] == "incident-42" and data["account"] == "017622104382"
    assert data["identity"] == "arn:aws:iam::1:user/responder"
    worst = max(case.findings, key=lambda f: severity_rank(f.severity))
    assert by_record["finding"][0]["severity"] == worst.severity
    worst_kept = next(f for f in case.findings if f.rule_id == by_record["finding"][0]["value"])
    assert by_record["finding"][0]["event_ids"].split("; ") == list(worst_kept.event_ids)
    # Each column holds one kind of thing: a finding's summary and events in their own.
    assert by_record["finding"][0]["summary"] == csv_cell(worst_kept.summary)
    assert not any(r["where"] or r["note"] for r in by_record["finding"] + by_record["event"])
    assert any(r["why"].startswith("marked") for r in by_record["event"])
    assert all(r["note"] for r in by_record["note"])
    # The Markdown report lists the findings in the same order.
    report = export_case(case, "md")
    positions = [report.index(md(f["title"])) for f in data["findings"]]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    "invisible", ["\u202e", "\u200b", "\u00ad", "\ufeff", "\u2060", "\u3164", "\ufe0f",
                  "\U000e0020"],
)
def test_a_secret_name_split_by_an_invisible_character_is_redacted(tmp_path, invisible):
    """A character that shows as nothing inside ``password`` or ``session_token`` (pasted
    from a chat, or planted) hid the name from the patterns: the JSON export and the saved
    case, which are not cleaned, kept the secret, and every format kept it behind a
    zero-width space, which cleaning leaves in place."""
    hidden = f"pass{invisible}word={PASSWORD}"
    assert PASSWORD not in redact_text(hidden) and REDACTED in redact_text(hidden)
    case = Case("hidden")
    case.mark("18.236.253.47", source="events", note=f"from the chat: {hidden}")
    case.mark(f"x session{invisible}_token={PLAIN_TOKEN}", kind="other", source="notes")
    for fmt in ("txt", "csv", "json", "md"):
        text = export_case(case, fmt)
        assert PASSWORD not in text and PLAIN_TOKEN not in text, fmt
        assert "18.236.253.47" in text and "REDACTED" in text
    saved = CaseStore(tmp_path).save(case).read_text()
    assert PASSWORD not in saved and PLAIN_TOKEN not in saved
    # Such a character with no secret behind it is left as it was: it is evidence.
    assert redact_text(f"pass{invisible}word is not set") == f"pass{invisible}word is not set"


def test_json_exports_hold_no_raw_terminal_controls():
    """JSON escapes the C0 controls but writes an 8-bit CSI (``\\x9b``), a bidi override
    or a zero-width space as it is: ``cat`` the export and the terminal restyles itself
    or shows the text reordered. They are written as escapes, and read back as seen."""
    hostile = "ua\x9b2J\x9b31m \u202eevil\u202c \u200bx\u2028y\x85z"
    case = Case("controls")
    case.mark(hostile, kind="user-agent", source="events")
    case.add_note(hostile)
    finding = Finding("r", hostile, "high", "T1552", ("e1",), hostile)
    case.keep_finding(finding)
    for text in (export_case(case, "json"), export_findings([finding], "json")):
        assert not any(ch in text for ch in "\x9b\u202e\u202c\u200b\u2028\x85"), text
    data = json.loads(export_case(case, "json"))
    assert data["indicators"][0]["value"] == hostile and data["notes"][0]["text"] == hostile
    assert data["findings"][0]["title"] == hostile
    assert json.loads(export_findings([finding], "json"))[0]["summary"] == hostile


def test_an_invisible_character_in_an_event_or_a_tag_reaches_no_export_unseen():
    """A zero-width space in an event's user name, a tag (an invisible copy of ASCII) in
    its name, a word joiner in an instance's tag marked as an indicator: cleaning left
    them in the text formats, where ``ad\\u200bmin`` reads as ``admin``. Each is written
    as its escape; JSON escapes them and reads back what AWS sent."""
    record = {
        "eventVersion": "1.08", "eventID": "e-invisible", "eventTime": "2026-11-28T10:00:00Z",
        "eventName": "RunInstances\U000e0041", "eventSource": "ec2.amazonaws.com",
        "awsRegion": "eu-west-1", "sourceIPAddress": "203.0.113.9",
        "userIdentity": {"type": "IAMUser", "userName": "ad\u200bmin"},
    }
    event = from_record(record)
    case = Case("invisible")
    case.mark_event(event)
    case.mark("web\u2060prod", kind="other", source="tags", note="Name tag")
    for fmt in ("txt", "csv", "md"):
        text = export_case(case, fmt)
        assert not INVISIBLE.search(text), fmt
        assert "ad\\u200bmin" in text.replace("\\\\", "\\"), fmt  # md escapes the \\
        assert "web\\u2060prod" in text.replace("\\\\", "\\"), fmt
    text = export_case(case, "json")
    assert not INVISIBLE.search(text)
    data = json.loads(text)
    assert data["timeline"][0]["user"] == "ad\u200bmin"
    assert data["timeline"][0]["event_name"] == "RunInstances\U000e0041"
    assert "web\u2060prod" in {i["value"] for i in data["indicators"]}
