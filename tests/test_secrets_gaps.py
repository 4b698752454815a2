"""Secrets QA found going out in clear (#6): names that say "secret key" or "token"
other ways, a value after a space (``aws configure set``), old session tokens, a URL's
password, ``mysql -p``. Each goes through the real paths: ``awsir-tui events --format
jsonl|csv`` over a folder that also holds every real record of ../shared/data (which
must come out as they went in, but for the session tokens STS issued), and a case's
note exported in every format and saved."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from awsir_tui.case import Case, CaseStore, export_case
from awsir_tui.case.secrets import REDACTED
from tests.helpers_events import all_records
from tests.helpers_headless import run_cli

CLOUDTRAIL = Path(__file__).resolve().parents[2] / "shared" / "data" / "cloudtrail"
KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
OLD_TOKEN = "FQoGZXIvYXdzEPT//////////wEaDFakeOldStyleTokenABCDEFGHIJKLMNOP"
OLDER_TOKEN = "FQoDYXdzEJr//////////wEaDOldStyleTokenNumberTwoABCDEFGH"
PASSWORD = "Sup3rS3cret-horse"
API_TOKEN = "ghp_tok123secretvalue987"
KEY_ID = "AKIAIOSFODNN7EXAMPLE"
#: Not secrets, beside the ones: an indicator, pagination and idempotency tokens, a
#: secret's name, and 41 base64 characters beside nothing.
KEPT = {
    "accessKey": KEY_ID,
    "nextToken": "AAEBAcmVzdW1lLXRva2VuLTEyMw==",
    "clientToken": "run-4242-idempotent",
    "secretId": "arn:aws:secretsmanager:us-east-1:017622104382:secret:db-AbCdEf",
    "note": "K7MDENG/bPxRfiCYEXAMPLEKEYwJalrXUtnFEMI/Z",
}

#: Each gap: where the secret sat (requestParameters fields, or the userAgent) and the
#: secrets that must not come out.
GAPS: dict[str, tuple[dict[str, object], str, tuple[str, ...]]] = {
    "secretKey beside its key ID": ({"secretKey": KEY}, "", (KEY,)),
    "SecretKey": ({"SecretKey": KEY}, "", (KEY,)),
    "AWS_SECRET_KEY": ({"AWS_SECRET_KEY": KEY}, "", (KEY,)),
    "aws_secret, API_TOKEN, DB_PWD": (
        {"environment": {"variables": {"aws_secret": "zz9", "API_TOKEN": API_TOKEN,
                                       "DB_PWD": PASSWORD}}},
        "", ("zz9", API_TOKEN, PASSWORD),
    ),
    "aws configure set, in a command": (
        {"commands": [f"aws configure set aws_secret_access_key {KEY}",
                      f"export AWS_SECRET_ACCESS_KEY={KEY}"]},
        "", (KEY,),
    ),
    "a command line in the user agent": (
        {}, f"aws-cli/2.15 tool --secret-access-key {KEY} --region us-east-1", (KEY,)),
    "old session tokens": ({"comment": f"token {OLDER_TOKEN}"}, f"aws-cli/2 {OLD_TOKEN}",
                           (OLD_TOKEN, OLDER_TOKEN)),
    "a URL's password": ({"url": f"https://admin:{PASSWORD}@db.internal/"}, "", (PASSWORD,)),
    "mysql -p": ({"commands": [f"mysql -h db -uroot -p{PASSWORD} shop"]}, "", (PASSWORD,)),
    "API_TOKEN= in a command": (
        {"commands": [f"API_TOKEN={API_TOKEN} ./deploy.sh"]}, "", (API_TOKEN,)),
}


def _record(request: dict[str, object], user_agent: str) -> dict[str, object]:
    """A real record (CreateAccessKey's) given the gap's fields beside :data:`KEPT`."""
    record = dict(next(r for r in all_records() if r["eventName"] == "CreateAccessKey"))
    record["eventID"] = "qa-gap-0000-0000-0000-000000000001"
    record["requestParameters"] = {**KEPT, **request}
    if user_agent:
        record["userAgent"] = user_agent
    return record


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
@pytest.mark.parametrize("gap", list(GAPS))
def test_the_events_command_writes_no_secret_and_changes_no_real_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gap: str, fmt: str
) -> None:
    """JSON lines on stdout, JSON into ``--output``'s file."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    request, user_agent, secrets = GAPS[gap]
    source = tmp_path / "logs"
    shutil.copytree(CLOUDTRAIL, source)
    record = _record(request, user_agent)
    (source / "gap.json").write_text(json.dumps({"Records": [record]}))
    output = tmp_path / "events.json"
    to_file = ("--output", str(output)) if fmt == "json" else ()
    code, out, err = run_cli("events", "--source", str(source), "--format", fmt, *to_file)
    assert code == 0, err
    if to_file:
        out = output.read_text()
    assert not [s for s in secrets if s in out] and REDACTED in out
    assert all(str(value) in out for value in KEPT.values())
    records = json.loads(out) if to_file else list(map(json.loads, out.splitlines()))
    written = {r["eventID"]: r for r in records}
    for real in all_records():
        credentials = (real.get("responseElements") or {}).get("credentials")
        if credentials:  # the one secret real records hold: the session token STS issued
            real = json.loads(json.dumps(real).replace(credentials["sessionToken"], REDACTED))
        assert written[real["eventID"]] == real
    assert written[record["eventID"]]["requestParameters"]["accessKey"] == KEY_ID


@pytest.mark.parametrize("fmt", ["txt", "csv", "json", "md"])
def test_a_case_note_holding_any_gap_exports_and_saves_no_secret(
    tmp_path: Path, fmt: str
) -> None:
    case = Case("qa-gaps", account="017622104382")
    case.mark(KEY_ID, kind="access-key", source="events")
    secrets: set[str] = set()
    for request, user_agent, held in GAPS.values():
        case.add_note(f"pasted: {json.dumps(request)} {user_agent}")
        secrets.update(held)
    text = export_case(case, fmt, identity="arn:aws:iam::1:user/responder", events=[])
    saved = CaseStore(tmp_path).save(case).read_text()
    assert not [s for s in secrets if s in text] and not [s for s in secrets if s in saved]
    assert KEY_ID in text and "admin:" in text and "db.internal" in text
